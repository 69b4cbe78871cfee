// `ensgate cert request <name>`: key + CSR, pay the order, wait for the CA, write the files; a
// timed-out order is collected later with `--resume <order>` (the order file keeps its key).
// `ensgate cert show <name>`: fetch the chain through the resolver (CCIP-Read) and verify it.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rm, rmdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Address, bytesToHex, formatEther, getAddress, type Hex, parseEventLogs } from "viem";
import { buildCertificateRequest } from "../../client/certificateRequest.ts";
import { chainCall, ORDER_STATUS_NAMES } from "../../client/chainErrors.ts";
import { requireSettings } from "../../client/config.ts";
import { writeFileAtomic } from "../../client/files.ts";
import { ORDER_STATUS, ordersAddressOf } from "../../client/orderContract.ts";
import {
  type OrderFile,
  orderFilePath,
  readOrderFile,
  removeOrderFiles,
  writeOrderFile,
} from "../../client/orderFile.ts";
import { resolveRecord as resolveVerifiedRecord } from "../../client/resolveRecord.ts";
import {
  CERTIFICATE_CHAIN_TEXT_KEY,
  type CertificateKeyType,
  certCrypto,
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
import { CliError, UsageError } from "../errors.ts";
import { parseNameArgument } from "../names.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";
import { connectOrders, type OrdersConnection } from "./ordersConnection.ts";

/** The options of `ensgate cert request`, declared once (their type: OptionsOf). */
export const CERT_REQUEST_OPTIONS = {
  "--key <pem>": "use this PKCS#8 key (P-256 or secp256k1) instead of generating one",
  "--key-type <type>": "key to generate: P-256 (default) or secp256k1",
  "--kind <kind>": "end-entity (default) or intermediate (a domain CA for your own key)",
  "--orders <address>": "the CertificateOrders contract (env ENSGATE_ORDERS)",
  "--out <dir>":
    "where to write <name>.key.pem, <name>.crt.pem, <name>.root.pem and, while an order is open, <name>.order.json (default .)",
  "--bridge-domain <domain>": "DNS bridge domain to include (default deploy-ens-to-dns.com)",
  "--timeout <seconds>": "how long to wait for the CA (default 600)",
  "--resume <order>":
    "collect an order placed before (its id) with the key in <name>.order.json (or --key)",
} as const satisfies OptionSpecs;

/** The files of a request for `name` in `outDir`. */
function requestPaths(outDir: string, name: string) {
  return {
    keyPath: join(outDir, `${name}.key.pem`),
    chainPath: join(outDir, `${name}.crt.pem`),
    rootPath: join(outDir, `${name}.root.pem`),
    orderPath: orderFilePath(outDir, name),
  };
}

/** `ensgate cert request <name>`. */
export async function certRequestCommand(
  context: CommandContext,
  nameArgument: string,
  options: OptionsOf<typeof CERT_REQUEST_OPTIONS>,
): Promise<void> {
  const { output } = context;
  const name = parseNameArgument(nameArgument);
  const orders = ordersAddressOf(options.orders);
  if (options.kind !== undefined && !["intermediate", "end-entity"].includes(options.kind))
    throw new CliError(`kind "${options.kind}" is neither end-entity nor intermediate`);
  const kind = options.kind === "intermediate" ? 0 : 1;
  const timeoutSeconds = parseTimeout(options.timeout);
  const outDir = resolve(options.out ?? ".");
  const outDirExisted = existsSync(outDir);
  const paths = requestPaths(outDir, name);
  if (options.resume !== undefined)
    return resumeRequest(context, { name, orders, paths, timeoutSeconds, options });

  const contract = await connectOrders(context, orders);
  await clearEndedOrder(contract, name, paths.orderPath);
  // A key file already there may be what a published certificate pins: never overwrite it.
  if (!options.key && existsSync(paths.keyPath))
    throw new CliError(
      `${paths.keyPath} exists: pass --key ${paths.keyPath} to order with it, or move it away`,
    );
  const fee = await contract.read<bigint>("fees", [BigInt(kind)]);

  output.step(options.key ? `loading the key ${options.key}` : "generating the key");
  const keys = options.key
    ? await loadKey(options.key)
    : await generateCertificateKeyPair(parseKeyType(options.keyType));
  const csr = bytesToHex(
    await buildCertificateRequest(keys, {
      name,
      bridgeDomain: options.bridgeDomain ?? DEFAULT_BRIDGE_DOMAIN,
    }),
  );
  const orderFile: OrderFile = {
    name,
    kind,
    orders,
    chainId: contract.connection.chain.id,
    requester: contract.wallet.address,
    keyFile: options.key ? resolve(options.key) : paths.keyPath,
    generatedKey: !options.key,
  };

  output.step(
    `ordering a ${kind === 0 ? "domain CA" : "certificate"} for ${name} (fee ${formatEther(fee)} ETH)`,
  );
  // The key and the order file are written after the simulation passed and before the
  // transaction is sent: a crash while waiting never loses a paid-for key, and a request that
  // fails before it is sent (or reverts) leaves no file behind.
  let sent = false;
  let result: Awaited<ReturnType<OrdersConnection["write"]>>;
  try {
    result = await contract.write("request", [dnsEncodeName(name), csr, kind], {
      value: fee,
      allowRevert: true,
      beforeSend: async () => {
        if (orderFile.generatedKey)
          await writeFileAtomic(paths.keyPath, await exportPrivateKeyPem(keys.privateKey), 0o600);
        await writeOrderFile(paths.orderPath, orderFile);
      },
      sent: async (hash) => {
        sent = true;
        orderFile.txHash = hash;
        await writeOrderFile(paths.orderPath, orderFile);
      },
    });
  } catch (error) {
    if (!sent) {
      await removeOrderFiles(paths.orderPath, orderFile);
      // The folder too, when this request made it (rmdir: only if it is empty).
      if (!outDirExisted) await rmdir(outDir).catch(() => {});
    } else
      throw new CliError(
        `${describeError(error)}; the order transaction ${orderFile.txHash} was sent: collect it with \`ensgate cert request ${name} --resume <order id>\` once it is mined (${paths.orderPath} keeps the key)`,
        { cause: error },
      );
    throw error;
  }
  if (result.receipt.status !== "success") {
    await removeOrderFiles(paths.orderPath, orderFile);
    if (!outDirExisted) await rmdir(outDir).catch(() => {});
    throw new CliError(`the order transaction ${result.hash} reverted`);
  }
  const [event] = parseEventLogs({
    abi: contract.abi,
    logs: result.receipt.logs,
    eventName: "OrderRequested",
  });
  if (!event)
    throw new CliError(`the order transaction ${result.hash} logged no OrderRequested event`);
  orderFile.orderId = event.args.orderId.toString();
  await writeOrderFile(paths.orderPath, orderFile);
  await collectOrder(context, contract, { orderFile, keys, paths, timeoutSeconds });
}

/** `--resume <order>`: waits for an order placed before and collects it with its key. */
async function resumeRequest(
  context: CommandContext,
  {
    name,
    orders,
    paths,
    timeoutSeconds,
    options,
  }: {
    name: string;
    orders: Address;
    paths: ReturnType<typeof requestPaths>;
    timeoutSeconds: number;
    options: OptionsOf<typeof CERT_REQUEST_OPTIONS>;
  },
): Promise<void> {
  const orderId = parseOrderId(options.resume as string);
  const contract = await connectOrders(context, orders);
  const stored = await readOrderFile(paths.orderPath);
  let orderFile: OrderFile;
  if (stored) {
    if (stored.orderId === undefined && stored.txHash) {
      // The first run stopped before the order was mined: find its id in the receipt.
      const receipt = await chainCall(contract.about, () =>
        contract.connection.publicClient.getTransactionReceipt({ hash: stored.txHash as Hex }),
      );
      const [event] = parseEventLogs({
        abi: contract.abi,
        logs: receipt.logs,
        eventName: "OrderRequested",
      });
      if (event) stored.orderId = event.args.orderId.toString();
    }
    if (stored.orderId !== orderId.toString())
      throw new CliError(
        `${paths.orderPath} is for order ${stored.orderId ?? "(not mined)"}, not ${orderId}`,
      );
    if (getAddress(stored.orders) !== orders)
      throw new CliError(
        `order ${orderId} in ${paths.orderPath} is on ${stored.orders}, not ${orders}`,
      );
    orderFile = stored;
  } else {
    if (!options.key)
      throw new CliError(
        `no ${paths.orderPath}: pass --key with the key order ${orderId}'s CSR was made with`,
      );
    orderFile = {
      name,
      kind: options.kind === "intermediate" ? 0 : 1,
      orders,
      chainId: contract.connection.chain.id,
      requester: contract.wallet.address,
      keyFile: resolve(options.key),
      generatedKey: false,
      orderId: orderId.toString(),
    };
  }
  if (options.key) orderFile.keyFile = resolve(options.key);
  const keys = await loadKey(orderFile.keyFile);
  const order = await contract.read<{ kind: number; status: number }>("getOrder", [orderId]);
  if (order.status === ORDER_STATUS.None)
    throw new CliError(`order ${orderId} does not exist on ${describeContract(contract)}`);
  orderFile.kind = Number(order.kind);
  context.output.step(`resuming order ${orderId} for ${name}`);
  await collectOrder(context, contract, {
    orderFile,
    keys,
    paths,
    timeoutSeconds,
    ownsOrderFile: stored !== undefined,
  });
}

/**
 * A stale order file left by an order that has ended (rejected, cancelled) is removed with its
 * generated key; an open or uncollected one stops a new request (resume or cancel it first).
 */
async function clearEndedOrder(contract: OrdersConnection, name: string, orderPath: string) {
  const stored = await readOrderFile(orderPath);
  if (!stored) return;
  if (stored.orderId === undefined || getAddress(stored.orders) !== contract.orders)
    throw new CliError(
      `${orderPath} holds an earlier order (${stored.orderId ? `order ${stored.orderId}` : `transaction ${stored.txHash ?? "not sent"}`} on ${stored.orders}): resume it with --resume, or remove the file`,
    );
  const order = await contract.read<{ status: number }>("getOrder", [BigInt(stored.orderId)]);
  if (order.status === ORDER_STATUS.Pending || order.status === ORDER_STATUS.Fulfilled)
    throw new CliError(
      `order ${stored.orderId} for ${name} is ${ORDER_STATUS_NAMES[order.status]}: collect it with \`ensgate cert request ${name} --resume ${stored.orderId}\`${order.status === ORDER_STATUS.Pending ? ` or cancel it with \`ensgate cert cancel ${stored.orderId}\`` : ""}`,
    );
  await removeOrderFiles(orderPath, stored);
}

/** Waits for the CA to settle the order, then writes the chain (or explains what happened). */
async function collectOrder(
  context: CommandContext,
  contract: OrdersConnection,
  {
    orderFile,
    keys,
    paths,
    timeoutSeconds,
    ownsOrderFile = true,
  }: {
    orderFile: OrderFile;
    keys: CryptoKeyPair;
    paths: ReturnType<typeof requestPaths>;
    timeoutSeconds: number;
    ownsOrderFile?: boolean;
  },
): Promise<void> {
  const { output } = context;
  const { name, kind } = orderFile;
  const orderId = BigInt(orderFile.orderId as string);
  const ended = () => (ownsOrderFile ? removeOrderFiles(paths.orderPath, orderFile) : undefined);

  output.step(`waiting for the CA to settle order ${orderId}`);
  const deadline = Date.now() + timeoutSeconds * 1000;
  let order: { status: number; certificateHash: Hex };
  for (;;) {
    order = await contract.read("getOrder", [orderId]);
    if (order.status !== ORDER_STATUS.Pending) break;
    if (Date.now() >= deadline) {
      const cancellableAt = await contract.read<bigint>("cancellableAtOf", [orderId]);
      throw new CliError(
        `order ${orderId} is still pending after ${timeoutSeconds} s: collect it later with \`ensgate cert request ${name} --resume ${orderId}\` (${paths.orderPath} keeps the key), or cancel it from ${new Date(Number(cancellableAt) * 1000).toISOString()} with \`ensgate cert cancel ${orderId}\``,
      );
    }
    await new Promise((wait) => setTimeout(wait, 250));
  }
  if (order.status === ORDER_STATUS.Rejected) {
    const [rejected] = await chainCall(contract.about, () =>
      contract.connection.publicClient.getContractEvents({
        address: contract.orders,
        abi: contract.abi,
        eventName: "OrderRejected",
        args: { orderId },
        fromBlock: 0n,
      }),
    );
    await ended();
    throw new CliError(
      `order ${orderId} rejected: ${rejected?.args.reason ?? "(no reason)"}; the fee is refunded (ensgate cert refund)`,
    );
  }
  if (order.status === ORDER_STATUS.Cancelled) {
    await ended();
    throw new CliError(
      `order ${orderId} was cancelled; its fee is credited to the requester (ensgate cert refund)`,
    );
  }

  output.step("fetching the chain through the resolver");
  const chain = await fetchChain(context, certificateRecordsName(name, kind));
  const leaf = chain[0] as x509.X509Certificate;
  const leafHash = `0x${createHash("sha256").update(new Uint8Array(leaf.rawData)).digest("hex")}`;
  if (leafHash !== order.certificateHash)
    throw new CliError(
      `the published certificate of ${name} is not the one order ${orderId} was fulfilled with (a newer order replaced it)`,
    );
  const spki = new Uint8Array(await certCrypto.subtle.exportKey("spki", keys.publicKey));
  if (Buffer.compare(Buffer.from(spki), Buffer.from(leaf.publicKey.rawData)) !== 0)
    throw new CliError(`order ${orderId}'s certificate is not for the key ${orderFile.keyFile}`);
  await verifyCertificateChainLinks(chain);
  const pem = (certificates: readonly x509.X509Certificate[]) =>
    `${certificates.map((c) => c.toString("pem")).join("\n")}\n`;
  await writeFileAtomic(paths.chainPath, pem(chain.slice(0, -1)));
  await writeFileAtomic(paths.rootPath, pem(chain.slice(-1)));
  if (ownsOrderFile) await rm(paths.orderPath, { force: true });
  output.result(
    [
      `order ${orderId} fulfilled: ${leaf.subject || "(empty subject)"}, valid until ${leaf.notAfter.toISOString()}`,
      `  key:   ${orderFile.keyFile}`,
      `  chain: ${paths.chainPath} (certificate + intermediate: serve this)`,
      `  root:  ${paths.rootPath} (the trust anchor clients install)`,
    ],
    {
      orderId: orderId.toString(),
      name,
      certificateHash: order.certificateHash,
      keyFile: orderFile.keyFile,
      chainFile: paths.chainPath,
      rootFile: paths.rootPath,
      notAfter: leaf.notAfter.toISOString(),
    },
  );
}

/** "CertificateOrders at 0x… on chain n". */
export function describeContract(contract: OrdersConnection): string {
  return `CertificateOrders at ${contract.orders} on chain ${contract.connection.chain.id}`;
}

/** An order id argument: a positive integer. */
export function parseOrderId(value: string): bigint {
  if (!/^[1-9][0-9]{0,30}$/.test(value))
    throw new UsageError(`order "${value}" is not an order id (a positive integer)`);
  return BigInt(value);
}

function parseTimeout(value: string | undefined): number {
  const seconds = Number(value ?? 600);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new UsageError(`timeout "${value}" is not a number of seconds`);
  return seconds;
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
