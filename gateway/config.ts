import { type BridgeConfig, parseBridgeConfig } from "../bridge/config.ts";
import { type DidNetworkSpec, parseDidNetworks } from "../did/networks.ts";
import { describeError } from "../lib/index.ts";
import { GatewayError } from "./errors.ts";
import type { ReadBudget } from "./sources/readFromSources.ts";

/** One configured record source, before it is built (Node can build all kinds, Workers only HTTP). */
export type SourceSpec =
  | { kind: "http"; url: string; style: "path" | "subdomain" }
  | { kind: "trustless"; url: string }
  | { kind: "kubo"; url: string }
  | { kind: "embedded"; directory: string };

/** The gateway's settings, from environment variables (the same names on Node and Workers). */
export type GatewayConfig = {
  sources: SourceSpec[];
  budget: ReadBudget;
  cacheTtlSeconds: number;
  missingTtlSeconds: number;
  cacheEntries: number;
  /** Memory budget of the Node record cache, in bytes. */
  cacheBytes: number;
  maxBodyBytes: number;
  /** Node server timeouts (slow clients), in milliseconds. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  /** JSON-RPC URL used to check on-chain signer approvals; optional (see docs/gateway.md). */
  rpcUrl: string | undefined;
  /** Networks `GET /1.0/identifiers/{did}` resolves did:ens on (docs/did.md); none by default. */
  didNetworks: DidNetworkSpec[];
  /** The DNS bridge behind `/dns-query` (ENSGATE_BRIDGE_*, docs/bridge.md); none by default. */
  bridge: BridgeConfig | undefined;
  /** The web app's folder served at `/` (Node; docs/webapp.md); undefined: the default, "off": none. */
  webAppDir: string | undefined;
};

/** A setting that does not parse; names the variable. */
export class GatewayConfigError extends GatewayError {
  override name = "GatewayConfigError";
  constructor(variable: string, reason: string) {
    super(`${variable}: ${reason}.`, {
      details: "See `ensgate-gateway --help` or docs/gateway.md.",
    });
  }
}

/** Every variable, its default and what it means (printed by `--help`). */
export const GATEWAY_ENVIRONMENT = {
  ENSGATE_SOURCES: [
    "http:https://ipfs.io,subdomain:https://dweb.link",
    "comma-separated record sources: http:<gateway origin> (path style), subdomain:<gateway origin>, trustless:<gateway origin> (verified IPNS record + blocks), kubo:<Kubo RPC URL> (Node), embedded:<data dir> (Node)",
  ],
  ENSGATE_STRATEGY: [
    "race",
    "race: ask every source at once, first verified copy wins; ordered: one after another",
  ],
  ENSGATE_SOURCE_TIMEOUT_MS: ["4000", "longest wait for one source"],
  ENSGATE_BUDGET_MS: ["8000", "longest wait for one record across all sources"],
  ENSGATE_CACHE_TTL: ["300", "seconds a verified record is cached (never past its validUntil)"],
  ENSGATE_MISSING_TTL: ["60", "seconds a missing record is cached"],
  ENSGATE_CACHE_ENTRIES: [
    "1000000",
    "most entries kept by the in-memory cache (Node; ENSGATE_CACHE_BYTES is the main bound)",
  ],
  ENSGATE_CACHE_BYTES: [
    "268435456",
    "memory budget of the in-memory caches (Node), bytes: records, and 1/8 for trustless sources' blocks",
  ],
  ENSGATE_MAX_BODY_BYTES: [
    "65536",
    "largest request accepted (bodies are cut off while they stream)",
  ],
  ENSGATE_HEADERS_TIMEOUT_MS: [
    "10000",
    "longest wait for a request's headers (Node; a slow client is closed with 408)",
  ],
  ENSGATE_REQUEST_TIMEOUT_MS: [
    "30000",
    "longest wait for a whole request, headers and body (Node; at least the headers timeout)",
  ],
  ENSGATE_IDLE_TIMEOUT_MS: ["5000", "longest idle time of a kept-alive connection (Node)"],
  ENSGATE_RPC_URL: [
    "",
    "optional JSON-RPC URL to check on-chain signer approvals before answering",
  ],
  ENSGATE_DID_NETWORKS: [
    "",
    'did:ens networks of GET /1.0/identifiers/{did}: <network>=<chainId>@<rpcUrl>,... (chains 1, 5, 17000, 11155111) or JSON {"<network>":{"chainId":N,"rpcUrl":"...","registry":"0x...","universalResolver":"0x...","nameWrapper":"0x..."}}; unset: every did:ens answers 501 methodNotSupported',
  ],
  ENSGATE_WEBAPP_DIR: [
    "",
    'the web app served at / (Node; default: webapp/dist when built, "off": none); its app-config.json is the settings the app starts with',
  ],
} as const;

/** Parses the gateway configuration from an environment map; throws `GatewayConfigError`. */
export function parseGatewayConfig(env: Record<string, string | undefined>): GatewayConfig {
  const get = (name: keyof typeof GATEWAY_ENVIRONMENT) => {
    const value = env[name];
    return value === undefined || value === "" ? GATEWAY_ENVIRONMENT[name][0] : value;
  };
  const positive = (name: keyof typeof GATEWAY_ENVIRONMENT) => {
    const value = Number(get(name));
    if (!Number.isInteger(value) || value <= 0)
      throw new GatewayConfigError(name, `"${get(name)}" is not a positive integer`);
    return value;
  };
  const strategy = get("ENSGATE_STRATEGY");
  if (strategy !== "race" && strategy !== "ordered")
    throw new GatewayConfigError("ENSGATE_STRATEGY", `"${strategy}" is not race or ordered`);
  const rpcUrl = get("ENSGATE_RPC_URL");
  let didNetworks: DidNetworkSpec[];
  try {
    didNetworks = parseDidNetworks(get("ENSGATE_DID_NETWORKS"));
  } catch (error) {
    throw new GatewayConfigError("ENSGATE_DID_NETWORKS", describeError(error));
  }
  return {
    sources: get("ENSGATE_SOURCES")
      .split(",")
      .map((spec) => spec.trim())
      .filter((spec) => spec !== "")
      .map(parseSourceSpec),
    budget: {
      strategy,
      perSourceTimeoutMs: positive("ENSGATE_SOURCE_TIMEOUT_MS"),
      totalBudgetMs: positive("ENSGATE_BUDGET_MS"),
    },
    cacheTtlSeconds: positive("ENSGATE_CACHE_TTL"),
    missingTtlSeconds: positive("ENSGATE_MISSING_TTL"),
    cacheEntries: positive("ENSGATE_CACHE_ENTRIES"),
    cacheBytes: positive("ENSGATE_CACHE_BYTES"),
    maxBodyBytes: positive("ENSGATE_MAX_BODY_BYTES"),
    ...serverTimeouts(positive),
    rpcUrl: rpcUrl === "" ? undefined : checkedUrl("ENSGATE_RPC_URL", rpcUrl),
    didNetworks,
    bridge: parseBridgeConfig(env),
    webAppDir: get("ENSGATE_WEBAPP_DIR") || undefined,
  };
}

/** The Node server's timeouts; the request timeout may not be shorter than the header timeout. */
function serverTimeouts(positive: (name: keyof typeof GATEWAY_ENVIRONMENT) => number) {
  const headersTimeoutMs = positive("ENSGATE_HEADERS_TIMEOUT_MS");
  const requestTimeoutMs = positive("ENSGATE_REQUEST_TIMEOUT_MS");
  if (requestTimeoutMs < headersTimeoutMs)
    throw new GatewayConfigError(
      "ENSGATE_REQUEST_TIMEOUT_MS",
      `${requestTimeoutMs} is shorter than ENSGATE_HEADERS_TIMEOUT_MS (${headersTimeoutMs})`,
    );
  return { headersTimeoutMs, requestTimeoutMs, idleTimeoutMs: positive("ENSGATE_IDLE_TIMEOUT_MS") };
}

/** Parses one `kind:target` source spec. */
function parseSourceSpec(spec: string): SourceSpec {
  const colon = spec.indexOf(":");
  const kind = spec.slice(0, colon);
  const target = spec.slice(colon + 1);
  switch (kind) {
    case "http":
    case "subdomain":
      return {
        kind: "http",
        url: checkedUrl("ENSGATE_SOURCES", target),
        style: kind === "http" ? "path" : "subdomain",
      };
    case "trustless":
      return { kind: "trustless", url: checkedUrl("ENSGATE_SOURCES", target) };
    case "kubo":
      return { kind: "kubo", url: checkedUrl("ENSGATE_SOURCES", target) };
    case "embedded":
      if (target === "")
        throw new GatewayConfigError("ENSGATE_SOURCES", "embedded: needs a data directory");
      return { kind: "embedded", directory: target };
    default:
      throw new GatewayConfigError(
        "ENSGATE_SOURCES",
        `"${spec}" is not http:, subdomain:, trustless:, kubo: or embedded:<target>`,
      );
  }
}

/** Returns `value` when it is an http(s) URL. */
function checkedUrl(variable: string, value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw new GatewayConfigError(variable, `"${value}" is not an http(s) URL`);
  return value;
}
