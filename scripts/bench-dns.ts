// DNS bridge benchmark: `npm run bench:dns [-- --json]`.
// From one run on this machine: cached answers per second of the bridge over UDP
// (`queriesPerSecond`), of unbound serving the same names from a static local-zone
// (`unboundQueriesPerSecond`, the baseline) and their `ratio`, both measured by the same load
// generator (dnsperf, a separate process) with the same settings, in alternating rounds (medians); and the latency of cold answers
// (`coldP50Ms`, `coldP99Ms`), each read through the real resolver, CCIP-Read and the gateway of
// the local stack.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import dnsPacket from "dns-packet";
import type { LocalAccount } from "viem";
import { DEFAULT_DNS_BRIDGE_ZONE } from "../lib/index.ts";
import { describeTarget, type Target, withTargets } from "./bench/targets.ts";
import { demoRecordSet, dnsDemoRecordSet } from "./stack/demoRecords.ts";
import { startLocalStack } from "./stack/localStack.ts";
import { publishTree, registerWithResolver, writeResolver } from "./stack/names.ts";

const JSON_OUTPUT = process.argv.includes("--json");
const ZONE = DEFAULT_DNS_BRIDGE_ZONE;
const LOAD_SECONDS = 4;
const ROUNDS = 3;
const COLD_QUERIES = 100;
/** dnsperf: two threads, 16 client sockets, 500 queries outstanding, the same for both servers. */
const DNSPERF_ARGS = ["-T", "2", "-c", "16", "-q", "500", "-l", String(LOAD_SECONDS)];
const TARGETS = {
  ratio: { min: 0.5 },
  queriesPerSecond: { min: 5_000 },
  coldP50Ms: { max: 250 },
  coldP99Ms: { max: 1_000 },
  unboundQueriesPerSecond: { informational: true, min: 0 },
} as const satisfies Record<string, Target>;
const log = (line: string) => {
  if (!JSON_OUTPUT) console.error(line);
};
const run = promisify(execFile);

/** The names and types the load asks for: the demo's records, all cached by the bridge first. */
const LOAD_QUERIES: [string, string, string][] = [
  [`demo.${ZONE}`, "A", "192.0.2.10"],
  [`demo.${ZONE}`, "AAAA", "2001:db8::10"],
  [`www.demo.${ZONE}`, "A", "192.0.2.1"],
  [`www.demo.${ZONE}`, "AAAA", "2001:db8::1"],
  [`mail.demo.${ZONE}`, "A", "192.0.2.25"],
];

/** Runs dnsperf against 127.0.0.1:`port` and returns its queries per second. */
async function dnsperf(port: number, queryFile: string): Promise<{ qps: number; lost: number }> {
  const { stdout } = await run(
    "dnsperf",
    ["-s", "127.0.0.1", "-p", String(port), "-d", queryFile, ...DNSPERF_ARGS],
    {
      timeout: (LOAD_SECONDS + 30) * 1000,
    },
  );
  const qps = Number(/Queries per second:\s+([\d.]+)/.exec(stdout)?.[1]);
  const lost = Number(/Queries lost:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  if (!Number.isFinite(qps)) throw new Error(`dnsperf printed no rate:\n${stdout}`);
  return { qps, lost };
}

/** Starts a child process and waits for `ready` in its output; returns the match. */
async function startProcess(
  command: string,
  args: string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const found = ready.exec(output);
      if (found) resolve(found);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${command} exited (${code}):\n${output}`)));
  });
  return { child, match };
}

/** One UDP query and its answer, timed. */
function timedQuery(
  port: number,
  name: string,
  type: string,
): Promise<{ ms: number; rcode: string }> {
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    const started = performance.now();
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no answer for ${name} ${type}`));
    }, 20_000);
    socket.on("message", (message) => {
      clearTimeout(timer);
      socket.close();
      const packet = dnsPacket.decode(message) as dnsPacket.DecodedPacket & { rcode: string };
      resolve({ ms: performance.now() - started, rcode: packet.rcode });
    });
    socket.send(
      dnsPacket.encode({ type: "query", id: 1, questions: [{ name, type: type as "A" }] }),
      port,
      "127.0.0.1",
    );
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

const dir = mkdtempSync(join(tmpdir(), "ensgate-bench-dns-"));
const stack = await startLocalStack({ dataDir: join(dir, "stack") });
const children: ChildProcess[] = [];
try {
  log("publishing demo.eth's DNS records on the local stack");
  const owner = stack.accounts[1] as LocalAccount;
  const node = await registerWithResolver(stack, "demo.eth", owner.address);
  const recordhash = await publishTree(stack, owner, "demo.eth", {
    "demo.eth": [...demoRecordSet("demo.eth", owner.address), ...dnsDemoRecordSet("demo.eth")],
  });
  await writeResolver(stack, owner, "setRecordhash", [node, recordhash]);

  log("starting the bridge (bridge/main.ts, its own process)");
  const bridge = await startProcess(
    process.execPath,
    [
      "bridge/main.ts",
      "--port",
      "0",
      "--zone",
      ZONE,
      "--rpc",
      stack.rpcUrl,
      "--universal-resolver",
      stack.ens.universalResolver.address,
      "--rate-limit",
      "0",
    ],
    /port (\d+) \(UDP and TCP\)/,
  );
  children.push(bridge.child);
  const bridgePort = Number(bridge.match[1]);

  log(`cold answers: ${COLD_QUERIES} names never asked before, one at a time`);
  // One cold answer first, not counted: the bridge process's first read sets up its connections.
  await timedQuery(bridgePort, `warmup.demo.${ZONE}`, "A");
  const cold: number[] = [];
  for (let index = 0; index < COLD_QUERIES; index++) {
    const { ms, rcode } = await timedQuery(bridgePort, `n${index}.demo.${ZONE}`, "A");
    if (rcode !== "NOERROR") throw new Error(`n${index}.demo.${ZONE}: ${rcode}`);
    cold.push(ms);
  }
  cold.sort((a, b) => a - b);

  log("warming the bridge's cache with the load's names");
  for (const [name, type] of LOAD_QUERIES) {
    const { rcode } = await timedQuery(bridgePort, name, type);
    if (rcode !== "NOERROR") throw new Error(`${name} ${type}: ${rcode}`);
  }
  const queryFile = join(dir, "queries.txt");
  writeFileSync(queryFile, `${LOAD_QUERIES.map(([name, type]) => `${name} ${type}`).join("\n")}\n`);

  log("starting unbound with the same names in a static local-zone (one thread)");
  const unboundPort = await new Promise<number>((resolve) => {
    const probe = createSocket("udp4");
    probe.bind(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  writeFileSync(
    join(dir, "unbound.conf"),
    [
      "server:",
      "  interface: 127.0.0.1",
      `  port: ${unboundPort}`,
      "  do-daemonize: no",
      "  use-syslog: no",
      '  logfile: ""',
      '  username: ""',
      '  chroot: ""',
      `  directory: "${dir}"`,
      `  pidfile: "${join(dir, "unbound.pid")}"`,
      "  num-threads: 1",
      "  verbosity: 1",
      "  access-control: 127.0.0.0/8 allow",
      `  local-zone: "${ZONE}." static`,
      ...LOAD_QUERIES.map(
        ([name, type, value]) => `  local-data: "${name}. 300 IN ${type} ${value}"`,
      ),
      "",
    ].join("\n"),
  );
  const unbound = await startProcess(
    "unbound",
    ["-d", "-c", join(dir, "unbound.conf")],
    /start of service/,
  );
  children.push(unbound.child);

  // Rounds alternate between the two servers and each figure is the median of its rounds, so
  // that other work on the machine weighs on both alike.
  log(`load: dnsperf ${DNSPERF_ARGS.join(" ")}, ${ROUNDS} alternating rounds per server`);
  const bridgeRounds: { qps: number; lost: number }[] = [];
  const unboundRounds: { qps: number; lost: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bridgeRounds.push(await dnsperf(bridgePort, queryFile));
    unboundRounds.push(await dnsperf(unboundPort, queryFile));
  }
  const median = (rounds: { qps: number; lost: number }[]) =>
    [...rounds].sort((a, b) => a.qps - b.qps)[Math.floor(rounds.length / 2)] as {
      qps: number;
      lost: number;
    };
  const bridgeLoad = median(bridgeRounds);
  const unboundLoad = median(unboundRounds);
  const figures = withTargets(
    {
      queriesPerSecond: Math.round(bridgeLoad.qps),
      unboundQueriesPerSecond: Math.round(unboundLoad.qps),
      ratio: Number((bridgeLoad.qps / unboundLoad.qps).toFixed(3)),
      queriesLost: bridgeLoad.lost,
      unboundQueriesLost: unboundLoad.lost,
      coldP50Ms: Number(percentile(cold, 50).toFixed(1)),
      coldP99Ms: Number(percentile(cold, 99).toFixed(1)),
      coldQueries: COLD_QUERIES,
      loadSeconds: LOAD_SECONDS,
      rounds: ROUNDS,
      bridgeRoundsQps: bridgeRounds.map((round) => Math.round(round.qps)),
      unboundRoundsQps: unboundRounds.map((round) => Math.round(round.qps)),
      loadGenerator: `dnsperf ${DNSPERF_ARGS.join(" ")}`,
    },
    TARGETS,
  );
  if (JSON_OUTPUT) console.log(JSON.stringify(figures, null, 2));
  else
    for (const [key, target] of Object.entries(TARGETS))
      log(
        `${key.padEnd(24)} ${String(figures[key as keyof typeof TARGETS]).padStart(10)}  ${describeTarget(target).padEnd(10)} ${figures.pass[key as keyof typeof TARGETS] ? "pass" : "FAIL"}`,
      );
  process.exitCode = figures.ok ? 0 : 1;
} finally {
  for (const child of children) child.kill("SIGTERM");
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}
