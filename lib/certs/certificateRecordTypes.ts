// The certificate record types, with no crypto import: the gateway and the resolver's tests can
// use them without loading @peculiar/x509 or @peculiar/webcrypto.
import type { DnsRecordRequest, RecordRequest, TextRequest } from "../records/recordRequest.ts";
import { DNS_RESOURCE_TYPES, hashDnsOwnerName } from "../records/values/dnsZoneValue.ts";
import { InvalidCertificateChainError } from "./errors.ts";

/**
 * Text key of the published PEM chain (end-entity, intermediate, root). Reverse-DNS form, as
 * ENSIP-5 asks of service-specific keys, so it cannot clash with the global keys (`url`, `avatar`).
 */
export const CERTIFICATE_CHAIN_TEXT_KEY = "org.ensgate.tls.chain";

/** The TLSA owner name of a TLS service: `_<port>._tcp.<name>` (RFC 6698 §3). */
export function tlsaOwnerName(name: string, port = 443): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InvalidCertificateChainError(`port ${port} is not 1-65535`);
  return `_${port}._tcp.${name}`;
}

/** The two record requests of a name's certificate: the chain text record and the TLSA RRset. */
export function certificateRecordRequests(
  name: string,
  { port = 443 }: { port?: number } = {},
): { chain: TextRequest; tlsa: DnsRecordRequest } {
  const owner = tlsaOwnerName(name, port);
  return {
    chain: { type: "text", key: CERTIFICATE_CHAIN_TEXT_KEY },
    tlsa: {
      type: "dnsRecord",
      nameHash: hashDnsOwnerName(owner),
      resource: DNS_RESOURCE_TYPES.TLSA,
      name: owner,
    },
  };
}

/**
 * True for the record types the CA publishes and signs: the chain text key, and TLSA (type 52)
 * RRsets of any owner name. The resolver accepts the CA's signer for these and nothing else.
 */
export function isCertificateRecordRequest(request: RecordRequest): boolean {
  return (
    (request.type === "text" && request.key === CERTIFICATE_CHAIN_TEXT_KEY) ||
    (request.type === "dnsRecord" && request.resource === DNS_RESOURCE_TYPES.TLSA)
  );
}
