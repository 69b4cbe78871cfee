// `ensgate ca …` runs the certificate authority's own entry point (ca/main.ts) as a child process
// with the same configuration flags: the CA is a product of its own, which the CLI only starts.
// Signals are forwarded, and the child's exit (code or signal) becomes the CLI's.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { configArguments } from "../../client/options.ts";

/** The CA service's entry point. */
export const CA_MAIN = fileURLToPath(new URL("../../ca/main.ts", import.meta.url));

/** Runs `node ca/main.ts <config flags> <args>` and resolves with its exit. */
export async function caCommand(opts: Record<string, unknown>, args: string[]): Promise<void> {
  const child = spawn(process.execPath, [CA_MAIN, ...configArguments(opts), ...args], {
    stdio: "inherit",
  });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward("SIGINT");
  const onTerm = forward("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
    (resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    },
  );
  process.off("SIGINT", onInt);
  process.off("SIGTERM", onTerm);
  if (signal) process.kill(process.pid, signal);
  else process.exitCode = code ?? 1;
}
