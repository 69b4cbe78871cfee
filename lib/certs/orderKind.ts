/** What a certificate order asks for: a per-domain intermediate CA, or an end-entity for a name. */
export type CertificateOrderKind = "intermediate" | "endEntity";

/** The order contract's `kind` byte of each order kind (`CertificateOrders.request`). */
export const CERTIFICATE_ORDER_KINDS = { intermediate: 0, endEntity: 1 } as const;

/** The order kind of the contract's `kind` byte, or `undefined` for an unknown byte. */
export function orderKindFromByte(kind: number): CertificateOrderKind | undefined {
  if (kind === CERTIFICATE_ORDER_KINDS.intermediate) return "intermediate";
  if (kind === CERTIFICATE_ORDER_KINDS.endEntity) return "endEntity";
  return undefined;
}

/** The DNS bridge domain certificates also cover unless the CA is set up with another one. */
export const DEFAULT_BRIDGE_DOMAIN = "deploy-ens-to-dns.com";

/**
 * The name a domain CA's records (its intermediate certificate) are published under: `_ca.<name>`.
 * An end-entity certificate is published under the ordered name itself.
 */
export function certificateRecordsName(name: string, kind: CertificateOrderKind | number): string {
  const intermediate = kind === "intermediate" || kind === CERTIFICATE_ORDER_KINDS.intermediate;
  return intermediate ? `_ca.${name}` : name;
}
