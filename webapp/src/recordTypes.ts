// Which records Explore asks for. A resolver cannot list a name's records, so the app asks for the
// common ones (as a wallet asks for the ones it shows) plus any the visitor adds.
import {
  CERTIFICATE_CHAIN_TEXT_KEYS,
  DID_TEXT_KEYS,
  DNS_RESOURCE_TYPES,
  hashDnsOwnerName,
  parseRecordType,
  type RecordRequest,
} from "../../lib/index.ts";

/** Text keys of ENSIP-5 and ENSIP-18 profiles, did:ens, and certificates (CA and owner chains). */
const TEXT_KEYS = [
  "avatar",
  "url",
  "description",
  "email",
  "display",
  "com.github",
  "com.twitter",
  "org.telegram",
  ...DID_TEXT_KEYS,
  ...CERTIFICATE_CHAIN_TEXT_KEYS,
  "org.ensgate.ca.tlsa",
];

/** The record types Explore resolves for `name`, in display order, with a label each. */
export function defaultRequests(name: string): { label: string; request: RecordRequest }[] {
  const dns = (owner: string, type: keyof typeof DNS_RESOURCE_TYPES) => ({
    label: `dns ${owner} ${type}`,
    request: {
      type: "dnsRecord",
      nameHash: hashDnsOwnerName(owner),
      resource: DNS_RESOURCE_TYPES[type],
      name: owner,
    } as RecordRequest,
  });
  return [
    ...TEXT_KEYS.map((key) => ({ label: `text/${key}`, request: parseRecordType(`text/${key}`) })),
    ...["address/60", "address/0", "address/2", "address/2147483658"].map((type) => ({
      label: type,
      request: parseRecordType(type),
    })),
    ...["contenthash", "pubkey", "name", "interface/0x01ffc9a7", "abi/1", "dns/zonehash"].map(
      (type) => ({ label: type, request: parseRecordType(type) }),
    ),
    dns(name, "A"),
    dns(name, "AAAA"),
    dns(name, "TXT"),
    dns(name, "MX"),
    dns(name, "CAA"),
    dns(`www.${name}`, "A"),
    dns(`www.${name}`, "AAAA"),
    dns(`_443._tcp.${name}`, "TLSA"),
  ];
}

/**
 * A record type the visitor typed: the CLI's file types (`text/<key>`, `address/<coin>`, ...) or
 * `dns <owner name> <TYPE>` for a DNS RRset. Throws lib's error for anything else.
 */
export function parseRequestInput(input: string): { label: string; request: RecordRequest } {
  const trimmed = input.trim();
  const dns = /^dns\s+(\S+)\s+([A-Za-z0-9]+)$/.exec(trimmed);
  if (dns) {
    const owner = (dns[1] as string).replace(/\.$/, "").toLowerCase();
    const type = (dns[2] as string).toUpperCase();
    const resource = (DNS_RESOURCE_TYPES as Record<string, number>)[type];
    if (resource === undefined) throw new Error(`${type} is not a DNS record type ensgate knows`);
    return {
      label: `dns ${owner} ${type}`,
      request: { type: "dnsRecord", nameHash: hashDnsOwnerName(owner), resource, name: owner },
    };
  }
  return { label: trimmed, request: parseRecordType(trimmed) };
}
