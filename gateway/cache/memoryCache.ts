import { ByteLru } from "../../ipfs/byteLru.ts";
import type { CachedRecord, RecordCache } from "./recordCache.ts";

/** Default memory budget of the Node gateway's record cache (ENSGATE_CACHE_BYTES). */
export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;
/**
 * What one entry costs besides its strings (measured order of magnitude: the Map slot, the entry
 * and record objects, the expiry number). Strings are counted at 2 bytes a character.
 */
const ENTRY_OVERHEAD_BYTES = 160;

/**
 * An in-memory LRU record cache with per-entry expiry (the Node gateway's cache), bounded by the
 * bytes its entries hold (`maxBytes`) and, optionally, by their count (`maxEntries`).
 */
export function createMemoryCache({
  maxBytes = DEFAULT_CACHE_BYTES,
  maxEntries = Number.POSITIVE_INFINITY,
  now = Date.now,
}: { maxBytes?: number; maxEntries?: number; now?: () => number } = {}): RecordCache & {
  size(): number;
  bytes(): number;
} {
  const entries = new ByteLru<{ record: CachedRecord; expiresAt: number }>(
    maxBytes,
    (key, entry) =>
      ENTRY_OVERHEAD_BYTES +
      2 * (key.length + (entry.record.data?.length ?? 0) + (entry.record.validUntil?.length ?? 0)),
  );
  const peek = (key: string): CachedRecord | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.record;
  };
  return {
    peek,
    async get(key) {
      return peek(key);
    },
    async put(key, record, ttlSeconds) {
      entries.set(key, { record, expiresAt: now() + ttlSeconds * 1000 });
      while (entries.size > maxEntries) entries.evictOldest();
    },
    size: () => entries.size,
    bytes: () => entries.bytes,
  };
}
