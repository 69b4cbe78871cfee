import { serve } from "srvx/node";

/** A running HTTP server: its base URL and how to stop it. */
export type RunningServer = { url: string; close: () => Promise<void> };

/** Serves a fetch handler over HTTP on Node (srvx), on a free port unless one is given. */
export async function serveFetchHandler(
  fetchHandler: (request: Request) => Response | Promise<Response>,
  { port = 0, hostname = "127.0.0.1" }: { port?: number; hostname?: string } = {},
): Promise<RunningServer> {
  const server = serve({
    fetch: fetchHandler,
    port,
    hostname,
    silent: true,
    gracefulShutdown: false,
  });
  await server.ready();
  const address = server.node?.server?.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://${hostname}:${actualPort}`,
    close: () => server.close(true),
  };
}
