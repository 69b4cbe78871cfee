// Real HTTP servers on 127.0.0.1 for gateway tests: a stand-in public IPFS path gateway that
// serves files from a map, and misbehaving sources (down, hanging, garbage).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A server on a free loopback port. */
export type TestServer = { url: string; requests: string[]; close: () => Promise<void> };

/** Starts a node:http server on a free port with the given handler; records every request path. */
export async function startTestServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<TestServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? "");
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A path-style IPFS gateway serving `files` (keys like `/ipns/<name>/<path>`), 404 otherwise; the query is ignored. */
export function startFileGateway(files: Map<string, string | Uint8Array>): Promise<TestServer> {
  return startTestServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    const body = files.get(path);
    if (request.method === "HEAD" && path === "/") return response.writeHead(200).end();
    if (body === undefined)
      return response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    response.writeHead(200, { "content-type": "application/json" }).end(body);
  });
}

/** A source that accepts connections and never answers. */
export function startHangingServer(): Promise<TestServer> {
  return startTestServer(() => {});
}

/** A source that answers every request with 200 and `body`. */
export function startGarbageServer(body = "<html>not a record</html>"): Promise<TestServer> {
  return startTestServer((_request, response) => response.writeHead(200).end(body));
}

/** A URL on loopback where nothing listens (a source that is down). */
export async function downUrl(): Promise<string> {
  const server = await startTestServer(() => {});
  await server.close();
  return server.url;
}

/** A free TCP port on loopback (for servers that cannot bind port 0 themselves). */
export async function freePort(): Promise<number> {
  const server = await startTestServer(() => {});
  await server.close();
  return Number(new URL(server.url).port);
}
