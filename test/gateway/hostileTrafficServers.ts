// The parts of the hostile-traffic run besides the gateway itself: a counting HTTP proxy in front
// of the IPFS path gateway (the source), and the gateway as an operator runs it (a spawned
// `node gateway/node/main.ts` with env config) with its stdout and stderr captured.
import { type ChildProcess, spawn } from "node:child_process";
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/**
 * A node:http proxy on 127.0.0.1 that forwards every request to `upstream` and records its path:
 * what the gateway asks its source, counted where it leaves the gateway. `stop()` closes the
 * listener (the source is down: connections are refused); `start()` listens again on the same port.
 */
export async function startCountingProxy(upstream: string) {
  const requests: string[] = [];
  // One connection per forwarded request: a kept-alive one could be reused just as the file
  // server closes it for idleness, and that reset would look like a source failure.
  const agent = new Agent({ keepAlive: false });
  let delayMs = 0;
  const target = new URL(upstream);
  const handle = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    requests.push(incoming.url ?? "");
    const forward = () => {
      const upstreamRequest = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
          agent,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      upstreamRequest.on("error", () => outgoing.destroy());
      incoming.pipe(upstreamRequest);
    };
    if (delayMs > 0) setTimeout(forward, delayMs);
    else forward();
  };
  let server: Server | undefined;
  let port = 0;
  const start = async () => {
    server = createServer({ keepAliveTimeout: 30_000 }, handle);
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once("error", reject);
      listening.listen(port, "127.0.0.1", () => resolve());
    });
    port = (listening.address() as AddressInfo).port;
  };
  const stop = async () => {
    const closing = server;
    server = undefined;
    if (!closing) return;
    closing.closeAllConnections();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    /** Every path the gateway asked for, in order. */
    requests,
    /** Holds each request this long before forwarding it (to make concurrent lookups overlap). */
    setDelay: (ms: number) => {
      delayMs = ms;
    },
    start,
    stop,
    close: async () => {
      await stop();
      agent.destroy();
    },
  };
}
export type CountingProxy = Awaited<ReturnType<typeof startCountingProxy>>;

/** The gateway process: its URL, every stdout and stderr line so far, and how to stop it. */
export type GatewayProcess = {
  url: string;
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Waits until stdout holds at least `count` lines (the log is written asynchronously). */
  waitForLines: (count: number, timeoutMs?: number) => Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s; resolves with its exit code. */
  stop: () => Promise<number | null>;
};

const MAIN = join(import.meta.dirname, "../../gateway/node/main.ts");

/**
 * Spawns `node gateway/node/main.ts --port 0` (or another `entry`, such as the bundle of
 * `npm run build:gateway`) with `env` added to this process's environment.
 */
export async function spawnGateway(
  env: Record<string, string>,
  entry = MAIN,
): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [entry, "--port", "0"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const lineReader = (into: string[]) => {
    let pending = "";
    return (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      into.push(...lines);
    };
  };
  child.stdout?.on("data", lineReader(stdout));
  child.stderr?.on("data", lineReader(stderr));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  // Never leave the gateway behind, even when the test process dies first.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const url = await new Promise<string>((resolve, reject) => {
    const check = setInterval(() => {
      const match = /^ensgate gateway listening on (http:\/\/\S+)/.exec(stdout[0] ?? "");
      if (match) {
        clearInterval(check);
        resolve(match[1] as string);
      }
    }, 20);
    exited.then((code) => {
      clearInterval(check);
      reject(new Error(`gateway exited with ${code}: ${stderr.join("\n")}`));
    });
  });

  const waitForLines = async (count: number, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (stdout.length < count) {
      if (Date.now() > deadline)
        throw new Error(`the gateway logged ${stdout.length} lines, expected ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      const code = await exited;
      clearTimeout(timer);
      process.removeListener("exit", killOnExit);
      return code;
    }
    process.removeListener("exit", killOnExit);
    return child.exitCode;
  };
  return { url, child, stdout, stderr, waitForLines, stop };
}
