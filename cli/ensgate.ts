#!/usr/bin/env node
// ensgate: gasless ENS records on IPNS, resolved through CCIP-Read and verified on-chain.
// `ensgate --help` lists the commands; `ensgate <command> --help` explains each.
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { addConfigOptions } from "../client/options.ts";
import { describeError } from "../lib/index.ts";
import { approveCommand, revokeCommand } from "./commands/approve.ts";
import { registerCertificateCommands } from "./commands/certificateCommands.ts";
import { deployCommand } from "./commands/deploy.ts";
import { devCommand } from "./commands/dev.ts";
import { didCommand } from "./commands/did.ts";
import { keygenCommand } from "./commands/keygen.ts";
import { publishCommand } from "./commands/publish.ts";
import { recordhashCommand } from "./commands/recordhash.ts";
import { resignCommand } from "./commands/resign.ts";
import { resolveCommand } from "./commands/resolve.ts";
import { setCommand, unsetCommand } from "./commands/set.ts";
import { type CommandContext, createContext } from "./context.ts";
import { UsageError } from "./errors.ts";

/** Exit codes: 1 for a failure the user can fix, 2 for a usage error. */
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

/** Builds the command tree. */
export function buildProgram(): Command {
  const program = addConfigOptions(
    new Command("ensgate").description(
      "Gasless ENS records on IPNS, resolved through CCIP-Read and verified on-chain.",
    ),
  )
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  /** Runs a command with its context (global flags merged in). */
  const run =
    <A extends unknown[]>(
      steps: number | undefined,
      action: (context: CommandContext, ...args: A) => Promise<void>,
    ) =>
    async (...args: A) => {
      await action(createContext(program.opts(), steps), ...args);
    };

  program
    .command("dev")
    .description(
      "start the local stack with a demo name whose records cover every type; Ctrl-C stops it",
    )
    .option("--rpc-port <port>", "JSON-RPC port (default: a free one)")
    .option("--gateway-port <port>", "ensgate gateway port (default: a free one)")
    .option("--ipfs-port <port>", "IPFS path gateway port (default: a free one)")
    .action(
      run(7, (context, options: { rpcPort?: string; gatewayPort?: string; ipfsPort?: string }) =>
        devCommand(context, options),
      ),
    );

  program
    .command("keygen [name]")
    .description(
      "derive the IPNS key and the records signer from SIGN 1/SIGN 2 wallet signatures (NameSys KEYGEN)",
    )
    .option(
      "--wallet-wide",
      "keys for the wallet's own records tree (eth:<address>) instead of one name",
    )
    .option("--password <password>", "optional password mixed into the keys, as in NameSys")
    .option(
      "--force",
      "derive even when the wallet does not own the name (e.g. before a transfer), and replace existing keys of that name",
    )
    .action(
      run(
        1,
        (
          context,
          name: string | undefined,
          options: { walletWide?: boolean; password?: string; force?: boolean },
        ) => keygenCommand(context, name, options),
      ),
    );

  program
    .command("approve <name>")
    .description(
      "approve a records signer: an off-chain SIGN 3 approval file (default) or an on-chain approve",
    )
    .option("--signer <address>", "the signer to approve (default: the name's derived signer)")
    .option("--onchain", "send approve(node, signer, true) instead")
    .option("--v1", "a NameSys v1 approval (no epoch)")
    .option("--epoch <n>", "epoch to approve under (default: the chain's, or 0 offline)")
    .action(
      run(
        1,
        (
          context,
          name: string,
          options: { signer?: string; onchain?: boolean; v1?: boolean; epoch?: string },
        ) => approveCommand(context, name, options),
      ),
    );

  program
    .command("revoke <name>")
    .description(
      "revoke an on-chain approval, or with --epoch raise the owner's epoch (revokes every earlier signature)",
    )
    .option("--signer <address>", "the signer to revoke (default: the name's derived signer)")
    .option(
      "--epoch",
      "bumpEpoch(node): revoke every record and off-chain approval of the name (and the names below it) signed so far; then `resign` and `publish`",
    )
    .action(
      run(1, (context, name: string, options: { signer?: string; epoch?: boolean }) =>
        revokeCommand(context, name, options),
      ),
    );

  program
    .command("set <name> <type> <value>")
    .description(
      "sign one record into the local tree. <type>: text/<key>, address/<coinType>, contenthash, pubkey, name, interface/0x<id>, abi/<contentType>, dns/zonehash, or dns (a zone fragment). @file reads the value from a file",
    )
    .option("--v1", "a NameSys v1 record (no expiry, no epoch)")
    .option("--valid-for <duration>", "v2 validity: 30d, 12h, 90m or seconds (default 30d)")
    .option("--epoch <n>", "epoch to sign under (default: the chain's, or 0 offline)")
    .option(
      "--sign-with <who>",
      '"derived" (the keygen signer, default) or "owner" (the wallet itself)',
    )
    .action(
      run(
        1,
        (
          context,
          name: string,
          type: string,
          value: string,
          options: { v1?: boolean; validFor?: string; epoch?: string; signWith?: string },
        ) => setCommand(context, name, type, value, options),
      ),
    );

  program
    .command("resign <name>")
    .description(
      "re-sign every record of the name in the local tree under its current epoch and a new validity (e.g. after `revoke --epoch`), re-creating the off-chain approval when needed; then publish",
    )
    .option("--valid-for <duration>", "v2 validity: 30d, 12h, 90m or seconds (default 30d)")
    .option("--epoch <n>", "epoch to sign under (default: the chain's, or 0 offline)")
    .action(
      run(1, (context, name: string, options: { validFor?: string; epoch?: string }) =>
        resignCommand(context, name, options),
      ),
    );

  program
    .command("unset <name> <type>")
    .description("remove one record from the local tree (then publish)")
    .action(
      run(undefined, (context, name: string, type: string) => unsetCommand(context, name, type)),
    );

  program
    .command("publish [keyNames...]")
    .description(
      "add the records trees to IPFS and publish their IPNS names; only changed files are uploaded. Refuses keys of a former owner; warns when the name's on-chain recordhash is not the IPNS name published",
    )
    .action(run(undefined, (context, keyNames: string[]) => publishCommand(context, keyNames)));

  program
    .command("recordhash [name]")
    .description("point a name (or with --owner, the wallet) at its IPNS records tree, on-chain")
    .option("--owner", "set the wallet-wide recordhash (fallback for all the wallet's names)")
    .action(
      run(1, (context, name: string | undefined, options: { owner?: boolean }) =>
        recordhashCommand(context, name, options),
      ),
    );

  program
    .command("resolve <name> [type] [dnsArguments...]")
    .description(
      "resolve a record through the chain with CCIP-Read and show who signed it (type default: address/60; DNS: `dns <owner name> <type>`, e.g. `dns www.alice.eth A`)",
    )
    .action(
      run(undefined, (context, name: string, type: string | undefined, rest: string[]) =>
        resolveCommand(context, name, type, rest),
      ),
    );

  program
    .command("did <didOrName>")
    .description(
      "resolve a did:ens DID (or a name: did:ens:<network>:<name> on the configured chain) and print its DID document; --json prints the whole resolution result",
    )
    .option(
      "--network <name>",
      "did:ens network of the chain (default: mainnet, sepolia, holesky, goerli by chain id; localhost for 31337)",
    )
    .option(
      "--name-wrapper <address>",
      "the NameWrapper (default: the known one on chains 1 and 11155111)",
    )
    .action(
      run(
        undefined,
        (context, didOrName: string, options: { network?: string; nameWrapper?: string }) =>
          didCommand(context, didOrName, options),
      ),
    );

  program
    .command("deploy")
    .description(
      "deploy the ensgate resolver (and, on a local chain without --registry, the ENS fixtures)",
    )
    .option("--name-wrapper <address>", "the NameWrapper (default: none, or the stand-in locally)")
    .option(
      "--registrar <address>",
      "the .eth base registrar, for the expiry rule (default: none, or the stand-in locally)",
    )
    .option(
      "--admin <address>",
      "admin of the default gateway lists (default: the deploying wallet)",
    )
    .option("--ipfs-gateways <urls>", "comma-separated IPFS path gateways, e.g. https://ipfs.io")
    .option(
      "--gateway-urls <urls>",
      "comma-separated ensgate gateway URL templates, e.g. https://gw.example/{sender}/{data}",
    )
    .action(
      run(
        1,
        (
          context,
          options: {
            nameWrapper?: string;
            registrar?: string;
            admin?: string;
            ipfsGateways?: string;
            gatewayUrls?: string;
          },
        ) => deployCommand(context, options),
      ),
    );

  registerCertificateCommands(program, run);

  return program;
}

/** Runs the CLI: one line on stderr and a non-zero exit for every failure. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; commander has already printed usage errors.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    process.stderr.write(`ensgate: ${describeError(error)}\n`);
    process.exitCode = error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  }
}

if (
  process.argv[1] &&
  fileURLToPath(import.meta.url) === (await import("node:fs")).realpathSync(process.argv[1])
)
  await main(process.argv);
