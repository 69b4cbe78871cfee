// CA benchmark. Usage: node scripts/bench-ca.ts [--json] [--count <n>] [--orders <n>]
// - certsPerSecond: end-entity certificates issued per second on the signing path (CSR checks +
//   issueEndEntity under a CA-held P-256 domain intermediate; CSRs and their keys made beforehand).
// - orderToResolvableMs: from sending an order to its certificate resolving through viem
//   (CCIP-Read through the ensgate gateway), on the local stack mining one block a second, with
//   the CA service in-process (1 confirmation, 50 ms polling); the median of --orders orders.
// - revocationToUnresolvableMs: from sending a transfer of alice.eth to the last order's
//   certificate records failing to verify (CertificateOwnerChanged); revocationToCrlMs: until the
//   CA's CRL (served by its HTTP endpoint) lists the certificate.
// - logAppendsPerSecond: issued-certificate entries (the signing path's certificates, full DER)
//   appended to the transparency log writer (ca/transparencyLog.ts) on a real directory, fsync
//   on, sequenced by its own 1-second timer: --log-entries entries submitted in appends of 100,
//   divided by the time until the last append resolved with its index (checkpoint on disk).
// - inclusionProofTiles: a real log of --log-size (1,000,000) small entries is built with the
//   same writer (fsync off, 65,536 entries per publication); for sampled leaves (first, last,
//   middle, tile edges) a fresh reader verifies the checkpoint and proves inclusion from the
//   directory, and the figure is the most hash tiles any one proof read (counted, not computed).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import type { LocalAccount } from "viem";
import { decodeFunctionResult, parseAbi } from "viem";
import { domainIntermediate } from "../ca/issueOrder.ts";
import { TransparencyLog } from "../ca/transparencyLog.ts";
import { buildCertificateRequest } from "../client/certificateRequest.ts";
import { openLogSource } from "../client/tlogSource.ts";
import {
  CERTIFICATE_CHAIN_TEXT_KEY,
  checkCertificateRequest,
  createRootCa,
  generateCertificateKeyPair,
  issueEndEntity,
  x509,
} from "../lib/certs/index.ts";
import { dnsEncodeName, encodeRecordCall, namehash } from "../lib/index.ts";
import {
  encodeLogEntry,
  generateNoteKey,
  issuedEntry,
  leafHash,
  openCheckpoint,
  parseVerifierKey,
  TileReader,
  verifyInclusion,
} from "../lib/tlog/index.ts";
import { describeTarget, type Target, withTargets } from "./bench/targets.ts";
import { placeOrder, runCertificateAuthority, startCaStack } from "./stack/caStack.ts";
import {
  LOCAL_BATCH_GATEWAY_URL,
  registerName,
  universalResolverAbi,
} from "./stack/ensFixtures.ts";
import { registerWithResolver } from "./stack/names.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    count: { type: "string", default: "500" },
    orders: { type: "string", default: "5" },
    "log-entries": { type: "string", default: "20000" },
    "log-size": { type: "string", default: "1000000" },
  },
});
const BRIDGE = "deploy-ens-to-dns.com";
/**
 * The targets: 200 certificates/s on the signing path; on a chain that mines a block a second,
 * 2 s from sending an order to its certificate resolving, and 2 s from sending a transfer of the
 * name to its certificate records failing to verify.
 */
const BLOCK_INTERVAL_MS = 1000;
const TARGETS = {
  certsPerSecond: { min: 200 },
  orderToResolvableMs: { max: 2000 },
  revocationToUnresolvableMs: { max: 2000 },
  logAppendsPerSecond: { min: 1000 },
  inclusionProofTiles: { max: 5 },
} as const satisfies Record<string, Target>;
const log = (line: string) => {
  if (!values.json) process.stderr.write(`${line}\n`);
};

// ---------------------------------------------------------------------------- signing path
const count = Number(values.count);
const root = await createRootCa();
const caDir = (await import("node:fs")).mkdtempSync(
  `${(await import("node:os")).tmpdir()}/ensgate-bench-ca-`,
);
const intermediate = await domainIntermediate(
  { dir: caDir, root, bridgeDomain: BRIDGE },
  "alice.eth",
);
log(`preparing ${count} CSRs`);
const csrs: Uint8Array[] = [];
for (let index = 0; index < count; index++)
  csrs.push(
    await buildCertificateRequest(await generateCertificateKeyPair("P-256"), {
      name: `host${index}.alice.eth`,
      bridgeDomain: BRIDGE,
    }),
  );
const issued: Uint8Array[] = [];
const started = performance.now();
for (const [index, csr] of csrs.entries()) {
  const info = await checkCertificateRequest(csr, {
    name: `host${index}.alice.eth`,
    bridgeDomain: BRIDGE,
    kind: "endEntity",
  });
  const certificate = await issueEndEntity({
    issuer: intermediate,
    publicKey: info.publicKey,
    dnsNames: info.dnsNames,
  });
  issued.push(new Uint8Array(certificate.rawData));
}
const signingSeconds = (performance.now() - started) / 1000;
const certsPerSecond = count / signingSeconds;
log(
  `signing path: ${count} certificates in ${signingSeconds.toFixed(2)} s = ${certsPerSecond.toFixed(0)}/s (target >= 200/s)`,
);
rmSync(caDir, { recursive: true, force: true });

// ---------------------------------------------------------------------------- transparency log
const logKey = generateNoteKey("ca.ensgate.bench/log");
const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const logEntries = Number(values["log-entries"]);
const appendDir = mkdtempSync(`${tmpdir()}/ensgate-bench-tlog-`);
const entryBytes = Array.from({ length: logEntries }, (_, index) =>
  encodeLogEntry(
    issuedEntry({
      name: `host${index}.alice.eth`,
      owner: OWNER,
      certificate: issued[index % issued.length] as Uint8Array,
    }),
  ),
);
const appendLog = await TransparencyLog.open({ dir: appendDir, signerKey: logKey.signerKey });
const appendStarted = performance.now();
const appends: Promise<number[]>[] = [];
for (let start = 0; start < logEntries; start += 100)
  appends.push(appendLog.appendEntries(entryBytes.slice(start, start + 100)));
const lastIndexes = await Promise.all(appends);
const appendSeconds = (performance.now() - appendStarted) / 1000;
if (lastIndexes.at(-1)?.at(-1) !== logEntries - 1)
  throw new Error("the log did not index every entry");
await appendLog.close();
rmSync(appendDir, { recursive: true, force: true });
const logAppendsPerSecond = logEntries / appendSeconds;
log(
  `transparency log: ${logEntries} issued entries (${Math.round(entryBytes.reduce((sum, entry) => sum + entry.length, 0) / logEntries)} bytes each) appended and published in ${appendSeconds.toFixed(2)} s = ${logAppendsPerSecond.toFixed(0)}/s (target >= 1000/s)`,
);

const logSize = Number(values["log-size"]);
const bigDir = mkdtempSync(`${tmpdir()}/ensgate-bench-tlog-`);
log(`building a real log of ${logSize} entries`);
const buildStarted = performance.now();
const bigLog = await TransparencyLog.open({
  dir: bigDir,
  signerKey: logKey.signerKey,
  sequenceIntervalMs: 0,
  durable: false,
});
const encoder = new TextEncoder();
for (let start = 0; start < logSize; start += 65_536) {
  const batch: Uint8Array[] = [];
  for (let index = start; index < Math.min(logSize, start + 65_536); index++)
    batch.push(encoder.encode(`bench entry ${index}`));
  const indexes = bigLog.appendEntries(batch);
  await bigLog.publish();
  await indexes;
}
const bigCheckpointNote = bigLog.checkpoint();
await bigLog.close();
const logBuildSeconds = (performance.now() - buildStarted) / 1000;
const bigSource = openLogSource(bigDir);
const bigCheckpoint = openCheckpoint(bigCheckpointNote, parseVerifierKey(logKey.verifierKey));
const sampled = [
  0,
  1,
  255,
  256,
  65_535,
  65_536,
  Math.floor(logSize / 2),
  logSize - 257,
  logSize - 1,
].filter((index) => index >= 0 && index < logSize);
const tilesPerProof: Record<number, number> = {};
for (const index of sampled) {
  const reader = new TileReader(bigSource, bigCheckpoint);
  const proof = await reader.inclusionProof(index);
  const tiles = reader.tileReads;
  const entry = await reader.entry(index);
  verifyInclusion(index, bigCheckpoint.size, leafHash(entry), proof, bigCheckpoint.root);
  tilesPerProof[index] = tiles;
}
rmSync(bigDir, { recursive: true, force: true });
const inclusionProofTiles = Math.max(...Object.values(tilesPerProof));
log(
  `inclusion proofs at tree size ${logSize} (log built in ${logBuildSeconds.toFixed(1)} s): hash tiles read per proof ${JSON.stringify(tilesPerProof)}, at most ${inclusionProofTiles} (target <= 5), plus 1 entry bundle`,
);

// ---------------------------------------------------------------------------- order -> resolvable
log("starting the local stack with a CA (its HTTP endpoint, CRLs and log)");
const { stack, folder, dataDir } = await startCaStack();
const ca = await runCertificateAuthority(stack, folder);
const owner = stack.accounts[1] as LocalAccount;
const newOwner = stack.accounts[2] as LocalAccount;
await registerWithResolver(stack, "alice.eth", owner.address);
// From here on the chain mines one block a second, as the targets assume (not one per transaction).
await stack.publicClient.request({ method: "evm_setAutomine" as never, params: [false] as never });
await stack.publicClient.request({
  method: "evm_setIntervalMining" as never,
  params: [BLOCK_INTERVAL_MS] as never,
});
const TEXT = parseAbi(["function text(bytes32,string) view returns (string)"]);
const chainOf = async (name: string) => {
  const [answer] = await stack.publicClient.readContract({
    address: stack.ens.universalResolver.address,
    abi: universalResolverAbi,
    functionName: "resolveWithGateways",
    args: [
      dnsEncodeName(name),
      encodeRecordCall(namehash(name), { type: "text", key: CERTIFICATE_CHAIN_TEXT_KEY }),
      [LOCAL_BATCH_GATEWAY_URL],
    ],
  });
  return decodeFunctionResult({ abi: TEXT, functionName: "text", data: answer });
};
const samples: number[] = [];
const publishedSamples: number[] = [];
let revocationToUnresolvableMs = Number.NaN;
let revocationToCrlMs = Number.NaN;
try {
  let lastName = "";
  for (let index = 0; index < Number(values.orders); index++) {
    const name = `www${index}.alice.eth`;
    lastName = name;
    const csr = await buildCertificateRequest(await generateCertificateKeyPair("P-256"), {
      name,
      bridgeDomain: BRIDGE,
    });
    // The clock starts when the order is sent: with a block a second, mining it is part of the time.
    const sentAt = Date.now();
    const orderId = await placeOrder(stack, owner, { name, csr });
    // Wait until the CA has published (a client asking earlier gets a miss the gateway caches for
    // missingTtlSeconds), then resolve once, as a fresh client would.
    for (;;) {
      const state = ca.store.get(orderId)?.state;
      if (state === "published" || state === "fulfilled") break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const publishedMs = Date.now() - sentAt;
    const pem = await chainOf(name);
    if (!pem.includes("BEGIN CERTIFICATE"))
      throw new Error(`${name} did not resolve after publication`);
    samples.push(Date.now() - sentAt);
    publishedSamples.push(publishedMs);
    log(`  ${name}: published after ${publishedMs} ms, resolvable after ${samples.at(-1)} ms`);
  }

  // ---------------------------------------------------------------------------- revocation
  // alice.eth changes hands: from sending the transfer, how long until the certificate records of
  // its names stop verifying (the resolver's CertificateOwnerChanged), and until the CA's CRL
  // lists the certificate.
  const [leaf] = (await import("../lib/certs/index.ts")).parsePemChain(await chainOf(lastName));
  const transferAt = Date.now();
  const transfer = registerName(stack.ens.registry, "alice.eth", newOwner.address, {
    resolver: stack.resolver.address,
  });
  const crlUrl = `${ca.url}/crl/alice.eth.crl`;
  const crlWatch = (async () => {
    for (;;) {
      const response = await fetch(crlUrl);
      if (response.ok) {
        const crl = new x509.X509Crl(new Uint8Array(await response.arrayBuffer()));
        if (crl.entries.some((entry) => entry.serialNumber === leaf?.serialNumber))
          return Date.now() - transferAt;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  for (;;) {
    const stillValid = await chainOf(lastName).then(
      (pem) => pem.includes("BEGIN CERTIFICATE"),
      () => false,
    );
    if (!stillValid) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  revocationToUnresolvableMs = Date.now() - transferAt;
  await transfer;
  revocationToCrlMs = await crlWatch;
  log(
    `  transfer of alice.eth: ${lastName}'s certificate unresolvable after ${revocationToUnresolvableMs} ms, in the CA's CRL after ${revocationToCrlMs} ms`,
  );
} finally {
  await ca.stop();
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
samples.sort((a, b) => a - b);
const orderToResolvableMs = samples[Math.floor(samples.length / 2)] as number;
const result = {
  certsPerSecond: Math.round(certsPerSecond),
  orderToResolvableMs,
  orderToResolvableMaxMs: samples.at(-1),
  revocationToUnresolvableMs,
  revocationToCrlMs,
  blockIntervalMs: BLOCK_INTERVAL_MS,
  orderToPublishedMs: publishedSamples.sort((a, b) => a - b)[
    Math.floor(publishedSamples.length / 2)
  ],
  signingCount: count,
  orders: samples.length,
  confirmations: 1,
  pollMs: 50,
  logAppendsPerSecond: Math.round(logAppendsPerSecond),
  logAppendCount: logEntries,
  inclusionProofTiles,
  inclusionProofTilesBy: tilesPerProof,
  inclusionProofTreeSize: logSize,
  inclusionProofTilesMeasured: "counted tile reads of real proofs against a real log directory",
  logBuildSeconds: Number(logBuildSeconds.toFixed(1)),
};
const report = withTargets(result, TARGETS);
if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
else
  process.stdout.write(
    `certificates issued per second (signing path): ${result.certsPerSecond} (target ${describeTarget(TARGETS.certsPerSecond)}, pass: ${report.pass.certsPerSecond})\norder sent -> resolvable certificate (a block a second): median ${orderToResolvableMs} ms, max ${result.orderToResolvableMaxMs} ms over ${samples.length} orders (target ${describeTarget(TARGETS.orderToResolvableMs)} ms, pass: ${report.pass.orderToResolvableMs})\ntransfer sent -> certificate records rejected: ${revocationToUnresolvableMs} ms (target ${describeTarget(TARGETS.revocationToUnresolvableMs)} ms, pass: ${report.pass.revocationToUnresolvableMs}); in the CA's CRL after ${revocationToCrlMs} ms\ntransparency log appends per second (batched, fsync on): ${result.logAppendsPerSecond} (target ${describeTarget(TARGETS.logAppendsPerSecond)}, pass: ${report.pass.logAppendsPerSecond})\nhash tiles read to prove inclusion at tree size ${logSize}: ${inclusionProofTiles} (target ${describeTarget(TARGETS.inclusionProofTiles)}, pass: ${report.pass.inclusionProofTiles})\n`,
  );
process.exit(0);
