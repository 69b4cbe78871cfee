// A node:http server in front of a fetch handler (`Request → Response`): how the path gateway,
// the devnet's publish endpoints and the tests' stand-in services listen on 127.0.0.1.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A fetch-style request handler (the same shape as a Worker's or srvx's `fetch`). */
export type FetchHandler = (request: Request) => Promise<Response>;

/** A running server: its base URL (`http://127.0.0.1:<port>`) and a `close()` freeing the port. */
export type FetchServer = {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
};

/** Options of `startFetchServer`. */
export type FetchServerOptions = {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Largest request body read; a longer one gets 413 (default 64 MiB). */
  maxBodyBytes?: number;
};

class BodyTooLargeError extends Error {}

async function toRequest(
  incoming: IncomingMessage,
  fallbackHost: string,
  maxBodyBytes: number,
): Promise<Request> {
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(key, item);
  }
  const method = incoming.method ?? "GET";
  let body: Buffer | undefined;
  if (method !== "GET" && method !== "HEAD") {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) throw new BodyTooLargeError();
      chunks.push(chunk as Buffer);
    }
    body = Buffer.concat(chunks);
  }
  const host = incoming.headers.host ?? fallbackHost;
  return new Request(new URL(incoming.url ?? "/", `http://${host}`), {
    method,
    headers,
    body: body === undefined || body.length === 0 ? null : new Uint8Array(body),
  });
}

async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  outgoing.statusCode = response.status;
  response.headers.forEach((value, key) => {
    outgoing.setHeader(key, value);
  });
  const body = response.body === null ? undefined : new Uint8Array(await response.arrayBuffer());
  outgoing.end(body);
}

/** Serves `handler` over HTTP; resolves once the port listens. */
export async function startFetchServer(
  handler: FetchHandler,
  options: FetchServerOptions = {},
): Promise<FetchServer> {
  const host = options.host ?? "127.0.0.1";
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const server = createServer((incoming, outgoing) => {
    toRequest(incoming, host, maxBodyBytes)
      .then(
        (request) => handler(request).then((response) => writeResponse(response, outgoing)),
        (error: unknown) => {
          outgoing.statusCode = error instanceof BodyTooLargeError ? 413 : 400;
          outgoing.end(error instanceof BodyTooLargeError ? "Body too large\n" : "Bad request\n");
        },
      )
      .catch(() => {
        if (!outgoing.headersSent) outgoing.statusCode = 500;
        outgoing.end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
