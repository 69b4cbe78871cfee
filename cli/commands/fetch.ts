// `ensgate fetch <https-url>`: an HTTPS GET that trusts the ENS name, not a CA
// (client/daneFetch.ts): the address and the server's key come from the name's records, verified
// on-chain. The body goes to stdout (or -o <file>); every failure is one line and exit 1.
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { requireSettings } from "../../client/config.ts";
import { daneFetch, ensNameOfHost, parseHttpsUrl } from "../../client/daneFetch.ts";
import { formatTlsaRecord } from "../../client/tlsaRecords.ts";
import { createVerifiedRecordReader } from "../../client/verifiedRecords.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";

/** The options of `ensgate fetch`, declared once (their type: OptionsOf). */
export const FETCH_OPTIONS = {
  "-o, --output <file>": "write the body to this file instead of stdout",
  "--bridge-domain <domain>":
    "DNS bridge domain mapped back to .eth (default deploy-ens-to-dns.com)",
  "--timeout <seconds>": "per connection and for the answer (default 30)",
} as const satisfies OptionSpecs;

/** `ensgate fetch <url>`. */
export async function fetchCommand(
  context: CommandContext,
  url: string,
  // `-o, --output` (a short flag OptionsOf does not spell out).
  options: OptionsOf<typeof FETCH_OPTIONS> & { output?: string },
): Promise<void> {
  const { registry, rpcUrl } = requireSettings(context.config, "registry", "rpcUrl");
  const timeout = options.timeout === undefined ? 30 : Number(options.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new CliError(`timeout "${options.timeout}" is not a positive number of seconds`);
  // A URL that is not https:// or not an ENS host fails before the chain is contacted.
  ensNameOfHost(parseHttpsUrl(url).hostname, options.bridgeDomain);
  const connection = await context.chain();
  const response = await daneFetch(url, {
    reader: createVerifiedRecordReader({
      chain: connection.chain,
      rpcUrl,
      publicClient: connection.publicClient,
      registry,
    }),
    bridgeDomain: options.bridgeDomain,
    timeoutMs: timeout * 1000,
  });
  const output = options.output ? resolve(options.output) : undefined;
  if (output) await writeFile(output, response.body);
  const summary = {
    url,
    status: response.status,
    ensName: response.ensName,
    address: response.address,
    port: response.port,
    tlsa: formatTlsaRecord(response.tlsa),
    bytes: response.body.length,
    contentType: response.headers["content-type"] ?? null,
    ...(output ? { output } : {}),
  };
  if (context.json)
    context.output.result(
      [],
      output ? summary : { ...summary, body: response.body.toString("utf8") },
    );
  else if (!output) process.stdout.write(response.body);
  else
    process.stderr.write(
      `${url}: ${response.status}, ${response.body.length} bytes -> ${output} (${response.address}:${response.port}, TLSA ${summary.tlsa})\n`,
    );
  if (response.status >= 400) throw new CliError(`${url} answered HTTP ${response.status}`);
}
