// The CA service: follows `OrderRequested` events with a confirmation depth and drives each
// order through seen -> validated -> issued -> published -> fulfilled (or -> rejecting ->
// rejected). Every transition is committed to SQLite before the next side effect, and the chain
// is asked before every settlement, so after a crash at any step each order is issued once and
// settled once.
//
// Which order's records a name shows: the newest order for that name and kind wins. Before it
// issues and before it publishes an order, the CA rejects it (refunding its fee) when a newer
// valid order for the same name exists, so an old order settled late never replaces the pin of a
// newer key. Cancel wins: the chain is asked before publishing and before fulfilling, a cancelled
// order is never published, and one cancelled between publishing and fulfilling is withdrawn
// (the name's newest fulfilled order is published again, or its records are removed).
import {
  type Abi,
  type Address,
  decodeEventLog,
  type Hex,
  type PublicClient,
  parseAbi,
  zeroAddress,
} from "viem";
import {
  loadOrdersAbi,
  ORDER_REQUESTED_EVENT,
  ORDER_STATUS,
  type OrderEvent,
} from "../client/orderContract.ts";
import type { IpfsWriter } from "../ipfs/index.ts";
import { type CaFolder, caPaths } from "./caFiles.ts";
import { orderLocation, publishOrder, withdrawOrderRecords } from "./caTree.ts";
import type { CertificateLog } from "./certificateLog.ts";
import { crashPoint } from "./crashPoints.ts";
import { issueOrder } from "./issueOrder.ts";
import type { LogAnchorer } from "./logAnchoring.ts";
import type { OrderStore, StoredOrder } from "./orderStore.ts";
import { createRenewer, type Renewer } from "./renewals.ts";
import {
  createRevocationWatcher,
  openRevocationStore,
  type RevocationStore,
  type RevocationWatcher,
} from "./revocations.ts";
import { validateOrder } from "./validateOrder.ts";

/** How often the renewals and CRL refreshes run (the loop itself polls every `pollMs`). */
const MAINTENANCE_INTERVAL_MS = 5_000;

const RESOLVER_CA_ABI = parseAbi([
  "function certificateAuthority() view returns (address signer, bytes recordhash, uint64 epoch)",
]);

/** Sends a contract transaction from an account the caller holds and waits for its receipt. */
export type ContractWrite = (call: {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}) => Promise<Hex>;

/** Everything the service needs. */
export type CaServiceOptions = {
  folder: CaFolder;
  store: OrderStore;
  publicClient: PublicClient;
  /** Sends a transaction from the CA_ROLE account and waits for its receipt. */
  write: ContractWrite;
  orders: Address;
  resolver: Address;
  /** Blocks an event needs (1 = its own block is enough; the default on local chains). */
  confirmations: number;
  /** The first block to scan on a fresh database (default 0). */
  fromBlock?: bigint;
  pollMs?: number;
  ipfs: IpfsWriter;
  ipfsTarget: string;
  log?: (line: string) => void;
  /** The CA's database (default `<caDir>/orders.sqlite`, where `store` lives). */
  databasePath?: string;
  /** Base URL of the CA's CRLs, named in every certificate (`ca/caHttp.ts` serves `/crl/`). */
  crlBaseUrl?: string | undefined;
  /** The coverage one order's fee buys, in days (default `DEFAULT_COVERAGE_DAYS`). */
  coverageDays?: number | undefined;
  /** End-entity lifetime in hours (default 160: Let's Encrypt's short-lived profile). */
  endEntityHours?: number | undefined;
  /** The transparency log every issuance, renewal and revocation is appended to. */
  certificateLog?: CertificateLog | undefined;
  /** Anchors the log's checkpoint on-chain once per interval (`ca run --log-anchor`). */
  logAnchorer?: LogAnchorer | undefined;
};

/** A running service. */
export type CaService = {
  /** Runs one poll: read confirmed events, then advance every unsettled order. */
  tick: () => Promise<void>;
  /** Stops polling and waits for the current tick. */
  stop: () => Promise<void>;
  /** Resolves once the running loop has stopped (with the error that stopped it, if any). */
  done: Promise<void>;
  /** Follows the owners of certified names; revokes (`revoke` for an owner's request). */
  watcher: RevocationWatcher;
  revocations: RevocationStore;
  /** Renews short-lived end-entities inside their window; answers renewal-info. */
  renewer: Renewer;
};

/** Starts the service loop (`run: false` only builds it: call `tick()` yourself). */
export function startCaService(options: CaServiceOptions, { run = true } = {}): CaService {
  const log = options.log ?? (() => {});
  const abi = loadOrdersAbi();
  const { publicClient, store, folder } = options;
  let chainId: number | undefined;

  const setup = async () => {
    chainId ??= await publicClient.getChainId();
  };

  const databasePath = options.databasePath ?? caPaths(folder.dir).database;
  const revocations = openRevocationStore(databasePath);
  const watcher = createRevocationWatcher({
    folder,
    revocations,
    publicClient,
    resolver: options.resolver,
    ipfs: options.ipfs,
    ipfsTarget: options.ipfsTarget,
    log,
    async onRevoked(revocation) {
      const index = await options.certificateLog?.revoked(
        revocation,
        revocation.owner ?? zeroAddress,
      );
      if (index !== undefined)
        log(`certificate ${revocation.serialNumber}: revocation logged at ${index}`);
    },
  });

  /** Reads the confirmed block range and records its orders with the new cursor. */
  const readEvents = async () => {
    const head = await publicClient.getBlockNumber({ cacheTime: 0 });
    const confirmed = head - BigInt(Math.max(1, options.confirmations) - 1);
    const from = store.nextBlock(options.orders) ?? options.fromBlock ?? 0n;
    if (confirmed < from) return;
    const logs = await publicClient.getLogs({
      address: options.orders,
      event: ORDER_REQUESTED_EVENT,
      fromBlock: from,
      toBlock: confirmed,
    });
    const events: OrderEvent[] = logs.map((entry) => {
      const { args } = decodeEventLog({
        abi: [ORDER_REQUESTED_EVENT],
        data: entry.data,
        topics: entry.topics,
      });
      return {
        orderId: args.orderId,
        requester: args.requester,
        kind: args.kind,
        dnsName: args.dnsName,
        csr: args.csr,
        fee: args.fee,
        blockNumber: entry.blockNumber,
      };
    });
    store.recordRange(options.orders, confirmed + 1n, events);
    for (const event of events) {
      log(`order ${event.orderId}: seen at block ${event.blockNumber}`);
      crashPoint("afterRead");
    }
  };

  const orderStatus = async (orderId: bigint): Promise<number> => {
    const order = await publicClient.readContract({
      address: options.orders,
      abi,
      functionName: "getOrder",
      args: [orderId],
    });
    return Number(order.status);
  };

  const caEpoch = async (): Promise<bigint> => {
    const [, , epoch] = await publicClient.readContract({
      address: options.resolver,
      abi: RESOLVER_CA_ABI,
      functionName: "certificateAuthority",
    });
    return epoch;
  };

  const renewer = createRenewer({
    folder,
    databasePath,
    publicClient,
    resolver: options.resolver,
    ipfs: options.ipfs,
    ipfsTarget: options.ipfsTarget,
    chainId: async () => {
      await setup();
      return chainId as number;
    },
    caEpoch,
    coverageDays: options.coverageDays,
    crlBaseUrl: options.crlBaseUrl,
    endEntityHours: options.endEntityHours,
    certificateLog: options.certificateLog,
    log,
  });

  /**
   * Publishes an order's records into the CA tree (as signed by the CA, with its epoch). Its
   * certificate is logged first, so its records carry the log index.
   */
  const publish = async (order: StoredOrder) => {
    const logIndex = await options.certificateLog?.issued({
      name: order.name as string,
      owner: order.requester,
      certificateDer: order.certificateDer as string,
    });
    return publishOrder({
      caDir: folder.dir,
      identity: folder.identity,
      order: {
        ...order,
        logRecord:
          logIndex === undefined ? undefined : options.certificateLog?.recordValue(logIndex),
      },
      chainId: chainId as number,
      epoch: await caEpoch(),
      resolver: options.resolver,
      ipfs: options.ipfs,
      ipfsTarget: options.ipfsTarget,
    });
  };

  /**
   * Takes a cancelled order's records out of the tree: the name's newest fulfilled order is
   * published again, or, when there is none, the order's record files are removed.
   */
  const withdraw = async (order: StoredOrder) => {
    const previous = store.latestFulfilled(order);
    if (previous) {
      await publish(previous);
      log(`order ${order.orderId}: records withdrawn, order ${previous.orderId} published again`);
      return;
    }
    await withdrawOrderRecords({
      caDir: folder.dir,
      identity: folder.identity,
      order,
      ipfs: options.ipfs,
      ipfsTarget: options.ipfsTarget,
    });
    log(`order ${order.orderId}: records withdrawn`);
  };

  /**
   * The newest valid order for the same name and kind that supersedes `order` (newer orders
   * found cancelled on-chain are marked so and skipped), or undefined.
   */
  const supersededBy = async (order: StoredOrder): Promise<StoredOrder | undefined> => {
    for (const newer of store.newerOrders(order).reverse()) {
      if (
        newer.state !== "fulfilled" &&
        (await orderStatus(newer.orderId)) === ORDER_STATUS.Cancelled
      ) {
        store.markCancelled(newer.orderId);
        log(`order ${newer.orderId}: cancelled by the requester`);
        continue;
      }
      return newer;
    }
    return undefined;
  };

  /** Marks `order` rejecting when a newer order supersedes it; true if it did. */
  const rejectIfSuperseded = async (order: StoredOrder): Promise<boolean> => {
    const newer = await supersededBy(order);
    if (!newer) return false;
    const reason = `superseded: order ${newer.orderId} for ${order.name} is newer`;
    store.markRejecting(order.orderId, reason);
    log(`order ${order.orderId}: rejecting (${reason})`);
    return true;
  };

  /** Validates a `seen` order (reads only): validated or rejecting. */
  const validate = async (order: StoredOrder) => {
    const id = order.orderId;
    const result = await validateOrder(order, {
      publicClient,
      resolver: options.resolver,
      bridgeDomain: folder.identity.bridgeDomain,
    });
    if (result.ok) {
      store.markValidated(id, result.name);
      log(`order ${id}: validated (${result.kind} for ${result.name})`);
    } else {
      store.markRejecting(id, result.reason);
      log(`order ${id}: rejecting (${result.reason})`);
    }
  };

  /** Moves one order forward until it is settled. */
  const advance = async (start: StoredOrder) => {
    let order: StoredOrder = start;
    const reload = () => {
      order = store.get(order.orderId) as StoredOrder;
    };
    const id = order.orderId;
    // Cancel wins: a cancelled order goes no further (and its published records are withdrawn).
    if ((await orderStatus(id)) === ORDER_STATUS.Cancelled) {
      // Withdrawn before the state moves: a crash in between withdraws again on restart.
      if (order.state === "published") await withdraw(order);
      store.markCancelled(id);
      log(`order ${id}: cancelled by the requester`);
      return;
    }
    if (order.state === "seen") {
      await validate(order);
      reload();
    }
    if (order.state === "validated" && (await rejectIfSuperseded(order))) reload();
    if (order.state === "validated") {
      // Validation is re-run for the parsed CSR (cheap, deterministic for a stored order).
      const result = await validateOrder(order, {
        publicClient,
        resolver: options.resolver,
        bridgeDomain: folder.identity.bridgeDomain,
      });
      if (!result.ok) throw new Error(`order ${id} validated before but not now: ${result.reason}`);
      const issued = await issueOrder(
        result,
        { dir: folder.dir, root: folder.root, bridgeDomain: folder.identity.bridgeDomain },
        {
          crlBaseUrl: options.crlBaseUrl,
          coverageEnd: await renewer.coverageEnd(order.blockNumber),
          endEntityHours: options.endEntityHours,
        },
      );
      store.markIssued(id, {
        serial: issued.serial,
        der: issued.der,
        hash: issued.hash,
        chainPem: issued.chainPem,
        location: orderLocation(folder.identity, { kind: order.kind, name: result.name }),
      });
      log(`order ${id}: issued serial ${issued.serial}`);
      crashPoint("afterIssue");
      reload();
    }
    if (order.state === "issued" && (await rejectIfSuperseded(order))) reload();
    if (order.state === "issued") {
      if ((await orderStatus(id)) === ORDER_STATUS.Cancelled) {
        store.markCancelled(id);
        log(`order ${id}: cancelled by the requester`);
        return;
      }
      await publish(order);
      store.markPublished(id);
      log(`order ${id}: published at ${order.location}`);
      crashPoint("afterPublish");
      reload();
    }
    if (order.state === "published") {
      // The chain is the truth: a fulfil sent before a crash is not sent again, and a cancel
      // that landed while publishing wins (the records are withdrawn).
      const status = await orderStatus(id);
      if (status === ORDER_STATUS.Cancelled) {
        await withdraw(order);
        store.markCancelled(id);
        log(`order ${id}: cancelled by the requester`);
        return;
      }
      if (status === ORDER_STATUS.Pending)
        await options.write({
          address: options.orders,
          abi,
          functionName: "fulfil",
          args: [id, order.certificateHash, order.location],
        });
      store.markFulfilled(id);
      log(`order ${id}: fulfilled`);
      reload();
    }
    if (order.state === "rejecting") {
      const status = await orderStatus(id);
      if (status === ORDER_STATUS.Cancelled) {
        store.markCancelled(id);
        log(`order ${id}: cancelled by the requester`);
        return;
      }
      if (status === ORDER_STATUS.Pending)
        await options.write({
          address: options.orders,
          abi,
          functionName: "reject",
          args: [id, order.reason],
        });
      store.markRejected(id);
      log(`order ${id}: rejected (refund credited)`);
    }
  };

  const tick = async () => {
    await setup();
    await readEvents();
    // Every new order is validated first, so that a newer valid order for a name is known
    // before an older one is issued or published (the newest order wins).
    for (const order of store.unsettled()) if (order.state === "seen") await validate(order);
    for (const order of store.unsettled()) await advance(order);
    // Once per block: revoke what changed hands. Renewals (windows are hours long), CRL refreshes
    // (CRLs live a day) and anchoring are checked less often: each reads every certificate.
    await watcher.sweep();
    const now = Date.now();
    if (now - lastMaintenance >= MAINTENANCE_INTERVAL_MS) {
      lastMaintenance = now;
      await renewer.renewDue();
      await watcher.refreshCrls();
    }
    await options.logAnchorer?.maybeAnchor();
  };
  let lastMaintenance = 0;

  let stopped = !run;
  let current: Promise<void> = Promise.resolve();
  let wake: (() => void) | undefined;
  const done = (async () => {
    while (!stopped) {
      current = tick();
      try {
        await current;
      } catch (error) {
        log(`error: ${(error as Error).message.split("\n")[0]} (retrying)`);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs ?? 500);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    tick,
    done,
    watcher,
    revocations,
    renewer,
    async stop() {
      stopped = true;
      wake?.();
      await current.catch(() => {});
      await done;
      revocations.close();
      renewer.close();
    },
  };
}
