import { cors, Router } from "itty-router";
import { decodeResolveOffchainCall, RESOLVE_OFFCHAIN_SIGNATURE } from "../lib/index.ts";
import { createCcipReadRouter, errorResponse } from "./ccipReadRouter.ts";
import { answerResolveOffchain, type ResolveOffchainOptions } from "./resolveOffchain.ts";

/** Options of the gateway app: the resolution options plus the request size limit. */
export type GatewayOptions = ResolveOffchainOptions & { maxBodyBytes?: number | undefined };

/**
 * The ensgate gateway as a fetch handler, the same on Node and Cloudflare Workers:
 * EIP-3668 `GET /:sender/:data` and `POST /` for the resolver's `resolveOffchain` lookups,
 * and `GET /health` reporting each source's reachability. CORS is open: dapps call it from browsers.
 */
export function createGateway(options: GatewayOptions) {
  const ccip = createCcipReadRouter({ maxBodyBytes: options.maxBodyBytes });
  ccip.add({
    type: RESOLVE_OFFCHAIN_SIGNATURE,
    handle: async (_args, { data }) =>
      (await answerResolveOffchain(decodeResolveOffchainCall(data), options)).data,
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
  router.all("*", (request) => ccip.fetch(request));

  return { fetch: (request: Request) => router.fetch(request) as Promise<Response> };
}
