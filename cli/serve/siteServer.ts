// The HTTPS server of `ensgate serve`: HTTP/2 and HTTP/1.1 on one port (node:http2's secure server
// with allowHTTP1), for the TLS server names and Host headers of one ENS name and its bridge name.
// The certificate can be replaced while it runs: new handshakes get the new one.
import type { IncomingHttpHeaders } from "node:http";
import http2, { type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import type { SecureContext } from "node:tls";
import { describeError } from "../../lib/index.ts";
import type { LoadedCertificate } from "./certificateFiles.ts";
import { parseSitePath, type SiteContent, SitePathError } from "./siteContent.ts";

/** A running site server. */
export type SiteServer = {
  port: number;
  /** Presents `certificate` on every handshake from now on. */
  setCertificate(certificate: LoadedCertificate): void;
  close(): Promise<void>;
};

/** Options of `startSiteServer`. */
export type SiteServerOptions = {
  /** The names served (SNI and Host): the ENS name and its bridge name. */
  names: readonly string[];
  certificate: LoadedCertificate;
  content: SiteContent;
  host: string;
  port: number;
  /** One line per failure the server cannot answer well (a read error). */
  log: (line: string) => void;
};

/** The host of a Host header or :authority, without the port, lowercase. */
function requestHost(headers: IncomingHttpHeaders): string {
  const authority = (headers[":authority"] ?? headers.host ?? "") as string;
  return authority.replace(/:\d+$/, "").replace(/\.$/, "").toLowerCase();
}

/** Starts the server; resolves once it listens. */
export async function startSiteServer(options: SiteServerOptions): Promise<SiteServer> {
  const names = new Set(options.names.map((name) => name.toLowerCase()));
  let context: SecureContext = options.certificate.context;
  const server = http2.createSecureServer({
    allowHTTP1: true,
    key: options.certificate.key,
    cert: options.certificate.cert,
    // Only the site's own names get a certificate; any other server name ends the handshake.
    SNICallback(servername, done) {
      if (names.has(servername.toLowerCase().replace(/\.$/, ""))) done(null, context);
      else done(new Error(`no certificate for ${servername}`));
    },
  });
  server.on("request", (request: Http2ServerRequest, response: Http2ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      options.log(`${request.method} ${request.url}: ${describeError(error)}`);
      if (!response.headersSent) send(response, 502, "the content could not be read\n");
      else response.stream?.close();
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  // A client that resets its stream or drops the connection is not the server's failure.
  server.on("sessionError", () => {});
  server.on("tlsClientError", () => {});

  const send = (response: Http2ServerResponse, status: number, text: string) => {
    response.writeHead(status, {
      "content-type": "text/plain; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    response.end(text);
  };

  async function handle(request: Http2ServerRequest, response: Http2ServerResponse) {
    const host = requestHost(request.headers);
    if (!names.has(host)) return send(response, 421, `this server does not serve ${host}\n`);
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.setHeader("allow", "GET, HEAD");
      return send(response, 405, `${request.method} is not allowed\n`);
    }
    let path: ReturnType<typeof parseSitePath>;
    try {
      path = parseSitePath(request.url);
    } catch (error) {
      if (error instanceof SitePathError) return send(response, 400, `${error.shortMessage}\n`);
      throw error;
    }
    const answer = await options.content.read(path);
    if (answer.kind === "missing") return send(response, 404, "not found\n");
    if (answer.kind === "redirect") {
      response.writeHead(301, { location: answer.location, "content-length": 0 });
      return response.end();
    }
    response.writeHead(200, {
      "content-type": answer.contentType,
      "content-length": answer.body.length,
      "x-content-type-options": "nosniff",
    });
    if (request.method === "HEAD") response.end();
    else response.end(answer.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    setCertificate(certificate) {
      context = certificate.context;
      // The default context answers clients that send no server name.
      server.setSecureContext({ key: certificate.key, cert: certificate.cert });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections and HTTP/2 sessions would hold close() open.
        for (const socket of sockets) socket.destroy();
      }),
  };
}
