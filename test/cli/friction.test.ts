// Friction a new user met, each checked on the real CLI as a separate process and without the
// local stack: a busy --rpc-port is one line; Ctrl-C during `publish` says what was kept; usage
// errors exit 2.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { assertOneLineError, assertUsageError, runCli } from "./runCli.ts";

const CLI = fileURLToPath(new URL("../../cli/ensgate.ts", import.meta.url));
/** Hardhat's account #1: only signs here, offline. */
const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const RESOLVER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
};

describe("CLI friction", () => {
  let dataDir: string;
  const offline = () => ["--data-dir", dataDir, "--chain-id", "31337", "--resolver", RESOLVER];
  const env = { ENSGATE_PRIVATE_KEY: KEY };

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-friction-"));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("a busy --rpc-port is one line, exit 1, no stack trace", async () => {
    const busy = createServer();
    const port = await listen(busy);
    try {
      const run = await runCli(["--data-dir", dataDir, "dev", "--rpc-port", String(port)]);
      assertOneLineError(run, new RegExp(`port ${port} \\(--rpc-port\\) is already in use`));
    } finally {
      busy.close();
    }
  });

  it("an unknown record type is a usage error: exit 2, one line", async () => {
    assertUsageError(
      await runCli([...offline(), "set", "x.eth", "bogus/type", "value"], env),
      /unknown record type "bogus\/type"/,
    );
  });

  it("Ctrl-C during publish says what was kept, exit 130", async () => {
    for (const args of [
      ["keygen", "x.eth"],
      ["set", "x.eth", "text/a", "b"],
    ]) {
      const run = await runCli([...offline(), ...args], env);
      assert.equal(run.code, 0, run.stderr);
    }
    // A Kubo RPC API that answers `version` and never answers the upload.
    let uploading: () => void = () => {};
    const uploadStarted = new Promise<void>((resolve) => (uploading = resolve));
    const kubo = createServer((request, response) => {
      if (request.url?.startsWith("/api/v0/version")) {
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify({ Version: "0.30.0" }));
        return;
      }
      uploading();
    });
    const port = await listen(kubo);
    try {
      const child = spawn(
        process.execPath,
        [CLI, ...offline(), "--ipfs", `http://127.0.0.1:${port}`, "publish"],
        { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      await uploadStarted;
      child.kill("SIGINT");
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      assert.equal(code, 130, stderr);
      assert.match(
        stderr,
        /ensgate: SIGINT: publish interrupted, no tree was published; x\.eth was interrupted: .*publish state is unchanged/,
      );
    } finally {
      kubo.closeAllConnections();
      kubo.close();
    }
  });
});
