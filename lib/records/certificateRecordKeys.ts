import type { RecordRequest } from "./recordRequest.ts";

/**
 * The prefix of the certificate authority's text keys. A record under such a key is read from the
 * CA's tree, signed by the CA, and bound to the owner the certificate was issued to (SIGN 4's
 * `Name Owner` line, docs/protocol.md §6a). Every other key and every other record type, TLSA
 * included, belongs to the name's owner. The resolver contract applies the same prefix
 * (`RecordRequest.CERTIFICATE_TEXT_KEY_PREFIX`).
 */
export const CERTIFICATE_TEXT_KEY_PREFIX = "org.ensgate.ca.";

/**
 * True for the record types the CA publishes and signs: text keys that start with
 * `org.ensgate.ca.` and have at least one character after it.
 *
 * @example
 * isCertificateRecordRequest({ type: "text", key: "org.ensgate.ca.chain" }) // true
 * isCertificateRecordRequest({ type: "text", key: "org.ensgate.tls.chain" }) // false: the owner's
 */
export function isCertificateRecordRequest(request: RecordRequest): boolean {
  return (
    request.type === "text" &&
    request.key.length > CERTIFICATE_TEXT_KEY_PREFIX.length &&
    request.key.startsWith(CERTIFICATE_TEXT_KEY_PREFIX)
  );
}
