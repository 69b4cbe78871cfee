// The effective-owner rule (lib/names/effectiveOwner.ts): the registry owner, or the NameWrapper
// owner when the registry owner is the configured NameWrapper; the same rule as the resolver's
// NameOwnership._nodeOwner.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Address, zeroAddress } from "viem";
import { effectiveOwner } from "../../lib/index.ts";

const WRAPPER: Address = "0xD4416b13d2b3a9aBae7AcD5D6C2BbDBE25686401";
const ALICE: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BOB: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

/** A wrapped-owner reader that records the wrapper it was asked about. */
function reader(owner: Address) {
  const calls: Address[] = [];
  const read = async (nameWrapper: Address) => {
    calls.push(nameWrapper);
    return owner;
  };
  return { calls, read };
}

describe("effectiveOwner (lib/names/effectiveOwner.ts)", () => {
  it("is the registry owner, without a wrapper read, when it is not the NameWrapper", async () => {
    const { calls, read } = reader(BOB);
    assert.equal(await effectiveOwner(ALICE, WRAPPER, read), ALICE);
    assert.deepEqual(calls, []);
  });

  it("asks the NameWrapper when it holds the node, in any address case", async () => {
    const { calls, read } = reader(BOB);
    assert.equal(await effectiveOwner(WRAPPER.toLowerCase() as Address, WRAPPER, read), BOB);
    assert.deepEqual(calls, [WRAPPER]);
  });

  it("is the zero address when the NameWrapper owner is zero (unwrapped or expired)", async () => {
    assert.equal(await effectiveOwner(WRAPPER, WRAPPER, reader(zeroAddress).read), zeroAddress);
  });

  it("is the registry owner when no NameWrapper is configured", async () => {
    const { calls, read } = reader(BOB);
    assert.equal(await effectiveOwner(WRAPPER, undefined, read), WRAPPER);
    assert.deepEqual(calls, []);
  });

  it("never treats an unowned node as wrapped, even with a zero NameWrapper", async () => {
    const { calls, read } = reader(BOB);
    assert.equal(await effectiveOwner(zeroAddress, zeroAddress, read), zeroAddress);
    assert.deepEqual(calls, []);
  });
});
