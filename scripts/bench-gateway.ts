// Gateway benchmark: `npm run bench:gateway [-- --json]`.
// Prints, from one run, with the gateway (a child process running the `npm run build:gateway`
// bundle, as operators run it) reading a 100,000-file records tree
// through the trustless source (`trustless:`, every IPNS record and block verified) from the
// embedded store's path gateway:
// - cold-lookup latency (sequential) and requests made to the IPFS source per record;
// - the miss path under load: 9,800 distinct records, each request a real miss (`missRps`),
//   against an ENS offchain-resolver style gateway that signs each answer (`orStyleRps`,
//   scripts/bench/orStyleServer.ts), over the same keys;
// - hits over 10,000 rotating keys against a bare no-op handler on the same adapter
//   (`hitToNoopRatio`, `hitRpsAt100k`), and one hot key (`cacheHitRps`, `ratio`);
// - the gateway's RSS afterwards (`rssMiBAt100k`), the gzip size of the Workers bundle, and the
//   web app's gzip -9 size (`webAppGzipBytes`: every file of webapp/dist a browser loads).
// The load generator (autocannon) runs in this process; the servers each run in their own.
// The tree's 10,000 looked-up records are signed; its other 90,000 files are copies of them under
// other names (never looked up), which shape the HAMT like a real 100,000-record tree.
import { type ChildProcess, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { encodeFunctionData, parseAbi } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { deriveStoredKeys } from "../client/keygen.ts";
import { serveFetchHandler } from "../gateway/node/serveGateway.ts";
import { createEmbeddedIpfs, createPathGatewayHandler } from "../ipfs/index.ts";
import {
  buildRecordhash,
  dnsEncodeName,
  encodeRecordCall,
  encodeResolveOffchainCall,
  namehash,
  type RecordRequest,
  signRecordTree,
} from "../lib/index.ts";
import { buildNodeGatewayBundle, gatewayNodeOptions } from "./bench/nodeGatewayBundle.ts";
import { cpuMs, rssMiB } from "./bench/procStats.ts";
import { startServerProcess } from "./bench/serverProcess.ts";
import { describeTarget, type Target, withTargets } from "./bench/targets.ts";
import { buildAndMeasureWebApp } from "./bench/webAppSize.ts";

const JSON_OUTPUT = process.argv.includes("--json");
const LOAD_SECONDS = 4;
const ROUNDS = 3;
const CONNECTIONS = 50;
const COLD_RECORDS = 200;
/** `--quick`: a 5,000-file tree with 1,000 signed records, to check the script itself. */
const QUICK = process.argv.includes("--quick");
const SIGNED_RECORDS = QUICK ? 1000 : 10_000;
const TREE_FILES = QUICK ? 5000 : 100_000;
/** Each figure's target: a lower (`min`) or upper (`max`) bound; the others are informational. */
const CACHE_BYTES = 256 * 1024 * 1024;
const TARGETS = {
  ratio: { min: 0.6 },
  sourceRequestsPerRecord: { max: 2 },
  workerBundleGzipBytes: { max: 1024 * 1024 },
  webAppGzipBytes: { max: 500 * 1024 },
  missToOrStyleRatio: { min: 1.0 },
  missFailures: { max: 0 },
  hitToNoopRatio: { min: 0.6 },
  missRps: { min: 870, informational: true },
  orStyleRps: { min: 0, informational: true },
  hitRpsAt100k: { min: 5000 },
  rssMiBAt100k: { max: CACHE_BYTES / 1024 / 1024 + 100 },
} as const satisfies Record<string, Target>;
const OWNER = privateKeyToAccount(
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
);
const SENDER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const NAME = "bench.eth";
const log = (line: string) => {
  if (!JSON_OUTPUT) console.error(line);
};

/** Requests per second over `paths` in turn (each request the next path), for `seconds` or `amount` requests. */
async function measureRotatingRps(
  origin: string,
  paths: string[],
  limit: { seconds: number } | { amount: number },
  allowFailures = false,
): Promise<{ rps: number; requests: number; non2xx: number; errors: number }> {
  let next = 0;
  const started = performance.now();
  const result = await autocannon({
    url: origin,
    connections: CONNECTIONS,
    timeout: 30,
    ...("seconds" in limit ? { duration: limit.seconds } : { amount: limit.amount }),
    requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }],
  });
  const seconds = (performance.now() - started) / 1000;
  const requests = result.requests.total;
  if (!allowFailures && (result.non2xx > 0 || result.errors > 0))
    throw new Error(
      `${origin}: ${result.non2xx} non-2xx, ${result.errors} errors (${JSON.stringify(result.statusCodeStats)})`,
    );
  return {
    rps: Math.round(requests / seconds),
    requests,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Requests per second of GET `url` under `CONNECTIONS` keep-alive connections. */
async function measureRps(url: string): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: LOAD_SECONDS });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return Math.round(result.requests.average);
}

/** The p-th percentile of sorted numbers. */
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

const dataDir = mkdtempSync(join(tmpdir(), "ensgate-bench-"));
const children: ChildProcess[] = [];
try {
  // The IPFS source: the embedded Helia store behind its path gateway, counting requests.
  log("publishing the benchmark records to the embedded IPFS store");
  const ipfs = await createEmbeddedIpfs({ directory: join(dataDir, "ipfs") });
  const records: [RecordRequest, string][] = Array.from({ length: SIGNED_RECORDS }, (_, index) => [
    { type: "text", key: `key${index}` },
    `value number ${index}`,
  ]);
  const files = await signRecordTree({
    name: NAME,
    records,
    signer: OWNER,
    owner: OWNER.address,
    chainId: 1,
    freshness: { validUntil: 4_000_000_000n, epoch: 0n },
    // The gateway verifies v2 records against the lookup's sender.
    resolver: SENDER,
  });
  const signed = Object.entries(files);
  for (let index = signed.length; index < TREE_FILES; index++) {
    const [path, content] = signed[index % signed.length] as [string, string];
    files[path.replace(/[^/]+\.json$/, `filler${index}.json`)] = content;
  }
  log(`adding a tree of ${Object.keys(files).length} files`);
  const seed = (await deriveStoredKeys(OWNER, NAME, 1)).ipnsSeed;
  const ipnsName = await ipfs.publishName(seed, await ipfs.addDirectory(files));
  const recordhash = buildRecordhash({ protocol: "ipns", name: ipnsName });
  let sourceRequests = 0;
  const pathGatewayHandler = createPathGatewayHandler(ipfs);
  const source = await serveFetchHandler((request) => {
    sourceRequests++;
    return pathGatewayHandler(request);
  });
  const lookupPath = (key: string) =>
    `/${SENDER}/${encodeResolveOffchainCall({
      dnsName: dnsEncodeName(NAME),
      data: encodeRecordCall(namehash(NAME), { type: "text", key }),
      recordhash,
      owner: OWNER.address,
      chainId: 1n,
      epoch: 0n,
    })}`;
  /** The offchain-resolver style request for the same record: `resolve(name, text(node, key))`. */
  const orStylePath = (key: string) =>
    `/${SENDER}/${encodeFunctionData({
      abi: parseAbi(["function resolve(bytes name, bytes data) view returns (bytes)"]),
      args: [dnsEncodeName(NAME), encodeRecordCall(namehash(NAME), { type: "text", key })],
    })}.json`;
  const lookupUrl = (gatewayUrl: string, key: string) => `${gatewayUrl}${lookupPath(key)}`;

  log("building the Node gateway bundle (npm run build:gateway)");
  const gateway = await startServerProcess(
    buildNodeGatewayBundle(),
    {
      ENSGATE_SOURCES: `trustless:${source.url}`,
      ENSGATE_CACHE_TTL: "3600",
      ENSGATE_CACHE_BYTES: String(CACHE_BYTES),
      // A shared machine under load: a slow answer is measured, not turned into a 502.
      ENSGATE_SOURCE_TIMEOUT_MS: "20000",
      ENSGATE_BUDGET_MS: "25000",
    },
    // The V8 flags docs/gateway.md asks of operators (heap limit, young generation size).
    gatewayNodeOptions(CACHE_BYTES),
  );
  children.push(gateway.child);
  // The gateway's own footprint before any load (Node and the bundle's code): the part of
  // `rssMiBAt100k` no cache setting controls.
  const rssMiBIdle = rssMiB(gateway.child.pid as number);
  const baseline = await startServerProcess("scripts/bench/noopServer.ts", {});
  children.push(baseline.child);
  const orStyle = await startServerProcess("scripts/bench/orStyleServer.ts", {});
  children.push(orStyle.child);

  // Cold lookups: every record once, one at a time.
  log(`cold lookups of ${COLD_RECORDS} records`);
  const latencies: number[] = [];
  sourceRequests = 0;
  for (let index = 1; index <= COLD_RECORDS; index++) {
    const started = performance.now();
    const response = await fetch(lookupUrl(gateway.url, `key${index}`));
    if (response.status !== 200)
      throw new Error(`cold lookup ${index}: HTTP ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);

  // The miss path under load: every other signed record once (distinct: each a real miss).
  const missKeys = Array.from(
    { length: SIGNED_RECORDS - COLD_RECORDS - 1 },
    (_, index) => `key${COLD_RECORDS + 1 + index}`,
  );
  log(`miss load: ${missKeys.length} distinct records, ${CONNECTIONS} connections`);
  sourceRequests = 0;
  const gatewayCpuBeforeMisses = cpuMs(gateway.child.pid as number);
  // Failed misses (a 502 when a source timed out on an overloaded machine) are counted, not
  // fatal: `missFailures` has its own target, and `missRps` counts answered requests only.
  const misses = await measureRotatingRps(
    gateway.url,
    missKeys.map(lookupPath),
    { amount: missKeys.length },
    true,
  );
  const missGatewayCpuMs =
    (cpuMs(gateway.child.pid as number) - gatewayCpuBeforeMisses) / misses.requests;
  const sourceRequestsPerRecord = Number((sourceRequests / misses.requests).toFixed(3));
  log(`offchain-resolver style baseline over the same keys`);
  const orStyleCpuBefore = cpuMs(orStyle.child.pid as number);
  const orStyleRun = await measureRotatingRps(orStyle.url, missKeys.map(orStylePath), {
    amount: missKeys.length,
  });
  const orStyleCpuMs =
    (cpuMs(orStyle.child.pid as number) - orStyleCpuBefore) / orStyleRun.requests;
  // Every signed record is now cached: hits over 10,000 rotating keys against the no-op handler.
  const allKeys = Array.from({ length: SIGNED_RECORDS }, (_, index) => lookupPath(`key${index}`));
  for (const key of ["key0", ...Array.from({ length: COLD_RECORDS }, (_, i) => `key${i + 1}`)])
    await (await fetch(`${gateway.url}${lookupPath(key)}`)).arrayBuffer();
  const rotatingHits: number[] = [];
  const rotatingNoop: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rotatingHits.push(
      (await measureRotatingRps(gateway.url, allKeys, { seconds: LOAD_SECONDS })).rps,
    );
    rotatingNoop.push(
      (await measureRotatingRps(baseline.url, allKeys, { seconds: LOAD_SECONDS })).rps,
    );
  }

  // Cache hits: one record, already verified and cached, against the no-op baseline (alternated).
  log(`cache-hit load: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${LOAD_SECONDS} s each`);
  const hitUrl = lookupUrl(gateway.url, "key0");
  await (await fetch(hitUrl)).arrayBuffer();
  // Alternated rounds (gateway, baseline, gateway, ...): the machine's speed drifts, so each
  // figure is the median of its rounds and the ratio the median of the per-round ratios. The
  // baseline gets the same request bytes: the ratio measures the gateway's own work.
  const hitRounds: number[] = [];
  const baselineRounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    hitRounds.push(await measureRps(hitUrl));
    baselineRounds.push(await measureRps(hitUrl.replace(gateway.url, baseline.url)));
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const cacheHitRps = median(hitRounds);
  const baselineRps = median(baselineRounds);
  const roundRatio = median(
    hitRounds.map((hits, index) => hits / (baselineRounds[index] as number)),
  );

  log("building the web app (npm run build:webapp) and measuring it (gzip -9)");
  const webApp = buildAndMeasureWebApp(fileURLToPath(new URL("..", import.meta.url)));

  log("building the Workers bundle (wrangler deploy --dry-run)");
  const outdir = join(dataDir, "worker");
  execFileSync(
    "npx",
    [
      "--no-install",
      "wrangler",
      "deploy",
      "--dry-run",
      "--outdir",
      outdir,
      "-c",
      "gateway/worker/wrangler.toml",
    ],
    {
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
      stdio: "pipe",
    },
  );
  const workerBundleGzipBytes = gzipSync(readFileSync(join(outdir, "index.js"))).length;

  const rssMiBAt100k = rssMiB(gateway.child.pid as number);
  const answeredMissRps = Math.round(
    (misses.rps * (misses.requests - misses.non2xx - misses.errors)) / misses.requests,
  );
  const hitRpsAt100k = median(rotatingHits);
  const figures = {
    missRps: answeredMissRps,
    missFailures: misses.non2xx + misses.errors,
    orStyleRps: orStyleRun.rps,
    missToOrStyleRatio: Number((answeredMissRps / orStyleRun.rps).toFixed(3)),
    missGatewayCpuMs: Number(missGatewayCpuMs.toFixed(3)),
    orStyleCpuMs: Number(orStyleCpuMs.toFixed(3)),
    hitRpsAt100k,
    noopRotatingRps: median(rotatingNoop),
    hitToNoopRatio: Number(
      median(rotatingHits.map((hits, index) => hits / (rotatingNoop[index] as number))).toFixed(3),
    ),
    rssMiBAt100k,
    rssMiBIdle,
    treeFiles: TREE_FILES,
    cacheHitRps,
    baselineRps,
    ratio: Number(roundRatio.toFixed(3)),
    coldP50Ms: Number(percentile(latencies, 50).toFixed(2)),
    coldP99Ms: Number(percentile(latencies, 99).toFixed(2)),
    sourceRequestsPerRecord,
    workerBundleGzipBytes,
    webAppGzipBytes: webApp.gzipBytes,
  };
  // Each figure with a target gets a pass flag; `ok` is their conjunction. The figures' keys
  // and values are unchanged; `targets`, `pass` and `ok` are added next to them.
  const report = withTargets(figures, TARGETS);
  const { pass } = report;
  if (JSON_OUTPUT) console.log(JSON.stringify(report));
  else {
    const labels: Record<keyof typeof figures, string> = {
      missRps: "miss-path requests/s (distinct records, 100k tree)",
      orStyleRps: "offchain-resolver style gateway requests/s (signs each answer)",
      missToOrStyleRatio: "miss / offchain-resolver style",
      missFailures: "misses answered with an error (502: a source timed out)",
      missGatewayCpuMs: "gateway CPU per miss (ms, its source's not counted)",
      orStyleCpuMs: "offchain-resolver style gateway CPU per request (ms)",
      hitRpsAt100k: "cache-hit requests/s, 10,000 rotating keys",
      noopRotatingRps: "no-op handler requests/s, same rotating URLs",
      hitToNoopRatio: "rotating hits / no-op",
      rssMiBAt100k: "gateway RSS after the loads (MiB)",
      rssMiBIdle: "gateway RSS after start, before any load (MiB)",
      treeFiles: "files in the tree",
      cacheHitRps: "cache-hit requests/s (gateway)",
      baselineRps: "requests/s (no-op handler, same adapter)",
      ratio: "ratio",
      coldP50Ms: "cold lookup p50 (ms)",
      coldP99Ms: "cold lookup p99 (ms)",
      sourceRequestsPerRecord: "IPFS source requests per record",
      workerBundleGzipBytes: "Workers bundle, gzip (bytes)",
      webAppGzipBytes: "web app, every file it loads, gzip -9 (bytes)",
    };
    console.log(`\n| figure | value | target | pass |\n| --- | ---: | ---: | :---: |`);
    for (const [key, label] of Object.entries(labels)) {
      const target = (TARGETS as Record<string, Target>)[key];
      const flag = key in pass ? (pass[key as keyof typeof pass] ? "yes" : "NO") : "";
      console.log(
        `| ${label} | ${figures[key as keyof typeof figures]} | ${describeTarget(target)} | ${flag} |`,
      );
    }
  }
  await source.close();
  await ipfs.stop();
} finally {
  for (const child of children) child.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
}
