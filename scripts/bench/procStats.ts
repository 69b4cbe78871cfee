// What Linux's /proc says about a child process, for the benchmark and the soak.
import { readFileSync } from "node:fs";

/** Resident set size of a process, in MiB (`VmRSS` of /proc/<pid>/status). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? "0") / 1024);
}

/** CPU time (user + system) a process has used, in ms (/proc/<pid>/stat; clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = (readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1] as string).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
