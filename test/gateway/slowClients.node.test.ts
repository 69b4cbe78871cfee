// Hostile HTTP against the Node server, over real sockets (node:net): a never-ending chunked
// body, a slowloris client, an idle kept-alive connection. Timing bounds are generous on purpose.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { createGateway } from "../../gateway/app.ts";
import { createMemoryCache } from "../../gateway/cache/memoryCache.ts";
import { parseGatewayConfig } from "../../gateway/config.ts";
import { type RunningServer, serveFetchHandler } from "../../gateway/node/serveGateway.ts";
import { createHttpGatewaySource } from "../../gateway/sources/httpGatewaySource.ts";
import { startFileGateway, type TestServer } from "./httpServers.ts";
import { buildRecordFile, lookupCallData, SENDER } from "./records.ts";

const MAX_BODY_BYTES = 4096;
const HEADERS_TIMEOUT_MS = 1000;
const IDLE_TIMEOUT_MS = 500;
const AVATAR = { type: "text", key: "avatar" } as const;

/** A raw socket to `url`, collecting what the server sends and when it closes. */
async function openSocket(url: string) {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let received = "";
  const firstData = new Promise<number>((resolve) =>
    socket.once("data", () => resolve(performance.now())),
  );
  socket.on("data", (chunk) => {
    received += chunk.toString("latin1");
  });
  socket.on("error", () => {});
  const closed = new Promise<number>((resolve) =>
    socket.once("close", () => resolve(performance.now())),
  );
  return { socket, firstData, closed, received: () => received };
}

/** The body of a raw HTTP/1.1 answer, chunked or not. */
function bodyOf(answer: string): string {
  const head = answer.slice(0, answer.indexOf("\r\n\r\n"));
  let rest = answer.slice(head.length + 4);
  if (!/\r\ntransfer-encoding: chunked/i.test(head)) return rest;
  let body = "";
  for (;;) {
    const lineEnd = rest.indexOf("\r\n");
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (!(size > 0)) return body;
    body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/** Resolves after `ms`, or rejects if `promise` settles later than `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms),
    ),
  ]);
}

describe("Node server under slow and endless clients", () => {
  let source: TestServer;
  let server: RunningServer;
  let record: Awaited<ReturnType<typeof buildRecordFile>>;

  before(async () => {
    record = await buildRecordFile("alice.eth", AVATAR, "https://example.com/a.png");
    source = await startFileGateway(new Map([[record.urlPath, record.json]]));
    const gateway = createGateway({
      sources: [createHttpGatewaySource({ url: source.url })],
      cache: createMemoryCache(),
      budget: { strategy: "race", perSourceTimeoutMs: 2000, totalBudgetMs: 4000 },
      cacheTtlSeconds: 0,
      missingTtlSeconds: 0,
      maxBodyBytes: MAX_BODY_BYTES,
    });
    server = await serveFetchHandler(gateway.fetch, {
      headersTimeoutMs: HEADERS_TIMEOUT_MS,
      requestTimeoutMs: 5000,
      idleTimeoutMs: IDLE_TIMEOUT_MS,
    });
  });
  after(async () => {
    await server?.close();
    await source?.close();
  });

  it("answers a never-ending chunked body 413 (JSON) within a second of crossing the limit, then closes", async () => {
    const { socket, firstData, closed, received } = await openSocket(server.url);
    socket.write(
      "POST / HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    const chunk = `{"pad":"${"x".repeat(1000)}`;
    let sent = 0;
    let crossedAt = Number.POSITIVE_INFINITY;
    const writer = setInterval(() => {
      if (socket.destroyed || !socket.writable) return;
      socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      sent += chunk.length;
      if (sent > MAX_BODY_BYTES && crossedAt === Number.POSITIVE_INFINITY)
        crossedAt = performance.now();
    }, 10);
    try {
      const answeredAt = await within(firstData, 10_000, "413 answer");
      assert.ok(
        answeredAt - crossedAt <= 1000,
        `answered ${answeredAt - crossedAt} ms after the limit`,
      );
      await within(closed, 3000, "connection close after 413");
    } finally {
      clearInterval(writer);
      socket.destroy();
    }
    const text = received();
    assert.match(text, /^HTTP\/1\.1 413 /);
    assert.match(text, /\r\ncontent-type: application\/json/i);
    const body = JSON.parse(bodyOf(text));
    assert.deepEqual(body, { message: "request body is too large" });
  });

  it("still reads a body under the limit sent in chunks", async () => {
    const response = await fetch(`${server.url}/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Blob([
        JSON.stringify({ sender: SENDER, data: lookupCallData("alice.eth", AVATAR) }),
      ]).stream(),
      duplex: "half",
    } as RequestInit);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { data: record.data });
  });

  it("closes 50 slowloris connections (one header byte a second) within the header timeout while lookups keep their latency", async () => {
    const started = performance.now();
    const clients = await Promise.all(Array.from({ length: 50 }, () => openSocket(server.url)));
    const header =
      "GET /health HTTP/1.1\r\nHost: gateway\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    let index = 0;
    const drip = () => {
      const byte = header[index++] ?? "";
      for (const { socket } of clients) if (!socket.destroyed) socket.write(byte);
    };
    drip();
    const dripper = setInterval(drip, 1000);
    const lookupUrl = `${server.url}/${SENDER}/${lookupCallData("alice.eth", AVATAR)}`;
    const latencies: number[] = [];
    try {
      for (let round = 0; round < 5; round++) {
        const t = performance.now();
        const response = await fetch(lookupUrl);
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { data: record.data });
        latencies.push(performance.now() - t);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const closedAt = await within(
        Promise.all(clients.map(({ closed }) => closed)),
        HEADERS_TIMEOUT_MS + 3000,
        "slowloris close",
      );
      const last = Math.max(...closedAt) - started;
      assert.ok(last < HEADERS_TIMEOUT_MS + 2000, `the last one closed after ${last} ms`);
    } finally {
      clearInterval(dripper);
      for (const { socket } of clients) socket.destroy();
    }
    assert.ok(index < header.length, "the slow header was cut off before it was complete");
    // Node answers 408 before closing; nothing else reaches the slow clients.
    for (const { received } of clients) assert.match(received(), /^(HTTP\/1\.1 408 |$)/);
    assert.ok(Math.max(...latencies) < 1000, `lookup latencies ${latencies.join(", ")} ms`);
  });

  it("closes an idle kept-alive connection after the idle timeout", async () => {
    const started = performance.now();
    const { socket, firstData, closed, received } = await openSocket(server.url);
    socket.write("GET /nowhere HTTP/1.1\r\nHost: gateway\r\nConnection: keep-alive\r\n\r\n");
    try {
      await within(firstData, 3000, "first answer");
      const closedAt = await within(closed, IDLE_TIMEOUT_MS + 3000, "idle close");
      assert.ok(
        closedAt - started < IDLE_TIMEOUT_MS + 2000,
        `closed after ${closedAt - started} ms`,
      );
    } finally {
      socket.destroy();
    }
    assert.match(received(), /^HTTP\/1\.1 404 /);
  });
});

describe("server timeouts in the gateway config", () => {
  it("defaults, overrides, and refuses a request timeout shorter than the header timeout", () => {
    const defaults = parseGatewayConfig({});
    assert.deepEqual(
      [defaults.headersTimeoutMs, defaults.requestTimeoutMs, defaults.idleTimeoutMs],
      [10_000, 30_000, 5_000],
    );
    const set = parseGatewayConfig({
      ENSGATE_HEADERS_TIMEOUT_MS: "2000",
      ENSGATE_REQUEST_TIMEOUT_MS: "3000",
      ENSGATE_IDLE_TIMEOUT_MS: "700",
    });
    assert.deepEqual(
      [set.headersTimeoutMs, set.requestTimeoutMs, set.idleTimeoutMs],
      [2000, 3000, 700],
    );
    assert.throws(
      () =>
        parseGatewayConfig({
          ENSGATE_HEADERS_TIMEOUT_MS: "5000",
          ENSGATE_REQUEST_TIMEOUT_MS: "4000",
        }),
      /ENSGATE_REQUEST_TIMEOUT_MS/,
    );
    assert.throws(
      () => parseGatewayConfig({ ENSGATE_IDLE_TIMEOUT_MS: "0" }),
      /ENSGATE_IDLE_TIMEOUT_MS/,
    );
  });
});
