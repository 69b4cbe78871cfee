import type { CachedRecord, RecordCache } from "./recordCache.ts";

/** The subset of the Workers Cache API this cache needs (`caches.default`). */
export type WorkersCacheStorage = {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
};

// Cache API keys must be URLs; this host is never contacted.
const CACHE_KEY_ORIGIN = "https://record-cache.ensgate.invalid/";

/** A record cache on the Cloudflare Workers Cache API (per data centre, expiry by Cache-Control). */
export function createWorkersCache(cache: WorkersCacheStorage): RecordCache {
  const requestOf = (key: string) => new Request(CACHE_KEY_ORIGIN + encodeURIComponent(key));
  return {
    async get(key) {
      const response = await cache.match(requestOf(key));
      return response ? ((await response.json()) as CachedRecord) : undefined;
    },
    async put(key, record, ttlSeconds) {
      await cache.put(
        requestOf(key),
        new Response(JSON.stringify(record), {
          headers: { "content-type": "application/json", "cache-control": `max-age=${ttlSeconds}` },
        }),
      );
    },
  };
}
