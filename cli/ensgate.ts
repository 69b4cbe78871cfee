#!/usr/bin/env node
// ensgate: gasless ENS records on IPNS, resolved through CCIP-Read and verified on-chain.
// `ensgate --help` lists the commands; `ensgate <command> --help` explains each.
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { addConfigOptions } from "../client/options.ts";
import { describeError } from "../lib/index.ts";
import {
  APPROVE_OPTIONS,
  approveCommand,
  REVOKE_OPTIONS,
  revokeCommand,
} from "./commands/approve.ts";
import { registerCertificateCommands } from "./commands/certificateCommands.ts";
import { DEPLOY_OPTIONS, deployCommand } from "./commands/deploy.ts";
import { DEV_OPTIONS, devCommand } from "./commands/dev.ts";
import { DID_OPTIONS, didCommand } from "./commands/did.ts";
import { KEYGEN_OPTIONS, keygenCommand } from "./commands/keygen.ts";
import { LOG_VERIFY_OPTIONS, logVerifyCommand } from "./commands/log.ts";
import { publishCommand } from "./commands/publish.ts";
import { RECORDHASH_OPTIONS, recordhashCommand } from "./commands/recordhash.ts";
import { RESIGN_OPTIONS, resignCommand } from "./commands/resign.ts";
import { resolveCommand } from "./commands/resolve.ts";
import { SET_OPTIONS, setCommand, unsetCommand } from "./commands/set.ts";
import { type CommandContext, createContext } from "./context.ts";
import { UsageError } from "./errors.ts";
import { withOptions } from "./options.ts";

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

  withOptions(
    program
      .command("dev")
      .description(
        "start the local stack with a demo name whose records cover every type; Ctrl-C stops it",
      ),
    DEV_OPTIONS,
  ).action(run(7, devCommand));

  withOptions(
    program
      .command("keygen [name]")
      .description(
        "derive the IPNS key and the records signer from SIGN 1/SIGN 2 wallet signatures (NameSys KEYGEN)",
      ),
    KEYGEN_OPTIONS,
  ).action(run(1, keygenCommand));

  withOptions(
    program
      .command("approve <name>")
      .description(
        "approve a records signer: an off-chain SIGN 3 approval file (default) or an on-chain approve",
      ),
    APPROVE_OPTIONS,
  ).action(run(1, approveCommand));

  withOptions(
    program
      .command("revoke <name>")
      .description(
        "revoke an on-chain approval, or with --epoch raise the owner's epoch (revokes every earlier signature)",
      ),
    REVOKE_OPTIONS,
  ).action(run(1, revokeCommand));

  withOptions(
    program
      .command("set <name> <type> <value>")
      .description(
        "sign one record into the local tree. <type>: text/<key>, address/<coinType>, contenthash, pubkey, name, interface/0x<id>, abi/<contentType>, dns/zonehash, or dns (a zone fragment). @file reads the value from a file",
      ),
    SET_OPTIONS,
  ).action(run(1, setCommand));

  withOptions(
    program
      .command("resign <name>")
      .description(
        "re-sign every record of the name in the local tree under its current epoch and a new validity (e.g. after `revoke --epoch`), re-creating the off-chain approval when needed; then publish",
      ),
    RESIGN_OPTIONS,
  ).action(run(1, resignCommand));

  program
    .command("unset <name> <type>")
    .description("remove one record from the local tree (then publish)")
    .action(run(undefined, unsetCommand));

  program
    .command("publish [keyNames...]")
    .description(
      "add the records trees to IPFS and publish their IPNS names; only changed files are uploaded. Refuses keys of a former owner; warns when the name's on-chain recordhash is not the IPNS name published",
    )
    .option(
      "--routing <url>",
      "also send each signed IPNS record to a Delegated Routing V1 endpoint (PUT /routing/v1/ipns/<name>); embedded store only",
    )
    .option(
      "--pin <url>",
      "also upload each tree as a CAR to a pinning service (POST <url>/car) and pin its root (Pinning Service API POST <url>/pins); token in ENSGATE_PIN_TOKEN; embedded store only",
    )
    .action(run(undefined, publishCommand));

  withOptions(
    program
      .command("recordhash [name]")
      .description("point a name (or with --owner, the wallet) at its IPNS records tree, on-chain"),
    RECORDHASH_OPTIONS,
  ).action(run(1, recordhashCommand));

  program
    .command("resolve <name> [type] [dnsArguments...]")
    .description(
      "resolve a record through the chain with CCIP-Read and show who signed it (type default: address/60; DNS: `dns <owner name> <type>`, e.g. `dns www.alice.eth A`)",
    )
    .action(run(undefined, resolveCommand));

  withOptions(
    program
      .command("did <didOrName>")
      .description(
        "resolve a did:ens DID (or a name: did:ens:<network>:<name> on the configured chain) and print its DID document; --json prints the whole resolution result",
      ),
    DID_OPTIONS,
  ).action(run(undefined, didCommand));

  withOptions(
    program
      .command("deploy")
      .description(
        "deploy the ensgate resolver (and, on a local chain without --registry, the ENS fixtures)",
      ),
    DEPLOY_OPTIONS,
  ).action(run(1, deployCommand));

  registerCertificateCommands(program, run);

  const log = program.command("log").description("the CA's public transparency log");
  withOptions(
    log
      .command("verify <log>")
      .description(
        "audit the transparency log at <log> (an http(s) URL prefix or a directory), trusting only --key: the latest checkpoint's signature, with --certificate/--index that entry's inclusion, with --checkpoint the consistency of an earlier checkpoint",
      ),
    LOG_VERIFY_OPTIONS,
  ).action(run(undefined, logVerifyCommand));

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
