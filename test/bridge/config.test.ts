// The bridge's settings (ENSGATE_BRIDGE_*): parsed once for the standalone server and the
// gateway; a bad value names its variable; without ENSGATE_BRIDGE_RPC_URL the gateway's
// /dns-query is a 404 with a JSON reason and nothing reads a chain.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import dnsPacket from "dns-packet";
import {
  bridgeApex,
  createBridgeAnswerer,
  createEnsReader,
  parseBridgeConfig,
} from "../../bridge/index.ts";
import { createGateway } from "../../gateway/app.ts";
import { createMemoryCache } from "../../gateway/cache/memoryCache.ts";
import { parseGatewayConfig } from "../../gateway/config.ts";
import { downUrl } from "../gateway/httpServers.ts";

describe("bridge configuration", () => {
  it("is off without ENSGATE_BRIDGE_RPC_URL, and has defaults with it", () => {
    assert.equal(parseBridgeConfig({}), undefined);
    assert.equal(parseGatewayConfig({}).bridge, undefined);
    const config = parseBridgeConfig({ ENSGATE_BRIDGE_RPC_URL: "http://127.0.0.1:8545" });
    assert.equal(config?.apex.zone, "deploy-ens-to-dns.com");
    assert.deepEqual(config?.apex.nameServers, ["ns1.deploy-ens-to-dns.com"]);
    assert.equal(config?.universalResolver, "0xeEeEEEeE14D718C2B47D9923Deab1335E144EeEe");
  });

  it("names the variable of a bad value", () => {
    assert.throws(() => parseBridgeConfig({ ENSGATE_BRIDGE_RPC_URL: "ftp://x" }), {
      name: "BridgeConfigError",
      message: /^ENSGATE_BRIDGE_RPC_URL: "ftp:\/\/x" is not an http\(s\) URL\./,
    });
    assert.throws(
      () =>
        parseBridgeConfig({
          ENSGATE_BRIDGE_RPC_URL: "http://127.0.0.1:8545",
          ENSGATE_BRIDGE_UNIVERSAL_RESOLVER: "0x1234",
        }),
      { message: /^ENSGATE_BRIDGE_UNIVERSAL_RESOLVER: "0x1234" is not an address\./ },
    );
    assert.throws(
      () =>
        parseBridgeConfig({
          ENSGATE_BRIDGE_RPC_URL: "http://127.0.0.1:8545",
          ENSGATE_BRIDGE_ZONE: "demo.eth",
        }),
      { message: /^ENSGATE_BRIDGE_ZONE: .*must be a DNS domain, not a \.eth name/ },
    );
  });

  it("the gateway answers /dns-query with 404 and a reason when the bridge is off", async () => {
    const gateway = createGateway({
      sources: [],
      cache: createMemoryCache(),
      budget: { strategy: "ordered", perSourceTimeoutMs: 100, totalBudgetMs: 100 },
      cacheTtlSeconds: 1,
      missingTtlSeconds: 1,
    });
    const response = await gateway.fetch(new Request("http://gateway.test/dns-query?dns=AAAA"));
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), {
      message: "the DNS bridge is not configured on this gateway (ENSGATE_BRIDGE_RPC_URL)",
    });
  });

  it("answers SERVFAIL (not NXDOMAIN, not cached) when the chain cannot be read", async () => {
    const errors: unknown[] = [];
    const answerer = createBridgeAnswerer({
      apex: bridgeApex("deploy-ens-to-dns.com"),
      read: createEnsReader({
        rpcUrl: await downUrl(),
        universalResolver: "0xeEeEEEeE14D718C2B47D9923Deab1335E144EeEe",
      }),
      onReadError: (error) => errors.push(error),
    });
    const query = dnsPacket.encode({
      type: "query",
      id: 9,
      questions: [{ name: "demo.deploy-ens-to-dns.com", type: "A" }],
    });
    for (let attempt = 1; attempt <= 2; attempt++) {
      const reply = await answerer.answer(query, { transport: "udp" });
      assert.ok(reply);
      const packet = dnsPacket.decode(Buffer.from(reply)) as dnsPacket.DecodedPacket & {
        rcode: string;
      };
      assert.equal(packet.rcode, "SERVFAIL");
      assert.equal(packet.flag_aa, false);
      // Not cached: the second query reads (and fails) again.
      assert.equal(errors.length, attempt);
    }
    assert.match(
      String((errors[0] as Error).message),
      /^finding the resolver of demo\.eth failed: /,
    );
  });
});
