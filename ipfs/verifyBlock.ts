// Whether a block's bytes hash to its CID: the one check every block read from an untrusted
// gateway or uploaded by a client goes through. Browser-safe.
import type { CID } from "multiformats/cid";
import { identity } from "multiformats/hashes/identity";
import { sha256 } from "multiformats/hashes/sha2";

/** `match`, `mismatch`, or `unsupported-hash` (a multihash other than sha2-256 or identity). */
export type BlockCheck = "match" | "mismatch" | "unsupported-hash";

/** Hashes `bytes` with the CID's hash function and compares the digest. */
export async function checkBlock(cid: CID, bytes: Uint8Array): Promise<BlockCheck> {
  const code = cid.multihash.code;
  let digest: Uint8Array;
  if (code === sha256.code) digest = (await sha256.digest(bytes)).digest;
  else if (code === identity.code) digest = identity.digest(bytes).digest;
  else return "unsupported-hash";
  const expected = cid.multihash.digest;
  return digest.length === expected.length &&
    digest.every((byte, index) => byte === expected[index])
    ? "match"
    : "mismatch";
}
