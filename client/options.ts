// The configuration flags every product entry point accepts (the `ensgate` CLI, the CA service),
// declared once. Their values go to loadCliConfig (client/config.ts): flag, then environment
// variable, then config file, then default.
import { type Command, Option } from "commander";

/** The configuration flags, in help order. */
export function configOptions(): Option[] {
  return [
    new Option(
      "--data-dir <dir>",
      "keys, records trees and the embedded IPFS store (env ENSGATE_DATA_DIR, default .ensgate)",
    ),
    new Option("--rpc <url>", "JSON-RPC URL of the chain (env ENSGATE_RPC_URL)"),
    new Option(
      "--chain-id <id>",
      "chain id to sign for when no --rpc is given (env ENSGATE_CHAIN_ID)",
    ),
    new Option("--resolver <address>", "the ensgate resolver (env ENSGATE_RESOLVER)"),
    new Option("--registry <address>", "the ENS registry (env ENSGATE_REGISTRY)"),
    new Option(
      "--universal-resolver <address>",
      "a UniversalResolver (env ENSGATE_UNIVERSAL_RESOLVER)",
    ),
    new Option(
      "--ipfs <target>",
      '"embedded" or a Kubo RPC URL (env ENSGATE_IPFS, default embedded)',
    ),
    new Option(
      "--keystore <file>",
      "encrypted keystore of the owner's wallet; password in ENSGATE_KEYSTORE_PASSWORD (env ENSGATE_KEYSTORE); otherwise ENSGATE_PRIVATE_KEY",
    ),
    new Option(
      "--config <file>",
      "JSON config file (env ENSGATE_CONFIG, default ./ensgate.config.json)",
    ),
    new Option("--json", "print one JSON object on stdout"),
  ];
}

/** Adds the configuration flags to a program. */
export function addConfigOptions(command: Command): Command {
  for (const option of configOptions()) command.addOption(option);
  return command;
}

/**
 * The flags that reproduce parsed configuration options (`program.opts()`) on another entry
 * point's command line, e.g. when `ensgate ca` runs the CA service.
 */
export function configArguments(opts: Record<string, unknown>): string[] {
  const args: string[] = [];
  for (const option of configOptions()) {
    const value = opts[option.attributeName()];
    if (value === undefined || value === false) continue;
    args.push(option.long as string);
    if (value !== true) args.push(String(value));
  }
  return args;
}
