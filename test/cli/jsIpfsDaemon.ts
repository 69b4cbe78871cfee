// Starts the deprecated js-ipfs daemon (npm `ipfs` 0.66, installed by scripts/setup-js-ipfs.sh in
// .tools/js-ipfs/) as an offline Kubo-RPC server on 127.0.0.1, for the CLI's Kubo integration test.
// No Kubo binary can be installed here; js-ipfs is an independent implementation of the same RPC
// API. Where it departs from Kubo is listed in docs/ipfs.md.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Where scripts/setup-js-ipfs.sh installs js-ipfs. */
export const JS_IPFS_DIR = join(ROOT, ".tools", "js-ipfs");
/** The js-ipfs CLI entry point (`jsipfs`), run with this process's Node. */
const JS_IPFS_CLI = join(JS_IPFS_DIR, "node_modules", "ipfs", "src", "cli.js");
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Whether the test can run: `undefined` when js-ipfs is installed, else a reason to skip. Outside
 * CI a missing install skips the test with that reason; in CI (`CI=true`) it throws, because the
 * test script runs scripts/setup-js-ipfs.sh first and a missing install is a broken set-up.
 */
export function jsIpfsSkipReason(): string | undefined {
  if (existsSync(JS_IPFS_CLI)) return undefined;
  const reason = `js-ipfs is not installed in ${JS_IPFS_DIR}: run scripts/setup-js-ipfs.sh`;
  if (process.env.CI === "true") throw new Error(`${reason} (required in CI)`);
  return reason;
}

/** A running js-ipfs daemon. */
export type JsIpfsDaemon = {
  /** The RPC endpoint, e.g. `http://127.0.0.1:40123` (no `/api/v0`). */
  apiUrl: string;
  /** The read-only HTTP gateway, e.g. `http://127.0.0.1:40124`. */
  gatewayUrl: string;
  /** The daemon's repository (a temporary folder, removed by `stop`). */
  repo: string;
  /** The daemon's process id, which is also its process group id. */
  pid: number;
  /** Stops the whole process group (SIGTERM, then SIGKILL) and removes the repository. */
  stop(): Promise<void>;
};

/** Runs `jsipfs <args>` against the repository and returns its output. */
async function jsipfs(repo: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [JS_IPFS_CLI, ...args], {
    env: { ...process.env, IPFS_PATH: repo },
    timeout: STARTUP_TIMEOUT_MS,
  });
  return stdout;
}

/** Whether a process group still has a member. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** Kills the daemon's process group and waits until every member has exited. */
async function killGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid as number;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pgid, name);
    } catch {}
  };
  signal("SIGTERM");
  if (await waitFor(() => !groupAlive(pgid), STOP_TIMEOUT_MS)) return;
  signal("SIGKILL");
  if (!(await waitFor(() => !groupAlive(pgid), STOP_TIMEOUT_MS)))
    throw new Error(`js-ipfs process group ${pgid} survived SIGKILL`);
}

/**
 * Starts a fully offline js-ipfs daemon with its own temporary repository: `jsipfs init` with
 * IPFS_PATH, a config with every address on 127.0.0.1 (ports chosen by the OS), no bootstrap
 * peers, no MDNS, no gRPC, then `jsipfs daemon --offline`, detached in its own process group.
 * Resolves once the RPC API answers `version`.
 */
export async function startJsIpfsDaemon(): Promise<JsIpfsDaemon> {
  const reason = jsIpfsSkipReason();
  if (reason) throw new Error(reason);
  const repo = await mkdtemp(join(tmpdir(), "ensgate-js-ipfs-"));
  try {
    await jsipfs(repo, ["init", "--profile", "test", "--empty-repo"]);
    const configPath = join(repo, "config");
    const config = JSON.parse(await readFile(configPath, "utf8")) as Record<string, unknown>;
    config.Addresses = {
      Swarm: ["/ip4/127.0.0.1/tcp/0"],
      API: "/ip4/127.0.0.1/tcp/0",
      Gateway: "/ip4/127.0.0.1/tcp/0",
      Announce: [],
      NoAnnounce: [],
      Delegates: [],
    };
    config.Bootstrap = [];
    config.Discovery = { MDNS: { Enabled: false }, webRTCStar: { Enabled: false } };
    await writeFile(configPath, JSON.stringify(config, null, 2));
  } catch (error) {
    await rm(repo, { recursive: true, force: true });
    throw error;
  }

  const child = spawn(process.execPath, [JS_IPFS_CLI, "daemon", "--offline"], {
    env: { ...process.env, IPFS_PATH: repo },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk));
  let exited = false;
  child.once("exit", () => (exited = true));

  // The daemon has its own process group, so a Ctrl-C does not reach it: if the test process ends
  // without stop() (an early exit, SIGINT, SIGTERM), take the daemon down with it.
  const killOnExit = () => {
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {}
  };
  const onSignal = (signal: NodeJS.Signals) => {
    killOnExit();
    removeExitHooks();
    process.kill(process.pid, signal); // the default action, now that no listener is left
  };
  const removeExitHooks = () => {
    process.off("exit", killOnExit);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
  process.once("exit", killOnExit);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const stop = async () => {
    removeExitHooks();
    await killGroup(child);
    child.stdout?.destroy();
    child.stderr?.destroy();
    await rm(repo, { recursive: true, force: true });
  };

  try {
    const ready = await waitFor(() => exited || /Daemon is ready/.test(output), STARTUP_TIMEOUT_MS);
    if (exited || !ready) throw new Error(exited ? "exited" : "did not become ready");
    const address = (label: string) => {
      const match = new RegExp(`${label} listening on /ip4/127\\.0\\.0\\.1/tcp/(\\d+)/http`).exec(
        output,
      );
      if (!match) throw new Error(`no "${label} listening on" line`);
      return `http://127.0.0.1:${match[1]}`;
    };
    const apiUrl = address("HTTP API");
    const gatewayUrl = address("Gateway \\(read only\\)");
    const version = await fetch(`${apiUrl}/api/v0/version`, {
      method: "POST",
      signal: AbortSignal.timeout(10_000),
    });
    if (!version.ok) throw new Error(`version answered ${version.status}`);
    await version.body?.cancel();
    return { apiUrl, gatewayUrl, repo, pid: child.pid as number, stop };
  } catch (error) {
    await stop().catch(() => {});
    throw new Error(
      `js-ipfs daemon failed to start (${error instanceof Error ? error.message : error}):\n${output}`,
    );
  }
}
