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
};

/** Serves a fetch handler over HTTP on Node (srvx), on a free port unless one is given. */
export async function serveFetchHandler(
  fetchHandler: (request: Request) => Response | Promise<Response>,
  { port = 0, hostname = "127.0.0.1", maxHeaderSize = 256 * 1024 }: ServeOptions = {},
): Promise<RunningServer> {
  const server = serve({
    fetch: fetchHandler,
    port,
    hostname,
    silent: true,
    gracefulShutdown: false,
    // GET lookups carry the calldata in the URL: Node's default 16 KiB limit would answer long
    // ones with a bare 431 before the gateway could give its JSON 413.
    node: { maxHeaderSize },
  });
  await server.ready();
  const address = server.node?.server?.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://${hostname}:${actualPort}`,
    close: () => server.close(true),
  };
}
