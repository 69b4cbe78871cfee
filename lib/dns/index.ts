// The DNS bridge's rules (docs/bridge.md): bridge names, RRs from verified ENS answers, TTLs, the apex.
export {
  BRIDGE_DNS_TYPES,
  type BridgeRecord,
  bridgeRRset,
  certificatePinRecord,
  dnslinkRecord,
  type Freshness,
  nsRecords,
  soaRecord,
  type ZoneApex,
} from "./bridgeRecords.ts";
export {
  type BridgeQueryName,
  bridgeOwnerName,
  canonicalDnsName,
  DEFAULT_DNS_BRIDGE_ZONE,
  parseBridgeQueryName,
} from "./bridgeZone.ts";
export { DNSLINK_LABEL, dnslinkFromContenthash, dnslinkTarget } from "./dnslink.ts";
export { clampTtl, MAX_BRIDGE_TTL } from "./ttl.ts";
