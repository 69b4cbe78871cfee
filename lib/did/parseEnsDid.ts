import { InvalidNameError } from "../errors/name.ts";
import { normalizeName } from "../names/normalizeName.ts";
import { InvalidDidError, UnknownNetworkError, UnsupportedDidMethodError } from "./errors.ts";
import { DEFAULT_ENS_DID_NETWORK, type EnsDidNetworks, resolveEnsDidNetworks } from "./networks.ts";

/** A parsed did:ens DID: the DID as given, its canonical form, the network and the normalized name. */
export type ParsedEnsDid = {
  /** The DID exactly as given (the document's `id`). */
  readonly did: string;
  /** `did:ens:<network>:<normalized name>`, non-ASCII percent-encoded (the document's `canonicalId`). */
  readonly canonicalDid: string;
  readonly network: string;
  readonly chainId: number;
  /** The ENSIP-15 normalized name, in Unicode. */
  readonly name: string;
};

/** Options of `parseEnsDid`: networks beyond the built-in ones (name -> chain id). */
export type ParseEnsDidOptions = { readonly networks?: EnsDidNetworks | undefined };

const PREFIX = "did:ens:";
/** DID Core `method-name` and `idchar`. */
const OTHER_DID = /^did:([a-z0-9]+):./;
const NETWORK = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;
/** Characters a name may carry raw: DID Core idchars, plus (leniently) any non-ASCII code point. */
const RAW_NAME_CHAR = /^(?:[A-Za-z0-9._-]|[^\p{ASCII}])$/u;

/** Parses `did:ens[:<network>]:<name>` (network defaults to mainnet) and normalizes the name (ENSIP-15). */
export function parseEnsDid(did: string, options: ParseEnsDidOptions = {}): ParsedEnsDid {
  if (typeof did !== "string" || !did.startsWith(PREFIX)) {
    const method = typeof did === "string" ? OTHER_DID.exec(did)?.[1] : undefined;
    if (method !== undefined && method !== "ens")
      throw new UnsupportedDidMethodError({ did, method });
    throw new InvalidDidError({ did: String(did), reason: 'it does not start with "did:ens:"' });
  }
  const specific = did.slice(PREFIX.length);
  const urlPart = /[/?#]/.exec(specific);
  if (urlPart)
    throw new InvalidDidError({
      did,
      reason: `"${urlPart[0]}" starts a DID URL part (path, query or fragment); resolve the bare DID`,
    });
  const segments = specific.split(":");
  if (segments.length > 2)
    throw new InvalidDidError({ did, reason: "expected at most one network segment" });
  const [network, encodedName] =
    segments.length === 2
      ? [segments[0] as string, segments[1] as string]
      : [DEFAULT_ENS_DID_NETWORK, segments[0] as string];

  if (!NETWORK.test(network))
    throw new InvalidDidError({
      did,
      reason: network === "" ? "the network segment is empty" : `network "${network}" is malformed`,
    });
  if (encodedName === "") throw new InvalidDidError({ did, reason: "the name is empty" });

  const networks = resolveEnsDidNetworks(options.networks);
  const chainId = networks[network];
  if (chainId === undefined)
    throw new UnknownNetworkError({ did, network, known: Object.keys(networks) });

  const rawName = decodeDidName(did, encodedName);
  let name: string;
  try {
    name = normalizeName(rawName);
  } catch (error) {
    if (!(error instanceof InvalidNameError)) throw error;
    throw new InvalidDidError({
      did,
      reason: `label "${error.label}" ${error.reason}`,
      label: error.label,
      cause: error,
    });
  }
  return { did, canonicalDid: `did:ens:${network}:${encodeDidName(name)}`, network, chainId, name };
}

/** Percent-decodes the name segment (UTF-8), rejecting characters a DID cannot carry raw. */
function decodeDidName(did: string, encoded: string): string {
  for (const char of encoded.replaceAll(/%[0-9A-Fa-f]{2}/g, "")) {
    if (!RAW_NAME_CHAR.test(char))
      throw new InvalidDidError({
        did,
        reason:
          char === "%"
            ? "it has a malformed percent-encoding"
            : `character ${JSON.stringify(char)} must be percent-encoded`,
      });
  }
  try {
    return decodeURIComponent(encoded);
  } catch (cause) {
    throw new InvalidDidError({ did, reason: "its percent-encoding is not UTF-8", cause });
  }
}

/** Percent-encodes (UTF-8, uppercase hex) every character of a normalized name that is not a DID idchar. */
export function encodeDidName(name: string): string {
  let out = "";
  for (const char of name) {
    if (/^[a-z0-9._-]$/.test(char)) out += char;
    else
      for (const byte of new TextEncoder().encode(char))
        out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
