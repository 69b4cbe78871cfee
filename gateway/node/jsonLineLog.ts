// The Node gateway's request log: one JSON line per request on stdout, written in batches.
// On Linux a write to a pipe from process.stdout is synchronous, one system call per line: under
// load that was a fifth of the gateway's busy time. Lines are gathered and written together at
// most FLUSH_DELAY_MS later (or as soon as FLUSH_BYTES are pending), and whatever is pending is
// written synchronously when the process exits, so no line is lost on a clean shutdown.
import { writeSync } from "node:fs";

/** Longest a line waits before it is written. */
const FLUSH_DELAY_MS = 25;
/** Pending bytes that trigger an immediate write. */
const FLUSH_BYTES = 64 * 1024;

/** Returns a function that logs `value` as one JSON line on `fd` (default: stdout). */
export function createJsonLineLog(fd = 1): (value: unknown) => void {
  let pending: string[] = [];
  let pendingBytes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    pendingBytes = 0;
    try {
      writeSync(fd, text);
    } catch {
      // stdout closed (the reader went away): a log line is not worth crashing the gateway for.
    }
  };
  process.on("exit", flush);

  return (value) => {
    const line = `${JSON.stringify(value)}\n`;
    pending.push(line);
    pendingBytes += line.length;
    if (pendingBytes >= FLUSH_BYTES) flush();
    else if (timer === undefined) {
      timer = setTimeout(flush, FLUSH_DELAY_MS);
      timer.unref();
    }
  };
}
