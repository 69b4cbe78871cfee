import { cors, Router } from "itty-router";
import { type Address, type Hex, isAddress } from "viem";
import { type DidResolve, handleDidRequest } from "../lib/did/index.ts";
import { decodeResolveOffchainCall, RESOLVE_OFFCHAIN_SIGNATURE } from "../lib/index.ts";
import { buildLookupCacheKey } from "./cache/recordCache.ts";
import { createCcipReadRouter, errorResponse } from "./ccipReadRouter.ts";
import { createDidResolve } from "./did.ts";
import { answerResolveOffchainCached, type ResolveOffchainOptions } from "./resolveOffchain.ts";

/** Options of the gateway app: the resolution options plus the request size limit. */
export type GatewayOptions = ResolveOffchainOptions & {
  maxBodyBytes?: number | undefined;
  /** The Response class of cached answers (Node passes srvx's `FastResponse`; default: the global). */
  Response?: (new (body: string, init: ResponseInit) => Response) | undefined;
  /** did:ens resolution behind `GET /1.0/identifiers/{did}` (gateway/did.ts); default: no network (501). */
  resolveDid?: DidResolve | undefined;
};

/** Headers of a cached answer (what `corsify` adds on the routed path). */
const CACHED_ANSWER_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "access-control-allow-origin": "*",
};

/**
 * The ensgate gateway as a fetch handler, the same on Node and Cloudflare Workers:
 * EIP-3668 `GET /:sender/:data` and `POST /` for the resolver's `resolveOffchain` lookups,
 * `GET /health` reporting each source's reachability, and `GET /1.0/identifiers/{did}` resolving
 * did:ens DIDs (DIF Universal Resolver driver API, docs/did.md). CORS is open: dapps call it from browsers.
 */
export function createGateway(options: GatewayOptions) {
  const ccip = createCcipReadRouter({ maxBodyBytes: options.maxBodyBytes });
  ccip.add({
    type: RESOLVE_OFFCHAIN_SIGNATURE,
    handle: (_args, { to, data }) =>
      answerResolveOffchainCached(to, data, () => decodeResolveOffchainCall(data), options),
  });

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
  const resolveDid = options.resolveDid ?? createDidResolve([]);
  router.all("/1.0/identifiers/*", (request) => handleDidRequest(request, resolveDid));
  router.all("*", (request) => ccip.fetch(request));

  /**
   * Cache hits skip routing and ABI decoding: a GET whose sender and calldata were answered
   * before is served straight from the lookup cache (it was verified when it was cached).
   */
  const ResponseClass = options.Response ?? Response;
  const answerFromCache = async (request: Request): Promise<Response | undefined> => {
    if (request.method !== "GET") return undefined;
    const path = request.url.slice(request.url.indexOf("/", request.url.indexOf("//") + 2));
    const [, sender, rawData, extra] = path.split("/");
    if (extra !== undefined || !sender || !rawData || !isAddress(sender, { strict: false }))
      return undefined;
    const data = (rawData.endsWith(".json") ? rawData.slice(0, -5) : rawData) as Hex;
    const key = buildLookupCacheKey(sender as Address, data);
    const hit = options.cache.peek ? options.cache.peek(key) : await options.cache.get(key);
    if (!hit || hit.data === null) return undefined;
    if (hit.validUntil !== undefined && Number(hit.validUntil) < Date.now() / 1000)
      return undefined;
    // Built by hand: `Response.json` costs more than everything else on this path.
    return new ResponseClass(`{"data":"${hit.data}"}`, { headers: CACHED_ANSWER_HEADERS });
  };

  return {
    fetch: async (request: Request): Promise<Response> =>
      (await answerFromCache(request)) ?? ((await router.fetch(request)) as Response),
  };
}
