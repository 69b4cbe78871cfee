import { FastResponse } from "srvx/node";
import { createBridge } from "../../bridge/index.ts";
import { createDidResolve } from "../../did/index.ts";
import { createGateway } from "../app.ts";
import { createMemoryCache } from "../cache/memoryCache.ts";
import type { GatewayConfig, SourceSpec } from "../config.ts";
import { createHttpGatewaySource } from "../sources/httpGatewaySource.ts";
import { createIpnsSequenceMemory, type IpnsSequenceMemory } from "../sources/ipnsSequences.ts";
import { createKuboSource } from "../sources/kuboSource.ts";
import type { RecordSource } from "../sources/recordSource.ts";
import {
  createTrustlessGatewaySource,
  createTrustlessSourceCaches,
  type TrustlessSourceCaches,
} from "../sources/trustlessGatewaySource.ts";
import { createWebAppHandler } from "../webApp.ts";
import { createRequestObserver, type RequestObserverOptions } from "./observeRequests.ts";
import { readWebAppFolder } from "./webAppFolder.ts";

/** Extra source kinds a caller can plug in (the local stack passes its embedded IPFS reader). */
export type NodeSourceFactories = {
  embedded?: (directory: string) => RecordSource;
};

/** Builds the Node gateway (sources, in-memory LRU cache) from its configuration. */
export function buildNodeGateway(
  config: GatewayConfig,
  factories: NodeSourceFactories = {},
  observer: RequestObserverOptions = {},
) {
  const sequences = createIpnsSequenceMemory();
  // ENSGATE_CACHE_BYTES bounds every cache: with trustless sources, an eighth of it holds their
  // verified blocks and decoded directories (shared by all of them), the rest the records.
  const trustlessCacheBytes = config.sources.some((spec) => spec.kind === "trustless")
    ? Math.floor(config.cacheBytes / 8)
    : 0;
  const trustlessCaches = createTrustlessSourceCaches(trustlessCacheBytes);
  const sources = config.sources.map((spec) =>
    buildSource(spec, factories, sequences, trustlessCaches),
  );
  const cache = createMemoryCache({
    maxEntries: config.cacheEntries,
    maxBytes: config.cacheBytes - trustlessCacheBytes,
  });
  const requests = createRequestObserver({
    ...observer,
    gauges: [
      {
        name: "ensgate_gateway_cache_bytes",
        help: "Bytes the record cache holds, by its own count (budget: ENSGATE_CACHE_BYTES).",
        read: cache.bytes,
      },
      {
        name: "ensgate_gateway_cache_entries",
        help: "Entries in the record cache.",
        read: cache.size,
      },
      {
        name: "ensgate_gateway_source_cache_bytes",
        help: "Bytes the trustless sources' block and directory caches hold.",
        read: () => trustlessCaches.blocks.bytes + trustlessCaches.paths.cachedBytes(),
      },
    ],
  });
  const gateway = createGateway({
    onLookup: requests.onLookup,
    sources,
    cache,
    budget: config.budget,
    cacheTtlSeconds: config.cacheTtlSeconds,
    missingTtlSeconds: config.missingTtlSeconds,
    maxBodyBytes: config.maxBodyBytes,
    // The did:ens driver reads the chain: mounted only when ENSGATE_DID_NETWORKS is set.
    resolveDid: config.didNetworks.length > 0 ? createDidResolve(config.didNetworks) : undefined,
    // The DNS bridge reads the chain too: mounted only when ENSGATE_BRIDGE_RPC_URL is set.
    dnsBridge: config.bridge ? createBridge(config.bridge) : undefined,
    webApp: webAppOf(config.webAppDir),
    // srvx writes its own Response subclass to the socket without going through a web stream.
    Response: FastResponse,
  });
  // One JSON log line per request, and `GET /metrics` (Prometheus text format).
  return { fetch: requests.wrap(gateway.fetch) };
}

/**
 * The web app of `ENSGATE_WEBAPP_DIR` (default: webapp/dist when it was built; "off": none). A
 * folder that was named but holds no index.html is a configuration error, not a silent 404.
 */
function webAppOf(directory: string | undefined) {
  if (directory === "off") return undefined;
  const files = readWebAppFolder(directory);
  if (!files && directory !== undefined)
    throw new Error(`ENSGATE_WEBAPP_DIR: ${directory} has no index.html (npm run build:webapp)`);
  return files ? createWebAppHandler({ files }) : undefined;
}

/** Builds one record source from its spec. */
function buildSource(
  spec: SourceSpec,
  factories: NodeSourceFactories,
  sequences: IpnsSequenceMemory,
  trustlessCaches: TrustlessSourceCaches,
): RecordSource {
  switch (spec.kind) {
    case "trustless":
      return createTrustlessGatewaySource({ url: spec.url, sequences, caches: trustlessCaches });
    case "http":
      return createHttpGatewaySource({ url: spec.url, style: spec.style });
    case "kubo":
      return createKuboSource({ url: spec.url });
    case "embedded":
      if (!factories.embedded)
        throw new Error("the embedded source is not available in this build");
      return factories.embedded(spec.directory);
  }
}
