import type { Hex } from "viem";

const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/;

/**
 * The one grammar of byte strings the library reads from JSON (a record file's `data`, response
 * data, lookup `callData`): `0x` followed by an even number of hex digits, in any case. The
 * contract sees bytes, not text, so case carries no meaning: the result is lower-cased, and the
 * same bytes in either case verify the same way. Returns `undefined` for anything else (a
 * non-string, no `0x` prefix, a non-hex digit, or an odd number of digits).
 *
 * @example
 * normalizeHexBytes("0xDEADbeef") // "0xdeadbeef"
 * normalizeHexBytes("0xabc")      // undefined (half a byte)
 */
export function normalizeHexBytes(value: unknown): Hex | undefined {
  if (typeof value !== "string" || !HEX_BYTES.test(value)) return undefined;
  return value.toLowerCase() as Hex;
}
