// Runs the real `ensgate` CLI as a user would: a separate process, real files, real exit codes.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../cli/ensgate.ts", import.meta.url));

/** What one CLI run printed and how it ended. */
export type CliRun = { code: number | null; stdout: string; stderr: string };

/** Runs `ensgate <args>` with extra environment variables (the parent's env minus ENSGATE_*). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("ENSGATE_")),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...base, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the CLI with --json and parses its one JSON object; throws with stderr on failure. */
export async function runCliJson<T = Record<string, unknown>>(
  args: string[],
  env: Record<string, string> = {},
): Promise<T> {
  const run = await runCli(["--json", ...args], env);
  if (run.code !== 0)
    throw new Error(`ensgate ${args.join(" ")} exited ${run.code}: ${run.stderr}`);
  // --json prints exactly one JSON object (not an array), on one line.
  const lines = run.stdout.trim().split("\n");
  assert.equal(lines.length, 1, `--json printed ${lines.length} lines: ${run.stdout}`);
  const value = JSON.parse(lines[0] as string) as unknown;
  assert.ok(
    typeof value === "object" && value !== null && !Array.isArray(value),
    `--json printed something else than one object: ${run.stdout}`,
  );
  return value as T;
}

/** Asserts a usage error: exit code 2 and exactly one `ensgate: …` line on stderr matching `message`. */
export function assertUsageError(run: CliRun, message: RegExp): void {
  assert.equal(run.code, 2, `expected exit 2, got ${run.code}: ${run.stdout} ${run.stderr}`);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one line, got: ${run.stderr}`);
  assert.match(lines[0] as string, /^ensgate: /);
  assert.match(lines[0] as string, message);
}

/** Asserts a failed run: exit code 1 and exactly one `ensgate: …` line on stderr matching `message`. */
export function assertOneLineError(run: CliRun, message: RegExp): void {
  assert.equal(run.code, 1, `expected exit 1, got ${run.code}: ${run.stdout} ${run.stderr}`);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one line, got: ${run.stderr}`);
  assert.match(lines[0] as string, /^ensgate: /);
  assert.match(lines[0] as string, message);
}
