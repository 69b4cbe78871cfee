// `wrangler dev` serving the gateway's Workers entry (gateway/worker/wrangler.toml) offline in
// workerd on a free loopback port, with extra `--var`s. Loopback servers of the test (a JSON-RPC
// node, IPFS gateways) are reachable from the worker in local mode.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./httpServers.ts";

/** Waits until `url` answers, or fails after `timeoutMs` with what the process printed. */
async function waitForServer(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 60_000,
) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null)
      throw new Error(`wrangler dev exited (${child.exitCode}):\n${output()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`wrangler dev did not start within ${timeoutMs} ms:\n${output()}`);
}

/**
 * Starts `wrangler dev` with these variables; `close()` stops it (its process group). By default
 * it serves the gateway's entry and waits for `/health`; `options` names another worker.
 */
export async function startWranglerDev(
  vars: Record<string, string>,
  options: { config?: string; readyPath?: string } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), "ensgate-wrangler-"));
  const child = spawn(
    "npx",
    [
      "--no-install",
      "wrangler",
      "dev",
      "-c",
      options.config ?? "gateway/worker/wrangler.toml",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(await freePort()),
      "--persist-to",
      state,
      "--log-level",
      "warn",
      ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
    ],
    {
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        CI: "true",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      await exited;
    }
    rmSync(state, { recursive: true, force: true });
  };
  try {
    await waitForServer(`${url}${options.readyPath ?? "/health"}`, child, () => output);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, close };
}
