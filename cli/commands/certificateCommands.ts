// The `ca` and `cert` command groups, registered on the program by cli/ensgate.ts.
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { withOptions } from "../options.ts";
import { caCommand } from "./ca.ts";
import {
  CERT_REQUEST_OPTIONS,
  CERT_SHOW_OPTIONS,
  certRequestCommand,
  certShowCommand,
} from "./cert.ts";
import {
  CERT_CANCEL_OPTIONS,
  CERT_REFUND_OPTIONS,
  certCancelCommand,
  certRefundCommand,
} from "./certOrders.ts";

/** How cli/ensgate.ts wraps an action with its context. */
type Run = <A extends unknown[]>(
  steps: number | undefined,
  action: (context: CommandContext, ...args: A) => Promise<void>,
) => (...args: A) => Promise<void>;

/** Adds `ensgate ca init|run` and `ensgate cert request|show|cancel|refund`. */
export function registerCertificateCommands(program: Command, run: Run): void {
  program
    .command("ca")
    .description(
      "the certificate authority (ca/main.ts): `ensgate ca init`, `ensgate ca run`; `ensgate ca --help`",
    )
    .argument("[args...]")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action((args: string[]) => caCommand(program.opts(), args));

  const cert = program.command("cert").description("TLS certificates for your ENS names");
  withOptions(
    cert
      .command("request <name>")
      .description(
        "order a certificate: key + CSR, pay the fee, wait for the CA, write key and chain files",
      ),
    CERT_REQUEST_OPTIONS,
  ).action(run(4, certRequestCommand));
  withOptions(
    cert
      .command("show <name>")
      .description(
        "fetch a name's certificate chain through the resolver (CCIP-Read) and verify it",
      ),
    CERT_SHOW_OPTIONS,
  ).action(run(undefined, certShowCommand));
  withOptions(
    cert
      .command("cancel <order>")
      .description(
        "cancel an order (id or <name>.order.json) the CA left unsettled past the timeout; the fee is credited back",
      ),
    CERT_CANCEL_OPTIONS,
  ).action(run(undefined, certCancelCommand));
  withOptions(
    cert
      .command("refund")
      .description("withdraw the wallet's refunds (rejected and cancelled orders, overpayments)"),
    CERT_REFUND_OPTIONS,
  ).action(run(undefined, certRefundCommand));
}
