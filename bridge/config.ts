// The bridge's settings from environment variables (the same names for the standalone server and
// the gateway's DNS-over-HTTPS route): zone, chain, name servers.
import { type Address, isAddress } from "viem";
import { assertBridgeDomain } from "../lib/certs/bridgeName.ts";
import { DEFAULT_DNS_BRIDGE_ZONE, type ZoneApex } from "../lib/index.ts";
import { BridgeError } from "./errors.ts";

/** What the bridge needs: the zone's apex and where to read ENS. */
export type BridgeConfig = {
  apex: ZoneApex;
  rpcUrl: string;
  universalResolver: Address;
};

/** Every variable, its default and what it means. */
export const BRIDGE_ENVIRONMENT = {
  ENSGATE_BRIDGE_RPC_URL: [
    "",
    "JSON-RPC URL of the chain the bridge reads ENS on; unset: no bridge",
  ],
  ENSGATE_BRIDGE_UNIVERSAL_RESOLVER: [
    "0xeEeEEEeE14D718C2B47D9923Deab1335E144EeEe",
    "the chain's UniversalResolver (findResolver); the default is ENS's on mainnet and Sepolia",
  ],
  ENSGATE_BRIDGE_ZONE: [
    DEFAULT_DNS_BRIDGE_ZONE,
    "the DNS zone whose <labels>.<zone> is <labels>.eth",
  ],
  ENSGATE_BRIDGE_NAME_SERVERS: [
    "",
    "comma-separated NS host names of the zone (default ns1.<zone>)",
  ],
} as const;

/** A bridge setting that does not parse; names the variable. */
export class BridgeConfigError extends BridgeError {
  override name = "BridgeConfigError";
  constructor(variable: string, reason: string) {
    super(`${variable}: ${reason}.`, { details: "See docs/bridge.md." });
  }
}

/** The bridge's configuration, or undefined when ENSGATE_BRIDGE_RPC_URL is unset (no bridge). */
export function parseBridgeConfig(
  env: Record<string, string | undefined>,
): BridgeConfig | undefined {
  const get = (name: keyof typeof BRIDGE_ENVIRONMENT) => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? BRIDGE_ENVIRONMENT[name][0] : value;
  };
  const rpcUrl = get("ENSGATE_BRIDGE_RPC_URL");
  if (rpcUrl === "") return undefined;
  if (!URL.canParse(rpcUrl) || !/^https?:$/.test(new URL(rpcUrl).protocol))
    throw new BridgeConfigError("ENSGATE_BRIDGE_RPC_URL", `"${rpcUrl}" is not an http(s) URL`);
  const universalResolver = get("ENSGATE_BRIDGE_UNIVERSAL_RESOLVER");
  if (!isAddress(universalResolver, { strict: false }))
    throw new BridgeConfigError(
      "ENSGATE_BRIDGE_UNIVERSAL_RESOLVER",
      `"${universalResolver}" is not an address`,
    );
  const zone = get("ENSGATE_BRIDGE_ZONE").toLowerCase().replace(/\.$/, "");
  try {
    assertBridgeDomain(zone);
  } catch (error) {
    throw new BridgeConfigError("ENSGATE_BRIDGE_ZONE", (error as Error).message.replace(/\.$/, ""));
  }
  const servers = get("ENSGATE_BRIDGE_NAME_SERVERS");
  const nameServers = (servers === "" ? `ns1.${zone}` : servers)
    .split(",")
    .map((server) => server.trim().toLowerCase().replace(/\.$/, ""))
    .filter((server) => server !== "");
  return {
    apex: bridgeApex(zone, nameServers),
    rpcUrl,
    universalResolver: universalResolver as Address,
  };
}

/** The apex settings of a zone: SOA and NS TTL one hour, negative answers cached 60 s. */
export function bridgeApex(zone: string, nameServers: string[] = [`ns1.${zone}`]): ZoneApex {
  return {
    zone,
    nameServers,
    serial: Math.floor(Date.now() / 1000),
    ttl: 3600,
    negativeTtl: 60,
  };
}
