// did:ens resolution on chain: viem clients over HTTP JSON-RPC for the configured networks, the
// owner from the registry (or NameWrapper), text records through the UniversalResolver with
// CCIP-Read, so the resolver's callback verifies every off-chain record. The gateway mounts it
// behind `GET /1.0/identifiers/{did}` only when ENSGATE_DID_NETWORKS is set; the CLI's `did`
// command uses it too. The same on Node and Workers.
import { createPublicClient, defineChain, http, type PublicClient } from "viem";
import { type EnsDidResolutionResult, parseEnsDid, resolveEnsDid } from "../lib/index.ts";
import { type DidResolve, resolveWithoutNetworks } from "./httpDriver.ts";
import { type DidNetworkSpec, KNOWN_ENS_CHAINS } from "./networks.ts";
import { createViemEnsReader } from "./viemEnsReader.ts";

/** Options of `createDidResolve`. */
export type DidResolveOptions = {
  /** JSON-RPC request timeout (default 10 s). */
  rpcTimeoutMs?: number;
};

/**
 * The did:ens resolve function over the configured networks. A well-formed DID whose network is
 * not configured here answers `methodNotSupported` (HTTP 501): there is no chain for it. Syntax
 * errors stay `invalidDid` (400). Without networks it is `resolveWithoutNetworks` (no client).
 */
export function createDidResolve(
  specs: readonly DidNetworkSpec[],
  { rpcTimeoutMs = 10_000 }: DidResolveOptions = {},
): DidResolve {
  if (specs.length === 0) return resolveWithoutNetworks;
  const clients: Record<string, PublicClient> = {};
  for (const spec of specs) {
    const known = KNOWN_ENS_CHAINS[spec.chainId];
    const chain = known
      ? { ...known, rpcUrls: { default: { http: [spec.rpcUrl] } } }
      : defineChain({
          id: spec.chainId,
          name: spec.name,
          nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
          rpcUrls: { default: { http: [spec.rpcUrl] } },
        });
    clients[spec.name] = createPublicClient({
      chain,
      transport: http(spec.rpcUrl, { timeout: rpcTimeoutMs, retryCount: 1 }),
    }) as PublicClient;
  }
  const addresses = (key: "registry" | "universalResolver" | "nameWrapper") =>
    Object.fromEntries(specs.flatMap((spec) => (spec[key] ? [[spec.name, spec[key]]] : [])));
  const reader = createViemEnsReader({
    clients,
    registryAddresses: addresses("registry"),
    universalResolverAddresses: addresses("universalResolver"),
    nameWrapperAddresses: addresses("nameWrapper"),
  });
  const options = { ...reader, networks: reader.networks };

  return async (did: string): Promise<EnsDidResolutionResult> => {
    let network: string;
    try {
      network = parseEnsDid(did, { networks: reader.networks }).network;
    } catch {
      return resolveEnsDid(did, options); // the parse error as a result
    }
    if (!(network in clients))
      return {
        didResolutionMetadata: {
          error: "methodNotSupported",
          message: `No chain is configured for did:ens network "${network}" (configured: ${specs.map((spec) => spec.name).join(", ")}).`,
        },
        didDocument: null,
        didDocumentMetadata: {},
      };
    return resolveEnsDid(did, options);
  };
}
