// Test helpers: a log built in memory with the same code the CA's writer uses (appendToEdge),
// keeping every file ever published (partial tiles of every size included), and an independent
// RFC 6962 reference: MTH computed by the definition straight from the leaves.
import { sha256 } from "@noble/hashes/sha2.js";
import {
  appendToEdge,
  EMPTY_EDGE,
  EMPTY_TREE_ROOT,
  type LogFileSource,
  type TreeEdge,
} from "../../lib/tlog/index.ts";

/** SHA-256 written out for the reference (leaf 0x00 || d, node 0x01 || l || r). */
const referenceLeaf = (entry: Uint8Array) => sha256(Uint8Array.of(0, ...entry));
const referenceNode = (left: Uint8Array, right: Uint8Array) =>
  sha256(Uint8Array.of(1, ...left, ...right));

/** RFC 6962 §2.1 MTH over leaves, by the definition (memoized: subtrees repeat across sizes). */
export function referenceTree(entries: readonly Uint8Array[]) {
  const leaves = entries.map(referenceLeaf);
  const memo = new Map<string, Uint8Array>();
  const mth = (start: number, end: number): Uint8Array => {
    const n = end - start;
    if (n === 0) return EMPTY_TREE_ROOT;
    if (n === 1) return leaves[start] as Uint8Array;
    const key = `${start}-${end}`;
    const known = memo.get(key);
    if (known) return known;
    let k = 1;
    while (k * 2 < n) k *= 2;
    const hash = referenceNode(mth(start, start + k), mth(start + k, end));
    memo.set(key, hash);
    return hash;
  };
  return { leaves, mth };
}

/** A log built in memory: every file it ever published, the root at every size. */
export class MemoryLog {
  readonly files = new Map<string, Uint8Array>();
  readonly roots: Uint8Array[] = [EMPTY_TREE_ROOT];
  readonly entries: Uint8Array[] = [];
  edge: TreeEdge = EMPTY_EDGE;

  append(batch: readonly Uint8Array[]): Uint8Array {
    const { edge, files, root } = appendToEdge(this.edge, batch);
    for (const file of files) this.files.set(file.path, file.bytes);
    this.edge = edge;
    this.entries.push(...batch);
    this.roots[edge.size] = root;
    return root;
  }

  /** The files as a reader's source; `overrides` replaces (or with undefined, removes) files. */
  source(overrides: Record<string, Uint8Array | undefined> = {}): LogFileSource {
    return async (path) => (path in overrides ? overrides[path] : this.files.get(path));
  }
}

/** Entry `index` of a test log: distinct bytes of varying length (0 to 40 bytes). */
export const testEntry = (index: number): Uint8Array =>
  new TextEncoder().encode(`entry ${index} `.repeat(index % 4)).subarray(0, (index * 7) % 41);
