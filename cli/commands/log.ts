// `ensgate log verify <log>`: audits the CA's transparency log (docs/certificates.md,
// "Transparency log") trusting only the log's verifier key: the latest checkpoint's signature,
// a certificate's inclusion, and the consistency of an earlier checkpoint with the latest.
import { readFileSync } from "node:fs";
import { getAddress, isAddress } from "viem";
import { requireSettings } from "../../client/config.ts";
import { writeFileAtomic } from "../../client/files.ts";
import { type AnchoredCheckpoint, readLogAnchor } from "../../client/tlogAnchor.ts";
import { openLogSource } from "../../client/tlogSource.ts";
import { auditLog } from "../../client/tlogVerify.ts";
import { fromBase64 } from "../../lib/tlog/index.ts";
import type { CommandContext } from "../context.ts";
import { CliError, UsageError } from "../errors.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";

/** The options of `ensgate log verify`, declared once (their type: OptionsOf). */
export const LOG_VERIFY_OPTIONS = {
  "--key <verifierKey>":
    "the log's verifier key, <origin>+<key ID>+<base64 key> (or @file to read it from a file); required",
  "--certificate <file>": "a certificate (PEM or DER) whose issued entry must be in the log",
  "--index <n>": "the log index of the entry to check (with --certificate: skip the search)",
  "--checkpoint <file>": "an earlier signed checkpoint the latest must be consistent with",
  "--anchor <address>":
    "the log's LogAnchor contract (needs --rpc): the latest checkpoint must extend the one anchored on-chain",
  "--save-checkpoint <file>":
    "write the verified latest checkpoint here (for the next --checkpoint)",
} as const satisfies OptionSpecs;

/**
 * Verifies the log at `location` (an http(s) URL prefix or a directory). Prints what was
 * verified; any failure is one line naming the problem, exit 1.
 */
export async function logVerifyCommand(
  context: CommandContext,
  location: string,
  options: OptionsOf<typeof LOG_VERIFY_OPTIONS>,
): Promise<void> {
  if (options.key === undefined) throw new UsageError("--key <verifier key> is required");
  const verifierKey = options.key.startsWith("@")
    ? readText(options.key.slice(1), "key")
    : options.key;
  let index: number | undefined;
  if (options.index !== undefined) {
    if (!/^(0|[1-9][0-9]*)$/.test(options.index) || !Number.isSafeInteger(Number(options.index)))
      throw new UsageError(`--index "${options.index}" is not a log index`);
    index = Number(options.index);
  }
  const certificate =
    options.certificate === undefined ? undefined : readCertificate(options.certificate);
  const oldCheckpoint =
    options.checkpoint === undefined ? undefined : readText(options.checkpoint, "checkpoint");

  let anchor: AnchoredCheckpoint | undefined;
  if (options.anchor !== undefined) {
    if (!isAddress(options.anchor, { strict: false }))
      throw new UsageError(`--anchor "${options.anchor}" is not an address`);
    requireSettings(context.config, "rpcUrl");
    anchor = await readLogAnchor((await context.chain()).publicClient, getAddress(options.anchor));
  }

  const result = await auditLog({
    source: openLogSource(location),
    verifierKey,
    certificate,
    index,
    oldCheckpoint,
    anchor,
  });
  if (options.saveCheckpoint !== undefined)
    await writeFileAtomic(options.saveCheckpoint, result.checkpoint.note);

  const { checkpoint, inclusion, consistency, revocations } = result;
  const lines = [
    `checkpoint: ${checkpoint.origin} size ${checkpoint.size} root ${checkpoint.root} (signature verified)`,
  ];
  if (result.anchor)
    lines.push(
      `anchored: extends the on-chain anchor ${anchor?.address} at size ${result.anchor.fromSize} (${result.anchor.proofLength} proof hashes)`,
    );
  if (consistency)
    lines.push(
      `consistent: size ${consistency.fromSize} -> ${consistency.toSize} (${consistency.proofLength} proof hashes)`,
    );
  if (inclusion) {
    const { entry } = inclusion;
    const what =
      entry.kind === "issued"
        ? `issued ${entry.name} serial ${entry.serialNumber} valid ${entry.notBefore} to ${entry.notAfter} owner ${entry.owner}`
        : `revocation of entry ${entry.certificateIndex} (${entry.name}, ${entry.reason}, ${entry.revokedAt})`;
    lines.push(
      `included: entry ${inclusion.index}, ${what} (${inclusion.proofLength} proof hashes)`,
    );
  }
  for (const revocation of revocations ?? [])
    lines.push(
      `revoked: entry ${revocation.index}, ${revocation.reason} at ${revocation.revokedAt}`,
    );
  const { note: _note, ...checkpointJson } = checkpoint;
  context.output.result(lines, {
    ...result,
    checkpoint: checkpointJson,
    reads: result.reads.length,
  });
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(
      `cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

/** A certificate file, PEM (the first CERTIFICATE block) or DER, as DER. */
function readCertificate(path: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new CliError(
      `cannot read the certificate file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  const text = new TextDecoder().decode(bytes);
  if (!text.includes("-----BEGIN")) {
    if (bytes[0] !== 0x30) throw new CliError(`${path} is neither a PEM nor a DER certificate`);
    return bytes;
  }
  const match = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(
    text,
  );
  const der = match ? fromBase64((match[1] as string).replaceAll(/\s+/g, "")) : undefined;
  if (der === undefined) throw new CliError(`${path} has no valid PEM CERTIFICATE block`);
  return der;
}
