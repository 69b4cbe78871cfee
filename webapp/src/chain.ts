// The chain the app reads: viem's public client on the configured RPC (CCIP-Read is viem's).
import {
  type Chain,
  createPublicClient,
  defineChain,
  http,
  type PublicClient,
  type Transport,
} from "viem";
import type { AppConfig } from "./appConfig.ts";

/** The configured chain as viem's `Chain`. */
export function chainOf(config: AppConfig): Chain {
  return defineChain({
    id: config.chainId,
    name: `chain ${config.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
}

/** A public client on the configured RPC. */
export function publicClientOf(config: AppConfig): PublicClient<Transport, Chain> {
  return createPublicClient({
    chain: chainOf(config),
    transport: http(config.rpcUrl, { retryCount: 0 }),
  });
}
