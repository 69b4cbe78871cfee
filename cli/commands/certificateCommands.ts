// The certificate commands, registered on the program by cli/ensgate.ts: the `ca` and `cert`
// groups, and `serve` / `fetch` (HTTPS with the name's certificate, and a client trusting TLSA).
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
  CERT_RENEW_OPTIONS,
  CERT_REVOKE_OPTIONS,
  certRenewCommand,
  certRevokeCommand,
} from "./certLifecycle.ts";
import {
  CERT_CANCEL_OPTIONS,
  CERT_REFUND_OPTIONS,
  certCancelCommand,
  certRefundCommand,
} from "./certOrders.ts";
import { FETCH_OPTIONS, fetchCommand } from "./fetch.ts";
import { SERVE_OPTIONS, serveCommand } from "./serve.ts";

/** How cli/ensgate.ts wraps an action with its context. */
type Run = <A extends unknown[]>(
  steps: number | undefined,
  action: (context: CommandContext, ...args: A) => Promise<void>,
) => (...args: A) => Promise<void>;

/** Adds `ensgate ca init|run`, `ensgate cert request|show|cancel|refund|renew|revoke`, `ensgate serve` and `ensgate fetch`. */
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
  withOptions(
    cert
      .command("renew <name>")
      .description(
        "collect the certificate the CA renewed for your key (no new payment) and replace <name>.crt.pem atomically; --watch keeps it renewed",
      ),
    CERT_RENEW_OPTIONS,
  ).action(run(undefined, certRenewCommand));
  withOptions(
    cert
      .command("revoke <name>")
      .description(
        "revoke the name's certificate at the CA (signed by the name's owner): it leaves the CA's tree and enters its CRL",
      ),
    CERT_REVOKE_OPTIONS,
  ).action(run(undefined, certRevokeCommand));

  withOptions(
    program
      .command("serve <name> [source]")
      .description(
        "serve a site over HTTPS (HTTP/2 and HTTP/1.1) for the name and its bridge name with its certificate; [source]: a folder, ipfs://<cid>, ipns://<name>, or contenthash (default: the name's contenthash). Renewed certificate files are picked up without a restart",
      ),
    SERVE_OPTIONS,
  ).action(run(undefined, serveCommand));
  withOptions(
    program
      .command("fetch <url>")
      .description(
        "HTTPS GET of an ENS name (or its bridge name) trusting the name, not a CA: the address from its A/AAAA records, the server's key checked against its TLSA record (DANE-EE), both verified on-chain",
      ),
    FETCH_OPTIONS,
  ).action(run(undefined, fetchCommand));
}
