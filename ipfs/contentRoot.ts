import { peerIdFromString } from "@libp2p/peer-id";
import { base32 } from "multiformats/bases/base32";
import { base36 } from "multiformats/bases/base36";
import { base58btc } from "multiformats/bases/base58";
import { CID } from "multiformats/cid";
import { InvalidContentRootError, InvalidIpfsPathError } from "./errors.ts";

/** The multicodec of a libp2p public key CID: what an IPNS name is. */
export const LIBP2P_KEY_CODEC = 0x72;

/** Where content is addressed from: an immutable CID, or a mutable IPNS name (a libp2p-key CID). */
export type ContentRoot = { kind: "ipfs"; cid: CID } | { kind: "ipns"; name: CID };

const MULTIBASE_DECODER = base32.decoder.or(base36.decoder).or(base58btc.decoder);

/** Parses a CID string in any common multibase (base32 `b…`, base36 `k…`, base58 `Qm…`/`z…`). */
export function parseCid(input: string): CID {
  try {
    return input.startsWith("Qm") ? CID.parse(input) : CID.parse(input, MULTIBASE_DECODER);
  } catch (error) {
    throw new InvalidContentRootError(input, "CID", error);
  }
}

/** Parses an IPNS name (`k51…`, `bafz…` or a `12D3Koo…` peer ID) into its libp2p-key CID. */
export function parseIpnsName(input: string): CID {
  if (/^(12D3Koo|16Uiu2|Qm)/.test(input)) {
    try {
      return peerIdFromString(input).toCID() as unknown as CID;
    } catch (error) {
      throw new InvalidContentRootError(input, "IPNS name", error);
    }
  }
  let cid: CID;
  try {
    cid = CID.parse(input, MULTIBASE_DECODER);
  } catch (error) {
    throw new InvalidContentRootError(input, "IPNS name", error);
  }
  if (cid.code !== LIBP2P_KEY_CODEC) throw new InvalidContentRootError(input, "IPNS name");
  return cid;
}

/** The canonical `k51…` (base36 CIDv1) spelling of an IPNS name. */
export function formatIpnsName(name: CID): string {
  return name.toString(base36);
}

/**
 * Parses `/ipfs/<cid>`, `/ipns/<name>`, a bare CID or a bare IPNS name (a libp2p-key CID) into a
 * content root; a trailing path after the root is rejected (pass paths separately).
 */
export function parseContentRoot(input: string | CID): ContentRoot {
  if (typeof input !== "string") {
    return input.code === LIBP2P_KEY_CODEC
      ? { kind: "ipns", name: input }
      : { kind: "ipfs", cid: input };
  }
  const match = /^\/(ipfs|ipns)\/([^/]+)\/?$/.exec(input);
  if (match) {
    const value = match[2] as string;
    return match[1] === "ipns"
      ? { kind: "ipns", name: parseIpnsName(value) }
      : { kind: "ipfs", cid: parseCid(value) };
  }
  if (/^(12D3Koo|16Uiu2)/.test(input)) return { kind: "ipns", name: parseIpnsName(input) };
  return parseContentRoot(parseCid(input));
}

/**
 * Splits a relative path inside a UnixFS tree into its segments: leading/trailing slashes are
 * ignored, empty, `.` and `..` segments are rejected.
 */
export function splitIpfsPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, "").replace(/\/+$/, "");
  if (trimmed === "") return [];
  const segments = trimmed.split("/");
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new InvalidIpfsPathError(path, "empty, '.' and '..' segments are not allowed");
    }
  }
  return segments;
}
