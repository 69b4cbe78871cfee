// `ensgate log verify --anchor`: the log's latest checkpoint must extend the checkpoint anchored
// in a LogAnchor contract, read over JSON-RPC from a Hardhat chain served on 127.0.0.1. A log
// that is behind its anchor or forked from it fails with one line.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { network } from "hardhat";
import {
  type Abi,
  type Address,
  bytesToHex,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
} from "viem";
import { hardhat } from "viem/chains";
import { TransparencyLog } from "../../ca/transparencyLog.ts";
import { openLogSource } from "../../client/tlogSource.ts";
import {
  generateNoteKey,
  openCheckpoint,
  parseVerifierKey,
  TileReader,
} from "../../lib/tlog/index.ts";
import { assertOneLineError, assertUsageError, runCli } from "../cli/runCli.ts";

const ORIGIN = "ca.ensgate.test/log";
const key = generateNoteKey(ORIGIN);
const root = mkdtempSync(join(tmpdir(), "ensgate-tlog-anchor-"));
const honest = join(root, "honest");
const fork = join(root, "fork");
const artifact = JSON.parse(
  readFileSync(
    new URL("../../artifacts/contracts/LogAnchor.sol/LogAnchor.json", import.meta.url),
    "utf8",
  ),
) as {
  abi: Abi;
  bytecode: Hex;
};
const entry = (label: string, index: number) => new TextEncoder().encode(`${label} ${index}`);
let server: { close: () => Promise<void> };
let rpcUrl = "";
const anchors: Record<string, Address> = {};

/** Appends entries to a log and returns its checkpoint after. */
async function append(dir: string, entries: Uint8Array[]) {
  const log = await TransparencyLog.open({ dir, signerKey: key.signerKey, sequenceIntervalMs: 0 });
  const indexes = log.appendEntries(entries);
  await log.close();
  await indexes;
  return openCheckpoint(log.checkpoint(), parseVerifierKey(key.verifierKey));
}

before(async () => {
  // The honest log: 100 entries, then 100 more. The fork: the same 100, then 50 others.
  const common = Array.from({ length: 100 }, (_, index) => entry("common", index));
  const honest100 = await append(honest, common);
  await append(
    honest,
    Array.from({ length: 100 }, (_, index) => entry("honest", index)),
  );
  await append(fork, common);
  const fork150 = await append(
    fork,
    Array.from({ length: 50 }, (_, index) => entry("fork", index)),
  );
  const fork250 = await append(
    fork,
    Array.from({ length: 100 }, (_, index) => entry("fork", 50 + index)),
  );

  const chainServer = await network.createServer("default", "127.0.0.1", 0);
  const { port } = await chainServer.listen();
  server = chainServer;
  rpcUrl = `http://127.0.0.1:${port}`;
  const publicClient = createPublicClient({ chain: hardhat, transport: http(rpcUrl) });
  // Hardhat's node accounts are unlocked: the first one deploys and operates the anchors.
  const [operator] = (await createWalletClient({
    chain: hardhat,
    transport: http(rpcUrl),
  }).getAddresses()) as [Address];
  const wallet = createWalletClient({ chain: hardhat, transport: http(rpcUrl), account: operator });
  const deployAnchored = async (
    name: string,
    dir: string,
    checkpoint: { size: number; root: Uint8Array },
  ) => {
    const hash = await wallet.deployContract({
      abi: artifact.abi,
      bytecode: artifact.bytecode,
      args: [operator, ORIGIN],
    });
    const address = (await publicClient.waitForTransactionReceipt({ hash }))
      .contractAddress as Address;
    const proof = await new TileReader(openLogSource(dir), checkpoint).consistencyProof(0);
    const anchored = await wallet.writeContract({
      address,
      abi: artifact.abi,
      functionName: "anchor",
      args: [
        BigInt(checkpoint.size),
        bytesToHex(checkpoint.root),
        proof.map((hash) => bytesToHex(hash)),
      ],
    });
    await publicClient.waitForTransactionReceipt({ hash: anchored });
    anchors[name] = address;
  };
  await deployAnchored("honest100", honest, honest100);
  await deployAnchored("fork150", fork, fork150);
  await deployAnchored("fork250", fork, fork250);
});

after(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const verify = (dir: string, anchor: string) =>
  runCli(["--rpc", rpcUrl, "log", "verify", dir, "--key", key.verifierKey, "--anchor", anchor]);

describe("ensgate log verify --anchor", () => {
  it("a log that extends its on-chain anchor passes", async () => {
    const run = await verify(honest, anchors.honest100 as string);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^anchored: extends the on-chain anchor 0x[0-9a-fA-F]{40} at size 100 \(\d+ proof hashes\)$/m,
    );
  });

  it("a log forked from its anchor fails: one line, exit 1", async () => {
    assertOneLineError(
      await verify(honest, anchors.fork150 as string),
      /Log checkpoints are inconsistent: the latest checkpoint does not extend the on-chain anchor \(size 150\): a fork/,
    );
  });

  it("a log behind its anchor fails: one line, exit 1", async () => {
    assertOneLineError(
      await verify(honest, anchors.fork250 as string),
      /is behind its on-chain anchor \(size 250\)/,
    );
  });

  it("a bad anchor address is a usage error", async () => {
    assertUsageError(await verify(honest, "0x1234"), /--anchor "0x1234" is not an address/);
  });
});
