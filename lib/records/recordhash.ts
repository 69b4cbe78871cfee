import { decode, encode, getCodec } from "@ensdomains/content-hash";
import { type Hex, isHex, size } from "viem";
import { InvalidRecordValueError } from "../errors/record.ts";

/** Where a name's record tree lives: an IPNS name (`k51…`) or an immutable IPFS CID. */
export type RecordhashTarget =
  | { protocol: "ipns"; name: string }
  | { protocol: "ipfs"; cid: string };

/**
 * The ENSIP-7 prefix that turns a 32-byte ed25519 public key into an IPNS contenthash: ipns-ns,
 * CIDv1, libp2p-key, identity multihash of the protobuf-encoded key (NameSys "short recordhash").
 */
export const IPNS_ED25519_RECORDHASH_PREFIX: Hex = "0xe5010172002408011220";

/** Expands a short 32-byte recordhash (an ed25519 key) to the full IPNS contenthash; others pass through. */
export function expandRecordhash(recordhash: Hex): Hex {
  if (!isHex(recordhash, { strict: true }))
    throw new InvalidRecordValueError({ recordType: "recordhash", reason: "not 0x-hex" });
  return size(recordhash) === 32
    ? `${IPNS_ED25519_RECORDHASH_PREFIX}${recordhash.slice(2).toLowerCase()}`
    : (recordhash.toLowerCase() as Hex);
}

/** Reads a recordhash (full contenthash or short 32-byte key) into the IPNS name or IPFS CID it points at. */
export function parseRecordhash(recordhash: Hex): RecordhashTarget {
  const full = expandRecordhash(recordhash).slice(2);
  let codec: string | undefined;
  try {
    // A truncated varint (e.g. `0x80`) makes the codec reader throw a RangeError: bad input too.
    codec = full === "" ? undefined : getCodec(full);
    if (codec === "ipns") return { protocol: "ipns", name: decode(full) };
    if (codec === "ipfs") return { protocol: "ipfs", cid: decode(full) };
  } catch (error) {
    throw new InvalidRecordValueError({
      recordType: "recordhash",
      reason: `malformed ${codec ?? "multicodec"} contenthash (${(error as Error).message})`,
    });
  }
  throw new InvalidRecordValueError({
    recordType: "recordhash",
    reason: "expected an ipns:// or ipfs:// contenthash, or a 32-byte ed25519 IPNS key",
  });
}

/** Encodes an IPNS name (`k51…`) as the contenthash bytes a resolver stores as recordhash. */
export function buildRecordhash(target: RecordhashTarget): Hex {
  return target.protocol === "ipns"
    ? `0x${encode("ipns", target.name)}`
    : `0x${encode("ipfs", target.cid)}`;
}
