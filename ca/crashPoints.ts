// Test hook: ENSGATE_CA_CRASH_AT=<step> makes the CA kill itself with SIGKILL right after that
// step was committed (afterRead, afterIssue, afterPublish), so the crash tests can check that a
// restarted CA resumes each order exactly once. Unset in normal operation.

/** The steps the CA can be killed after. */
export const CRASH_POINTS = ["afterRead", "afterIssue", "afterPublish"] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/** Kills the process with SIGKILL when ENSGATE_CA_CRASH_AT names `point`. */
export function crashPoint(point: CrashPoint): void {
  if (process.env.ENSGATE_CA_CRASH_AT === point) process.kill(process.pid, "SIGKILL");
}
