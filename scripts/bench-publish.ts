// Publishing benchmark: `npm run bench:publish [-- --json]`.
// Signs 1,000 records and publishes them on the embedded store (the path `ensgate set` +
// `ensgate publish` take, in one process), then republishes after changing one record.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import { deriveStoredKeys } from "../client/keygen.ts";
import { publishTree } from "../client/publishTree.ts";
import { readTree, treeDir, writeTreeFile } from "../client/recordsTree.ts";
import { createEmbeddedIpfs } from "../ipfs/index.ts";
import { type RecordRequest, signRecordTree } from "../lib/index.ts";
import { describeTarget, type Target, withTargets } from "./bench/targets.ts";

const RECORDS = 1000;
const TARGETS = {
  publish1000Ms: { max: 5000 },
  republishOneMs: { max: 500 },
} as const satisfies Record<string, Target>;
const JSON_OUTPUT = process.argv.includes("--json");
const OWNER = privateKeyToAccount(
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
);
const NAME = "bench.eth";
/** The resolver the records are bound to (any address: nothing resolves them here). */
const RESOLVER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

const dataDir = mkdtempSync(join(tmpdir(), "ensgate-bench-publish-"));
const ipfs = await createEmbeddedIpfs({ directory: join(dataDir, "ipfs") });
try {
  const keys = await deriveStoredKeys(OWNER, NAME, 1);
  const writer = {
    addDirectory: (files: Record<string, string>) => ipfs.addDirectory(files),
    updateDirectory: (root: string, changes: Record<string, string | null>) =>
      ipfs.updateDirectory(root, changes),
    publishName: (seed: `0x${string}`, cid: string) => ipfs.publishName(seed, cid),
  };
  const tree = treeDir(dataDir, NAME);
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
  const records: [RecordRequest, string][] = Array.from({ length: RECORDS }, (_, index) => [
    { type: "text", key: `key${index}` },
    `value ${index}`,
  ]);

  const started = performance.now();
  for (const [path, content] of Object.entries(await sign(records)))
    await writeTreeFile(tree, path, content);
  const first = await publishTree({
    ipfs: writer,
    target: "embedded",
    dataDir,
    keyName: NAME,
    seed: keys.ipnsSeed,
    files: await readTree(tree),
  });
  const publish1000Ms = performance.now() - started;

  const changedAt = performance.now();
  for (const [path, content] of Object.entries(
    await sign([[{ type: "text", key: "key7" }, "changed"]]),
  ))
    await writeTreeFile(tree, path, content);
  const second = await publishTree({
    ipfs: writer,
    target: "embedded",
    dataDir,
    keyName: NAME,
    seed: keys.ipnsSeed,
    files: await readTree(tree),
  });
  const republishOneMs = performance.now() - changedAt;
  if (first.uploaded !== RECORDS || second.uploaded !== 1)
    throw new Error(`unexpected upload counts ${first.uploaded}, ${second.uploaded}`);

  const figures = {
    publish1000Ms: Math.round(publish1000Ms),
    republishOneMs: Math.round(republishOneMs),
    records: RECORDS,
    republishUploaded: second.uploaded,
  };
  const report = withTargets(figures, TARGETS);
  if (JSON_OUTPUT) console.log(JSON.stringify(report));
  else {
    const flag = (pass: boolean) => (pass ? "yes" : "NO");
    console.log("| figure | value | target | pass |\n| --- | ---: | ---: | :---: |");
    console.log(
      `| sign + publish ${RECORDS} records (ms) | ${figures.publish1000Ms} | ${describeTarget(TARGETS.publish1000Ms)} | ${flag(report.pass.publish1000Ms)} |`,
    );
    console.log(
      `| change one record + republish (ms) | ${figures.republishOneMs} | ${describeTarget(TARGETS.republishOneMs)} | ${flag(report.pass.republishOneMs)} |`,
    );
    console.log(`| files uploaded by the republish | ${figures.republishUploaded} | 1 | |`);
  }
} finally {
  await ipfs.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
