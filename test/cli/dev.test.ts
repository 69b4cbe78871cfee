// `ensgate dev` (the README's first command) as a user runs it: the printed viem and ethers
// snippets resolve the demo records, and Ctrl-C leaves no process or port behind.
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The indented lines printed under `heading` (a snippet), without the indentation. */
function snippet(output: string, heading: string): string {
  const lines = output.split("\n");
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `no "${heading}" section in:\n${output}`);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("  ")) break;
    body.push(line.slice(2));
  }
  return body.join("\n");
}

/** Runs a printed snippet as an ES module from the project folder (where viem and ethers resolve). */
function runSnippet(code: string): string {
  const file = join(ROOT, `.snippet-${process.pid}-${Date.now()}.mjs`);
  writeFileSync(file, code);
  try {
    return execFileSync(process.execPath, [file], { encoding: "utf8", timeout: 60_000 }).trim();
  } finally {
    rmSync(file, { force: true });
  }
}

describe("ensgate dev", () => {
  let child: ChildProcess;
  let output = "";
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-dev-"));
    child = spawn(process.execPath, [join(ROOT, "cli/ensgate.ts"), "--data-dir", dataDir, "dev"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let errors = "";
    child.stderr?.on("data", (chunk) => (errors += chunk));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on("data", (chunk) => {
        output += chunk;
        if (output.includes("Ctrl-C stops everything")) resolve();
      });
      child.once("exit", (code) =>
        reject(new Error(`ensgate dev exited with ${code}:\n${errors}`)),
      );
    });
  });
  after(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints a viem snippet that resolves the demo avatar", () => {
    assert.equal(runSnippet(snippet(output, "viem:")), "https://ens.example/demo.eth.png");
  });

  it("prints an ensjs snippet (getRecords, default options) that resolves the demo avatar", () => {
    assert.equal(
      runSnippet(snippet(output, "ensjs 4.x (ENS's library; default options):")),
      "https://ens.example/demo.eth.png",
    );
  });

  it("prints an ethers v6 snippet that resolves the demo avatar", () => {
    assert.equal(runSnippet(snippet(output, "ethers v6:")), "https://ens.example/demo.eth.png");
  });

  it("prints a curl of the gateway that answers the signed record", async () => {
    const url = /curl (\S+)/.exec(output)?.[1];
    assert.ok(url);
    const response = await fetch(url);
    assert.equal(response.status, 200);
    const { data } = (await response.json()) as { data: string };
    assert.match(data, /^0x[0-9a-f]{200,}$/);
  });

  it("stops cleanly on Ctrl-C, leaving no process and no open port", async () => {
    const ports = [...output.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((match) =>
      Number(match[1]),
    );
    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code) => resolve(code)),
    );
    child.kill("SIGINT");
    assert.equal(await exited, 0);
    for (const port of new Set(ports))
      await assert.rejects(
        fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }),
        `port ${port} still answers`,
      );
  });
});
