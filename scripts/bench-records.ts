// getRecords benchmark: `npm run bench:records [-- --json]`.
// What ENS's own library (ensjs 4.x, default options) costs on the local stack when the
// UniversalResolver splits `resolve(name, multicall(...))` into one lookup per record (the ensgate
// resolver declares ERC-7996 without the multicall feature), for N text records: JSON-RPC calls,
// HTTP requests to the record URLs, and the median latency, with the HTTP requests answered
// locally and with an added delay per request (a remote gateway), in the normal mode and with
// only the plain IPFS path gateway in the URLs. The one-lookup design (the resolver answering the
// whole multicall) is modelled by one record's lookup: same JSON-RPC calls, one HTTP request.
// docs/resolver.md ("getRecords: one lookup per record") gives the figures and the decision.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getRecords } from "@ensdomains/ensjs/public";
import { type Chain, createPublicClient, http, type LocalAccount } from "viem";
import type { RecordRequest } from "../lib/index.ts";
import { withTargets } from "./bench/targets.ts";
import { startLocalStack } from "./stack/localStack.ts";
import { publishTree, registerWithResolver, writeResolver } from "./stack/names.ts";

const JSON_OUTPUT = process.argv.includes("--json");
const SIZES = [1, 4, 8, 16];
const RUNS = 9;
const DELAYS_MS = [0, 50];
const NAME = "bench.eth";
const log = (line: string) => {
  if (!JSON_OUTPUT) console.error(line);
};

const dataDir = mkdtempSync(join(tmpdir(), "ensgate-bench-records-"));
const stack = await startLocalStack({ dataDir });
try {
  const owner = stack.accounts[1] as LocalAccount;
  const node = await registerWithResolver(stack, NAME, owner.address);
  const records: [RecordRequest, string][] = Array.from({ length: Math.max(...SIZES) }, (_, i) => [
    { type: "text", key: `key${i}` },
    `value ${i} of ${NAME}`,
  ]);
  const recordhash = await publishTree(stack, owner, NAME, { [NAME]: records });
  await writeResolver(stack, owner, "setRecordhash", [node, recordhash]);

  // Count JSON-RPC calls (the transport) and HTTP requests to record URLs (global fetch, which
  // viem's CCIP-Read uses), delaying each record request by `delay` ms.
  let rpcCalls = 0;
  let rpcMs = 0;
  let rpcStart = 0;
  let httpRequests = 0;
  let delay = 0;
  const originalFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(stack.gatewayUrl) || url.startsWith(stack.ipfsGatewayUrl)) {
      httpRequests++;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    }
    return originalFetch(input, init);
  };
  const chain: Chain = {
    ...stack.chain,
    contracts: {
      ensRegistry: { address: stack.ens.registry.address },
      ensUniversalResolver: { address: stack.ens.universalResolver.address },
    },
  };
  const client = createPublicClient({
    chain,
    transport: http(stack.rpcUrl, {
      onFetchRequest: () => {
        rpcCalls++;
        rpcStart = performance.now();
      },
      onFetchResponse: () => {
        rpcMs += performance.now() - rpcStart;
      },
    }),
  });

  async function measure(n: number) {
    const texts = records.slice(0, n).map(([request]) => (request as { key: string }).key);
    // biome-ignore lint/suspicious/noExplicitAny: ensjs's ClientWithEns is a viem client with contracts
    const run = () => getRecords(client as any, { name: NAME, texts });
    const first = await run(); // warm-up, and the check that every value came back
    if (first.texts.length !== n) throw new Error(`getRecords returned ${first.texts.length}/${n}`);
    const times: number[] = [];
    const rpcTimes: number[] = [];
    rpcCalls = 0;
    httpRequests = 0;
    for (let i = 0; i < RUNS; i++) {
      rpcMs = 0;
      const start = performance.now();
      await run();
      times.push(performance.now() - start);
      rpcTimes.push(rpcMs);
    }
    const median = (values: number[]) =>
      Math.round((values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number) * 10) / 10;
    return {
      records: n,
      rpcCallsPerGetRecords: rpcCalls / RUNS,
      httpRequestsPerGetRecords: httpRequests / RUNS,
      medianMs: median(times),
      // The two eth_calls (the second runs every record's verification): the same work for a
      // resolver that would answer the whole multicall in one lookup.
      medianRpcMs: median(rpcTimes),
    };
  }

  const results: Record<string, unknown>[] = [];
  for (const mode of ["ipfs+gateway", "ipfs-only"] as const) {
    if (mode === "ipfs-only")
      await writeResolver(stack, stack.accounts[0] as LocalAccount, "setDefaultGateways", [
        [stack.ipfsGatewayUrl],
        [],
      ]);
    for (const d of DELAYS_MS) {
      delay = d;
      for (const n of SIZES) {
        const row = { mode, delayMs: d, ...(await measure(n)) };
        results.push(row);
        log(
          `${mode.padEnd(13)} delay ${String(d).padStart(3)} ms  N=${String(n).padStart(2)}  ` +
            `rpc ${row.rpcCallsPerGetRecords}  http ${row.httpRequestsPerGetRecords}  ` +
            `median ${row.medianMs} ms (eth_call ${row.medianRpcMs} ms)`,
        );
      }
    }
  }
  globalThis.fetch = originalFetch;
  // Report-only: docs/resolver.md sets no target for these figures (they back a decision), so
  // `targets` and `pass` are empty and `ok` is true.
  if (JSON_OUTPUT) console.log(JSON.stringify(withTargets({ runs: RUNS, results }, {}), null, 2));
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
