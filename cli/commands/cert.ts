// `ensgate cert request <name>`: key + CSR, pay the order, wait for the CA, write the files.
// `ensgate cert show <name>`: fetch the chain through the resolver (CCIP-Read) and verify it.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { bytesToHex, createWalletClient, type Hex, http, parseEventLogs } from "viem";
import { buildCertificateRequest } from "../../client/certificateRequest.ts";
import { requireSettings } from "../../client/config.ts";
import { writeFileAtomic } from "../../client/files.ts";
import { loadOrdersAbi, ORDER_STATUS, ordersAddressOf } from "../../client/orderContract.ts";
import { resolveRecord as resolveVerifiedRecord } from "../../client/resolveRecord.ts";
import {
  CERTIFICATE_CHAIN_TEXT_KEY,
  type CertificateKeyType,
  certificateCoversName,
  certificateDnsNames,
  certificateRecordRequests,
  certificateRecordsName,
  certificateSubtrees,
  computeTlsaSpkiSha256,
  DEFAULT_BRIDGE_DOMAIN,
  exportPrivateKeyPem,
  generateCertificateKeyPair,
  importPrivateKeyPem,
  isWithinSubtrees,
  parsePemChain,
  verifyCertificateChainLinks,
  type x509,
} from "../../lib/certs/index.ts";
import { describeError, dnsEncodeName, type RecordRequest } from "../../lib/index.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { parseNameArgument } from "../names.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";

/** The options of `ensgate cert request`, declared once (their type: OptionsOf). */
export const CERT_REQUEST_OPTIONS = {
  "--key <pem>": "use this PKCS#8 key (P-256 or secp256k1) instead of generating one",
  "--key-type <type>": "key to generate: P-256 (default) or secp256k1",
  "--kind <kind>": "end-entity (default) or intermediate (a domain CA for your own key)",
  "--orders <address>": "the CertificateOrders contract (env ENSGATE_ORDERS)",
  "--out <dir>": "where to write <name>.key.pem, <name>.crt.pem, <name>.root.pem (default .)",
  "--bridge-domain <domain>": "DNS bridge domain to include (default deploy-ens-to-dns.com)",
  "--timeout <seconds>": "how long to wait for the CA (default 600)",
} as const satisfies OptionSpecs;

/** `ensgate cert request <name>`. */
export async function certRequestCommand(
  context: CommandContext,
  nameArgument: string,
  options: OptionsOf<typeof CERT_REQUEST_OPTIONS>,
): Promise<void> {
  const { output } = context;
  const name = parseNameArgument(nameArgument);
  const orders = ordersAddressOf(options.orders);
  const kind = options.kind === "intermediate" ? 0 : 1;
  if (options.kind !== undefined && !["intermediate", "end-entity"].includes(options.kind))
    throw new CliError(`kind "${options.kind}" is neither end-entity nor intermediate`);
  const outDir = resolve(options.out ?? ".");
  const keyPath = join(outDir, `${name}.key.pem`);
  const chainPath = join(outDir, `${name}.crt.pem`);
  const rootPath = join(outDir, `${name}.root.pem`);

  output.step(options.key ? `loading the key ${options.key}` : "generating the key");
  const keys = options.key
    ? await loadKey(options.key)
    : await generateCertificateKeyPair(parseKeyType(options.keyType));
  // The key is written before paying: a crash while waiting never loses a paid-for key.
  if (!options.key)
    await writeFileAtomic(keyPath, await exportPrivateKeyPem(keys.privateKey), 0o600);
  const csr = bytesToHex(
    await buildCertificateRequest(keys, {
      name,
      bridgeDomain: options.bridgeDomain ?? DEFAULT_BRIDGE_DOMAIN,
    }),
  );

  const connection = await context.chain();
  const wallet = await context.wallet();
  const abi = loadOrdersAbi();
  const fee = await connection.publicClient.readContract({
    address: orders,
    abi,
    functionName: "fees",
    args: [BigInt(kind)],
  });
  output.step(
    `ordering a ${kind === 0 ? "domain CA" : "certificate"} for ${name} (fee ${fee} wei)`,
  );
  const call = {
    address: orders,
    abi,
    functionName: "request",
    args: [dnsEncodeName(name), csr, kind],
    value: fee,
    account: wallet,
  } as const;
  try {
    await connection.publicClient.simulateContract(call);
  } catch (error) {
    throw new CliError(`the order would revert: ${describeError(error)}`);
  }
  const walletClient = createWalletClient({
    chain: connection.chain,
    account: wallet,
    transport: http(requireSettings(context.config, "rpcUrl").rpcUrl),
  });
  const hash = await walletClient.writeContract({ ...call, chain: connection.chain });
  const receipt = await connection.publicClient.waitForTransactionReceipt({
    hash,
    pollingInterval: 250,
  });
  if (receipt.status !== "success") throw new CliError(`the order transaction ${hash} reverted`);
  const [event] = parseEventLogs({ abi, logs: receipt.logs, eventName: "OrderRequested" });
  if (!event) throw new CliError(`the order transaction ${hash} logged no OrderRequested event`);
  const orderId = event.args.orderId;

  output.step(`waiting for the CA to settle order ${orderId}`);
  const deadline = Date.now() + Number(options.timeout ?? 600) * 1000;
  let order: { status: number; certificateHash: Hex };
  for (;;) {
    order = await connection.publicClient.readContract({
      address: orders,
      abi,
      functionName: "getOrder",
      args: [orderId],
    });
    if (order.status !== ORDER_STATUS.Pending) break;
    if (Date.now() > deadline)
      throw new CliError(`order ${orderId} is still pending: the CA has not answered yet`);
    await new Promise((wait) => setTimeout(wait, 250));
  }
  if (order.status === ORDER_STATUS.Rejected) {
    const [rejected] = await connection.publicClient.getContractEvents({
      address: orders,
      abi,
      eventName: "OrderRejected",
      args: { orderId },
      fromBlock: receipt.blockNumber,
    });
    const reason = rejected?.args.reason;
    throw new CliError(
      `order ${orderId} rejected: ${reason ?? "(no reason)"}; the fee is refunded (withdrawRefund)`,
    );
  }

  output.step("fetching the chain through the resolver");
  const recordsName = certificateRecordsName(name, kind);
  const chain = await fetchChain(context, recordsName);
  const leaf = chain[0] as x509.X509Certificate;
  const leafHash = `0x${createHash("sha256").update(new Uint8Array(leaf.rawData)).digest("hex")}`;
  if (leafHash !== order.certificateHash)
    throw new CliError(
      `the published certificate of ${name} is not the one order ${orderId} was fulfilled with`,
    );
  await verifyCertificateChainLinks(chain);
  const pem = (certificates: readonly x509.X509Certificate[]) =>
    `${certificates.map((c) => c.toString("pem")).join("\n")}\n`;
  await writeFileAtomic(chainPath, pem(chain.slice(0, -1)));
  await writeFileAtomic(rootPath, pem(chain.slice(-1)));
  output.result(
    [
      `order ${orderId} fulfilled: ${leaf.subject || "(empty subject)"}, valid until ${leaf.notAfter.toISOString()}`,
      `  key:   ${options.key ? resolve(options.key) : keyPath}`,
      `  chain: ${chainPath} (certificate + intermediate: serve this)`,
      `  root:  ${rootPath} (the trust anchor clients install)`,
    ],
    {
      orderId: orderId.toString(),
      name,
      certificateHash: order.certificateHash,
      keyFile: options.key ? resolve(options.key) : keyPath,
      chainFile: chainPath,
      rootFile: rootPath,
      notAfter: leaf.notAfter.toISOString(),
    },
  );
}

/** The options of `ensgate cert show`, declared once (their type: OptionsOf). */
export const CERT_SHOW_OPTIONS = {
  "--root <pem>": "the root to require at the end of the chain",
  "--bridge-domain <domain>": "DNS bridge domain of the CA (default deploy-ens-to-dns.com)",
} as const satisfies OptionSpecs;

/** `ensgate cert show <name>`. */
export async function certShowCommand(
  context: CommandContext,
  nameArgument: string,
  options: OptionsOf<typeof CERT_SHOW_OPTIONS>,
): Promise<void> {
  const name = parseNameArgument(nameArgument);
  const chain = await fetchChain(context, name);
  const root = options.root ? parsePemChain(await readFile(options.root, "utf8"))[0] : undefined;
  const problems: string[] = [];
  try {
    await verifyCertificateChainLinks(chain, { root });
  } catch (error) {
    problems.push(describeError(error));
  }
  const now = Date.now();
  for (const certificate of chain)
    if (certificate.notBefore.getTime() > now || certificate.notAfter.getTime() < now)
      problems.push(`${certificate.subject} is not valid now`);
  const [leaf, issuer] = chain as [x509.X509Certificate, x509.X509Certificate | undefined];
  if (!certificateCoversName(leaf, name)) problems.push(`the certificate does not cover ${name}`);
  // The domain CA's Name Constraints: its CN is the domain; every SAN must be inside it.
  const domain = issuer?.subjectName.getField("CN")[0];
  if (domain) {
    const subtrees = certificateSubtrees(domain, options.bridgeDomain ?? DEFAULT_BRIDGE_DOMAIN);
    for (const san of certificateDnsNames(leaf))
      if (!isWithinSubtrees(san, subtrees))
        problems.push(`${san} is outside the domain CA ${domain}`);
  }
  // TLSA 3 1 1 must pin the certificate's key.
  const tlsa = await resolveRecord(context, name, certificateRecordRequests().tlsa).catch(
    () => undefined,
  );
  const spki = computeTlsaSpkiSha256(leaf);
  const tlsaMatches = tlsa?.includes(spki) === true;
  if (!tlsaMatches) problems.push("the TLSA record does not pin the certificate's key");
  const info = {
    name,
    subject: leaf.subject,
    dnsNames: certificateDnsNames(leaf),
    notBefore: leaf.notBefore.toISOString(),
    notAfter: leaf.notAfter.toISOString(),
    issuer: leaf.issuer,
    chain: chain.map((certificate) => certificate.subject),
    tlsa: tlsa ?? null,
    verified: problems.length === 0,
    problems,
  };
  context.output.result(
    [
      `${name}: ${problems.length === 0 ? "verified" : "NOT verified"}`,
      `  subject:  ${info.subject || "(empty)"}`,
      `  SANs:     ${info.dnsNames.join(", ")}`,
      `  validity: ${info.notBefore} .. ${info.notAfter}`,
      `  issuer:   ${info.issuer}`,
      `  chain:    ${info.chain.join(" <- ")}`,
      `  TLSA:     ${tlsa ?? "(none)"}`,
      ...problems.map((problem) => `  problem:  ${problem}`),
    ],
    info,
  );
  if (problems.length > 0) process.exitCode = 1;
}

/** The chain of `name`, resolved with CCIP-Read through the name's resolver (verified on-chain). */
async function fetchChain(context: CommandContext, name: string): Promise<x509.X509Certificate[]> {
  const pem = await resolveRecord(context, name, { type: "text", key: CERTIFICATE_CHAIN_TEXT_KEY });
  if (!pem) throw new CliError(`${name} has no certificate published`);
  return parsePemChain(pem);
}

/**
 * One record of `name` as its human value ("" when unset), through the chain with CCIP-Read and
 * verified (client/resolveRecord.ts).
 */
async function resolveRecord(
  context: CommandContext,
  name: string,
  request: RecordRequest,
): Promise<string> {
  const { registry, rpcUrl } = requireSettings(context.config, "registry", "rpcUrl");
  const connection = await context.chain();
  const { values, verified } = await resolveVerifiedRecord({
    chain: connection.chain,
    rpcUrl,
    publicClient: connection.publicClient,
    registry,
    name,
    request,
  });
  if (verified) return verified.value;
  // A resolver that answered on-chain (not through ensgate): its text as it is.
  return request.type === "text" && typeof values === "string" ? values : "";
}

function parseKeyType(value: string | undefined): CertificateKeyType {
  const keyType = value ?? "P-256";
  if (keyType !== "P-256" && keyType !== "secp256k1")
    throw new CliError(`key type "${keyType}" is neither P-256 nor secp256k1`);
  return keyType;
}

/** Loads a PKCS#8 PEM key (P-256 or secp256k1). */
async function loadKey(path: string): Promise<CryptoKeyPair> {
  if (!existsSync(path)) throw new CliError(`key file ${path} does not exist`);
  const pem = await readFile(path, "utf8");
  for (const keyType of ["P-256", "secp256k1"] as const)
    try {
      return await importPrivateKeyPem(pem, keyType);
    } catch {
      // try the next curve
    }
  throw new CliError(`${path} is not a PKCS#8 P-256 or secp256k1 private key`);
}
