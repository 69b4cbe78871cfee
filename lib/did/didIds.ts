import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { ParsedEnsDid } from "./parseEnsDid.ts";

/** DID Core URL fragment characters (RFC 3986 `fragment`), at least one. */
const FRAGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})+$/;

/** Lowercase CAIP-10 account id as the did:ens spec writes it: `eip155:<chainId>:<lowercase address>`. */
export function formatLowercaseCaip10(chainId: number, address: string): string {
  return `eip155:${chainId}:${address.toLowerCase()}`;
}

/** Lowercase hex of sha256 over the UTF-8 of `text` (the did:ens default-id hash). */
export function sha256Hex(text: string | Uint8Array): string {
  return bytesToHex(sha256(typeof text === "string" ? utf8ToBytes(text) : text));
}

/** The ids the spec fixes for a DID and owner: the default verification method and the profile service. */
export function defaultDidIds(
  parsed: ParsedEnsDid,
  owner: string,
): { blockchainAccountId: string; methodId: string; serviceId: string } {
  const blockchainAccountId = formatLowercaseCaip10(parsed.chainId, owner);
  const hash = sha256Hex(blockchainAccountId);
  return {
    blockchainAccountId,
    methodId: `${parsed.canonicalDid}#${hash}`,
    serviceId: `${parsed.canonicalDid}#Web3PublicProfile-${hash}`,
  };
}

/**
 * Resolves an id from a text record against the canonical DID: `#frag`, `<canonical DID>#frag` and
 * `<DID as given>#frag` all become `<canonical DID>#frag`; anything else (another DID, no fragment,
 * bad fragment characters) is `undefined`.
 */
export function resolveDidFragmentId(parsed: ParsedEnsDid, id: string): string | undefined {
  const hash = id.indexOf("#");
  if (hash < 0) return undefined;
  const base = id.slice(0, hash);
  const fragment = id.slice(hash + 1);
  if (base !== "" && base !== parsed.canonicalDid && base !== parsed.did) return undefined;
  if (!FRAGMENT.test(fragment)) return undefined;
  return `${parsed.canonicalDid}#${fragment}`;
}
