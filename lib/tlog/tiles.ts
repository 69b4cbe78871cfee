// The C2SP tlog-tiles layout: tiles of height 8 (256 hashes), `tile/<L>/<N>[.p/<W>]` with N
// written as 3-digit path segments, all but the last prefixed with `x`, and entry bundles at
// `tile/entries/<N>[.p/<W>]` (entries as big-endian uint16 length-prefixed byte strings).

import { TlogMalformedTileError } from "./errors.ts";
import { HASH_SIZE } from "./hashing.ts";

/** Tile height: each tile spans 8 levels of the tree. */
export const TILE_HEIGHT = 8;
/** Hashes in a full tile (and entries in a full bundle). */
export const TILE_WIDTH = 256;
/** The largest entry a bundle can hold (its length is a uint16). */
export const MAX_ENTRY_SIZE = 0xffff;
/** The signed checkpoint's path under the log's prefix. */
export const CHECKPOINT_PATH = "checkpoint";

/** One tile of hashes: level L, index N, width W (256 for a full tile). */
export type TileId = { level: number; index: number; width: number };

/** The tile index N as path segments: 1234067 -> `x001/x234/067`. */
export function encodeTileIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`bad tile index ${index}`);
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, "0"));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups
    .map((group, position) => (position < groups.length - 1 ? `x${group}` : group))
    .join("/");
}

const widthSuffix = (width: number) => {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH)
    throw new RangeError(`bad tile width ${width}`);
  return width === TILE_WIDTH ? "" : `.p/${width}`;
};

/** `tile/<L>/<N>[.p/<W>]`. */
export function tilePath({ level, index, width }: TileId): string {
  if (!Number.isInteger(level) || level < 0 || level > 63)
    throw new RangeError(`bad level ${level}`);
  return `tile/${level}/${encodeTileIndex(index)}${widthSuffix(width)}`;
}

/** `tile/entries/<N>[.p/<W>]`. */
export function entryBundlePath(index: number, width: number): string {
  return `tile/entries/${encodeTileIndex(index)}${widthSuffix(width)}`;
}

/** 256^level, exactly (a safe integer for every level a real log reaches). */
export const tileSpan = (level: number): number => TILE_WIDTH ** level;

/**
 * The width of tile N at level L in a tree of `size` leaves: 256 when full, 1-255 when it is the
 * partial right-most tile, 0 when the tile does not exist at that size.
 */
export function tileWidthAt(level: number, index: number, size: number): number {
  const hashesAtLevel = Math.floor(size / tileSpan(level));
  const width = hashesAtLevel - index * TILE_WIDTH;
  return Math.max(0, Math.min(TILE_WIDTH, width));
}

/** The partial tiles of a tree (at most one per level, the right edge), lowest level first. */
export function partialTiles(size: number): TileId[] {
  const tiles: TileId[] = [];
  for (let level = 0; tileSpan(level) <= size; level++) {
    const width = Math.floor(size / tileSpan(level)) % TILE_WIDTH;
    if (width > 0) tiles.push({ level, index: Math.floor(size / tileSpan(level + 1)), width });
  }
  return tiles;
}

/** A tile's bytes: its hashes concatenated. */
export function encodeTile(hashes: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(hashes.length * HASH_SIZE);
  for (const [position, hash] of hashes.entries()) bytes.set(hash, position * HASH_SIZE);
  return bytes;
}

/** A tile's hashes; the length must be exactly `width` hashes. */
export function decodeTile(path: string, bytes: Uint8Array, width: number): Uint8Array[] {
  if (bytes.length !== width * HASH_SIZE)
    throw new TlogMalformedTileError(
      path,
      `${bytes.length} bytes, expected ${width * HASH_SIZE} (${width} hashes)`,
    );
  const hashes: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += HASH_SIZE)
    hashes.push(bytes.subarray(offset, offset + HASH_SIZE));
  return hashes;
}

/** An entry bundle's bytes: each entry as a big-endian uint16 length, then its bytes. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const entry of entries) {
    if (entry.length > MAX_ENTRY_SIZE)
      throw new RangeError(`a log entry is at most ${MAX_ENTRY_SIZE} bytes, not ${entry.length}`);
    length += 2 + entry.length;
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const entry of entries) {
    bytes[offset] = entry.length >> 8;
    bytes[offset + 1] = entry.length & 0xff;
    bytes.set(entry, offset + 2);
    offset += 2 + entry.length;
  }
  return bytes;
}

/** The entries of a bundle, which must hold exactly `width` entries and nothing after them. */
export function decodeEntryBundle(path: string, bytes: Uint8Array, width: number): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 2 > bytes.length)
      throw new TlogMalformedTileError(path, `truncated length prefix at byte ${offset}`);
    const length = ((bytes[offset] as number) << 8) | (bytes[offset + 1] as number);
    if (offset + 2 + length > bytes.length)
      throw new TlogMalformedTileError(path, `entry ${entries.length} runs past the bundle's end`);
    entries.push(bytes.subarray(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  if (entries.length !== width)
    throw new TlogMalformedTileError(path, `${entries.length} entries, expected ${width}`);
  return entries;
}
