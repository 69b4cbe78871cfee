// Inclusion and consistency proofs: generated as RFC 6962 §2.1.1 PATH and §2.1.2 PROOF define
// them, verified with the RFC 9162 §2.1.3.2 and §2.1.4.2 algorithms. Generation takes a function
// for the hash of a range of leaves, so it works over tiles (the reader) or any other store.
import { TlogInclusionProofError, TlogInconsistentError } from "./errors.ts";
import { equalHashes, largestPowerOfTwoBelow, nodeHash } from "./hashing.ts";

/** MTH(D[start:end]) for 0 <= start < end <= tree size. */
export type RangeHash = (start: number, end: number) => Promise<Uint8Array>;

const isOdd = (value: number) => value % 2 === 1;
const half = (value: number) => Math.floor(value / 2);

/** PATH(index, D[0:size]): the audit path of a leaf, bottom first. */
export async function inclusionProof(
  index: number,
  size: number,
  rangeHash: RangeHash,
): Promise<Uint8Array[]> {
  if (!(Number.isSafeInteger(index) && index >= 0 && index < size))
    throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
  const path = async (start: number, end: number): Promise<Uint8Array[]> => {
    if (end - start === 1) return [];
    const k = largestPowerOfTwoBelow(end - start);
    if (index < start + k)
      return [...(await path(start, start + k)), await rangeHash(start + k, end)];
    return [...(await path(start + k, end)), await rangeHash(start, start + k)];
  };
  return path(0, size);
}

/** PROOF(oldSize, D[0:newSize]): the consistency proof between two tree sizes. */
export async function consistencyProof(
  oldSize: number,
  newSize: number,
  rangeHash: RangeHash,
): Promise<Uint8Array[]> {
  if (!(Number.isSafeInteger(oldSize) && oldSize >= 0 && oldSize <= newSize))
    throw new RangeError(`no consistency proof from size ${oldSize} to ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  const subproof = async (start: number, end: number, complete: boolean): Promise<Uint8Array[]> => {
    if (oldSize === end) return complete ? [] : [await rangeHash(start, end)];
    const k = largestPowerOfTwoBelow(end - start);
    if (oldSize <= start + k)
      return [...(await subproof(start, start + k, complete)), await rangeHash(start + k, end)];
    return [...(await subproof(start + k, end, false)), await rangeHash(start, start + k)];
  };
  return subproof(0, newSize, true);
}

/**
 * RFC 9162 §2.1.3.2: checks that `leaf` (a leaf hash) is at `index` of the tree of `size` whose
 * root is `root`. Throws TlogInclusionProofError.
 */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  if (!(index >= 0 && index < size))
    throw new TlogInclusionProofError(`leaf ${index} is not in a tree of size ${size}`);
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new TlogInclusionProofError("the proof is longer than the tree is deep");
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn))
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
    } else r = nodeHash(r, p);
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new TlogInclusionProofError("the proof is shorter than the tree is deep");
  if (!equalHashes(r, root))
    throw new TlogInclusionProofError(`leaf ${index} does not hash up to the root of size ${size}`);
}

/**
 * RFC 9162 §2.1.4.2: checks that the tree of `newSize` (root `newRoot`) extends the tree of
 * `oldSize` (root `oldRoot`). Throws TlogInconsistentError.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): void {
  if (oldSize > newSize)
    throw new TlogInconsistentError(`the tree shrank from size ${oldSize} to ${newSize}`);
  if (oldSize === newSize) {
    if (proof.length !== 0)
      throw new TlogInconsistentError("a proof between equal sizes must be empty");
    if (!equalHashes(oldRoot, newRoot))
      throw new TlogInconsistentError(`two different roots for the same size ${oldSize}`);
    return;
  }
  if (oldSize === 0) {
    if (proof.length !== 0)
      throw new TlogInconsistentError("a proof from the empty tree must be empty");
    return;
  }
  if (proof.length === 0) throw new TlogInconsistentError("the consistency proof is empty");
  // When the old tree is a complete subtree its root is the proof's implicit first element.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Uint8Array;
  let sr = path[0] as Uint8Array;
  for (const c of path.slice(1)) {
    if (sn === 0) throw new TlogInconsistentError("the proof is longer than the tree is deep");
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn))
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
    } else sr = nodeHash(sr, c);
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new TlogInconsistentError("the proof is shorter than the tree is deep");
  if (!equalHashes(fr, oldRoot))
    throw new TlogInconsistentError(`the proof does not lead to the old root (size ${oldSize})`);
  if (!equalHashes(sr, newRoot))
    throw new TlogInconsistentError(`the proof does not lead to the new root (size ${newSize})`);
}

function isPowerOfTwo(value: number): boolean {
  let v = value;
  while (v > 1 && v % 2 === 0) v /= 2;
  return v === 1;
}
