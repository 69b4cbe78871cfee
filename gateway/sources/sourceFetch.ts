// How the HTTP sources (`http:`, `subdomain:`, `trustless:`) reach their server: a request whose
// failure becomes a SourceError ("timed out" or "unreachable"), sent again once when the
// connection was reset under it, and the HEAD probe behind `health()`.
import { SourceError } from "./sourceError.ts";

/**
 * Error codes of a connection that was reset or closed under a request (Node's undici). A kept-
 * alive connection can be closed by the server just as a request is written on it; browsers and
 * HTTP clients send an idempotent request again on a fresh connection, and so does the gateway
 * (its sources only GET and HEAD). Measured in `soak:gateway`: without the retry, about one
 * request in 2,000 failed with ECONNRESET from a healthy source on 127.0.0.1.
 */
const CONNECTION_RESET_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);

/** Whether `error` (or an error in its `cause` chain) is a connection reset. */
export function isConnectionReset(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === "string" && CONNECTION_RESET_CODES.has(code)) return true;
    current = cause;
  }
  return false;
}

/**
 * `doFetch(url, init)` for source `source`, sent a second time when the connection is reset
 * before an answer. Throws a SourceError: "timed out" once `init.signal` aborted, else
 * "unreachable" (with the fetch error as its cause).
 */
export async function fetchFromSource(
  source: string,
  doFetch: typeof fetch,
  url: string,
  init: RequestInit & { signal: AbortSignal },
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await doFetch(url, init);
    } catch (error) {
      if (init.signal.aborted) throw new SourceError(source, "timed out", { cause: error });
      if (attempt === 1 && isConnectionReset(error)) continue;
      throw new SourceError(source, "unreachable", { cause: error });
    }
  }
}

/** `health()` of an HTTP source: a HEAD of its origin answered below 500. */
export async function probeSource(
  doFetch: typeof fetch,
  base: URL,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    const response = await doFetch(new URL("/", base).href, { method: "HEAD", signal });
    await response.body?.cancel();
    return response.status < 500;
  } catch {
    return false;
  }
}
