import type { CachedRecord, RecordCache } from "./recordCache.ts";

/** An in-memory LRU record cache with per-entry expiry (the Node gateway's cache). */
export function createMemoryCache({
  maxEntries = 10_000,
  now = Date.now,
}: { maxEntries?: number; now?: () => number } = {}): RecordCache & { size(): number } {
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recent first.
  const entries = new Map<string, { record: CachedRecord; expiresAt: number }>();
  const peek = (key: string): CachedRecord | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    entries.delete(key);
    if (entry.expiresAt <= now()) return undefined;
    entries.set(key, entry);
    return entry.record;
  };
  return {
    peek,
    async get(key) {
      return peek(key);
    },
    async put(key, record, ttlSeconds) {
      entries.delete(key);
      entries.set(key, { record, expiresAt: now() + ttlSeconds * 1000 });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
    },
    size: () => entries.size,
  };
}
