// TTLs of bridge answers: a record's own TTL, never past the signed record's validUntil, so a
// resolver never keeps an answer the resolver contract would no longer accept.

/** Largest TTL a bridge answer carries (one day), whatever the record asks for. */
export const MAX_BRIDGE_TTL = 86_400;

/** `ttl` cut to the seconds left until `validUntil` (unix seconds) and to `MAX_BRIDGE_TTL`; never negative. */
export function clampTtl(ttl: number, validUntil: bigint | undefined, now: bigint): number {
  let clamped = Math.min(Math.max(0, Math.floor(ttl)), MAX_BRIDGE_TTL);
  if (validUntil !== undefined) {
    const left = validUntil - now;
    clamped = left <= 0n ? 0 : Math.min(clamped, Number(left > 2n ** 31n ? 2n ** 31n : left));
  }
  return clamped;
}
