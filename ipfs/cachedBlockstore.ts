// A block cache in front of a blockstore. Blocks are immutable (a CID names its bytes), so a cached
// block never goes stale: the only bound is memory. The embedded store's reads walk the same
// directory blocks on every lookup (root, .well-known, eth, the name, HAMT shards), and reading
// each from its own file costs more than the rest of a lookup.
import type { Blockstore } from "interface-blockstore";
import type { CID } from "multiformats/cid";
import { ByteLru } from "./byteLru.ts";
import { collectBytes } from "./bytes.ts";

/** Default block cache budget of the embedded store. */
export const DEFAULT_BLOCK_CACHE_BYTES = 64 * 1024 * 1024;
/** Per-entry overhead counted on top of the block's bytes (map entry, key string, object). */
const ENTRY_OVERHEAD_BYTES = 200;

/** Collects a block read (an iterable of chunks, sync or async) into one Uint8Array. */
async function collect(
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<Uint8Array> {
  if (chunks instanceof Uint8Array) return chunks;
  return collectBytes(chunks);
}

/** Wraps `inner` with an LRU of up to `maxBytes` of blocks, filled on reads and writes. */
export function cacheBlocks(inner: Blockstore, maxBytes = DEFAULT_BLOCK_CACHE_BYTES): Blockstore {
  const cache = new ByteLru<Uint8Array>(
    maxBytes,
    (key, block) => block.length + key.length * 2 + ENTRY_OVERHEAD_BYTES,
  );
  const keyOf = (cid: CID) => cid.toString();
  const store: Blockstore = {
    has: async (cid, options) => cache.has(keyOf(cid)) || inner.has(cid, options),
    put: async (cid, block, options) => {
      const bytes = block instanceof Uint8Array ? block : await collect(block);
      const stored = await inner.put(cid, bytes, options);
      cache.set(keyOf(cid), bytes);
      return stored;
    },
    async *putMany(source, options) {
      for await (const pair of source) yield await store.put(pair.cid, pair.bytes, options);
    },
    async *get(cid, options) {
      const key = keyOf(cid);
      let block = cache.get(key);
      if (block === undefined) {
        block = await collect(inner.get(cid, options));
        cache.set(key, block);
      }
      yield block;
    },
    async *getMany(source, options) {
      for await (const cid of source) {
        const bytes = await collect(store.get(cid, options));
        yield {
          cid,
          bytes: (function* () {
            yield bytes;
          })(),
        };
      }
    },
    delete: async (cid, options) => {
      cache.delete(keyOf(cid));
      await inner.delete(cid, options);
    },
    async *deleteMany(source, options) {
      for await (const cid of source) {
        await store.delete(cid, options);
        yield cid;
      }
    },
    getAll: (options) => inner.getAll(options),
  } as Blockstore;
  return store;
}
