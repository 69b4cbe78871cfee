// What every command gets: the resolved configuration, its output channel, and lazy access to
// the chain (connected on first use), the owner's wallet (loaded on first use) and the names'
// on-chain context (read once per name).
import type { LocalAccount } from "viem";
import {
  type ChainConnection,
  connectChain,
  type NameContext,
  readNameContext,
} from "../client/chain.ts";
import { type CliConfig, loadCliConfig, requireSettings } from "../client/config.ts";
import { loadOwnerAccount } from "../client/wallet.ts";
import { CliError } from "./errors.ts";
import { createOutput, type Output } from "./output.ts";

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
  /** Whether the chain is configured (an RPC URL and the resolver): false means offline. */
  online: boolean;
  /**
   * The resolver's `nameContext` of a normalized name (owner, epoch, recordhash), read once per
   * run; undefined offline. Throws a one-line error when the name has no owner.
   */
  nameContext: (name: string) => Promise<NameContext | undefined>;
  /** Writes a warning: one `ensgate: warning: …` line on stderr (also with --json). */
  warn: (message: string) => void;
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
  const nameContexts = new Map<string, Promise<NameContext>>();
  const online = config.rpcUrl !== undefined && config.resolver !== undefined;
  const context: CommandContext = {
    config,
    json,
    online,
    async nameContext(name) {
      if (!online) return undefined;
      let read = nameContexts.get(name);
      if (!read) {
        read = context
          .chain()
          .then((connection) =>
            readNameContext(
              connection.publicClient,
              config.resolver as NonNullable<typeof config.resolver>,
              name,
            ),
          );
        nameContexts.set(name, read);
      }
      return read;
    },
    warn(message) {
      process.stderr.write(`ensgate: warning: ${message}\n`);
    },
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
