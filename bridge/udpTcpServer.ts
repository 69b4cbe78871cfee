// The bridge's DNS server on UDP and TCP (RFC 1035 §4.2, RFC 7766): UDP answers are size-limited
// and rate-limited per client network, TCP carries two-byte length-prefixed messages, several per
// connection (pipelined, answered as they complete), with an idle timeout.
import { createSocket, type Socket } from "node:dgram";
import { createServer, type Server, type Socket as TcpSocket } from "node:net";
import type { createBridgeAnswerer } from "./answerQuery.ts";
import { createRateLimiter, type RateLimitOptions } from "./rateLimit.ts";

type Answerer = ReturnType<typeof createBridgeAnswerer>;

/** Options of `startDnsServer`. */
export type DnsServerOptions = {
  answerer: Answerer;
  host?: string | undefined;
  /** One port for UDP and TCP (0: a free one, the same for both). */
  port?: number | undefined;
  rateLimit?: RateLimitOptions | undefined;
  /** Idle TCP connections are closed after this (default 10 s, RFC 7766 §6.2.3). */
  tcpIdleTimeoutMs?: number | undefined;
  /** Largest number of TCP connections open at once (default 1,000). */
  maxTcpConnections?: number | undefined;
};

/** A running DNS server. */
export type RunningDnsServer = { host: string; port: number; close: () => Promise<void> };

/** Default UDP limit: 100 answers a second per /24 or /56, bursts of 200. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 100, burst: 200 };

/** Starts the UDP and TCP listeners on one port. */
export async function startDnsServer(options: DnsServerOptions): Promise<RunningDnsServer> {
  const host = options.host ?? "127.0.0.1";
  const { answerer } = options;
  const limiter = createRateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const idleMs = options.tcpIdleTimeoutMs ?? 10_000;
  const maxConnections = options.maxTcpConnections ?? 1_000;
  const isV6 = host.includes(":");

  // The TCP port first (a free one when 0), then UDP on the same number; retried if UDP's is taken.
  for (let attempt = 0; ; attempt++) {
    const tcp = createServer({ pauseOnConnect: false }, (socket) => serveTcp(socket));
    tcp.maxConnections = maxConnections;
    await new Promise<void>((resolve, reject) => {
      tcp.once("error", reject);
      tcp.listen(options.port ?? 0, host, () => resolve());
    });
    const port = (tcp.address() as { port: number }).port;
    const udp = createSocket(isV6 ? "udp6" : "udp4");
    const bound = await new Promise<Error | undefined>((resolve) => {
      udp.once("error", resolve);
      udp.bind(port, host, () => resolve(undefined));
    });
    if (bound) {
      await closeTcp(tcp);
      udp.close();
      if (options.port || attempt >= 5) throw bound;
      continue;
    }
    udp.on("error", () => {});
    udp.on("message", (message, remote) => void serveUdp(udp, message, remote));
    const connections = new Set<TcpSocket>();
    tcp.on("connection", (socket) => {
      connections.add(socket);
      socket.once("close", () => connections.delete(socket));
    });
    return {
      host,
      port,
      close: async () => {
        for (const socket of connections) socket.destroy();
        await Promise.all([
          closeTcp(tcp),
          new Promise<void>((resolve) => udp.close(() => resolve())),
        ]);
      },
    };
  }

  async function serveUdp(
    udp: Socket,
    message: Buffer,
    remote: { address: string; port: number },
  ): Promise<void> {
    let reply: Uint8Array | undefined;
    try {
      reply = await answerer.answer(message, { transport: "udp" });
    } catch {
      return; // answer() does not throw; if it ever did, the query is dropped, never the server.
    }
    if (!reply) return;
    const decision = limiter.decide(remote.address);
    if (decision === "drop") return;
    if (decision === "slip") reply = slip(reply);
    udp.send(reply, remote.port, remote.address, () => {});
  }

  function serveTcp(socket: TcpSocket): void {
    socket.setTimeout(idleMs, () => socket.destroy());
    socket.on("error", () => {});
    let pending: Buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) break;
        const message = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        void answerer.answer(message, { transport: "tcp" }).then(
          (reply) => {
            if (!reply) {
              // Nothing to answer (e.g. shorter than a header): RFC 7766 lets the server close.
              socket.end();
              return;
            }
            if (socket.destroyed) return;
            const framed = Buffer.alloc(2 + reply.length);
            framed.writeUInt16BE(reply.length, 0);
            framed.set(reply, 2);
            socket.write(framed);
          },
          () => socket.destroy(),
        );
      }
    });
  }
}

/** A rate-limited answer's "slip": the header and question with TC set, no records. */
function slip(reply: Uint8Array): Uint8Array {
  const buffer = Buffer.from(reply);
  const truncated = Buffer.alloc(12);
  buffer.copy(truncated, 0, 0, 12);
  truncated.writeUInt16BE(buffer.readUInt16BE(2) | 0x0200, 2);
  // No sections: qdcount, ancount, nscount, arcount are 0.
  truncated.fill(0, 4, 12);
  return truncated;
}

function closeTcp(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
