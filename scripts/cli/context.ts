// What every command gets: the resolved configuration, its output channel, and lazy access to
// the chain (connected on first use) and the owner's wallet (loaded on first use).
import type { LocalAccount } from "viem";
import { type ChainConnection, connectChain } from "./chain.ts";
import { type CliConfig, loadCliConfig, requireSettings } from "./config.ts";
import { CliError } from "./errors.ts";
import { createOutput, type Output } from "./output.ts";
import { loadOwnerAccount } from "./wallet.ts";

/** A command's context. */
export type CommandContext = {
  config: CliConfig;
  output: Output;
  json: boolean;
  /** The chain connection (needs an RPC URL). */
  chain: () => Promise<ChainConnection>;
  /** The owner's wallet (ENSGATE_PRIVATE_KEY or keystore). */
  wallet: () => Promise<LocalAccount>;
  /** The chain id: the RPC node's when one is configured, else --chain-id. */
  chainId: () => Promise<number>;
};

/** Builds the context from the global flags. */
export function createContext(
  flags: Record<string, string | boolean | undefined>,
  steps?: number,
): CommandContext {
  const json = flags.json === true;
  const config = loadCliConfig(
    Object.fromEntries(
      Object.entries(flags).filter(([, value]) => typeof value === "string"),
    ) as Record<string, string>,
  );
  let chain: Promise<ChainConnection> | undefined;
  let wallet: Promise<LocalAccount> | undefined;
  const context: CommandContext = {
    config,
    json,
    output: createOutput({ json, steps }),
    chain: () => {
      chain ??= connectChain(requireSettings(config, "rpcUrl").rpcUrl);
      return chain;
    },
    wallet: () => {
      wallet ??= loadOwnerAccount(config);
      return wallet;
    },
    chainId: async () => {
      if (config.rpcUrl) {
        const connected = (await context.chain()).chain.id;
        if (config.chainId !== undefined && config.chainId !== connected)
          throw new CliError(
            `--chain-id ${config.chainId} differs from the RPC node's chain ${connected}`,
          );
        return connected;
      }
      if (config.chainId === undefined)
        throw new CliError("no chain: pass --rpc (or --chain-id to sign offline)");
      return config.chainId;
    },
  };
  return context;
}
