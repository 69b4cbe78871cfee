import { cors, Router } from "itty-router";
import { type createBridgeAnswerer, DNS_QUERY_PATH, handleDnsOverHttps } from "../bridge/index.ts";
import {
  DID_DRIVER_PATH_PREFIX,
  type DidResolve,
  handleDidRequest,
  resolveWithoutNetworks,
} from "../did/httpDriver.ts";
import { EnsgateError, RESOLVE_OFFCHAIN_SIGNATURE } from "../lib/index.ts";
import { buildLookupCacheKey, type CachedRecord } from "./cache/recordCache.ts";
import { createCcipReadRouter, errorResponse, pathOf } from "./ccipReadRouter.ts";
import {
  answerResolveOffchain,
  type ResolveOffchainOptions,
  systemNow,
} from "./resolveOffchain.ts";
import type { WebAppHandler } from "./webApp.ts";

/** Options of the gateway app: the resolution options plus the request size limit. */
export type GatewayOptions = ResolveOffchainOptions & {
  maxBodyBytes?: number | undefined;
  /** The Response class of CCIP-Read answers (Node passes srvx's `FastResponse`; default: the global). */
  Response?: (new (body: string, init: ResponseInit) => Response) | undefined;
  /**
   * The did:ens driver behind `GET /1.0/identifiers/{did}` (`createDidResolve` of the did/
   * module), mounted only when networks are configured (ENSGATE_DID_NETWORKS). Without it the
   * route reads nothing: 400 for a malformed DID, 501 methodNotSupported for any other.
   */
  resolveDid?: DidResolve | undefined;
  /**
   * The DNS bridge behind `GET/POST /dns-query` (DNS over HTTPS, docs/bridge.md), mounted only
   * when ENSGATE_BRIDGE_RPC_URL is set. Without it the route answers 404.
   */
  dnsBridge?: ReturnType<typeof createBridgeAnswerer> | undefined;
  /**
   * Told how each lookup was answered (for logs and metrics): `hit` from the lookup or record
   * cache, else `miss` and the source that answered (`none` when no source had the file).
   */
  onLookup?: ((event: LookupEvent) => void) | undefined;
  /**
   * The web app (docs/webapp.md) at `/`, `/index.html`, `/app-config.json` and `/assets/*`
   * (`createWebAppHandler`); without it those paths are the usual JSON 404. A lookup's path
   * starts with `/0x`, which no file of the app does: the CCIP-Read routes keep priority.
   */
  webApp?: WebAppHandler | undefined;
};

/** How one lookup was answered (see `GatewayOptions.onLookup`). */
export type LookupEvent = {
  cache: "hit" | "miss";
  source: string;
  /** Why a lookup got no answer (a 4xx field error, a 422 or a 502): the error's message. */
  error?: string;
};

/** CORS on every answer (what `corsify` adds on the other routes): dapps call from browsers. */
const CORS_HEADERS = { "access-control-allow-origin": "*" };

/**
 * The ensgate gateway as a fetch handler, the same on Node and Cloudflare Workers:
 * EIP-3668 `GET /:sender/:data` and `POST /` for the resolver's `resolveOffchain` lookups,
 * `GET /health` reporting each source's reachability, and `GET /1.0/identifiers/{did}` resolving
 * did:ens DIDs (DIF Universal Resolver driver API, docs/did.md), and `/dns-query` (DNS over HTTPS
 * of the DNS bridge, docs/bridge.md). CORS is open.
 *
 * A lookup is read once: the URL path sliced once, the lookup cache asked once (before anything
 * is decoded: a hit is an answer verified for the same sender and callData), on a miss the
 * callData ABI-decoded once and its typed arguments handed to `answerResolveOffchain`, which
 * reads the record cache (keyed by what was verified) and the sources. One clock, `options.now`.
 */
export function createGateway(options: GatewayOptions) {
  const now = options.now ?? systemNow;
  // One in-flight map per gateway (per process on Node, per isolate on Workers): coalescing.
  const resolveOptions: ResolveOffchainOptions = {
    ...options,
    now,
    inFlight: options.inFlight ?? new Map(),
  };
  const { cache, onLookup, webApp } = options;

  const ccip = createCcipReadRouter({
    maxBodyBytes: options.maxBodyBytes,
    headers: CORS_HEADERS,
    Response: options.Response,
  });
  ccip.add({
    type: RESOLVE_OFFCHAIN_SIGNATURE,
    // The one lookup-cache check. Entries are put only under validated, lower-cased requests.
    cached: ({ to, data }) => {
      const key = buildLookupCacheKey(to, data);
      if (cache.peek) return reportHit(freshData(cache.peek(key)));
      return cache.get(key).then((hit) => reportHit(freshData(hit)));
    },
    handle: async ([dnsName, data, recordhash, owner, chainId, epoch], { to, data: callData }) => {
      let answer: Awaited<ReturnType<typeof answerResolveOffchain>>;
      try {
        answer = await answerResolveOffchain(
          to,
          { dnsName, data, recordhash, owner, chainId, epoch },
          resolveOptions,
        );
      } catch (error) {
        // A 4xx field error, a 422 or a 502: the caches missed; no source gave an answer.
        onLookup?.({
          cache: "miss",
          source: "none",
          // The message the client gets (never an internal error's details).
          error: error instanceof EnsgateError ? error.shortMessage : "internal error",
        });
        throw error;
      }
      onLookup?.({ cache: answer.cached ? "hit" : "miss", source: answer.source });
      if (answer.ttlSeconds > 0)
        await cache.put(
          buildLookupCacheKey(to, callData),
          { data: answer.data, validUntil: answer.validUntil?.toString() },
          answer.ttlSeconds,
        );
      return answer.data;
    },
  });
  /** Reports a lookup-cache hit to `onLookup`; returns `data` as it is. */
  const reportHit = (data: string | undefined) => {
    if (data !== undefined) onLookup?.({ cache: "hit", source: "cache" });
    return data as ReturnType<typeof freshData>;
  };
  /** The data of a lookup-cache entry that is still valid by the gateway's clock. */
  const freshData = (hit: CachedRecord | undefined) => {
    if (!hit || hit.data === null) return undefined;
    // Unix seconds fit a double exactly until 2^53: no BigInt on the hit path.
    if (hit.validUntil !== undefined && Number(hit.validUntil) < Number(now())) return undefined;
    return hit.data;
  };

  const { preflight, corsify } = cors({ allowMethods: ["GET", "POST", "OPTIONS"] });
  const router = Router({ before: [preflight], finally: [corsify], catch: errorResponse });
  router.get("/health", async () => {
    const signal = AbortSignal.timeout(options.budget.perSourceTimeoutMs);
    const sources = await Promise.all(
      options.sources.map(async (source) => ({
        name: source.name,
        reachable: await source.health(signal),
      })),
    );
    const ok = sources.some((source) => source.reachable);
    return Response.json({ ok, sources }, { status: ok ? 200 : 503 });
  });
  const resolveDid = options.resolveDid ?? resolveWithoutNetworks;
  router.all(`${DID_DRIVER_PATH_PREFIX}*`, (request) => handleDidRequest(request, resolveDid));
  const { dnsBridge } = options;
  router.all(DNS_QUERY_PATH, (request) =>
    dnsBridge
      ? handleDnsOverHttps(request, dnsBridge)
      : Response.json(
          { message: "the DNS bridge is not configured on this gateway (ENSGATE_BRIDGE_RPC_URL)" },
          { status: 404 },
        ),
  );
  router.all("*", () =>
    Response.json(
      { message: "not found: use GET /:sender/:data or POST / (EIP-3668)" },
      { status: 404 },
    ),
  );

  return {
    /** CCIP-Read requests go straight to the CCIP-Read router; the other routes to itty-router. */
    fetch: (request: Request): Response | Promise<Response> => {
      const path = pathOf(request.url);
      if (webApp && !path.startsWith("/0x")) {
        const file = webApp(request, path);
        if (file) return file;
      }
      if (!path.startsWith(DID_DRIVER_PATH_PREFIX) && path !== DNS_QUERY_PATH) {
        const answer = ccip.handle(request, path);
        if (answer) return answer;
      }
      return router.fetch(request) as Promise<Response>;
    },
  };
}
