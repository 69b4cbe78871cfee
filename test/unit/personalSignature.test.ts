// isPersonalSignatureBy (a kept public key per signer, checked with u1⋅G + u2⋅P) against its
// readable reference, viem's recoverMessageAddress: the same answer for good signatures, other
// messages, other signers, flipped v, the high-s twin and r values that are not a point's x,
// before and after a signer's key gets its tables and after it is evicted.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import {
  type Address,
  concatHex,
  type Hex,
  hexToBigInt,
  isAddressEqual,
  keccak256,
  numberToHex,
  recoverMessageAddress,
  slice,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { isPersonalSignatureBy } from "../../lib/recordFile/personalSignature.ts";

const ORDER = secp256k1.Point.CURVE().n;

async function reference(message: string, signature: Hex, expected: Address): Promise<boolean> {
  try {
    return isAddressEqual(await recoverMessageAddress({ message, signature }), expected);
  } catch {
    return false;
  }
}

function fast(message: string, signature: Hex, expected: Address): boolean {
  try {
    return isPersonalSignatureBy(message, signature, expected);
  } catch {
    return false;
  }
}

const accountOf = (index: number) => privateKeyToAccount(keccak256(toHex(`signer ${index}`)));

/** The signature with v flipped (27 ↔ 28). */
const flipV = (signature: Hex): Hex =>
  concatHex([slice(signature, 0, 64), signature.endsWith("1b") ? "0x1c" : "0x1b"]);
/** The high-s twin: (r, n - s) with v flipped, which recovers the same key. */
const highSTwin = (signature: Hex): Hex =>
  concatHex([
    slice(signature, 0, 32),
    numberToHex(ORDER - hexToBigInt(slice(signature, 32, 64)), { size: 32 }),
    signature.endsWith("1b") ? "0x1c" : "0x1b",
  ]);
/** The signature with r replaced. */
const withR = (signature: Hex, r: bigint): Hex =>
  concatHex([numberToHex(r, { size: 32 }), slice(signature, 32, 65)]);

describe("isPersonalSignatureBy", () => {
  it("answers as recoverMessageAddress does, through the key's table threshold", async () => {
    const signer = accountOf(0);
    const other = accountOf(1);
    let compared = 0;
    // 48 rounds: the first recovers the key, round 32 builds its tables, the rest use them.
    for (let round = 0; round < 48; round++) {
      const message = `record ${round}\nValue: ${"x".repeat(round)}`;
      const signature = await signer.signMessage({ message });
      const cases: [string, Hex, Address, boolean][] = [
        [message, signature, signer.address, true],
        [`${message}.`, signature, signer.address, false],
        [message, signature, other.address, false],
        [message, flipV(signature), signer.address, false],
        [message, highSTwin(signature), signer.address, true],
        [
          message,
          withR(signature, hexToBigInt(slice(signature, 0, 32)) ^ 1n),
          signer.address,
          false,
        ],
        [message, withR(signature, ORDER), signer.address, false],
        [message, withR(signature, 0n), signer.address, false],
      ];
      for (const [text, candidate, expected, valid] of cases) {
        assert.equal(
          await reference(text, candidate, expected),
          valid,
          `reference, round ${round}`,
        );
        assert.equal(fast(text, candidate, expected), valid, `fast, round ${round}: ${candidate}`);
        compared++;
      }
    }
    assert.equal(compared, 48 * 8);
  });

  it("keeps answering correctly for more signers than it keeps keys for (eviction)", async () => {
    const messages = ["one", "two"];
    for (let pass = 0; pass < 2; pass++)
      for (let index = 10; index < 50; index++) {
        const account = accountOf(index);
        for (const message of messages) {
          const signature = await account.signMessage({ message });
          assert.equal(fast(message, signature, account.address), true);
          assert.equal(fast(message, signature, accountOf(index + 1).address), false);
        }
      }
  });

  it("refuses a signature whose r or s is out of range by throwing, as ecrecover fails", async () => {
    const signer = accountOf(2);
    const signature = await signer.signMessage({ message: "m" });
    assert.throws(() => isPersonalSignatureBy("m", withR(signature, ORDER), signer.address));
    assert.throws(() =>
      isPersonalSignatureBy(
        "m",
        concatHex([slice(signature, 0, 32), numberToHex(0n, { size: 32 }), "0x1b"]),
        signer.address,
      ),
    );
  });
});
