// The verifier's side of the tiles: reads hashes and entries of a log through any file source
// (HTTP, a directory, memory), trusting only a checkpoint whose signature was checked. Partial
// tiles (the right edge) are checked together against the checkpoint's root; each full tile is
// checked against its hash in the tile above it. So a tampered tile or entry is caught as such,
// before any proof is computed from it.
import {
  TlogEntryMismatchError,
  TlogIndexOutOfRangeError,
  TlogMalformedTileError,
  TlogTileHashMismatchError,
} from "./errors.ts";
import {
  completeSubtreeRoot,
  EMPTY_TREE_ROOT,
  equalHashes,
  largestPowerOfTwoBelow,
  leafHash,
  nodeHash,
} from "./hashing.ts";
import { consistencyProof, inclusionProof } from "./proofs.ts";
import {
  decodeEntryBundle,
  decodeTile,
  entryBundlePath,
  partialTiles,
  TILE_HEIGHT,
  TILE_WIDTH,
  tilePath,
  tileWidthAt,
} from "./tiles.ts";
import { edgeRoot } from "./treeEdge.ts";

/** Reads one file of the log by its path under the prefix; undefined when it does not exist. */
export type LogFileSource = (path: string) => Promise<Uint8Array | undefined>;

/** A tree the reader trusts: the size and root of a verified checkpoint. */
export type TrustedTree = { size: number; root: Uint8Array };

/** Reads and verifies tiles, entries and proofs of the tree of one verified checkpoint. */
export class TileReader {
  readonly tree: TrustedTree;
  /** The paths of the files read so far, in order (each file is read once). */
  readonly reads: string[] = [];
  readonly #source: LogFileSource;
  readonly #tiles = new Map<string, Promise<Uint8Array[]>>();
  readonly #hashes = new Map<string, Promise<Uint8Array>>();
  #edge: Promise<Map<string, Uint8Array[]>> | undefined;

  constructor(source: LogFileSource, tree: TrustedTree) {
    this.#source = source;
    this.tree = tree;
  }

  /** A file's bytes; for a partial tile or bundle gone since, the full one's (spec fallback). */
  async #read(
    path: string,
    fullPath?: string,
  ): Promise<{ path: string; bytes: Uint8Array; full: boolean }> {
    const bytes = await this.#source(path);
    if (bytes !== undefined) {
      this.reads.push(path);
      return { path, bytes, full: fullPath === undefined };
    }
    if (fullPath !== undefined) {
      const full = await this.#source(fullPath);
      if (full !== undefined) {
        this.reads.push(fullPath);
        return { path: fullPath, bytes: full, full: true };
      }
    }
    throw new TlogMalformedTileError(path, "not found");
  }

  /** Fetches a tile's hashes, unverified, trimmed to `width`. */
  async #fetchTile(level: number, index: number, width: number): Promise<Uint8Array[]> {
    const path = tilePath({ level, index, width });
    const fullPath = width < TILE_WIDTH ? tilePath({ level, index, width: TILE_WIDTH }) : undefined;
    const read = await this.#read(path, fullPath);
    return decodeTile(read.path, read.bytes, read.full ? TILE_WIDTH : width).slice(0, width);
  }

  /** The partial tiles, checked together: the tree's root must hash up from them. */
  #rightEdge(): Promise<Map<string, Uint8Array[]>> {
    this.#edge ??= (async () => {
      const { size, root } = this.tree;
      const tiles = partialTiles(size);
      const levels: Uint8Array[][] = [];
      const byKey = new Map<string, Uint8Array[]>();
      await Promise.all(
        tiles.map(async (tile) => {
          const hashes = await this.#fetchTile(tile.level, tile.index, tile.width);
          levels[tile.level] = hashes;
          byKey.set(`${tile.level}/${tile.index}`, hashes);
        }),
      );
      const computed = size === 0 ? EMPTY_TREE_ROOT : edgeRoot({ size, levels });
      if (!equalHashes(computed, root))
        throw new TlogTileHashMismatchError(
          tiles.map(tilePath).join(", ") || "(none)",
          `the partial tiles do not hash to the root of tree size ${size}`,
        );
      return byKey;
    })();
    return this.#edge;
  }

  /** The verified hashes of tile N at level L of the tree. */
  tile(level: number, index: number): Promise<Uint8Array[]> {
    const key = `${level}/${index}`;
    let tile = this.#tiles.get(key);
    if (tile === undefined) {
      tile = this.#loadTile(level, index);
      this.#tiles.set(key, tile);
    }
    return tile;
  }

  async #loadTile(level: number, index: number): Promise<Uint8Array[]> {
    const width = tileWidthAt(level, index, this.tree.size);
    if (width === 0)
      throw new RangeError(`tile ${level}/${index} is not in a tree of size ${this.tree.size}`);
    if (width < TILE_WIDTH)
      return (await this.#rightEdge()).get(`${level}/${index}`) as Uint8Array[];
    const hashes = await this.#fetchTile(level, index, width);
    const expected = await this.hashAt((level + 1) * TILE_HEIGHT, index);
    if (!equalHashes(completeSubtreeRoot(hashes), expected))
      throw new TlogTileHashMismatchError(
        tilePath({ level, index, width }),
        `its hashes do not hash to its entry in tile ${level + 1}/${Math.floor(index / TILE_WIDTH)}`,
      );
    return hashes;
  }

  /** The verified hash of the `index`-th complete subtree of 2^height leaves. */
  hashAt(height: number, index: number): Promise<Uint8Array> {
    const key = `${height}:${index}`;
    let hash = this.#hashes.get(key);
    if (hash === undefined) {
      hash = (async () => {
        const level = Math.floor(height / TILE_HEIGHT);
        const count = 2 ** (height - level * TILE_HEIGHT);
        const first = index * count;
        const tile = await this.tile(level, Math.floor(first / TILE_WIDTH));
        const offset = first % TILE_WIDTH;
        const hashes = tile.slice(offset, offset + count);
        if (hashes.length !== count)
          throw new RangeError(
            `subtree ${height}:${index} is not complete at size ${this.tree.size}`,
          );
        return completeSubtreeRoot(hashes);
      })();
      this.#hashes.set(key, hash);
    }
    return hash;
  }

  /** MTH(D[start:end]) within the tree. */
  rangeHash = async (start: number, end: number): Promise<Uint8Array> => {
    const n = end - start;
    if (!(start >= 0 && n > 0 && end <= this.tree.size))
      throw new RangeError(`range ${start}-${end} is not in a tree of size ${this.tree.size}`);
    const height = Math.log2(n);
    if (Number.isInteger(height) && start % n === 0) return this.hashAt(height, start / n);
    const k = largestPowerOfTwoBelow(n);
    return nodeHash(await this.rangeHash(start, start + k), await this.rangeHash(start + k, end));
  };

  /** The inclusion proof of leaf `index` in this tree (from verified tiles). */
  inclusionProof(index: number): Promise<Uint8Array[]> {
    if (!(Number.isSafeInteger(index) && index >= 0 && index < this.tree.size))
      throw new TlogIndexOutOfRangeError(index, this.tree.size);
    return inclusionProof(index, this.tree.size, this.rangeHash);
  }

  /** The consistency proof from an earlier tree size to this tree (from verified tiles). */
  consistencyProof(oldSize: number): Promise<Uint8Array[]> {
    return consistencyProof(oldSize, this.tree.size, this.rangeHash);
  }

  /** The verified entries of entry bundle N (each must hash to its leaf in the level-0 tile). */
  async bundle(index: number): Promise<Uint8Array[]> {
    const width = tileWidthAt(0, index, this.tree.size);
    if (width === 0) throw new TlogIndexOutOfRangeError(index * TILE_WIDTH, this.tree.size);
    const path = entryBundlePath(index, width);
    const fullPath = width < TILE_WIDTH ? entryBundlePath(index, TILE_WIDTH) : undefined;
    const [read, leaves] = await Promise.all([this.#read(path, fullPath), this.tile(0, index)]);
    const entries = decodeEntryBundle(read.path, read.bytes, read.full ? TILE_WIDTH : width).slice(
      0,
      width,
    );
    entries.forEach((entry, position) => {
      if (!equalHashes(leafHash(entry), leaves[position] as Uint8Array))
        throw new TlogEntryMismatchError(
          index * TILE_WIDTH + position,
          `its leaf hash is not the one in tile ${tilePath({ level: 0, index, width })}`,
        );
    });
    return entries;
  }

  /** The verified entry at `index`. */
  async entry(index: number): Promise<Uint8Array> {
    if (!(Number.isSafeInteger(index) && index >= 0 && index < this.tree.size))
      throw new TlogIndexOutOfRangeError(index, this.tree.size);
    const entries = await this.bundle(Math.floor(index / TILE_WIDTH));
    return entries[index % TILE_WIDTH] as Uint8Array;
  }

  /** The number of distinct tiles (hash tiles, not entry bundles) read so far. */
  get tileReads(): number {
    return this.reads.filter((path) => !path.startsWith("tile/entries/")).length;
  }
}
