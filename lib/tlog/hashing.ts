// RFC 6962 §2.1 Merkle tree hashing (SHA-256): a leaf is hashed with a 0x00 prefix and an inner
// node with 0x01, so a leaf can never be passed off as a node (second-preimage resistance).
import { sha256 } from "@noble/hashes/sha2.js";

/** Length of every hash in the log (SHA-256). */
export const HASH_SIZE = 32;

/** The root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_TREE_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(entry: Uint8Array): Uint8Array {
  const input = new Uint8Array(entry.length + 1);
  input.set(entry, 1);
  return sha256(input);
}

/** The hash of an inner node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + 2 * HASH_SIZE);
  input[0] = 1;
  input.set(left, 1);
  input.set(right, 1 + HASH_SIZE);
  return sha256(input);
}

/**
 * The root of a complete subtree from its 2^k bottom hashes (k >= 0), hashing pairs level by
 * level. Used for the hashes inside a tile.
 */
export function completeSubtreeRoot(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0 || (hashes.length & (hashes.length - 1)) !== 0)
    throw new RangeError(`a complete subtree has a power of two hashes, not ${hashes.length}`);
  let level = hashes;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let index = 0; index < level.length; index += 2)
      next.push(nodeHash(level[index] as Uint8Array, level[index + 1] as Uint8Array));
    level = next;
  }
  return level[0] as Uint8Array;
}

/** The largest power of two strictly below n (n >= 2): the split point k of RFC 6962 §2.1. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Whether two hashes are the same bytes. */
export function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
