// Cloudflare Workers entry of the ensgate gateway: the same app as on Node, with HTTP gateway
// sources only (no Kubo or embedded store at the edge) and the Workers Cache API as cache.

import { createBridge } from "../../bridge/index.ts";
import { createDidResolve } from "../../did/index.ts";
import { createGateway } from "../app.ts";
import { createWorkersCache, type WorkersCacheStorage } from "../cache/workersCache.ts";
import { errorResponse } from "../ccipReadRouter.ts";
import { type GatewayConfig, GatewayConfigError, parseGatewayConfig } from "../config.ts";
import { createHttpGatewaySource } from "../sources/httpGatewaySource.ts";
import { createIpnsSequenceMemory } from "../sources/ipnsSequences.ts";
import {
  createTrustlessGatewaySource,
  createTrustlessSourceCaches,
} from "../sources/trustlessGatewaySource.ts";

type Gateway = ReturnType<typeof createGateway>;
let gateway: Gateway | undefined;

/** Builds the gateway once per isolate from the Worker's environment variables. */
function buildWorkerGateway(env: Record<string, string | undefined>): Gateway {
  const config: GatewayConfig = parseGatewayConfig(env);
  const sequences = createIpnsSequenceMemory();
  // One set of block and directory caches for all trustless sources (32 MiB of the isolate's 128).
  const caches = createTrustlessSourceCaches();
  const sources = config.sources.map((spec) => {
    if (spec.kind === "trustless")
      return createTrustlessGatewaySource({ url: spec.url, sequences, caches });
    if (spec.kind !== "http")
      throw new GatewayConfigError(
        "ENSGATE_SOURCES",
        `${spec.kind}: sources need Node; use http:, subdomain: or trustless: on Workers`,
      );
    return createHttpGatewaySource({ url: spec.url, style: spec.style });
  });
  return createGateway({
    sources,
    cache: createWorkersCache(
      (globalThis.caches as unknown as { default: WorkersCacheStorage }).default,
    ),
    budget: config.budget,
    cacheTtlSeconds: config.cacheTtlSeconds,
    missingTtlSeconds: config.missingTtlSeconds,
    maxBodyBytes: config.maxBodyBytes,
    // The did:ens driver reads the chain: mounted only when ENSGATE_DID_NETWORKS is set.
    resolveDid: config.didNetworks.length > 0 ? createDidResolve(config.didNetworks) : undefined,
    // The DNS bridge reads the chain too: mounted only when ENSGATE_BRIDGE_RPC_URL is set.
    dnsBridge: config.bridge ? createBridge(config.bridge) : undefined,
  });
}

/** The web app's static assets binding (`[assets] binding` in wrangler.toml). */
type AssetsBinding = { fetch(request: Request): Promise<Response> };

export default {
  async fetch(request: Request, bindings: Record<string, unknown>): Promise<Response> {
    // Every binding but the assets is a variable (a string) the gateway's configuration reads.
    const { ASSETS, ...vars } = bindings as { ASSETS?: AssetsBinding };
    const env = vars as Record<string, string | undefined>;
    // `/` reaches the worker first (EIP-3668 POST /); reading it is the web app's page.
    if (
      ASSETS &&
      (request.method === "GET" || request.method === "HEAD") &&
      new URL(request.url).pathname === "/"
    )
      return ASSETS.fetch(request);
    try {
      gateway ??= buildWorkerGateway(env);
    } catch (error) {
      // A configuration error is the operator's, not the client's: 500 with the reason.
      const response = errorResponse(error);
      return Response.json(await response.json(), { status: 500 });
    }
    return gateway.fetch(request);
  },
};
