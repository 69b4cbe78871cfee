// The app's settings: `/app-config.json` next to the app (the gateway writes it from its own
// deployment; on a static host the operator writes the file), overridden per browser in the
// settings panel (localStorage). Nothing secret is in it.
import { type Address, isAddress } from "viem";

/** What `/app-config.json` holds (docs/webapp.md). */
export type AppConfig = {
  /** JSON-RPC URL of the chain the resolver is on (read in the browser, CORS needed). */
  rpcUrl: string;
  chainId: number;
  /** The ENS registry. */
  registry: Address;
  /** The UniversalResolver, for the did:ens document (optional). */
  universalResolver?: Address | undefined;
  /** The ensgate resolver names are pointed at (for approvals, recordhash, epoch). */
  resolver?: Address | undefined;
  /** The ensgate gateway (informational: every answer is verified on-chain anyway). */
  gatewayUrl?: string | undefined;
  /** Devnet publishing endpoints (routing, pinning, trustless gateway) under one URL. */
  publishUrl?: string | undefined;
  /** Kubo RPC URL to publish through instead (optional). */
  kuboRpcUrl?: string | undefined;
  /** The did:ens network name of this chain (`localhost` on the devnet, `mainnet`, ...). */
  didNetwork?: string | undefined;
};

const STORAGE_KEY = "ensgate.appConfig";

/** Checks a parsed config; throws a sentence naming the first bad field. */
export function parseAppConfig(value: unknown): AppConfig {
  if (typeof value !== "object" || value === null)
    throw new Error("the settings are not a JSON object");
  const config = value as Record<string, unknown>;
  const url = (field: string, required: boolean) => {
    const entry = config[field];
    if (entry === undefined || entry === "") {
      if (required) throw new Error(`the settings lack ${field}`);
      return undefined;
    }
    if (typeof entry !== "string" || !/^https?:\/\//.test(entry))
      throw new Error(`${field} is not an http(s) URL`);
    return entry.replace(/\/+$/, "");
  };
  const address = (field: string, required: boolean) => {
    const entry = config[field];
    if (entry === undefined || entry === "") {
      if (required) throw new Error(`the settings lack ${field}`);
      return undefined;
    }
    if (typeof entry !== "string" || !isAddress(entry))
      throw new Error(`${field} is not an address`);
    return entry;
  };
  const chainId = Number(config.chainId);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new Error("chainId is not a chain id");
  return {
    rpcUrl: url("rpcUrl", true) as string,
    chainId,
    registry: address("registry", true) as Address,
    universalResolver: address("universalResolver", false),
    resolver: address("resolver", false),
    gatewayUrl: url("gatewayUrl", false),
    publishUrl: url("publishUrl", false),
    kuboRpcUrl: url("kuboRpcUrl", false),
    didNetwork: typeof config.didNetwork === "string" ? config.didNetwork : undefined,
  };
}

/** The served config, with this browser's overrides on top. */
export async function loadAppConfig(): Promise<{ served: unknown; config: AppConfig }> {
  let served: unknown = {};
  try {
    const response = await fetch("./app-config.json", { cache: "no-cache" });
    if (response.ok) served = await response.json();
  } catch {
    // No served config (a static host without the file): the settings panel fills it in.
  }
  const overrides = readOverrides();
  return { served, config: parseAppConfig({ ...(served as object), ...overrides }) };
}

export function readOverrides(): Record<string, unknown> {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}") as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function saveOverrides(overrides: Record<string, unknown>): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(overrides));
}
