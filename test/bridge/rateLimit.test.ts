// Response rate limiting of the UDP server: per /24 (IPv4) and /56 (IPv6), a token bucket; over
// the limit every second answer "slips" out truncated (TC, no records) and the others are
// dropped; TCP is not limited. Real sockets on 127.0.0.1 with the loopback exemption turned off.
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import dnsPacket from "dns-packet";
import { BridgeError, bridgeApex, createBridgeAnswerer } from "../../bridge/index.ts";
import { clientPrefix, createRateLimiter } from "../../bridge/rateLimit.ts";
import { type RunningDnsServer, startDnsServer } from "../../bridge/udpTcpServer.ts";

describe("UDP response rate limiting", () => {
  let server: RunningDnsServer;
  before(async () => {
    // Queries outside the zone are answered REFUSED without reading ENS: no chain needed.
    const answerer = createBridgeAnswerer({
      apex: bridgeApex("deploy-ens-to-dns.com"),
      read: () => Promise.reject(new BridgeError("no chain in this test")),
    });
    server = await startDnsServer({
      answerer,
      port: 0,
      rateLimit: { perSecond: 5, burst: 20, exemptLoopback: false },
    });
  });
  after(() => server?.close());

  const query = (id: number) =>
    dnsPacket.encode({ type: "query", id, questions: [{ name: "example.com", type: "A" }] });

  it("answers a burst, then slips every second answer (TC) and drops the rest", async () => {
    const socket = createSocket({ type: "udp4", recvBufferSize: 1 << 20 });
    const replies: Buffer[] = [];
    let lastReply = Date.now();
    socket.on("message", (message) => {
      replies.push(message);
      lastReply = Date.now();
    });
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
    for (let id = 0; id < 100; id++) socket.send(query(id), server.port, server.host);
    // Until no reply has come for half a second (a loaded machine delivers late), at most 10 s.
    const started = Date.now();
    while (Date.now() - lastReply < 500 && Date.now() - started < 10_000)
      await new Promise((resolve) => setTimeout(resolve, 100));
    socket.close();
    const full = replies.filter((reply) => (reply.readUInt16BE(2) & 0x0200) === 0);
    const slipped = replies.filter((reply) => (reply.readUInt16BE(2) & 0x0200) !== 0);
    // 20 from the bucket (plus what 5/s refills while the 100 are sent), the rest 1 in 2.
    assert.ok(full.length >= 20 && full.length <= 23, `full answers: ${full.length}`);
    assert.ok(slipped.length >= 37 && slipped.length <= 40, `slipped answers: ${slipped.length}`);
    for (const reply of full) assert.equal(reply.readUInt16BE(2) & 0xf, 5, "REFUSED");
    for (const reply of slipped) assert.equal(reply.length, 12, "a slip is a bare header");
  });

  it("does not limit TCP", async () => {
    let answered = 0;
    for (let id = 0; id < 30; id++) {
      const reply = await new Promise<Buffer>((resolve, reject) => {
        const socket = connect(server.port, server.host);
        const message = query(id);
        const framed = Buffer.alloc(2 + message.length);
        framed.writeUInt16BE(message.length, 0);
        message.copy(framed, 2);
        socket.on("data", (data) => {
          socket.destroy();
          resolve(data);
        });
        socket.on("error", reject);
        socket.write(framed);
      });
      if ((reply.readUInt16BE(4) & 0xf) === 5) answered++;
    }
    assert.equal(answered, 30);
  });

  it("counts clients per /24 and per /56, and exempts loopback by default", () => {
    assert.equal(clientPrefix("192.0.2.77"), "192.0.2.0/24");
    assert.equal(clientPrefix("::ffff:192.0.2.77"), "192.0.2.0/24");
    assert.equal(clientPrefix("2001:db8:1:23ff::1"), "2001:db8:1:2300::/56");
    let time = 0;
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, () => time);
    assert.equal(limiter.decide("192.0.2.1"), "send");
    assert.equal(limiter.decide("192.0.2.200"), "drop");
    assert.equal(limiter.decide("192.0.3.1"), "send");
    assert.equal(limiter.decide("127.0.0.1"), "send");
    assert.equal(limiter.decide("127.0.0.1"), "send");
    time = 1000;
    assert.equal(limiter.decide("192.0.2.9"), "send");
  });
});
