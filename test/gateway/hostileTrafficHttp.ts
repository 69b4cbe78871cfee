// HTTP of the hostile-traffic run: a keep-alive client with a bounded pool, raw sockets for what
// no HTTP client sends (endless chunked bodies, aborts mid-body, slowloris), and the HTTP-level
// cases (malformed JSON bodies, wrong content types, huge bodies, bad paths and methods).
import { Agent, request as httpRequest, type OutgoingHttpHeaders } from "node:http";
import { connect, type Socket } from "node:net";
import type { Random } from "./hostileTrafficMutations.ts";

/** One request to send through the pool. */
export type HostileRequest = {
  category: string;
  method: string;
  path: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer | undefined;
};

/** What came back: status, content type and body text (or the client error, when nothing came). */
export type HostileAnswer = {
  status: number;
  contentType: string;
  body: string;
  error?: string;
};

/** A keep-alive HTTP client to `baseUrl` with at most `sockets` connections. */
export function createHostileClient(baseUrl: string, sockets: number) {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  const send = (request: HostileRequest, timeoutMs = 30_000): Promise<HostileAnswer> =>
    new Promise((resolve) => {
      const outgoing = httpRequest(
        {
          host: hostname,
          port,
          method: request.method,
          path: request.path,
          headers: request.headers,
          agent,
          timeout: timeoutMs,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
          incoming.on("end", () =>
            resolve({
              status: incoming.statusCode ?? 0,
              contentType: incoming.headers["content-type"] ?? "",
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          incoming.on("error", (error) =>
            resolve({ status: 0, contentType: "", body: "", error: error.message }),
          );
        },
      );
      outgoing.on("timeout", () => outgoing.destroy(new Error(`no answer in ${timeoutMs} ms`)));
      outgoing.on("error", (error) =>
        resolve({ status: 0, contentType: "", body: "", error: error.message }),
      );
      outgoing.end(request.body);
    });
  return { send, close: () => agent.destroy() };
}
export type HostileClient = ReturnType<typeof createHostileClient>;

/** Runs `task` on every item with at most `concurrency` running at once. */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** A raw TCP connection to `baseUrl` that records what the server sends and when it closes. */
export async function openRawSocket(baseUrl: string) {
  const { hostname, port } = new URL(baseUrl);
  const socket: Socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let received = "";
  socket.on("data", (chunk) => {
    received += chunk.toString("latin1");
  });
  socket.on("error", () => {});
  const closed = new Promise<number>((resolve) =>
    socket.once("close", () => resolve(performance.now())),
  );
  return { socket, closed, received: () => received };
}

/** A raw HTTP/1.1 answer split into status, headers and (de-chunked) body; undefined if none. */
export function parseRawAnswer(raw: string): HostileAnswer | undefined {
  // An interim `100 Continue` (the client sent `Expect: 100-continue`) precedes the answer.
  const text = raw.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, "");
  const headEnd = text.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const head = text.slice(0, headEnd);
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
  const contentType = /\r\ncontent-type: ([^\r\n]*)/i.exec(head)?.[1] ?? "";
  let rest = text.slice(headEnd + 4);
  if (!/\r\ntransfer-encoding: chunked/i.test(head)) return { status, contentType, body: rest };
  let body = "";
  for (;;) {
    const lineEnd = rest.indexOf("\r\n");
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (!(size > 0)) break;
    body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
  return { status, contentType, body: Buffer.from(body, "latin1").toString("utf8") };
}

/** The content types the gateway's own answers carry: JSON, and the DID resolution types. */
export const GATEWAY_CONTENT_TYPE =
  /^(application\/json|application\/ld\+json;\s*profile="https:\/\/w3id\.org\/did-resolution"|application\/did-resolution)/;

/**
 * The web app's page (gateway/webApp.ts): `GET`/`HEAD /` is the one route answered with HTML, not
 * JSON, when the app is built. Malformed-traffic tests accept exactly that answer.
 */
export function isWebAppPage(
  method: string,
  path: string,
  status: number,
  contentType: string,
): boolean {
  return (
    (method === "GET" || method === "HEAD") &&
    (path.split("?")[0] ?? "") === "/" &&
    status === 200 &&
    contentType.startsWith("text/html")
  );
}

/** A bare answer of Node's HTTP parser (not gateway code): a request it could not parse. */
export const isNodeParserAnswer = (answer: HostileAnswer) =>
  (answer.status === 400 || answer.status === 408 || answer.status === 431) &&
  answer.contentType === "" &&
  answer.body === "";

/** Malformed `POST /` JSON bodies (each a 400 `{message}`), built around a real lookup. */
export function malformedJsonBodies(sender: string, data: string): string[] {
  return [
    "",
    "{",
    "}",
    "[]",
    "null",
    "true",
    "42",
    '"a string"',
    "{'sender': 1}",
    `{"sender":"${sender}","data":"${data}"`,
    `{"sender":"${sender}","data":"${data}"}}`,
    `{"sender":"${sender}","data":"${data}",}`,
    `\ufeff{"sender":"${sender}","data":"${data.slice(0, 20)}"}`,
    `{"sender":"${sender}"}`,
    `{"data":"${data}"}`,
    `{"sender":null,"data":"${data}"}`,
    `{"sender":["${sender}"],"data":"${data}"}`,
    `{"sender":"${sender}","data":{"hex":"${data}"}}`,
    `{"sender":"${sender}","data":1e400}`,
    `{"sender":"${sender}","data":"${data}\\u0000"}`,
    `{"sender":"${sender}","data":"\\ud800"}`,
    `{"__proto__":{"sender":"${sender}"},"data":"${data}"}`,
    `${"[".repeat(100_000)}${"]".repeat(100_000)}`.slice(0, 60_000),
    `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`,
    `{"sender":"${sender}","data":"${data}","sender":"0x12"}`,
    "\u0000\u0001\u0002",
  ];
}

/** Content types a client might wrongly send a `POST /` lookup with. */
export const WRONG_CONTENT_TYPES = [
  undefined,
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=xyz",
  "application/octet-stream",
  "application/json; charset=utf-16",
  "application/xml",
  "*/*",
  "garbage",
  "application/json; boundary=\u00ff",
];

/** Bad paths for bad methods: none of them is a lookup (nor the metrics page). */
export function badPathRequests(random: Random, sender: string, data: string): HostileRequest {
  const method = random.pick([
    "GET",
    "PUT",
    "DELETE",
    "PATCH",
    "HEAD",
    "OPTIONS",
    "TRACE",
    "PROPFIND",
    "POST",
  ]);
  const path = random.pick([
    "/",
    "//",
    "///",
    "/a",
    "/a/b/c",
    `/${sender}`,
    `/${sender}/`,
    `/${sender}//`,
    `/${sender}/${data}/extra`,
    `//${data}`,
    `/${sender}/.json`,
    "/%zz/%ff",
    "/..%2f..%2fetc%2fpasswd",
    "/health/x",
    "/metrics/x",
    "/1.0/identifiers/",
    "/1.0/identifiers/%ff",
    "/1.0/identifiers/did:web:example.com",
    `/${sender}/${data}?${"q".repeat(1000)}`,
    `/${"x".repeat(70_000)}/${data}`,
    `/${sender}/0x${"ab".repeat(40_000)}`,
  ]);
  return { category: "badPathMethod", method, path };
}
