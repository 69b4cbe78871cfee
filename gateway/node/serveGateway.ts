import { serve } from "srvx/node";

/** A running HTTP server: its base URL and how to stop it. */
export type RunningServer = { url: string; close: () => Promise<void> };

/** Options of `serveFetchHandler`. */
export type ServeOptions = {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  hostname?: string;
  /** Largest request line + headers, in bytes (default 256 KiB). */
  maxHeaderSize?: number;
  /** Longest wait for a request's headers, from its first byte (default 10 s; slowloris). */
  headersTimeoutMs?: number;
  /** Longest wait for a whole request, headers and body (default 30 s). */
  requestTimeoutMs?: number;
  /** Longest idle time of a kept-alive connection between requests (default 5 s). */
  idleTimeoutMs?: number;
};

/** Default timeouts of the Node server (also the defaults of the gateway's env config). */
export const DEFAULT_SERVER_TIMEOUTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 5_000,
} as const;

/** Serves a fetch handler over HTTP on Node (srvx), on a free port unless one is given. */
export async function serveFetchHandler(
  fetchHandler: (request: Request) => Response | Promise<Response>,
  {
    port = 0,
    hostname = "127.0.0.1",
    maxHeaderSize = 256 * 1024,
    headersTimeoutMs = DEFAULT_SERVER_TIMEOUTS.headersTimeoutMs,
    requestTimeoutMs = DEFAULT_SERVER_TIMEOUTS.requestTimeoutMs,
    idleTimeoutMs = DEFAULT_SERVER_TIMEOUTS.idleTimeoutMs,
  }: ServeOptions = {},
): Promise<RunningServer> {
  const server = serve({
    fetch: fetchHandler,
    port,
    hostname,
    silent: true,
    gracefulShutdown: false,
    // GET lookups carry the calldata in the URL: Node's default 16 KiB limit would answer long
    // ones with a bare 431 before the gateway could give its JSON 413.
    node: {
      maxHeaderSize,
      // Node checks the header and request timeouts only every `connectionsCheckingInterval`
      // (30 s by default): check often enough that a slow client is cut off near its timeout.
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.max(
        50,
        Math.min(1000, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 4)),
      ),
      keepAliveTimeout: idleTimeoutMs,
    },
  });
  await server.ready();
  const address = server.node?.server?.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://${hostname}:${actualPort}`,
    close: () => server.close(true),
  };
}
