// `ensgate cert renew <name> [--watch]`: collect the certificate the CA renewed (no new payment)
// and replace the server's chain file atomically; `--watch` keeps doing it.
// `ensgate cert revoke <name> --ca-url <url>`: the owner revokes the name's certificate at the CA.
import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Address, getAddress, parseAbi } from "viem";
import { requireSettings } from "../../client/config.ts";
import { writeFileAtomic } from "../../client/files.ts";
import { resolveRecord } from "../../client/resolveRecord.ts";
import {
  buildRevocationMessage,
  CERTIFICATE_CHAIN_TEXT_KEY,
  computeTlsaSpkiSha256,
  OWNER_REVOCATION_REASONS,
  parsePemChain,
  verifyCertificateChainLinks,
  type x509,
} from "../../lib/certs/index.ts";
import { describeError } from "../../lib/index.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { parseNameArgument } from "../names.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";

const CERTIFICATE_AUTHORITY_ABI = parseAbi([
  "function certificateAuthority() view returns (address signer, bytes recordhash, uint64 epoch)",
]);

/** The options of `ensgate cert renew`, declared once (their type: OptionsOf). */
export const CERT_RENEW_OPTIONS = {
  "--out <dir>": "the folder with <name>.key.pem and <name>.crt.pem (default .)",
  "--watch": "keep the files renewed: check again every --interval seconds until stopped",
  "--interval <seconds>": "with --watch: seconds between checks (default 3600)",
} as const satisfies OptionSpecs;

/** `ensgate cert renew <name>`. */
export async function certRenewCommand(
  context: CommandContext,
  nameArgument: string,
  options: OptionsOf<typeof CERT_RENEW_OPTIONS>,
): Promise<void> {
  const name = parseNameArgument(nameArgument);
  const outDir = resolve(options.out ?? ".");
  const keyPath = join(outDir, `${name}.key.pem`);
  const chainPath = join(outDir, `${name}.crt.pem`);
  if (!existsSync(keyPath))
    throw new CliError(`no key ${keyPath}: renew runs where cert request wrote its files`);
  const interval = Number(options.interval ?? 3600);
  if (!(interval > 0))
    throw new CliError(`interval "${options.interval}" is not a positive number`);

  const once = async () => {
    const result = await renewOnce(context, name, keyPath, chainPath);
    context.output.result([result.line], result.json);
  };
  if (!options.watch) return once();
  const stop = new Promise<void>((done) => {
    process.once("SIGINT", () => done());
    process.once("SIGTERM", () => done());
  });
  for (;;) {
    try {
      await once();
    } catch (error) {
      // A failed check (RPC down, CA late) is reported and tried again: the old files stay.
      context.warn(describeError(error));
    }
    const stopped = await Promise.race([
      stop.then(() => true),
      new Promise<boolean>((wait) => setTimeout(() => wait(false), interval * 1000)),
    ]);
    if (stopped) return;
  }
}

/** Fetches the name's published chain and replaces the chain file when it is newer. */
async function renewOnce(
  context: CommandContext,
  name: string,
  keyPath: string,
  chainPath: string,
): Promise<{ line: string; json: Record<string, unknown> }> {
  const published = await fetchPublishedChain(context, name);
  const [leaf] = published;
  if (!leaf) throw new CliError(`${name} has no certificate published`);
  await verifyCertificateChainLinks(published);
  // The published certificate must be for the key on this server (the CA renews the same key).
  const ownKey = await spkiSha256OfKeyFile(keyPath);
  if (computeTlsaSpkiSha256(leaf) !== ownKey)
    throw new CliError(
      `the certificate published for ${name} is for another key than ${keyPath}: it was ordered elsewhere`,
    );
  const current = existsSync(chainPath)
    ? parsePemChain(await readFile(chainPath, "utf8"))[0]
    : undefined;
  const json = {
    name,
    serialNumber: leaf.serialNumber,
    notAfter: leaf.notAfter.toISOString(),
    chainFile: chainPath,
  };
  if (current && current.serialNumber === leaf.serialNumber)
    return {
      line: `${name}: up to date (serial ${leaf.serialNumber}, valid until ${json.notAfter})`,
      json: { ...json, renewed: false },
    };
  if (current && current.notAfter >= leaf.notAfter)
    return {
      line: `${name}: the file is newer than the published certificate`,
      json: { ...json, renewed: false },
    };
  const pem = `${published
    .slice(0, -1)
    .map((certificate) => certificate.toString("pem"))
    .join("\n")}\n`;
  // Atomic: a server reading the file sees the old chain or the new one, never half of one.
  await writeFileAtomic(chainPath, pem);
  return {
    line: `${name}: renewed, serial ${leaf.serialNumber}, valid until ${json.notAfter} (${chainPath})`,
    json: { ...json, renewed: true },
  };
}

/** The options of `ensgate cert revoke`, declared once (their type: OptionsOf). */
export const CERT_REVOKE_OPTIONS = {
  "--ca-url <url>": "the CA's HTTP endpoint (env ENSGATE_CA_URL), e.g. http://127.0.0.1:8445",
  "--serial <hex>": "the certificate to revoke (default: the one published for the name)",
  "--reason <reason>": `one of ${OWNER_REVOCATION_REASONS.join(", ")} (default unspecified)`,
} as const satisfies OptionSpecs;

/** `ensgate cert revoke <name>`. */
export async function certRevokeCommand(
  context: CommandContext,
  nameArgument: string,
  options: OptionsOf<typeof CERT_REVOKE_OPTIONS>,
): Promise<void> {
  const name = parseNameArgument(nameArgument);
  const caUrl = options.caUrl ?? process.env.ENSGATE_CA_URL;
  if (!caUrl || !/^https?:\/\//.test(caUrl))
    throw new CliError(
      "revoking needs the CA's HTTP endpoint: --ca-url <http(s)://…> or ENSGATE_CA_URL",
    );
  const reason = options.reason ?? "unspecified";
  if (!(OWNER_REVOCATION_REASONS as readonly string[]).includes(reason))
    throw new CliError(`reason "${reason}" is not one of ${OWNER_REVOCATION_REASONS.join(", ")}`);
  const serialNumber =
    options.serial?.toLowerCase() ?? (await fetchPublishedChain(context, name))[0]?.serialNumber;
  if (!serialNumber || !/^[0-9a-f]{1,40}$/.test(serialNumber))
    throw new CliError(`serial "${options.serial}" is not hex`);
  const { resolver } = requireSettings(context.config, "resolver");
  const connection = await context.chain();
  const [certificateAuthority] = await connection.publicClient.readContract({
    address: resolver,
    abi: CERTIFICATE_AUTHORITY_ABI,
    functionName: "certificateAuthority",
  });
  const wallet = await context.wallet();
  const message = buildRevocationMessage({
    name,
    serialNumber,
    chainId: connection.chain.id,
    certificateAuthority: certificateAuthority as Address,
    owner: wallet.address,
  });
  const signature = await wallet.signMessage({ message });
  let response: Response;
  try {
    response = await fetch(`${caUrl.replace(/\/+$/, "")}/revoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name,
        serialNumber,
        owner: getAddress(wallet.address),
        signature,
        reason,
      }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliError(`the CA at ${caUrl} did not answer: ${describeError(error)}`);
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok)
    throw new CliError(
      `the CA refused the revocation (${response.status}): ${body.error ?? "no reason"}`,
    );
  context.output.result([`${name}: certificate ${serialNumber} revoked (${reason})`], {
    name,
    serialNumber,
    reason,
    revoked: true,
  });
}

/** The name's chain as the CA published it, through the resolver (verified on-chain). */
async function fetchPublishedChain(
  context: CommandContext,
  name: string,
): Promise<x509.X509Certificate[]> {
  const { registry, rpcUrl } = requireSettings(context.config, "registry", "rpcUrl");
  const connection = await context.chain();
  const { verified } = await resolveRecord({
    chain: connection.chain,
    rpcUrl,
    publicClient: connection.publicClient,
    registry,
    name,
    request: { type: "text", key: CERTIFICATE_CHAIN_TEXT_KEY },
  });
  if (!verified?.value) throw new CliError(`${name} has no certificate published by the CA`);
  return parsePemChain(verified.value);
}

/** SHA-256 of the SubjectPublicKeyInfo of a PKCS#8 private key file (its TLSA 3 1 1 data). */
async function spkiSha256OfKeyFile(path: string): Promise<string> {
  let spki: Buffer;
  try {
    spki = createPublicKey(createPrivateKey(await readFile(path, "utf8"))).export({
      type: "spki",
      format: "der",
    });
  } catch {
    throw new CliError(`${path} is not a PKCS#8 private key`);
  }
  return createHash("sha256").update(spki).digest("hex");
}
