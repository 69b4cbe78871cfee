// The writer's side of the tiles: a log is extended from its right edge alone (the partial tile
// of each level and the partial entry bundle), so appending never reads the whole tree. Each
// batch yields the files to publish (new full tiles and bundles, the new partial ones) and the
// new root; the edge is a new value, so a failed publication leaves the old edge intact.
import {
  completeSubtreeRoot,
  EMPTY_TREE_ROOT,
  largestPowerOfTwoBelow,
  leafHash,
  nodeHash,
} from "./hashing.ts";
import {
  encodeEntryBundle,
  encodeTile,
  entryBundlePath,
  MAX_ENTRY_SIZE,
  partialTiles,
  TILE_HEIGHT,
  TILE_WIDTH,
  tilePath,
  tileSpan,
} from "./tiles.ts";

/** The right edge of a log of `size` entries. */
export type TreeEdge = {
  readonly size: number;
  /** Per level, the hashes of its partial tile (empty when the level has none). */
  readonly levels: readonly (readonly Uint8Array[])[];
  /** The entries of the partial entry bundle. */
  readonly bundle: readonly Uint8Array[];
};

/** A static file of the log: its path under the prefix and its bytes. */
export type LogFile = { path: string; bytes: Uint8Array };

/** The edge of the empty log. */
export const EMPTY_EDGE: TreeEdge = { size: 0, levels: [], bundle: [] };

/**
 * The root hash of a tree from its right edge: the tree is cut into complete subtrees by the
 * binary digits of its size, and each lies in the partial tile of its level.
 */
export function edgeRoot(edge: Pick<TreeEdge, "size" | "levels">): Uint8Array {
  const { size, levels } = edge;
  if (size === 0) return EMPTY_TREE_ROOT;
  /** The hash of the complete subtree of 2^height leaves starting at leaf `start`. */
  const complete = (start: number, height: number): Uint8Array => {
    const level = Math.floor(height / TILE_HEIGHT);
    const count = 2 ** (height - level * TILE_HEIGHT);
    const tileStart = Math.floor(size / tileSpan(level + 1)) * TILE_WIDTH;
    const first = start / tileSpan(level) - tileStart;
    const hashes = levels[level]?.slice(first, first + count) ?? [];
    if (hashes.length !== count) throw new RangeError(`the edge lacks hashes at level ${level}`);
    return completeSubtreeRoot(hashes);
  };
  const range = (start: number, end: number): Uint8Array => {
    const n = end - start;
    if (isPowerOfTwo(n)) return complete(start, Math.log2(n));
    const k = largestPowerOfTwoBelow(n);
    return nodeHash(range(start, start + k), range(start + k, end));
  };
  return range(0, size);
}

const isPowerOfTwo = (n: number) => Number.isInteger(Math.log2(n));

/** Appends entries to a log's edge: the new edge, the files to write and the new root. */
export function appendToEdge(
  edge: TreeEdge,
  entries: readonly Uint8Array[],
): { edge: TreeEdge; files: LogFile[]; root: Uint8Array } {
  const levels = edge.levels.map((hashes) => [...hashes]);
  let bundle = [...edge.bundle];
  let size = edge.size;
  const files: LogFile[] = [];
  for (const entry of entries) {
    if (entry.length > MAX_ENTRY_SIZE)
      throw new RangeError(`a log entry is at most ${MAX_ENTRY_SIZE} bytes, not ${entry.length}`);
    bundle.push(entry);
    let hash = leafHash(entry);
    size += 1;
    if (bundle.length === TILE_WIDTH) {
      files.push({
        path: entryBundlePath(size / TILE_WIDTH - 1, TILE_WIDTH),
        bytes: encodeEntryBundle(bundle),
      });
      bundle = [];
    }
    for (let level = 0; ; level++) {
      const hashes = levels[level] ?? [];
      levels[level] = hashes;
      hashes.push(hash);
      if (hashes.length < TILE_WIDTH) break;
      files.push({
        path: tilePath({ level, index: size / tileSpan(level + 1) - 1, width: TILE_WIDTH }),
        bytes: encodeTile(hashes),
      });
      hash = completeSubtreeRoot(hashes);
      levels[level] = [];
    }
  }
  if (size !== edge.size) {
    for (const tile of partialTiles(size))
      files.push({ path: tilePath(tile), bytes: encodeTile(levels[tile.level] as Uint8Array[]) });
    if (bundle.length > 0)
      files.push({
        path: entryBundlePath(Math.floor(size / TILE_WIDTH), bundle.length),
        bytes: encodeEntryBundle(bundle),
      });
  }
  while (levels.length > 0 && (levels.at(-1) as Uint8Array[]).length === 0) levels.pop();
  const next: TreeEdge = { size, levels, bundle };
  return { edge: next, files, root: edgeRoot(next) };
}
