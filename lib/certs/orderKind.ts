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
