// The DNS bridge zone: `<labels>.<zone>` is the ENS name `<labels>.eth`. Unlike certificate names
// (lib/certs/bridgeName.ts, LDH only), a query name may carry underscore labels (`_dnslink`,
// `_443._tcp`), which ENSIP-15 accepts at the start of a label.
import { DEFAULT_BRIDGE_DOMAIN } from "../certs/orderKind.ts";
import { normalizeName } from "../names/normalizeName.ts";

/** The zone the DNS bridge serves by default: the certificates' bridge domain (one rule). */
export const DEFAULT_DNS_BRIDGE_ZONE = DEFAULT_BRIDGE_DOMAIN;

/** Where a query name falls relative to the bridge zone. */
export type BridgeQueryName =
  /** The zone apex itself (SOA, NS). */
  | { kind: "apex" }
  /** A name below the apex and the ENS name it stands for. */
  | { kind: "name"; ensName: string }
  /** Below the apex, but no ENS name (not ENSIP-15 normalized, e.g. upper-case Unicode, `xn--`). */
  | { kind: "invalid" }
  /** Not in the zone: the server is not authoritative (REFUSED). */
  | { kind: "outside" };

/** Lower-cases a DNS name and drops the trailing dot (DNS compares names case-insensitively). */
export function canonicalDnsName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

/** Classifies a query name: apex, an ENS name under `.eth`, below the apex but invalid, or outside. */
export function parseBridgeQueryName(queryName: string, zone: string): BridgeQueryName {
  const name = canonicalDnsName(queryName);
  const apex = canonicalDnsName(zone);
  if (name === apex) return { kind: "apex" };
  if (!name.endsWith(`.${apex}`)) return { kind: "outside" };
  const ensName = `${name.slice(0, -apex.length)}eth`;
  try {
    // DNS has no Unicode: a name that ENSIP-15 would change (or reject) has no ENS twin here.
    if (normalizeName(ensName) !== ensName) return { kind: "invalid" };
  } catch {
    return { kind: "invalid" };
  }
  return { kind: "name", ensName };
}

/** The bridge form of an ENS name under `.eth` (`www.demo.eth` -> `www.demo.<zone>`); other names unchanged. */
export function bridgeOwnerName(name: string, zone: string): string {
  const canonical = canonicalDnsName(name);
  if (canonical === "eth") return canonicalDnsName(zone);
  if (canonical.endsWith(".eth")) return `${canonical.slice(0, -3)}${canonicalDnsName(zone)}`;
  return canonical;
}
