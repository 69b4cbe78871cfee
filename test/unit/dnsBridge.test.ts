// lib/dns: the DNS bridge's rules, without I/O: query names <-> ENS names, verified dnsRecord
// bytes -> bridge RRs (renamed, filtered, TTLs clamped to validUntil), DNSLink TXT from a
// contenthash, the apex's SOA and NS.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bridgeOwnerName,
  bridgeRRset,
  clampTtl,
  dnslinkFromContenthash,
  dnslinkTarget,
  formatDnsZone,
  hashDnsOwnerName,
  MAX_BRIDGE_TTL,
  nsRecords,
  parseBridgeQueryName,
  parseContenthash,
  parseDnsZone,
  soaRecord,
} from "../../lib/index.ts";

const ZONE = "deploy-ens-to-dns.com";

describe("bridge names", () => {
  it("maps <labels>.<zone> to <labels>.eth, case-insensitively, with a trailing dot", () => {
    assert.deepEqual(parseBridgeQueryName("WWW.Demo.Deploy-ENS-to-DNS.com.", ZONE), {
      kind: "name",
      ensName: "www.demo.eth",
    });
    assert.deepEqual(parseBridgeQueryName(`_443._tcp.demo.${ZONE}`, ZONE), {
      kind: "name",
      ensName: "_443._tcp.demo.eth",
    });
  });
  it("tells the apex, names outside the zone and names with no ENS twin apart", () => {
    assert.deepEqual(parseBridgeQueryName(`${ZONE}.`, ZONE), { kind: "apex" });
    assert.deepEqual(parseBridgeQueryName("example.com", ZONE), { kind: "outside" });
    assert.deepEqual(parseBridgeQueryName(`x${ZONE}`, ZONE), { kind: "outside" });
    // ENSIP-15 rejects these labels: no ENS name, NXDOMAIN.
    assert.deepEqual(parseBridgeQueryName(`a_b.${ZONE}`, ZONE), { kind: "invalid" });
    assert.deepEqual(parseBridgeQueryName(`xn--a.${ZONE}`, ZONE), { kind: "invalid" });
  });
  it("renames .eth names into the zone and leaves DNS names alone", () => {
    assert.equal(bridgeOwnerName("mail.demo.eth.", ZONE), `mail.demo.${ZONE}`);
    assert.equal(bridgeOwnerName("mx.example.org", ZONE), "mx.example.org");
  });
});

describe("bridge RRsets from verified dnsRecord bytes", () => {
  const now = 1_000_000n;
  const wire = (zone: string) => parseDnsZone(zone).wire;

  it("renames owner names and targets, keeps the record's TTL when validUntil is far", () => {
    const records = bridgeRRset(wire("demo.eth. 300 IN MX 10 mail.demo.eth."), {
      ensOwner: "demo.eth",
      type: "MX",
      zone: ZONE,
      validUntil: now + 86_400n,
      now,
    });
    assert.deepEqual(records, [
      {
        name: `demo.${ZONE}`,
        type: "MX",
        ttl: 300,
        class: "IN",
        data: { preference: 10, exchange: `mail.demo.${ZONE}` },
      },
    ]);
  });
  it("never lets a TTL run past validUntil", () => {
    const [record] = bridgeRRset(wire("demo.eth. 3600 IN A 192.0.2.1"), {
      ensOwner: "demo.eth",
      type: "A",
      zone: ZONE,
      validUntil: now + 42n,
      now,
    });
    assert.equal(record?.ttl, 42);
    assert.equal(clampTtl(300, now - 1n, now), 0);
    assert.equal(clampTtl(10 * MAX_BRIDGE_TTL, undefined, now), MAX_BRIDGE_TTL);
  });
  it("drops RRs of another owner name or type (signed bytes are not a claim about the question)", () => {
    const records = bridgeRRset(wire("other.eth. 300 IN A 192.0.2.1"), {
      ensOwner: "demo.eth",
      type: "A",
      zone: ZONE,
      validUntil: undefined,
      now,
    });
    assert.deepEqual(records, []);
  });
  it("throws on bytes that are not wire-format RRs (the engine answers SERVFAIL)", () => {
    assert.throws(() =>
      bridgeRRset("0x0464656d6f0000", {
        ensOwner: "demo.eth",
        type: "A",
        zone: ZONE,
        validUntil: undefined,
        now,
      }),
    );
  });
  it("reads and writes CAA zone fragments", () => {
    const zone = 'demo.eth. 300 IN CAA 0 issue "letsencrypt.org"';
    const parsed = parseDnsZone(zone, { nameHash: hashDnsOwnerName("demo.eth"), resource: 257 });
    assert.equal(formatDnsZone(parsed.wire), zone);
  });
});

describe("DNSLink and the apex", () => {
  it("turns an IPFS or IPNS contenthash into dnslink=/ipfs/<cid>, and nothing else", () => {
    const cid = "bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4";
    assert.equal(dnslinkFromContenthash(parseContenthash(`ipfs://${cid}`)), `dnslink=/ipfs/${cid}`);
    assert.equal(dnslinkFromContenthash("0x"), undefined);
    assert.equal(dnslinkFromContenthash("0xe40101"), undefined);
    assert.equal(dnslinkTarget("_dnslink.demo.eth"), "demo.eth");
    assert.equal(dnslinkTarget("_dnslink.eth"), undefined);
    assert.equal(dnslinkTarget("www.demo.eth"), undefined);
  });
  it("synthesizes the SOA (negative TTL as MINIMUM) and NS at the apex", () => {
    const apex = {
      zone: ZONE,
      nameServers: ["ns1.example.net"],
      serial: 7,
      ttl: 3600,
      negativeTtl: 60,
    };
    assert.deepEqual(soaRecord(apex).data, {
      mname: "ns1.example.net",
      rname: `hostmaster.${ZONE}`,
      serial: 7,
      refresh: 3600,
      retry: 600,
      expire: 604_800,
      minimum: 60,
    });
    assert.deepEqual(nsRecords(apex), [
      { name: ZONE, type: "NS", ttl: 3600, class: "IN", data: "ns1.example.net" },
    ]);
  });
});
