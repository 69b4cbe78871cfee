// The CA stack helpers shared by the CA tests and bench-ca: a local stack with a certificate authority, the CA service
// in-process, and orders placed the way an owner's wallet would.
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Abi,
  type Address,
  bytesToHex,
  type Hex,
  type LocalAccount,
  parseEventLogs,
} from "viem";
import { type CaFolder, initCaFolder } from "../../ca/caFiles.ts";
import { startCaHttp } from "../../ca/caHttp.ts";
import {
  type CaService,
  type CaServiceOptions,
  type ContractWrite,
  startCaService,
} from "../../ca/caService.ts";
import {
  type CertificateLog,
  loadOrCreateLogKeys,
  openCertificateLog,
} from "../../ca/certificateLog.ts";
import { createLogAnchorer } from "../../ca/logAnchoring.ts";
import { type OrderStore, openOrderStore } from "../../ca/orderStore.ts";
import { loadOrdersAbi, ORDER_STATUS } from "../../client/orderContract.ts";
import { dnsEncodeName } from "../../lib/index.ts";
import { deployBytecode } from "./ensFixtures.ts";
import { type LocalStack, startLocalStack } from "./localStack.ts";

export const ORDERS_ABI = loadOrdersAbi();

/** A stack whose resolver trusts a fresh CA (folder made like `ensgate ca init`). */
export async function startCaStack(): Promise<{
  stack: LocalStack;
  folder: CaFolder;
  dataDir: string;
  caDir: string;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), "ensgate-ca-e2e-"));
  const caDir = join(dataDir, "ca");
  const folder = await initCaFolder(caDir);
  const stack = await startLocalStack({
    dataDir,
    withCertificateAuthority: { signer: folder.identity.signer, recordhash: folder.recordhash },
  });
  return { stack, folder, dataDir, caDir };
}

/** Transactions from the CA operator, each waited for (a revert throws). */
function operatorWrite(stack: LocalStack): ContractWrite {
  const operator = caOperator(stack);
  return async (call) => {
    const hash = await stack
      .walletClient(operator)
      .writeContract({ ...call, account: operator, chain: stack.chain });
    const receipt = await stack.publicClient.waitForTransactionReceipt({
      hash,
      pollingInterval: 50,
    });
    if (receipt.status !== "success") throw new Error(`${call.functionName} reverted`);
    return hash;
  };
}

/** The CA operator (holds CA_ROLE in the local stack). */
export const caOperator = (stack: LocalStack) => stack.accounts[9] as LocalAccount;

/** Runs the CA service in this process against the stack's embedded IPFS store. */
export function runCaInProcess(
  stack: LocalStack,
  folder: CaFolder,
  store: OrderStore = openOrderStore(join(folder.dir, "orders.sqlite")),
  policy: Pick<
    CaServiceOptions,
    "crlBaseUrl" | "coverageDays" | "endEntityHours" | "certificateLog" | "logAnchorer"
  > = {},
): { service: CaService; store: OrderStore } {
  const service = startCaService({
    folder,
    store,
    publicClient: stack.publicClient,
    write: operatorWrite(stack),
    orders: stack.certificateOrders as Hex,
    resolver: stack.resolver.address,
    confirmations: 1,
    pollMs: 50,
    ipfs: {
      addDirectory: (files) => stack.ipfs.addDirectory(files),
      updateDirectory: (root, changes) => stack.ipfs.updateDirectory(root, changes),
      publishName: (seed, cid) => stack.ipfs.publishName(seed, cid),
    },
    ipfsTarget: "embedded",
    ...policy,
  });
  return { service, store };
}

/** Places an order from `owner` (the contract's fee unless `value` is given); returns its id. */
export async function placeOrder(
  stack: LocalStack,
  owner: LocalAccount,
  {
    name,
    csr,
    kind = 1,
    value,
  }: { name: string; csr: Uint8Array | Hex; kind?: number; value?: bigint },
): Promise<bigint> {
  const orders = stack.certificateOrders as Hex;
  const fee =
    value ??
    ((await stack.publicClient.readContract({
      address: orders,
      abi: ORDERS_ABI,
      functionName: "fees",
      args: [BigInt(kind)],
    })) as bigint);
  const hash = await stack.walletClient(owner).writeContract({
    address: orders,
    abi: ORDERS_ABI,
    functionName: "request",
    args: [dnsEncodeName(name), typeof csr === "string" ? csr : bytesToHex(csr), kind],
    value: fee,
    account: owner,
    chain: stack.chain,
  });
  const receipt = await stack.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (receipt.status !== "success") throw new Error(`request(${name}) reverted`);
  const [event] = parseEventLogs({
    abi: ORDERS_ABI,
    logs: receipt.logs,
    eventName: "OrderRequested",
  });
  return (event as unknown as { args: { orderId: bigint } }).args.orderId;
}

/** Waits until the order is settled on-chain; returns its status and its settlement event. */
export async function waitForSettlement(
  stack: LocalStack,
  orderId: bigint,
  timeoutMs = 30_000,
): Promise<{
  status: number;
  certificateHash: Hex;
  location?: string;
  reason?: string;
  refund?: bigint;
}> {
  const orders = stack.certificateOrders as Hex;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const order = (await stack.publicClient.readContract({
      address: orders,
      abi: ORDERS_ABI,
      functionName: "getOrder",
      args: [orderId],
    })) as {
      status: number;
      certificateHash: Hex;
    };
    if (order.status !== ORDER_STATUS.Pending) {
      const logs = await stack.publicClient.getContractEvents({
        address: orders,
        abi: ORDERS_ABI,
        eventName: order.status === ORDER_STATUS.Fulfilled ? "OrderFulfilled" : "OrderRejected",
        args: { orderId },
        fromBlock: 0n,
      });
      const args = (
        logs[0] as unknown as { args: { location?: string; reason?: string; refund?: bigint } }
      ).args;
      return { status: order.status, certificateHash: order.certificateHash, ...args };
    }
    if (Date.now() > deadline)
      throw new Error(`order ${orderId} not settled after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A certificate authority running next to a local stack: the service, its HTTP endpoint, its log. */
export type RunningCertificateAuthority = {
  folder: CaFolder;
  service: CaService;
  store: OrderStore;
  certificateLog: CertificateLog;
  /** The CA's HTTP endpoint (`/crl/`, `/renewal-info/`, `POST /revoke`, `/log/`). */
  url: string;
  /** The LogAnchor contract the CA anchors its log's checkpoints on. */
  logAnchor: Address;
  stop: () => Promise<void>;
};

/**
 * Creates a fresh CA folder in `caDir` (replacing an earlier one: a devnet's chain starts empty,
 * so the CA's orders, tree and log start over too), for `startLocalStack`'s
 * `withCertificateAuthority`.
 */
export async function freshCaFolder(caDir: string): Promise<CaFolder> {
  rmSync(caDir, { recursive: true, force: true });
  const folder = await initCaFolder(caDir);
  await loadOrCreateLogKeys(folder.dir, folder.identity);
  return folder;
}

/**
 * Runs the CA of a local stack in this process, publishing into the stack's embedded IPFS store
 * (where its gateway reads), with its HTTP endpoint on `port` (0: a free one) named as the CRL
 * URL of every certificate, and its transparency log.
 */
export async function runCertificateAuthority(
  stack: LocalStack,
  folder: CaFolder,
  {
    port = 0,
    endEntityHours,
    anchorIntervalMs = 5_000,
  }: { port?: number; endEntityHours?: number; anchorIntervalMs?: number } = {},
): Promise<RunningCertificateAuthority> {
  const httpPort = port === 0 ? await freePort() : port;
  const certificateLog = await openCertificateLog({
    caDir: folder.dir,
    identity: folder.identity,
    databasePath: join(folder.dir, "orders.sqlite"),
  });
  // The log's on-chain anchor, operated by the CA's operator (a devnet anchors every few seconds).
  const operator = caOperator(stack);
  const artifact = JSON.parse(
    readFileSync(
      new URL("../../artifacts/contracts/LogAnchor.sol/LogAnchor.json", import.meta.url),
      "utf8",
    ),
  ) as { abi: Abi; bytecode: Hex };
  const logAnchor = await deployBytecode(
    {
      publicClient: stack.publicClient,
      walletClient: stack.walletClient(stack.accounts[0] as LocalAccount),
    },
    artifact,
    [operator.address, certificateLog.origin],
  );
  const logAnchorer = createLogAnchorer({
    anchor: logAnchor,
    logDir: certificateLog.dir,
    verifierKey: certificateLog.verifierKey,
    publicClient: stack.publicClient,
    intervalMs: anchorIntervalMs,
    write: operatorWrite(stack),
  });
  const { service, store } = runCaInProcess(stack, folder, undefined, {
    crlBaseUrl: `http://127.0.0.1:${httpPort}/crl`,
    endEntityHours,
    certificateLog,
    logAnchorer,
  });
  const endpoint = await startCaHttp(
    {
      folder,
      revocations: service.revocations,
      watcher: service.watcher,
      renewer: service.renewer,
      publicClient: stack.publicClient,
      resolver: stack.resolver.address,
      chainId: stack.chain.id,
      logDir: certificateLog.dir,
    },
    { port: httpPort },
  );
  return {
    folder,
    service,
    store,
    certificateLog,
    url: endpoint.url,
    logAnchor,
    async stop() {
      await endpoint.close();
      await service.stop();
      await certificateLog.close();
      store.close();
    },
  };
}

/** A TCP port that was free a moment ago (for URLs that must be known before the server starts). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}
