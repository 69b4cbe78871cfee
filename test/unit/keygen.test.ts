import assert from "node:assert/strict";
import { createHash, hkdfSync } from "node:crypto";
import { describe, it } from "node:test";
// Test-only oracle: the exact noble versions the NameSys client's KEYGEN used.
import * as legacyEd25519 from "@noble/ed25519";
import * as legacySecp256k1 from "@noble/secp256k1";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  buildIpnsKeygenMessage,
  buildSignerKeygenMessage,
  deriveIpnsKeySeed,
  deriveIpnsName,
  deriveSignerPrivateKey,
  formatCaip10,
  KeygenInputError,
} from "../../lib/index.ts";

const OWNER = privateKeyToAccount(
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
);

/** NameSys KEYGEN computed along an independent route: node:crypto SHA-256/HKDF + legacy noble. */
async function oracleKeygen(username: string, caip10: string, signature: Hex, password = "") {
  const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();
  const inputKey = sha256(Buffer.from(signature.slice(2), "hex"));
  const info = `${caip10}:${username}`;
  const salt = sha256(`${info}:${password}:${signature.slice(-64)}`);
  const hashKey = new Uint8Array(hkdfSync("sha256", inputKey, salt, info, 42));
  const edScalar = legacyEd25519.utils.hashToPrivateScalar(hashKey);
  const edSeed = edScalar.toString(16).padStart(64, "0");
  const edPublic = await legacyEd25519.getPublicKey(edSeed);
  // CIDv1 (0x01), libp2p-key (0x72), identity multihash (0x00, 36 bytes) of the protobuf key
  // (KeyType Ed25519 = 0x08 0x01, Data = 0x12 0x20 <32 bytes>), base36 lowercase with prefix "k".
  const cid = Buffer.concat([Buffer.from("0172002408011220", "hex"), Buffer.from(edPublic)]);
  const ipnsName = `k${BigInt(`0x${cid.toString("hex")}`).toString(36)}`;
  const secpKey = legacySecp256k1.utils.hashToPrivateKey(hashKey);
  return {
    ipnsSeed: `0x${edSeed}`,
    ipnsName,
    signerKey: `0x${Buffer.from(secpKey).toString("hex")}`,
  };
}

describe("KEYGEN (byte-identical to the NameSys client)", async () => {
  const cases = [
    { username: "nick.eth", chainId: 1, password: "" },
    { username: "nick.eth", chainId: 1, password: "key1" },
    { username: "sub.alice.eth", chainId: 11155111, password: "correct horse battery staple" },
    { username: "💩.eth", chainId: 31337, password: "ünïcødé" },
    { username: `eth:${OWNER.address}`, chainId: 1, password: "" },
  ];
  for (const { username, chainId, password } of cases) {
    it(`derives the same keys for ${username} on chain ${chainId} with password "${password}"`, async () => {
      const caip10 = formatCaip10(chainId, OWNER.address);
      const parameters = { origin: username, password, chainId, wallet: OWNER.address };
      for (const message of [
        buildIpnsKeygenMessage(parameters),
        buildSignerKeygenMessage(parameters),
      ]) {
        const signature = await OWNER.signMessage({ message });
        const expected = await oracleKeygen(username, caip10, signature, password);
        const keygen = { username, caip10, signature, password };
        assert.equal(deriveIpnsKeySeed(keygen), expected.ipnsSeed);
        assert.equal(deriveSignerPrivateKey(keygen), expected.signerKey);
        assert.equal(await deriveIpnsName(deriveIpnsKeySeed(keygen)), expected.ipnsName);
        assert.match(expected.ipnsName, /^k51[0-9a-z]{59}$/);
      }
    });
  }

  it("derives different keys for a different password or signature", async () => {
    const caip10 = formatCaip10(1, OWNER.address);
    const signature = await OWNER.signMessage({ message: "x" });
    const base = deriveSignerPrivateKey({ username: "nick.eth", caip10, signature });
    assert.notEqual(
      deriveSignerPrivateKey({ username: "nick.eth", caip10, signature, password: "p" }),
      base,
    );
    assert.notEqual(
      deriveSignerPrivateKey({
        username: "nick.eth",
        caip10,
        signature: await OWNER.signMessage({ message: "y" }),
      }),
      base,
    );
  });

  it("rejects a signature that is not 65 bytes", () => {
    const caip10 = formatCaip10(1, OWNER.address);
    assert.throws(
      () => deriveIpnsKeySeed({ username: "nick.eth", caip10, signature: `0x${"11".repeat(64)}` }),
      (error: unknown) => error instanceof KeygenInputError && /65 bytes/.test(error.message),
    );
  });
});
