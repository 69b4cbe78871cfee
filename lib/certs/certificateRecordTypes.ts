// The certificate record types, with no crypto import: the gateway and the resolver's tests can
// use them without loading @peculiar/x509 or @peculiar/webcrypto.
import type { DnsRecordRequest, TextRequest } from "../records/recordRequest.ts";
import { DNS_RESOURCE_TYPES, hashDnsOwnerName } from "../records/values/dnsZoneValue.ts";
import { InvalidCertificateChainError } from "./errors.ts";

export {
  CERTIFICATE_TEXT_KEY_PREFIX,
  isCertificateRecordRequest,
} from "../records/certificateRecordKeys.ts";

/**
 * Text key of the certificate authority's PEM chain of a name (end-entity, intermediate, root).
 * Under the CA's `org.ensgate.ca.` prefix: read from the CA's tree, bound to the owner the
 * certificate was issued to. Reverse-DNS form, as ENSIP-5 asks of service-specific keys.
 */
export const CERTIFICATE_CHAIN_TEXT_KEY = "org.ensgate.ca.chain";

/**
 * Text key of the certificate authority's key pin for a name: TLSA RDATA in presentation form,
 * `3 1 1 <sha256(SPKI) hex>` (DANE-EE, SubjectPublicKeyInfo, SHA-256). Readers serve it as the
 * TLSA record of `_443._tcp.<name>` next to the owner's own TLSA records.
 */
export const CERTIFICATE_TLSA_TEXT_KEY = "org.ensgate.ca.tlsa";

/** The TLSA owner name of a TLS service: `_<port>._tcp.<name>` (RFC 6698 §3). */
export function tlsaOwnerName(name: string, port = 443): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InvalidCertificateChainError(`port ${port} is not 1-65535`);
  return `_${port}._tcp.${name}`;
}

/** The two records the CA publishes for a name's certificate: its chain and its key pin. */
export function certificateRecordRequests(): { chain: TextRequest; tlsa: TextRequest } {
  return {
    chain: { type: "text", key: CERTIFICATE_CHAIN_TEXT_KEY },
    tlsa: { type: "text", key: CERTIFICATE_TLSA_TEXT_KEY },
  };
}

/** The owner's own TLSA RRset of a TLS service on `name` (`dnsRecord` of `_<port>._tcp.<name>`). */
export function ownerTlsaRecordRequest(name: string, port = 443): DnsRecordRequest {
  const owner = tlsaOwnerName(name, port);
  return {
    type: "dnsRecord",
    nameHash: hashDnsOwnerName(owner),
    resource: DNS_RESOURCE_TYPES.TLSA,
    name: owner,
  };
}

/** TLSA RDATA in presentation form, as the CA's `org.ensgate.ca.tlsa` holds it. */
export type TlsaPin = { usage: number; selector: number; matchingType: number; data: string };

/**
 * Parses `3 1 1 <hex>` (the CA's key pin, `buildTlsaPin`): three decimal octets and the
 * association data as hex (spaces inside the hex are allowed, as in zone files).
 *
 * @throws {InvalidCertificateChainError} for anything else.
 */
export function parseTlsaPin(text: string): TlsaPin {
  const match = /^\s*(\d{1,3})\s+(\d{1,3})\s+(\d{1,3})\s+([0-9a-fA-F\s]+?)\s*$/.exec(text);
  const data = match?.[4]?.replace(/\s+/g, "").toLowerCase();
  const octets = match ? [match[1], match[2], match[3]].map(Number) : [];
  if (!match || !data || data.length % 2 !== 0 || octets.some((n) => n > 255))
    throw new InvalidCertificateChainError(
      `"${text.slice(0, 80)}" is not TLSA data (usage selector type hex)`,
    );
  const [usage, selector, matchingType] = octets as [number, number, number];
  return { usage, selector, matchingType, data };
}
