// Verified ENS answers turned into the bridge's DNS resource records: owner names and the names
// inside RDATA move from `.eth` to the bridge zone, TTLs stop at the record's validUntil, and the
// zone apex gets a synthesized SOA and NS RRset.
import type { Hex } from "viem";
import { decodeDnsRRset } from "../records/values/dnsZoneValue.ts";
import { bridgeOwnerName, canonicalDnsName } from "./bridgeZone.ts";
import { clampTtl } from "./ttl.ts";

/** A resource record as dns-packet encodes it (class IN). */
export type BridgeRecord = {
  name: string;
  type: string;
  ttl: number;
  class: "IN";
  data: unknown;
};

/** The DNS types the bridge answers from `dnsRecord`, by mnemonic and number. */
export const BRIDGE_DNS_TYPES: Readonly<Record<string, number>> = {
  A: 1,
  CNAME: 5,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  TLSA: 52,
  CAA: 257,
};

/** What every bridged RR is clamped by: the signed record's validUntil and the answering clock. */
export type Freshness = { validUntil: bigint | undefined; now: bigint };

/**
 * The RRs of a verified `dnsRecord` answer (wire format) that belong to `ensOwner` and `type`,
 * renamed into `zone`. RRs for another owner or type are dropped: the signature covers the bytes,
 * not the claim that they answer this question. Throws on bytes that are not wire-format RRs.
 */
export function bridgeRRset(
  wire: Hex,
  options: { ensOwner: string; type: string; zone: string } & Freshness,
): BridgeRecord[] {
  const owner = canonicalDnsName(options.ensOwner);
  const records: BridgeRecord[] = [];
  for (const rr of decodeDnsRRset(wire)) {
    if (canonicalDnsName(rr.name) !== owner || rr.type !== options.type) continue;
    if (rr.class !== undefined && rr.class !== "IN") continue;
    records.push({
      name: bridgeOwnerName(owner, options.zone),
      type: rr.type,
      ttl: clampTtl(rr.ttl ?? 0, options.validUntil, options.now),
      class: "IN",
      data: bridgeRdata(rr.type, rr.data, options.zone),
    });
  }
  return records;
}

/** RDATA with its domain names (CNAME, MX, SRV targets) moved from `.eth` into the zone. */
function bridgeRdata(type: string, data: unknown, zone: string): unknown {
  switch (type) {
    case "CNAME":
      return bridgeOwnerName(data as string, zone);
    case "MX": {
      const mx = data as { preference: number; exchange: string };
      return { ...mx, exchange: bridgeOwnerName(mx.exchange, zone) };
    }
    case "SRV": {
      const srv = data as { target: string };
      return { ...srv, target: bridgeOwnerName(srv.target, zone) };
    }
    default:
      return data;
  }
}

/**
 * The TLSA record of the ensgate CA's key pin (`org.ensgate.ca.tlsa`, `3 1 1 <hex>`) for
 * `_443._tcp.<name>` in the zone, next to the owner's own TLSA records. Throws on a value that is
 * not TLSA presentation data.
 */
export function certificatePinRecord(
  ensOwner: string,
  pin: { usage: number; selector: number; matchingType: number; data: string },
  options: { zone: string; ttl: number } & Freshness,
): BridgeRecord {
  return {
    name: bridgeOwnerName(canonicalDnsName(ensOwner), options.zone),
    type: "TLSA",
    ttl: clampTtl(options.ttl, options.validUntil, options.now),
    class: "IN",
    data: {
      usage: pin.usage,
      selector: pin.selector,
      matchingType: pin.matchingType,
      certificate: Buffer.from(pin.data, "hex"),
    },
  };
}

/** The TXT record of a DNSLink value (`dnslink=/ipfs/<cid>`) for `_dnslink.<name>` in the zone. */
export function dnslinkRecord(
  ensOwner: string,
  dnslink: string,
  options: { zone: string; ttl: number } & Freshness,
): BridgeRecord {
  return {
    name: bridgeOwnerName(ensOwner, options.zone),
    type: "TXT",
    ttl: clampTtl(options.ttl, options.validUntil, options.now),
    class: "IN",
    data: [dnslink],
  };
}

/** The apex settings: name servers, the SOA's fields and how long negative answers are cached. */
export type ZoneApex = {
  zone: string;
  /** Host names of the zone's name servers (the NS RRset and the SOA's MNAME). */
  nameServers: readonly string[];
  /** The SOA's RNAME, as a domain name (`hostmaster.<zone>`). */
  hostmaster?: string | undefined;
  /** SOA serial; the answers change as records are published, so it is only informational. */
  serial: number;
  /** TTL of the SOA and NS RRsets. */
  ttl: number;
  /** SOA MINIMUM: how long resolvers cache NXDOMAIN and NODATA (RFC 2308). */
  negativeTtl: number;
};

/** The synthesized SOA of the zone apex. */
export function soaRecord(apex: ZoneApex): BridgeRecord {
  const zone = canonicalDnsName(apex.zone);
  return {
    name: zone,
    type: "SOA",
    ttl: apex.ttl,
    class: "IN",
    data: {
      mname: canonicalDnsName(apex.nameServers[0] ?? `ns1.${zone}`),
      rname: canonicalDnsName(apex.hostmaster ?? `hostmaster.${zone}`),
      serial: apex.serial >>> 0,
      refresh: 3600,
      retry: 600,
      expire: 604_800,
      minimum: apex.negativeTtl,
    },
  };
}

/** The synthesized NS RRset of the zone apex. */
export function nsRecords(apex: ZoneApex): BridgeRecord[] {
  const zone = canonicalDnsName(apex.zone);
  return apex.nameServers.map((server) => ({
    name: zone,
    type: "NS",
    ttl: apex.ttl,
    class: "IN",
    data: canonicalDnsName(server),
  }));
}
