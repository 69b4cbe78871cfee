// Starting a server script as a child process for benchmarks and the soak run.
import { type ChildProcess, spawn } from "node:child_process";

/**
 * Starts `node [...nodeOptions] <script> --port 0` and resolves with the child and the URL from its
 * "listening on <url>" line. After that line the child's stdout (the gateway's JSON request log)
 * is drained and dropped: keeping and re-scanning it would make the benchmark process, not the
 * server, the bottleneck.
 */
export async function startServerProcess(
  script: string,
  env: Record<string, string>,
  nodeOptions: string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...nodeOptions, script, "--port", "0"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      child.stdout?.off("data", onData);
      child.stdout?.resume();
      resolve(match[1] as string);
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, url };
}
