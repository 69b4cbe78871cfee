// The did:ens networks a driver resolves on (`ENSGATE_DID_NETWORKS` on the gateway, the chain's
// settings in the CLI): parsing only, nothing is read here.
import { type Address, type Chain, getAddress, isAddress } from "viem";
import { goerli, holesky, mainnet, sepolia } from "viem/chains";
import { ENS_DID_NETWORKS } from "../lib/index.ts";

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
 * Empty means none. Throws an `Error` whose message says what is wrong (the gateway's config
 * names the variable).
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
