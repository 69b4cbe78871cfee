import { DnsEncodingError } from "../errors/name.ts";
import { normalizeName } from "./normalizeName.ts";

/** The RFC 8615 folder that holds every record tree. */
export const WELL_KNOWN_ROOT = ".well-known";

/**
 * The `.well-known` folder of a name's records, labels reversed, with a trailing slash:
 * `sub.domain.eth` -> `.well-known/eth/domain/sub/`. The name is ENSIP-15 normalized first.
 */
export function buildWellKnownPath(name: string): string {
  const normalized = normalizeName(name);
  if (normalized === "") throw new DnsEncodingError("the root name has no record folder");
  return `${WELL_KNOWN_ROOT}/${normalized.split(".").reverse().join("/")}/`;
}

/** Inverse of `buildWellKnownPath`: `.well-known/eth/domain/sub/` -> `sub.domain.eth`. */
export function parseWellKnownPath(path: string): string {
  const trimmed = path.replace(/^\/+/, "").replace(/\/+$/, "");
  const [root, ...reversed] = trimmed.split("/");
  if (root !== WELL_KNOWN_ROOT || reversed.length === 0)
    throw new DnsEncodingError(`"${path}" is not under ${WELL_KNOWN_ROOT}/`);
  return normalizeName(reversed.reverse().join("."));
}
