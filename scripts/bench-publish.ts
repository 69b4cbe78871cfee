// Publishing benchmark: `npm run bench:publish [-- --json] [-- --sizes 1000,10000]`.
// For each tree size (1,000, 10,000 and 100,000 record files): publishes the whole tree on the
// embedded store the way `ensgate publish` does (read the tree folder, add it, sign the IPNS
// record), then signs one changed record, writes it with its change journal entry and republishes.
// `publish1000Ms` keeps the original figure: signing 1,000 records + writing + publishing them.
// Signing is not part of the 10,000/100,000 figures (it costs about 1.4 ms a record, measured by
// bench:records): their trees reuse the 1,000 signed record files under distinct paths, which the
// IPFS layer treats like any other bytes of the same size.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import { writeFileAtomic } from "../client/files.ts";
import { deriveStoredKeys } from "../client/keygen.ts";
import { publishTree } from "../client/publishTree.ts";
import { treeDir, writeTreeFile } from "../client/recordsTree.ts";
import { createEmbeddedIpfs, type EmbeddedIpfs } from "../ipfs/index.ts";
import { type RecordRequest, signRecordTree } from "../lib/index.ts";
import { describeTarget, type Target, withTargets } from "./bench/targets.ts";

const TARGETS = {
  publish1000Ms: { max: 5000 },
  republishOneMs: { max: 500 },
  publishMsAt1k: { max: 2000 },
  publishMsAt10k: { max: 10_000 },
  publishMsAt100k: { max: 60_000 },
  republishOneMsAt1k: { max: 100 },
  republishOneMsAt10k: { max: 100 },
  republishOneMsAt100k: { max: 100 },
} as const satisfies Record<string, Target>;
const JSON_OUTPUT = process.argv.includes("--json");
const sizesArgument = process.argv.indexOf("--sizes");
const SIZES =
  sizesArgument === -1
    ? [1_000, 10_000, 100_000]
    : (process.argv[sizesArgument + 1] ?? "").split(",").map(Number);
const OWNER = privateKeyToAccount(
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
);
const NAME = "bench.eth";
/** The resolver the records are bound to (any address: nothing resolves them here). */
const RESOLVER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

const sign = (records: [RecordRequest, string][]) =>
  signRecordTree({
    name: NAME,
    records,
    signer: OWNER,
    owner: OWNER.address,
    chainId: 1,
    freshness: { validUntil: 4_000_000_000n, epoch: 0n },
    resolver: RESOLVER,
  });
const textRecords = (count: number): [RecordRequest, string][] =>
  Array.from({ length: count }, (_, index) => [
    { type: "text", key: `key${index}` },
    `value ${index}`,
  ]);

const keys = await deriveStoredKeys(OWNER, NAME, 1);
const writerOf = (ipfs: EmbeddedIpfs) => ({
  addDirectory: (files: Record<string, string>) => ipfs.addDirectory(files),
  updateDirectory: (root: string, changes: Record<string, string | null>) =>
    ipfs.updateDirectory(root, changes),
  publishName: (seed: `0x${string}`, cid: string) => ipfs.publishName(seed, cid),
  resolvePath: (root: string, path: string) => ipfs.resolvePath(root, path),
});

/** Runs `body` with a fresh data folder and embedded store, removed afterwards. */
async function withStore<T>(body: (dataDir: string, ipfs: EmbeddedIpfs) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), "ensgate-bench-publish-"));
  const ipfs = await createEmbeddedIpfs({ directory: join(dataDir, "ipfs") });
  try {
    return await body(dataDir, ipfs);
  } finally {
    await ipfs.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const signed = Object.entries(await sign(textRecords(1000)));

/** Republishes after signing and writing one changed record; returns the time and upload count. */
async function republishOne(dataDir: string, ipfs: EmbeddedIpfs, value: string) {
  const tree = treeDir(dataDir, NAME);
  const started = performance.now();
  for (const [path, content] of Object.entries(
    await sign([[{ type: "text", key: "key7" }, value]]),
  ))
    await writeTreeFile(tree, path, content);
  const result = await publishTree({
    ipfs: writerOf(ipfs),
    target: "embedded",
    dataDir,
    keyName: NAME,
    seed: keys.ipnsSeed,
    tree,
  });
  return { ms: performance.now() - started, uploaded: result.uploaded };
}

// The original figure: sign 1,000 records, write them, publish.
const original = await withStore(async (dataDir, ipfs) => {
  const tree = treeDir(dataDir, NAME);
  const started = performance.now();
  for (const [path, content] of Object.entries(await sign(textRecords(1000))))
    await writeTreeFile(tree, path, content);
  await publishTree({
    ipfs: writerOf(ipfs),
    target: "embedded",
    dataDir,
    keyName: NAME,
    seed: keys.ipnsSeed,
    tree,
  });
  return { publish1000Ms: performance.now() - started };
});

const atSize: Record<string, number> = {};
for (const size of SIZES) {
  const label = size >= 1000 ? `${size / 1000}k` : String(size);
  await withStore(async (dataDir, ipfs) => {
    const tree = treeDir(dataDir, NAME);
    // The tree as `ensgate set` leaves it (written without timing: that is the signing step).
    for (let index = 0; index < size; index++) {
      const [path, content] = signed[index % signed.length] as [string, string];
      await writeFileAtomic(join(tree, path.replace(/key\d+\.json$/, `key${index}.json`)), content);
    }
    let started = performance.now();
    const first = await publishTree({
      ipfs: writerOf(ipfs),
      target: "embedded",
      dataDir,
      keyName: NAME,
      seed: keys.ipnsSeed,
      tree,
    });
    atSize[`publishMsAt${label}`] = Math.round(performance.now() - started);
    if (first.uploaded !== size) throw new Error(`uploaded ${first.uploaded} of ${size} files`);
    // The first republish warms the key derivation and the directory path; the figure is the
    // median of the next five.
    await republishOne(dataDir, ipfs, "changed 0");
    const runs: number[] = [];
    for (let run = 1; run <= 5; run++) {
      const { ms, uploaded } = await republishOne(dataDir, ipfs, `changed ${run}`);
      if (uploaded !== 1) throw new Error(`a one-record republish uploaded ${uploaded} files`);
      runs.push(ms);
    }
    runs.sort((a, b) => a - b);
    atSize[`republishOneMsAt${label}`] = Math.round(runs[2] as number);
    started = performance.now();
  });
}

const figures = {
  publish1000Ms: Math.round(original.publish1000Ms),
  republishOneMs: atSize.republishOneMsAt1k ?? Number.NaN,
  ...atSize,
  republishUploaded: 1,
};
const targets = Object.fromEntries(
  Object.entries(TARGETS).filter(
    ([key]) =>
      typeof (figures as Record<string, unknown>)[key] === "number" &&
      !Number.isNaN((figures as Record<string, number>)[key]),
  ),
) as Partial<typeof TARGETS>;
const report = withTargets(figures as Record<string, number>, targets);
if (JSON_OUTPUT) console.log(JSON.stringify(report));
else {
  const flag = (pass: boolean | undefined) => (pass ? "yes" : "NO");
  console.log("| figure | value | target | pass |\n| --- | ---: | ---: | :---: |");
  for (const [key, target] of Object.entries(targets))
    console.log(
      `| ${key} | ${(figures as Record<string, number>)[key]} | ${describeTarget(target)} | ${flag((report.pass as Record<string, boolean>)[key])} |`,
    );
}
