#!/usr/bin/env node
// The certificate authority service's entry point: `node ca/main.ts init|run` (also run by
// `ensgate ca …`). `init` creates the CA folder (root CA, records signer, IPNS key); `run` serves
// certificate orders until SIGINT/SIGTERM (docs/certificates.md, "The CA service").
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import {
  type Abi,
  type Address,
  createWalletClient,
  getAddress,
  type Hex,
  http,
  isAddress,
  isAddressEqual,
  type LocalAccount,
  parseAbi,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { connectChain } from "../client/chain.ts";
import { type CliConfig, loadCliConfig, requireSettings } from "../client/config.ts";
import { addConfigOptions } from "../client/options.ts";
import { loadOrdersArtifact, ordersAddressOf } from "../client/orderContract.ts";
import { loadOwnerAccount } from "../client/wallet.ts";
import type { CertificateKeyType } from "../lib/certs/index.ts";
import { describeError } from "../lib/index.ts";
import { initCaFolder, loadCaFolder } from "./caFiles.ts";
import { startCaHttp } from "./caHttp.ts";
import { startCaService } from "./caService.ts";
import { loadOrCreateLogKeys, openCertificateLog } from "./certificateLog.ts";
import { CaError } from "./errors.ts";
import { createLogAnchorer } from "./logAnchoring.ts";
import { openCaIpfs } from "./openCaIpfs.ts";
import { openOrderStore } from "./orderStore.ts";

/** Chains where one confirmation is the default (Hardhat, local nodes). */
const LOCAL_CHAIN_IDS = new Set([31337, 1337]);
/** Default confirmation depth elsewhere. */
const DEFAULT_CONFIRMATIONS = 12;

/** A usage error of the CA's command line: exit code 2. */
class CaUsageError extends CaError {
  override name = "CaUsageError";
}

/** Where results and progress go: stdout (text or one JSON object), progress on stderr. */
type CaOutput = {
  json: boolean;
  step: (line: string) => void;
  result: (lines: string[], value: unknown) => void;
};

function createOutput(json: boolean): CaOutput {
  return {
    json,
    step: (line) => {
      if (!json) process.stderr.write(`${line}\n`);
    },
    result: (lines, value) =>
      process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${lines.join("\n")}\n`),
  };
}

/** The CA folder: --ca-dir, else ENSGATE_CA_DIR, else <data dir>/ca. */
function caDirOf(config: CliConfig, option: string | undefined): string {
  return option ?? process.env.ENSGATE_CA_DIR ?? join(config.dataDir, "ca");
}

/** The options of `init`. */
export type CaInitOptions = { caDir?: string; bridgeDomain?: string; rootKeyType?: string };

/** `init`: creates the CA folder and prints what the resolver's admin needs. */
export async function caInit(
  config: CliConfig,
  output: CaOutput,
  options: CaInitOptions,
): Promise<void> {
  const keyType = (options.rootKeyType ?? "P-256") as CertificateKeyType;
  if (keyType !== "P-256" && keyType !== "secp256k1")
    throw new CaUsageError(`root key type "${keyType}" is neither P-256 nor secp256k1`);
  const dir = caDirOf(config, options.caDir);
  output.step(`[1/1] creating the root CA and the CA's signing identity in ${dir}`);
  const folder = await initCaFolder(dir, {
    bridgeDomain: options.bridgeDomain,
    rootKeyType: keyType,
  });
  const logKeys = await loadOrCreateLogKeys(folder.dir, folder.identity);
  output.result(
    [
      `root certificate: ${folder.rootPemPath}`,
      `log verifier key: ${logKeys.verifierKey} (auditors: ensgate log verify … --key <this>)`,
      `CA signer:        ${folder.identity.signer}`,
      `CA IPNS name:     ${folder.identity.ipnsName}`,
      `recordhash:       ${folder.recordhash}`,
      `bridge domain:    ${folder.identity.bridgeDomain}`,
      `next: the resolver's admin calls setCertificateAuthority(${folder.identity.signer}, ${folder.recordhash})`,
    ],
    {
      caDir: dir,
      rootPem: folder.rootPemPath,
      signer: folder.identity.signer,
      ipnsName: folder.identity.ipnsName,
      recordhash: folder.recordhash,
      bridgeDomain: folder.identity.bridgeDomain,
      logVerifierKey: logKeys.verifierKey,
    },
  );
}

/** The options of `run`. */
export type CaRunOptions = {
  caDir?: string;
  orders?: string;
  confirmations?: string;
  pollMs?: string;
  fromBlock?: string;
  ipfsStore?: string;
  httpPort?: string;
  httpHost?: string;
  crlUrl?: string;
  coverageDays?: string;
  certificateHours?: string;
  logAnchor?: string;
  anchorInterval?: string;
};

/** `run`: serves orders until SIGINT/SIGTERM. */
export async function caRun(
  config: CliConfig,
  output: CaOutput,
  options: CaRunOptions,
): Promise<void> {
  const { resolver, rpcUrl } = requireSettings(config, "resolver", "rpcUrl");
  const orders = ordersAddressOf(options.orders);
  const folder = await loadCaFolder(caDirOf(config, options.caDir));
  const connection = await connectChain(rpcUrl);
  const confirmations =
    options.confirmations !== undefined
      ? Number(options.confirmations)
      : LOCAL_CHAIN_IDS.has(connection.chain.id)
        ? 1
        : DEFAULT_CONFIRMATIONS;
  if (!Number.isInteger(confirmations) || confirmations < 1)
    throw new CaUsageError(`confirmations "${options.confirmations}" is not a positive integer`);
  // The CA_ROLE account: the configured wallet, else the CA's own signer key.
  const account: LocalAccount =
    config.keystore || process.env.ENSGATE_PRIVATE_KEY
      ? await loadOwnerAccount(config)
      : privateKeyToAccount(folder.identity.signerPrivateKey as Hex);
  const walletClient = createWalletClient({
    chain: connection.chain,
    account,
    transport: http(rpcUrl),
  });
  const httpPort = options.httpPort === undefined ? undefined : Number(options.httpPort);
  if (httpPort !== undefined && !(Number.isInteger(httpPort) && httpPort >= 0 && httpPort < 65536))
    throw new CaUsageError(`--http-port "${options.httpPort}" is not a port number`);
  const coverageDays =
    options.coverageDays === undefined ? undefined : Number(options.coverageDays);
  if (coverageDays !== undefined && !(coverageDays > 0))
    throw new CaUsageError(`--coverage-days "${options.coverageDays}" is not a positive number`);
  const endEntityHours =
    options.certificateHours === undefined ? undefined : Number(options.certificateHours);
  if (endEntityHours !== undefined && !(endEntityHours > 0 && endEntityHours <= 90 * 24))
    throw new CaUsageError(
      `--certificate-hours "${options.certificateHours}" is not between 0 and 2160 (90 days)`,
    );
  if (options.crlUrl !== undefined && !/^https?:\/\//.test(options.crlUrl))
    throw new CaUsageError(`--crl-url "${options.crlUrl}" is not an http(s) URL`);
  const httpHost = options.httpHost ?? "127.0.0.1";
  // The CRL URL is fixed into every certificate: with --http-port and no --crl-url it is this
  // endpoint's own /crl (the port must then be fixed, not 0).
  const crlBaseUrl =
    options.crlUrl ?? (httpPort ? `http://${httpHost}:${httpPort}/crl` : undefined);
  const ipfs = await openCaIpfs(config.ipfs, { caDir: folder.dir, store: options.ipfsStore });
  const store = openOrderStore(join(folder.dir, "orders.sqlite"));
  const certificateLog = await openCertificateLog({
    caDir: folder.dir,
    identity: folder.identity,
    databasePath: join(folder.dir, "orders.sqlite"),
  });
  if (options.logAnchor !== undefined && !isAddress(options.logAnchor, { strict: false }))
    throw new CaUsageError(`--log-anchor "${options.logAnchor}" is not an address`);
  const anchorIntervalMs =
    options.anchorInterval === undefined ? undefined : Number(options.anchorInterval) * 1000;
  if (anchorIntervalMs !== undefined && !(anchorIntervalMs > 0))
    throw new CaUsageError(
      `--anchor-interval "${options.anchorInterval}" is not a positive number of seconds`,
    );
  const send = async (call: {
    address: Address;
    abi: Abi;
    functionName: string;
    args: readonly unknown[];
  }): Promise<Hex> => {
    const hash = await walletClient.writeContract({ ...call, account, chain: connection.chain });
    const receipt = await connection.publicClient.waitForTransactionReceipt({
      hash,
      pollingInterval: 100,
    });
    if (receipt.status !== "success")
      throw new CaError(`${call.functionName} transaction ${hash} reverted`);
    return hash;
  };
  const logAnchorer = options.logAnchor
    ? createLogAnchorer({
        anchor: getAddress(options.logAnchor),
        logDir: certificateLog.dir,
        verifierKey: certificateLog.verifierKey,
        publicClient: connection.publicClient,
        intervalMs: anchorIntervalMs,
        write: send,
        log: (line) => process.stderr.write(`${line}\n`),
      })
    : undefined;
  const service = startCaService({
    folder,
    store,
    publicClient: connection.publicClient,
    write: send,
    orders,
    resolver,
    confirmations,
    fromBlock: options.fromBlock === undefined ? undefined : BigInt(options.fromBlock),
    pollMs: options.pollMs === undefined ? undefined : Number(options.pollMs),
    ipfs: ipfs.writer,
    ipfsTarget: config.ipfs,
    log: (line) => process.stderr.write(`${line}\n`),
    crlBaseUrl,
    coverageDays,
    endEntityHours,
    certificateLog,
    logAnchorer,
  });
  const endpoint =
    httpPort === undefined
      ? undefined
      : await startCaHttp(
          {
            folder,
            revocations: service.revocations,
            watcher: service.watcher,
            renewer: service.renewer,
            publicClient: connection.publicClient,
            resolver,
            chainId: connection.chain.id,
            logDir: certificateLog.dir,
          },
          { port: httpPort, host: httpHost },
        );
  output.step(
    `[1/1] CA ${folder.identity.signer} serving orders of ${orders} (${confirmations} confirmation${confirmations === 1 ? "" : "s"}, operator ${account.address})${endpoint ? `; CRLs, renewal info and revocations at ${endpoint.url}` : ""}`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await endpoint?.close();
  await service.stop();
  await certificateLog.close();
  store.close();
  await ipfs.close();
}

/** The options of `deploy`. */
export type CaDeployOptions = {
  caDir?: string;
  operator?: string;
  admin?: string;
  intermediateFee?: string;
  endEntityFee?: string;
};

const RESOLVER_ADMIN_ABI = parseAbi([
  "function owner() view returns (address)",
  "function setCertificateAuthority(address caSigner, bytes caRecordhash)",
  "function certificateAuthority() view returns (address signer, bytes recordhash, uint64 epoch)",
]);

/**
 * `deploy`: deploys `CertificateOrders` for this CA on any chain (admin: `--admin` or the wallet;
 * CA_ROLE: `--operator` or the CA signer) and, when the wallet is the resolver's admin, sets the
 * resolver's certificate authority to this CA; otherwise prints the call the admin must make.
 */
export async function caDeploy(
  config: CliConfig,
  output: CaOutput,
  options: CaDeployOptions,
): Promise<void> {
  const { resolver, rpcUrl } = requireSettings(config, "resolver", "rpcUrl");
  const folder = await loadCaFolder(caDirOf(config, options.caDir));
  const address = (value: string | undefined, flag: string, fallback: Address): Address => {
    if (value === undefined) return fallback;
    if (!isAddress(value, { strict: false }))
      throw new CaUsageError(`${flag} "${value}" is not an address`);
    return getAddress(value);
  };
  const wei = (value: string | undefined, flag: string, fallback: bigint): bigint => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value))
      throw new CaUsageError(`${flag} "${value}" is not a whole number of wei`);
    return BigInt(value);
  };
  const account = await loadOwnerAccount(config);
  const connection = await connectChain(rpcUrl);
  const walletClient = createWalletClient({
    chain: connection.chain,
    account,
    transport: http(rpcUrl),
  });
  const admin = address(options.admin, "--admin", account.address);
  const operator = address(options.operator, "--operator", folder.identity.signer);
  const fees = {
    intermediate: wei(options.intermediateFee, "--intermediate-fee", 10n ** 16n),
    endEntity: wei(options.endEntityFee, "--end-entity-fee", 10n ** 15n),
  };
  const { abi, bytecode } = loadOrdersArtifact();
  output.step(
    `[1/2] deploying CertificateOrders from ${account.address} (admin ${admin}, CA_ROLE ${operator})`,
  );
  const hash = await walletClient.deployContract({
    abi,
    bytecode,
    args: [admin, operator, fees.intermediate, fees.endEntity],
    account,
    chain: connection.chain,
  });
  const receipt = await connection.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress)
    throw new CaError(`the CertificateOrders deployment ${hash} reverted`);
  const orders = receipt.contractAddress;
  let resolverOwner: Address;
  try {
    resolverOwner = await connection.publicClient.readContract({
      address: resolver,
      abi: RESOLVER_ADMIN_ABI,
      functionName: "owner",
    });
  } catch (error) {
    throw new CaError(
      `${resolver} is not an ensgate resolver (owner() failed): ${describeError(error)}`,
    );
  }
  let authoritySet = false;
  if (isAddressEqual(resolverOwner, account.address)) {
    output.step(`[2/2] setting the resolver's certificate authority to ${folder.identity.signer}`);
    const set = await walletClient.writeContract({
      address: resolver,
      abi: RESOLVER_ADMIN_ABI,
      functionName: "setCertificateAuthority",
      args: [folder.identity.signer, folder.recordhash],
      account,
      chain: connection.chain,
    });
    const setReceipt = await connection.publicClient.waitForTransactionReceipt({ hash: set });
    if (setReceipt.status !== "success")
      throw new CaError(`setCertificateAuthority ${set} reverted`);
    authoritySet = true;
  } else
    output.step(
      `[2/2] the resolver's admin is ${resolverOwner}, not this wallet: it must call setCertificateAuthority(${folder.identity.signer}, ${folder.recordhash})`,
    );
  output.result(
    [
      `CertificateOrders ${orders}`,
      `  fees:      ${fees.intermediate} wei (domain CA), ${fees.endEntity} wei (end-entity)`,
      `  CA_ROLE:   ${operator}`,
      `  resolver:  ${authoritySet ? "certificate authority set" : `admin ${resolverOwner} must call setCertificateAuthority(${folder.identity.signer}, ${folder.recordhash})`}`,
      `next: ensgate ca run --orders ${orders} --http-port <port> --rpc ${rpcUrl} --resolver ${resolver}`,
    ],
    {
      orders,
      admin,
      operator,
      fees: { intermediate: fees.intermediate.toString(), endEntity: fees.endEntity.toString() },
      resolver,
      authoritySet,
    },
  );
}

/** The CA's command line (`ensgate ca` shows the same help). */
export function buildCaProgram(): Command {
  const program = addConfigOptions(
    new Command("ensgate ca").description(
      "the certificate authority: issue TLS certificates for ENS names ordered on chain",
    ),
  )
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  const start = () => {
    const flags = program.opts<Record<string, string | boolean | undefined>>();
    const config = loadCliConfig(
      Object.fromEntries(
        Object.entries(flags).filter(([, value]) => typeof value === "string"),
      ) as Record<string, string>,
    );
    return { config, output: createOutput(flags.json === true) };
  };
  program
    .command("init")
    .description("create the root CA, the CA's records signer and its IPNS key in the CA folder")
    .option("--ca-dir <dir>", "CA folder (env ENSGATE_CA_DIR, default <data-dir>/ca)")
    .option(
      "--bridge-domain <domain>",
      "DNS bridge domain certificates also cover (default deploy-ens-to-dns.com)",
    )
    .option("--root-key-type <type>", "P-256 (default) or secp256k1")
    .action(async (options: CaInitOptions) => {
      const { config, output } = start();
      await caInit(config, output, options);
    });
  program
    .command("deploy")
    .description(
      "deploy CertificateOrders for this CA and, as the resolver's admin, set the resolver's certificate authority",
    )
    .option("--ca-dir <dir>", "CA folder (env ENSGATE_CA_DIR, default <data-dir>/ca)")
    .option(
      "--operator <address>",
      "the account that settles orders (CA_ROLE; default the CA signer)",
    )
    .option("--admin <address>", "the contract's admin (fees, roles; default the deploying wallet)")
    .option("--intermediate-fee <wei>", "fee of a domain CA order (default 10^16 wei)")
    .option("--end-entity-fee <wei>", "fee of an end-entity order (default 10^15 wei)")
    .action(async (options: CaDeployOptions) => {
      const { config, output } = start();
      await caDeploy(config, output, options);
    });
  program
    .command("run")
    .description(
      "serve certificate orders: validate, issue, publish, fulfil or reject (Ctrl-C stops)",
    )
    .option("--ca-dir <dir>", "CA folder (env ENSGATE_CA_DIR, default <data-dir>/ca)")
    .option("--orders <address>", "the CertificateOrders contract (env ENSGATE_ORDERS)")
    .option("--confirmations <n>", "blocks an order needs (default 1 on local chains, else 12)")
    .option("--poll-ms <ms>", "how often to poll the chain (default 500)")
    .option("--from-block <n>", "first block to scan on a fresh database (default 0)")
    .option("--ipfs-store <dir>", "embedded IPFS store folder (default <ca-dir>/ipfs)")
    .option(
      "--http-port <port>",
      "serve CRLs, renewal info and owners' revocations on this port (GET /crl/…, /renewal-info/…, POST /revoke)",
    )
    .option("--http-host <host>", "address the HTTP endpoint binds (default 127.0.0.1)")
    .option(
      "--crl-url <url>",
      "base URL of the CRLs named in certificates (default http://<http-host>:<http-port>/crl)",
    )
    .option("--coverage-days <days>", "days of certificates one order's fee buys (default 90)")
    .option(
      "--certificate-hours <hours>",
      "end-entity lifetime; the CA renews in the second half of it (default 160)",
    )
    .option(
      "--log-anchor <address>",
      "the LogAnchor contract to anchor the log's checkpoints on (the wallet must be its operator)",
    )
    .option("--anchor-interval <seconds>", "seconds between anchors (default 300)")
    .action(async (options: CaRunOptions) => {
      const { config, output } = start();
      await caRun(config, output, options);
    });
  return program;
}

/** Runs the CA's command line: one `ensgate: …` line on stderr for every failure. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildCaProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`ensgate: ${describeError(error)}\n`);
    process.exitCode = error instanceof CaUsageError ? 2 : 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1]))
  await main(process.argv);
