/// <reference path="../../artifacts/contracts/LogAnchor.sol/artifacts.d.ts" />
// The on-chain anchor of the log's latest checkpoint (contracts/LogAnchor.sol) on Hardhat's
// chain: it accepts a larger checkpoint only with a consistency proof built from the log's tiles,
// so a fork or a rollback cannot be anchored; only the operator may anchor.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import {
  BaseError,
  bytesToHex,
  ContractFunctionRevertedError,
  type Hex,
  parseEventLogs,
} from "viem";
import { EMPTY_TREE_ROOT, TileReader } from "../../lib/tlog/index.ts";
import { MemoryLog, testEntry } from "./memoryLog.ts";

const { viem } = await network.create();
const [operator, stranger] = (await viem.getWalletClients()) as [
  Awaited<ReturnType<typeof viem.getWalletClients>>[number],
  Awaited<ReturnType<typeof viem.getWalletClients>>[number],
];
const publicClient = await viem.getPublicClient();

const log = new MemoryLog();
for (const size of [1, 2, 5, 256, 300, 600]) {
  const from = log.entries.length;
  log.append(Array.from({ length: size - from }, (_, offset) => testEntry(from + offset)));
}
const rootAt = (size: number) => bytesToHex(log.roots[size] as Uint8Array);
const proofOf = async (oldSize: number, newSize: number): Promise<Hex[]> =>
  (
    await new TileReader(log.source(), {
      size: newSize,
      root: log.roots[newSize] as Uint8Array,
    }).consistencyProof(oldSize)
  ).map((hash) => bytesToHex(hash));

/** The custom error a call reverted with. */
async function revertOf(
  call: Promise<unknown>,
): Promise<{ name?: string; args?: readonly unknown[] }> {
  try {
    await call;
  } catch (error) {
    const revert =
      error instanceof BaseError
        ? error.walk((e) => e instanceof ContractFunctionRevertedError)
        : null;
    if (revert instanceof ContractFunctionRevertedError)
      return { name: revert.data?.errorName, args: revert.data?.args };
    throw error;
  }
  throw new Error("the call did not revert");
}

describe("LogAnchor", () => {
  it("starts at the empty tree and anchors consistent checkpoints, each with an event", async () => {
    const anchor = await viem.deployContract("LogAnchor", [
      operator.account.address,
      "ca.ensgate.test/log",
    ]);
    assert.equal(await anchor.read.root(), bytesToHex(EMPTY_TREE_ROOT));
    assert.equal(await anchor.read.origin(), "ca.ensgate.test/log");
    let anchored = 0;
    for (const size of [1, 2, 5, 256, 300, 600]) {
      const hash = await anchor.write.anchor([
        BigInt(size),
        rootAt(size),
        await proofOf(anchored, size),
      ]);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const [event] = parseEventLogs({
        abi: anchor.abi,
        logs: receipt.logs,
        eventName: "CheckpointAnchored",
      });
      assert.equal(event?.args.size, BigInt(size));
      assert.equal(event?.args.root, rootAt(size));
      assert.equal(await anchor.read.size(), BigInt(size));
      anchored = size;
    }
  });

  it("the on-chain verifier agrees with lib/tlog on every pair of sizes up to 40 and across tiles", async () => {
    const anchor = await viem.deployContract("LogAnchor", [operator.account.address, "x"]);
    const small = new MemoryLog();
    for (let index = 0; index < 40; index++) small.append([testEntry(index)]);
    for (let newSize = 1; newSize <= 40; newSize += 3)
      for (let oldSize = 0; oldSize <= newSize; oldSize++) {
        const reader = new TileReader(small.source(), {
          size: newSize,
          root: small.roots[newSize] as Uint8Array,
        });
        const proof = (await reader.consistencyProof(oldSize)).map((hash) => bytesToHex(hash));
        const args = [
          BigInt(oldSize),
          BigInt(newSize),
          bytesToHex(small.roots[oldSize] as Uint8Array),
          bytesToHex(small.roots[newSize] as Uint8Array),
          proof,
        ] as const;
        assert.equal(await anchor.read.verifyConsistency(args), true, `${oldSize} -> ${newSize}`);
        if (oldSize > 0 && oldSize < newSize)
          assert.equal(
            await anchor.read.verifyConsistency([
              args[0],
              args[1],
              bytesToHex(small.roots[oldSize - 1] as Uint8Array),
              args[3],
              proof,
            ]),
            false,
          );
      }
    for (const [oldSize, newSize] of [
      [5, 600],
      [256, 300],
      [300, 600],
    ] as const)
      assert.equal(
        await anchor.read.verifyConsistency([
          BigInt(oldSize),
          BigInt(newSize),
          rootAt(oldSize),
          rootAt(newSize),
          await proofOf(oldSize, newSize),
        ]),
        true,
      );
  });

  it("refuses a fork (InconsistentCheckpoint), a rollback (NotLarger) and a stranger (NotOperator)", async () => {
    const anchor = await viem.deployContract("LogAnchor", [
      operator.account.address,
      "ca.ensgate.test/log",
    ]);
    await publicClient.waitForTransactionReceipt({
      hash: await anchor.write.anchor([300n, rootAt(300), await proofOf(0, 300)]),
    });
    // A fork: the first 256 entries, then others.
    const fork = new MemoryLog();
    fork.append(log.entries.slice(0, 256));
    fork.append(Array.from({ length: 344 }, (_, index) => testEntry(50_000 + index)));
    const forkProof = (
      await new TileReader(fork.source(), {
        size: 600,
        root: fork.roots[600] as Uint8Array,
      }).consistencyProof(300)
    ).map((hash) => bytesToHex(hash));
    const forkRoot = bytesToHex(fork.roots[600] as Uint8Array);
    assert.deepEqual(await revertOf(anchor.write.anchor([600n, forkRoot, forkProof])), {
      name: "InconsistentCheckpoint",
      args: [300n, 600n],
    });
    // The honest proof with the fork's root, and the fork's proof with the honest root, fail too.
    assert.equal(
      (await revertOf(anchor.write.anchor([600n, forkRoot, await proofOf(300, 600)]))).name,
      "InconsistentCheckpoint",
    );
    assert.equal(
      (await revertOf(anchor.write.anchor([600n, rootAt(600), forkProof]))).name,
      "InconsistentCheckpoint",
    );
    assert.deepEqual(await revertOf(anchor.write.anchor([256n, rootAt(256), []])), {
      name: "NotLarger",
      args: [300n, 256n],
    });
    assert.equal((await revertOf(anchor.write.anchor([300n, rootAt(300), []]))).name, "NotLarger");
    const asStranger = await viem.getContractAt("LogAnchor", anchor.address, {
      client: { wallet: stranger },
    });
    assert.equal(
      (await revertOf(asStranger.write.anchor([600n, rootAt(600), await proofOf(300, 600)]))).name,
      "NotOperator",
    );
    // Still at 300, and the honest extension is accepted.
    assert.equal(await anchor.read.size(), 300n);
    await publicClient.waitForTransactionReceipt({
      hash: await anchor.write.anchor([600n, rootAt(600), await proofOf(300, 600)]),
    });
    assert.equal(await anchor.read.root(), rootAt(600));
  });
});
