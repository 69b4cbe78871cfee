// Gateway soak: `npm run soak:gateway [-- --seconds 300] [-- --json]`.
// Runs the Node gateway (a child process, the `npm run build:gateway` bundle) for `--seconds` (default 300) at half its measured
// capacity, with two trustless sources over the same records: one stable, one that flaps (down
// for 2 s of every 5: connections refused... answered 503, or hanging past the source timeout).
// Lookups rotate over more records than the cache holds, so hits, misses and evictions mix (the
// record cache's bytes and entries at the end, from the gateway's /metrics, show it full).
// Reports unexpected 5xx (must be 0: a stable source always has the record), the largest RSS
// sampled each second, and the budget it must stay under: the cache budget + 100 MiB.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
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
import { rssMiB } from "./bench/procStats.ts";
import { startServerProcess } from "./bench/serverProcess.ts";
import { withTargets } from "./bench/targets.ts";

const argument = (flag: string) => {
  const index = process.argv.indexOf(flag);
  return index === -1 ? undefined : process.argv[index + 1];
};
const SECONDS = Number(argument("--seconds") ?? 300);
const JSON_OUTPUT = process.argv.includes("--json");
/**
 * Records rotated over: at about 8 KB of cache per record (its record and lookup entries), 10,000
 * are more than the 56 MiB record share of the budget holds, so the cache fills and evicts.
 */
const RECORDS = Number(argument("--records") ?? 10_000);
/** The record cache budget the RSS is checked against (plus 100 MiB). */
const CACHE_BYTES = 64 * 1024 * 1024;
const CONNECTIONS = 20;
const OWNER = privateKeyToAccount(
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
);
const SENDER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const NAME = "soak.eth";
const log = (line: string) => {
  if (!JSON_OUTPUT) console.error(line);
};
if (!Number.isInteger(SECONDS) || SECONDS <= 0) {
  console.error("soak-gateway: --seconds must be a positive integer");
  process.exit(2);
}

const dataDir = mkdtempSync(join(tmpdir(), "ensgate-soak-"));
let gatewayChild: ChildProcess | undefined;
try {
  log(`signing ${RECORDS} records`);
  const ipfs = await createEmbeddedIpfs({ directory: join(dataDir, "ipfs") });
  const records: [RecordRequest, string][] = Array.from({ length: RECORDS }, (_, index) => [
    { type: "text", key: `key${index}` },
    `value ${index} ${"x".repeat(200)}`,
  ]);
  const files = await signRecordTree({
    name: NAME,
    records,
    signer: OWNER,
    owner: OWNER.address,
    chainId: 1,
    freshness: { validUntil: 4_000_000_000n, epoch: 0n },
    resolver: SENDER,
  });
  const seed = (await deriveStoredKeys(OWNER, NAME, 1)).ipnsSeed;
  const ipnsName = await ipfs.publishName(seed, await ipfs.addDirectory(files));
  const recordhash = buildRecordhash({ protocol: "ipns", name: ipnsName });
  const handler = createPathGatewayHandler(ipfs);
  const stable = await serveFetchHandler(handler);
  // The flapping source: a 5 s cycle, up for 3 s, then 1 s of 503s and 1 s of hanging answers.
  const started = Date.now();
  const flapping = await serveFetchHandler(async (request) => {
    const phase = ((Date.now() - started) / 1000) % 5;
    if (phase < 3) return handler(request);
    if (phase < 4) return new Response("flapping", { status: 503 });
    await new Promise((resolve) => setTimeout(resolve, 6000));
    return handler(request);
  });
  const paths = Array.from(
    { length: RECORDS },
    (_, index) =>
      `/${SENDER}/${encodeResolveOffchainCall({
        dnsName: dnsEncodeName(NAME),
        data: encodeRecordCall(namehash(NAME), { type: "text", key: `key${index}` }),
        recordhash,
        owner: OWNER.address,
        chainId: 1n,
        epoch: 0n,
      })}`,
  );

  const gateway = await startServerProcess(
    // The bundle operators run (npm run build:gateway), not the TypeScript sources.
    buildNodeGatewayBundle(),
    {
      ENSGATE_SOURCES: `trustless:${flapping.url},trustless:${stable.url}`,
      ENSGATE_STRATEGY: "race",
      ENSGATE_SOURCE_TIMEOUT_MS: "3000",
      ENSGATE_BUDGET_MS: "8000",
      ENSGATE_CACHE_TTL: "20",
      ENSGATE_MISSING_TTL: "20",
      ENSGATE_CACHE_BYTES: String(CACHE_BYTES),
    },
    // The V8 flags docs/gateway.md asks of operators (heap limit, young generation size).
    gatewayNodeOptions(CACHE_BYTES),
  );
  gatewayChild = gateway.child;
  const child = gatewayChild;
  const gatewayUrl = gateway.url;
  // The gateway's own footprint before any load: the part of the RSS no cache setting controls.
  const rssMiBIdle = rssMiB(child.pid as number);

  let next = 0;
  const rotating = () => ({
    requests: [
      {
        setupRequest: (request: autocannon.Request) => ({
          ...request,
          path: paths[next++ % paths.length] as string,
        }),
      },
    ],
  });
  log("measuring capacity (5 s)");
  const probe = await autocannon({
    url: gatewayUrl,
    connections: CONNECTIONS,
    duration: 5,
    timeout: 20,
    ...rotating(),
  });
  const capacityRps = Math.max(1, Math.round(probe.requests.total / 5));
  const rate = Math.max(1, Math.round(capacityRps / 2));
  log(`soak: ${SECONDS} s at ${rate} requests/s (half of ${capacityRps})`);
  let maxRssMiB = rssMiB(child.pid as number);
  const sampler = setInterval(() => {
    maxRssMiB = Math.max(maxRssMiB, rssMiB(child.pid as number));
  }, 1000);
  const result = await autocannon({
    url: gatewayUrl,
    connections: CONNECTIONS,
    duration: SECONDS,
    overallRate: rate,
    timeout: 20,
    ...rotating(),
  });
  clearInterval(sampler);
  maxRssMiB = Math.max(maxRssMiB, rssMiB(child.pid as number));
  // What the caches hold at the end, by their own count (the gateway's /metrics gauges).
  const gauges = await (await fetch(`${gatewayUrl}/metrics`)).text();
  const gauge = (name: string) =>
    Number(new RegExp(`^${name} (\\d+)$`, "m").exec(gauges)?.[1] ?? Number.NaN);
  const statusCounts = result.statusCodeStats as Record<string, { count: number }>;
  const serverErrors = Object.entries(statusCounts)
    .filter(([status]) => Number(status) >= 500)
    .reduce((sum, [, { count }]) => sum + count, 0);
  const budgetMiB = CACHE_BYTES / 1024 / 1024 + 100;
  const figures = {
    seconds: SECONDS,
    capacityRps,
    rateRps: rate,
    requests: result.requests.total,
    unexpected5xx: serverErrors,
    clientErrors: result.errors,
    timeouts: result.timeouts,
    maxRssMiB,
    rssMiBIdle,
    budgetMiB,
    cacheBytes: CACHE_BYTES,
    recordCacheBytesAtEnd: gauge("ensgate_gateway_cache_bytes"),
    recordCacheEntriesAtEnd: gauge("ensgate_gateway_cache_entries"),
    sourceCacheBytesAtEnd: gauge("ensgate_gateway_source_cache_bytes"),
  };
  const report = withTargets(figures, {
    unexpected5xx: { max: 0 },
    clientErrors: { max: 0 },
    maxRssMiB: { max: budgetMiB },
  });
  console.log(JSON_OUTPUT ? JSON.stringify(report) : JSON.stringify(report, null, 2));
  await stable.close();
  await flapping.close();
  await ipfs.stop();
  if (!report.ok) process.exitCode = 1;
} finally {
  gatewayChild?.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
}
