import type { Address, Hex } from "viem";

/**
 * A cached read of one record file: its verified response `data`, or `null` for a file that does
 * not exist (negative caching). What it was verified for is in its key (`buildRecordCacheKey`,
 * `buildLookupCacheKey`), so an entry is only ever found for the lookup it was verified for.
 */
export type CachedRecord = {
  data: Hex | null;
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

/**
 * Everything a record file's verification depended on. Two lookups that share a file path but
 * differ in any of these (e.g. text `name` of `alice.eth` and the name record of
 * `text.alice.eth`, both `.well-known/eth/alice/text/name.json`) must verify the file on their own.
 */
export type RecordCacheKeyParameters = {
  /** The resolver deployment that asked (the EIP-3668 `sender`): v2 records are bound to it. */
  resolver: Address;
  chainId: bigint;
  /** The record tree the file was read from. */
  recordhash: Hex;
  /** The normalized name being resolved (SIGN 4 `Origin`). */
  name: string;
  /** The record type string of the file (SIGN 4 `Record Type`, e.g. `text/name` or `name`). */
  recordType: string;
  owner: Address;
  epoch: bigint;
};

/**
 * The record cache key: every input of the verification, JSON-encoded (injective whatever the
 * name or text key holds). It starts with `[`, so it never equals a lookup key (`0x…`).
 */
export function buildRecordCacheKey(parameters: RecordCacheKeyParameters): string {
  return JSON.stringify([
    parameters.chainId.toString(),
    parameters.resolver.toLowerCase(),
    parameters.owner.toLowerCase(),
    parameters.epoch.toString(),
    parameters.recordhash.toLowerCase(),
    parameters.name,
    parameters.recordType,
  ]);
}

/**
 * The cache key of a whole lookup: the resolver that sent it (lower-cased, 42 characters) followed
 * by its raw `callData`, which holds everything else the answer depends on (name, request,
 * recordhash, owner, chain id, epoch). Built by plain concatenation because it is on the cache-hit
 * path; it cannot collide with a record key, which starts with `[`.
 */
export function buildLookupCacheKey(sender: Address, callData: Hex): string {
  return sender.toLowerCase() + callData;
}
