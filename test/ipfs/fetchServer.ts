// A node:http server on 127.0.0.1 in front of a fetch handler: the tests' stand-ins for remote
// gateways and services (a trustless gateway that lies, a routing or pinning endpoint).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A running server: its base URL and a `close()` that frees the port. */
export type FetchServer = { url: string; close(): Promise<void> };

/** Serves `handler` on a free 127.0.0.1 port. */
export async function serveFetch(
  handler: (request: Request) => Response | Promise<Response>,
): Promise<FetchServer> {
  const server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers = new Headers();
    for (const [key, value] of Object.entries(incoming.headers))
      if (typeof value === "string") headers.set(key, value);
    const request = new Request(`http://${incoming.headers.host}${incoming.url}`, {
      method: incoming.method,
      headers,
      body:
        body.length > 0 && incoming.method !== "GET" && incoming.method !== "HEAD" ? body : null,
    });
    try {
      const response = await handler(request);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        headers[key] = value;
      });
      outgoing.writeHead(response.status, headers);
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      outgoing.writeHead(500, { "content-type": "text/plain" });
      outgoing.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
