import type { Address, Hex } from "viem";

/**
 * A cached read of one record file: its verified response `data`, or `null` for a file that does
 * not exist (negative caching). `verifiedFor` is the chain context the data was verified under:
 * a hit is only served for the same owner, epoch and chain (otherwise it is verified again).
 */
export type CachedRecord = {
  data: Hex | null;
  verifiedFor: { owner: Address; epoch: string; chainId: string };
  /** v2: unix seconds after which the data must not be served. */
  validUntil?: string | undefined;
};

/** Where verified records are kept between requests (memory LRU on Node, the Cache API on Workers). */
export type RecordCache = {
  get(key: string): Promise<CachedRecord | undefined>;
  put(key: string, record: CachedRecord, ttlSeconds: number): Promise<void>;
  /** Synchronous `get`, for caches that can (the in-memory LRU): saves a promise per cache hit. */
  peek?(key: string): CachedRecord | undefined;
};

/** The cache key of a record file: the record tree and the path in it. */
export function buildCacheKey(recordhash: Hex, path: string): string {
  return `${recordhash.toLowerCase()}/${path}`;
}
