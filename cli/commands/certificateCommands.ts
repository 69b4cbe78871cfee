// The `ca` and `cert` command groups, registered on the program by cli/ensgate.ts.
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { caCommand } from "./ca.ts";
import { certRequestCommand, certShowCommand } from "./cert.ts";

/** How cli/ensgate.ts wraps an action with its context. */
type Run = <A extends unknown[]>(
  steps: number | undefined,
  action: (context: CommandContext, ...args: A) => Promise<void>,
) => (...args: A) => Promise<void>;

/** Adds `ensgate ca init|run` and `ensgate cert request|show`. */
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
  cert
    .command("request <name>")
    .description(
      "order a certificate: key + CSR, pay the fee, wait for the CA, write key and chain files",
    )
    .option("--key <pem>", "use this PKCS#8 key (P-256 or secp256k1) instead of generating one")
    .option("--key-type <type>", "key to generate: P-256 (default) or secp256k1")
    .option("--kind <kind>", "end-entity (default) or intermediate (a domain CA for your own key)")
    .option("--orders <address>", "the CertificateOrders contract (env ENSGATE_ORDERS)")
    .option(
      "--out <dir>",
      "where to write <name>.key.pem, <name>.crt.pem, <name>.root.pem (default .)",
    )
    .option(
      "--bridge-domain <domain>",
      "DNS bridge domain to include (default deploy-ens-to-dns.com)",
    )
    .option("--timeout <seconds>", "how long to wait for the CA (default 600)")
    .action(
      run(
        4,
        (
          context,
          name: string,
          options: {
            key?: string;
            keyType?: string;
            kind?: string;
            orders?: string;
            out?: string;
            bridgeDomain?: string;
            timeout?: string;
          },
        ) => certRequestCommand(context, name, options),
      ),
    );
  cert
    .command("show <name>")
    .description("fetch a name's certificate chain through the resolver (CCIP-Read) and verify it")
    .option("--root <pem>", "the root to require at the end of the chain")
    .option(
      "--bridge-domain <domain>",
      "DNS bridge domain of the CA (default deploy-ens-to-dns.com)",
    )
    .action(
      run(undefined, (context, name: string, options: { root?: string; bridgeDomain?: string }) =>
        certShowCommand(context, name, options),
      ),
    );
}
