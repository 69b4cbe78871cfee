// `ensgate ca init` creates the CA folder (root CA, records signer, IPNS key); `ensgate ca run`
// serves certificate orders until SIGINT/SIGTERM (docs/certificates.md, "The CA service").
import { join } from "node:path";
import { type Address, createWalletClient, getAddress, type Hex, http, isAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { initCaFolder, loadCaFolder } from "../../ca/caFiles.ts";
import { startCaService } from "../../ca/caService.ts";
import { openCaIpfs } from "../../ca/openCaIpfs.ts";
import { openOrderStore } from "../../ca/orderStore.ts";
import { requireSettings } from "../../client/config.ts";
import type { CertificateKeyType } from "../../lib/certs/index.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";

/** Chains where one confirmation is the default (Hardhat, local nodes). */
const LOCAL_CHAIN_IDS = new Set([31337, 1337]);
/** Default confirmation depth elsewhere. */
const DEFAULT_CONFIRMATIONS = 12;

/** The CA folder: --ca-dir, else ENSGATE_CA_DIR, else <data dir>/ca. */
export function caDirOf(context: CommandContext, option: string | undefined): string {
  return option ?? process.env.ENSGATE_CA_DIR ?? join(context.config.dataDir, "ca");
}

/** The order contract: --orders or ENSGATE_ORDERS. */
export function ordersAddressOf(option: string | undefined): Address {
  const value = option ?? process.env.ENSGATE_ORDERS;
  if (!value) throw new CliError("missing the order contract: pass --orders or set ENSGATE_ORDERS");
  if (!isAddress(value)) throw new CliError(`orders "${value}" is not an address`);
  return getAddress(value);
}

/** `ensgate ca init`. */
export async function caInitCommand(
  context: CommandContext,
  options: { caDir?: string; bridgeDomain?: string; rootKeyType?: string },
): Promise<void> {
  const keyType = (options.rootKeyType ?? "P-256") as CertificateKeyType;
  if (keyType !== "P-256" && keyType !== "secp256k1")
    throw new CliError(`root key type "${keyType}" is neither P-256 nor secp256k1`);
  const dir = caDirOf(context, options.caDir);
  context.output.step(`creating the root CA and the CA's signing identity in ${dir}`);
  const folder = await initCaFolder(dir, {
    bridgeDomain: options.bridgeDomain,
    rootKeyType: keyType,
  });
  context.output.result(
    [
      `root certificate: ${folder.rootPemPath}`,
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
    },
  );
}

/** `ensgate ca run`: serves until SIGINT/SIGTERM. */
export async function caRunCommand(
  context: CommandContext,
  options: {
    caDir?: string;
    orders?: string;
    confirmations?: string;
    pollMs?: string;
    fromBlock?: string;
    ipfsStore?: string;
  },
): Promise<void> {
  const { config, output } = context;
  const { resolver, rpcUrl } = requireSettings(config, "resolver", "rpcUrl");
  const orders = ordersAddressOf(options.orders);
  const folder = await loadCaFolder(caDirOf(context, options.caDir));
  const connection = await context.chain();
  const confirmations =
    options.confirmations !== undefined
      ? Number(options.confirmations)
      : LOCAL_CHAIN_IDS.has(connection.chain.id)
        ? 1
        : DEFAULT_CONFIRMATIONS;
  if (!Number.isInteger(confirmations) || confirmations < 1)
    throw new CliError(`confirmations "${options.confirmations}" is not a positive integer`);
  // The CA_ROLE account: the configured wallet, else the CA's own signer key.
  const account =
    config.keystore || process.env.ENSGATE_PRIVATE_KEY
      ? await context.wallet()
      : privateKeyToAccount(folder.identity.signerPrivateKey as Hex);
  const walletClient = createWalletClient({
    chain: connection.chain,
    account,
    transport: http(rpcUrl),
  });
  const ipfs = await openCaIpfs(config.ipfs, { caDir: folder.dir, store: options.ipfsStore });
  const store = openOrderStore(join(folder.dir, "orders.sqlite"));
  const service = startCaService({
    folder,
    store,
    publicClient: connection.publicClient,
    async write(call) {
      const hash = await walletClient.writeContract({ ...call, account, chain: connection.chain });
      const receipt = await connection.publicClient.waitForTransactionReceipt({
        hash,
        pollingInterval: 100,
      });
      if (receipt.status !== "success")
        throw new CliError(`${call.functionName} transaction ${hash} reverted`);
      return hash;
    },
    orders,
    resolver,
    confirmations,
    fromBlock: options.fromBlock === undefined ? undefined : BigInt(options.fromBlock),
    pollMs: options.pollMs === undefined ? undefined : Number(options.pollMs),
    ipfs: ipfs.writer,
    ipfsTarget: config.ipfs,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  output.step(
    `CA ${folder.identity.signer} serving orders of ${orders} (${confirmations} confirmation${confirmations === 1 ? "" : "s"}, operator ${account.address})`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await service.stop();
  store.close();
  await ipfs.close();
}
