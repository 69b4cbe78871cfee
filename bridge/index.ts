// The DNS bridge (docs/bridge.md): the answering engine, its ENS reader, the DoH handler and the
// configuration, shared by the standalone server (bridge/main.ts) and the gateway's /dns-query.
export {
  type AnswerContext,
  BRIDGE_UDP_PAYLOAD_SIZE,
  type BridgeAnswererOptions,
  createBridgeAnswerer,
  type DnsTransport,
  RCODE,
} from "./answerQuery.ts";
export {
  BRIDGE_ENVIRONMENT,
  type BridgeConfig,
  BridgeConfigError,
  bridgeApex,
  parseBridgeConfig,
} from "./config.ts";
export { DNS_MESSAGE_TYPE, DNS_QUERY_PATH, handleDnsOverHttps } from "./dnsOverHttps.ts";
export {
  type BridgeReadRequest,
  createEnsReader,
  type EnsRead,
  type EnsReader,
} from "./ensReader.ts";
export { BridgeError } from "./errors.ts";

import { createBridgeAnswerer } from "./answerQuery.ts";
import type { BridgeConfig } from "./config.ts";
import { createEnsReader } from "./ensReader.ts";

/** The engine for a configuration: reads ENS over its RPC URL and UniversalResolver. */
export function createBridge(config: BridgeConfig, options: { now?: () => bigint } = {}) {
  return createBridgeAnswerer({
    apex: config.apex,
    read: createEnsReader({ rpcUrl: config.rpcUrl, universalResolver: config.universalResolver }),
    now: options.now,
  });
}
