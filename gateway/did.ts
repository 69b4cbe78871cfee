// did:ens on the gateway: the networks it resolves on (ENSGATE_DID_NETWORKS) and the resolve
// function behind `GET /1.0/identifiers/{did}` (DIF Universal Resolver driver API). The same on
// Node and Workers: viem clients over HTTP JSON-RPC, text records through the UniversalResolver
// with CCIP-Read, so the resolver's callback verifies every off-chain record.
import {
  type Address,
  type Chain,
  createPublicClient,
  defineChain,
  getAddress,
  http,
  isAddress,
  type PublicClient,
} from "viem";
import { goerli, holesky, mainnet, sepolia } from "viem/chains";
import {
  createViemEnsReader,
  type DidResolve,
  ENS_DID_NETWORKS,
  type EnsDidResolutionResult,
  parseEnsDid,
  resolveEnsDid,
} from "../lib/did/index.ts";

/** One network the gateway resolves did:ens DIDs on. */
export type DidNetworkSpec = {
  /** The DID's network segment (`did:ens:<name>:…`); `mainnet` also serves `did:ens:<ens name>`. */
  name: string;
  chainId: number;
  rpcUrl: string;
  /** The ENS registry; defaults on chains 1, 5, 17000 and 11155111. */
  registry?: Address | undefined;
  /** The UniversalResolver; defaults to viem's for chains 1, 5, 17000 and 11155111. */
  universalResolver?: Address | undefined;
  /** The NameWrapper; defaults on chains 1 and 11155111. */
  nameWrapper?: Address | undefined;
};

/** Chains whose ENS registry and UniversalResolver addresses are known (viem's definitions). */
export const KNOWN_ENS_CHAINS: Readonly<Record<number, Chain>> = {
  1: mainnet,
  5: goerli,
  17000: holesky,
  11155111: sepolia,
};
const NETWORK_NAME = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;
const SPEC_KEYS = new Set(["chainId", "rpcUrl", "registry", "universalResolver", "nameWrapper"]);

/**
 * Parses `ENSGATE_DID_NETWORKS`: either a JSON object `{ "<network>": { chainId, rpcUrl,
 * registry?, universalResolver?, nameWrapper? } }`, or a comma-separated list of
 * `<network>=<chainId>@<rpcUrl>` for chains with known ENS addresses (1, 5, 17000, 11155111).
 * Empty means none. Throws an `Error` whose message says what is wrong (config.ts names the variable).
 */
export function parseDidNetworks(value: string): DidNetworkSpec[] {
  const text = value.trim();
  if (text === "") return [];
  const specs = /^[[{]/.test(text) ? parseJsonNetworks(text) : parseListNetworks(text);
  for (const spec of specs) {
    if (!NETWORK_NAME.test(spec.name))
      throw new Error(`"${spec.name}" is not a did:ens network name (a-z, 0-9, ".", "-", "_")`);
    if (!Number.isSafeInteger(spec.chainId) || spec.chainId <= 0)
      throw new Error(`${spec.name}: chain id "${spec.chainId}" is not a positive integer`);
    if (!URL.canParse(spec.rpcUrl) || !/^https?:$/.test(new URL(spec.rpcUrl).protocol))
      throw new Error(`${spec.name}: "${spec.rpcUrl}" is not an http(s) URL`);
    const builtIn = ENS_DID_NETWORKS[spec.name];
    if (builtIn !== undefined && builtIn !== spec.chainId)
      throw new Error(`${spec.name} is chain ${builtIn}, not ${spec.chainId}`);
    if (!KNOWN_ENS_CHAINS[spec.chainId] && (!spec.registry || !spec.universalResolver))
      throw new Error(
        `${spec.name}: chain ${spec.chainId} has no default ENS addresses; give "registry" and "universalResolver" (JSON form)`,
      );
  }
  const names = specs.map((spec) => spec.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw new Error(`network "${repeated}" is configured twice`);
  return specs;
}

function parseJsonNetworks(text: string): DidNetworkSpec[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error("not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("expected a JSON object of networks");
  return Object.entries(parsed).map(([name, entry]) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry))
      throw new Error(`${name}: expected an object with chainId and rpcUrl`);
    const record = entry as Record<string, unknown>;
    const unknown = Object.keys(record).find((key) => !SPEC_KEYS.has(key));
    if (unknown !== undefined) throw new Error(`${name}: unknown setting "${unknown}"`);
    if (typeof record.rpcUrl !== "string") throw new Error(`${name}: "rpcUrl" is missing`);
    const address = (key: "registry" | "universalResolver" | "nameWrapper") => {
      const value = record[key];
      if (value === undefined) return undefined;
      if (typeof value !== "string" || !isAddress(value, { strict: false }))
        throw new Error(`${name}: ${key} "${String(value)}" is not an address`);
      return getAddress(value);
    };
    return {
      name,
      chainId:
        typeof record.chainId === "number" || typeof record.chainId === "string"
          ? Number(record.chainId)
          : Number.NaN,
      rpcUrl: record.rpcUrl,
      registry: address("registry"),
      universalResolver: address("universalResolver"),
      nameWrapper: address("nameWrapper"),
    };
  });
}

function parseListNetworks(text: string): DidNetworkSpec[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "")
    .map((item) => {
      const match = /^([^=]+)=([0-9]+)@(.+)$/.exec(item);
      if (!match) throw new Error(`"${item}" is not <network>=<chainId>@<rpcUrl>`);
      return { name: match[1] as string, chainId: Number(match[2]), rpcUrl: match[3] as string };
    });
}

/** Options of `createDidResolve`. */
export type DidResolveOptions = {
  /** JSON-RPC request timeout (default 10 s). */
  rpcTimeoutMs?: number;
};

/**
 * The gateway's did:ens resolve function over the configured networks. A well-formed DID whose
 * network is not configured here (every one, when none is) answers `methodNotSupported`
 * (HTTP 501): this gateway has no chain for it. Syntax errors stay `invalidDid` (400).
 */
export function createDidResolve(
  specs: readonly DidNetworkSpec[],
  { rpcTimeoutMs = 10_000 }: DidResolveOptions = {},
): DidResolve {
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
          message:
            specs.length === 0
              ? "No did:ens network is configured (ENSGATE_DID_NETWORKS)."
              : `No chain is configured for did:ens network "${network}" (configured: ${specs.map((spec) => spec.name).join(", ")}).`,
        },
        didDocument: null,
        didDocumentMetadata: {},
      };
    return resolveEnsDid(did, options);
  };
}
