// The CA's embedded database (node:sqlite): the event cursor and every order's state. Each state
// transition is one committed statement, written before the next side effect, so a restarted CA
// resumes each order from where it stopped and never issues a second certificate for an order
// that has one stored.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Address, Hex } from "viem";

/**
 * An order's life in the CA:
 * seen -> validated -> issued (certificate stored) -> published -> fulfilled,
 * or seen/validated/issued/published -> rejecting (reason stored) -> rejected (issued and published
 * only when a newer order for the same name superseded it), or any unsettled state -> cancelled
 * (the requester cancelled on-chain after the settlement timeout; cancel wins).
 */
export type OrderState =
  | "seen"
  | "validated"
  | "issued"
  | "published"
  | "fulfilled"
  | "rejecting"
  | "rejected"
  | "cancelled";

/** One order as the CA stores it. */
export type StoredOrder = {
  orderId: bigint;
  requester: Address;
  kind: number;
  dnsName: Hex;
  csr: Hex;
  fee: bigint;
  blockNumber: bigint;
  state: OrderState;
  /** The ENS name the order is for (set once decoded), and where its records are published. */
  name: string | null;
  reason: string | null;
  /** The issued certificate (DER hex), its SHA-256 and the PEM chain, once issued. */
  certificateDer: Hex | null;
  certificateHash: Hex | null;
  chainPem: string | null;
  location: string | null;
  /** Unix ms of the order's first sighting and of its settlement (bench figures). */
  seenAt: number;
  settledAt: number | null;
};

type Row = Record<string, string | number | bigint | null>;

/** Opens (and creates) the database. */
export function openOrderStore(path: string) {
  mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = FULL;
    CREATE TABLE IF NOT EXISTS cursor (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      contract TEXT NOT NULL,
      next_block TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS orders (
      order_id TEXT PRIMARY KEY,
      requester TEXT NOT NULL,
      kind INTEGER NOT NULL,
      dns_name TEXT NOT NULL,
      csr TEXT NOT NULL,
      fee TEXT NOT NULL,
      block_number TEXT NOT NULL,
      state TEXT NOT NULL,
      name TEXT,
      reason TEXT,
      certificate_der TEXT,
      certificate_hash TEXT,
      chain_pem TEXT,
      location TEXT,
      seen_at INTEGER NOT NULL,
      settled_at INTEGER
    );
    CREATE TABLE IF NOT EXISTS issued (
      serial TEXT PRIMARY KEY,
      order_id TEXT NOT NULL,
      certificate_hash TEXT NOT NULL,
      issued_at INTEGER NOT NULL
    );
  `);

  const toOrder = (row: Row): StoredOrder => ({
    orderId: BigInt(row.order_id as string),
    requester: row.requester as Address,
    kind: Number(row.kind),
    dnsName: row.dns_name as Hex,
    csr: row.csr as Hex,
    fee: BigInt(row.fee as string),
    blockNumber: BigInt(row.block_number as string),
    state: row.state as OrderState,
    name: (row.name as string | null) ?? null,
    reason: (row.reason as string | null) ?? null,
    certificateDer: (row.certificate_der as Hex | null) ?? null,
    certificateHash: (row.certificate_hash as Hex | null) ?? null,
    chainPem: (row.chain_pem as string | null) ?? null,
    location: (row.location as string | null) ?? null,
    seenAt: Number(row.seen_at),
    settledAt: row.settled_at === null ? null : Number(row.settled_at),
  });

  const update = (orderId: bigint, from: OrderState[], fields: Record<string, unknown>) => {
    const names = Object.keys(fields);
    const result = db
      .prepare(
        `UPDATE orders SET ${names.map((n) => `${n} = ?`).join(", ")} WHERE order_id = ? AND state IN (${from.map(() => "?").join(", ")})`,
      )
      .run(
        ...(names.map((n) => fields[n] ?? null) as (string | number | null)[]),
        orderId.toString(),
        ...from,
      );
    if (result.changes !== 1)
      throw new Error(`order ${orderId}: no transition from ${from.join("/")}`);
  };

  return {
    /** The block to read events from next, or undefined on a fresh database. */
    nextBlock(contract: Address): bigint | undefined {
      const row = db.prepare("SELECT contract, next_block FROM cursor WHERE id = 1").get() as
        | Row
        | undefined;
      if (!row) return undefined;
      if ((row.contract as string).toLowerCase() !== contract.toLowerCase())
        throw new Error(
          `the database follows ${row.contract as string}, not ${contract}: use another CA folder`,
        );
      return BigInt(row.next_block as string);
    },

    /** Records the orders of a block range and moves the cursor past it, in one transaction. */
    recordRange(
      contract: Address,
      nextBlock: bigint,
      orders: Omit<
        StoredOrder,
        | "state"
        | "name"
        | "reason"
        | "certificateDer"
        | "certificateHash"
        | "chainPem"
        | "location"
        | "seenAt"
        | "settledAt"
      >[],
    ): void {
      db.exec("BEGIN IMMEDIATE");
      try {
        const insert = db.prepare(
          "INSERT OR IGNORE INTO orders (order_id, requester, kind, dns_name, csr, fee, block_number, state, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'seen', ?)",
        );
        for (const order of orders)
          insert.run(
            order.orderId.toString(),
            order.requester,
            order.kind,
            order.dnsName,
            order.csr,
            order.fee.toString(),
            order.blockNumber.toString(),
            Date.now(),
          );
        db.prepare(
          "INSERT INTO cursor (id, contract, next_block) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET next_block = excluded.next_block",
        ).run(contract, nextBlock.toString());
        db.exec("COMMIT");
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    },

    /** Orders not yet settled, oldest first. */
    unsettled(): StoredOrder[] {
      return (
        db
          .prepare(
            "SELECT * FROM orders WHERE state NOT IN ('fulfilled', 'rejected', 'cancelled') ORDER BY CAST(order_id AS INTEGER)",
          )
          .all() as Row[]
      ).map(toOrder);
    },

    get(orderId: bigint): StoredOrder | undefined {
      const row = db.prepare("SELECT * FROM orders WHERE order_id = ?").get(orderId.toString()) as
        | Row
        | undefined;
      return row ? toOrder(row) : undefined;
    },

    all(): StoredOrder[] {
      return (
        db.prepare("SELECT * FROM orders ORDER BY CAST(order_id AS INTEGER)").all() as Row[]
      ).map(toOrder);
    },

    /** Certificates issued per order (the crash tests check that it never exceeds one). */
    issuedCount(orderId: bigint): number {
      const row = db
        .prepare("SELECT COUNT(*) AS n FROM issued WHERE order_id = ?")
        .get(orderId.toString()) as Row;
      return Number(row.n);
    },

    markValidated(orderId: bigint, name: string): void {
      update(orderId, ["seen"], { state: "validated", name });
    },

    /** Stores the certificate with the transition, in one transaction. */
    markIssued(
      orderId: bigint,
      issued: { serial: string; der: Hex; hash: Hex; chainPem: string; location: string },
    ): void {
      db.exec("BEGIN IMMEDIATE");
      try {
        update(orderId, ["validated"], {
          state: "issued",
          certificate_der: issued.der,
          certificate_hash: issued.hash,
          chain_pem: issued.chainPem,
          location: issued.location,
        });
        db.prepare(
          "INSERT INTO issued (serial, order_id, certificate_hash, issued_at) VALUES (?, ?, ?, ?)",
        ).run(issued.serial, orderId.toString(), issued.hash, Date.now());
        db.exec("COMMIT");
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    },

    markPublished(orderId: bigint): void {
      update(orderId, ["issued"], { state: "published" });
    },

    markFulfilled(orderId: bigint): void {
      update(orderId, ["published"], { state: "fulfilled", settled_at: Date.now() });
    },

    markRejecting(orderId: bigint, reason: string): void {
      update(orderId, ["seen", "validated", "issued", "published"], { state: "rejecting", reason });
    },

    /** The requester cancelled the order on-chain: it is never published or settled by the CA. */
    markCancelled(orderId: bigint): void {
      update(orderId, ["seen", "validated", "issued", "published", "rejecting"], {
        state: "cancelled",
        settled_at: Date.now(),
      });
    },

    /**
     * Orders for the same name and kind as `order` with a larger id that passed validation and
     * are not rejected or cancelled: each of them supersedes `order` (its records win).
     */
    newerOrders(order: Pick<StoredOrder, "orderId" | "dnsName" | "kind">): StoredOrder[] {
      return (
        db
          .prepare(
            "SELECT * FROM orders WHERE lower(dns_name) = lower(?) AND kind = ? AND CAST(order_id AS INTEGER) > CAST(? AS INTEGER) AND state IN ('validated', 'issued', 'published', 'fulfilled') ORDER BY CAST(order_id AS INTEGER)",
          )
          .all(order.dnsName, order.kind, order.orderId.toString()) as Row[]
      ).map(toOrder);
    },

    /** The newest fulfilled order for the same name and kind as `order`, other than `order`. */
    latestFulfilled(
      order: Pick<StoredOrder, "orderId" | "dnsName" | "kind">,
    ): StoredOrder | undefined {
      const row = db
        .prepare(
          "SELECT * FROM orders WHERE lower(dns_name) = lower(?) AND kind = ? AND order_id != ? AND state = 'fulfilled' ORDER BY CAST(order_id AS INTEGER) DESC LIMIT 1",
        )
        .get(order.dnsName, order.kind, order.orderId.toString()) as Row | undefined;
      return row ? toOrder(row) : undefined;
    },

    markRejected(orderId: bigint): void {
      update(orderId, ["rejecting"], { state: "rejected", settled_at: Date.now() });
    },

    /** Orders whose records belong in the CA tree (issued and later, not rejected). */
    withCertificates(): StoredOrder[] {
      return (
        db
          .prepare(
            "SELECT * FROM orders WHERE state IN ('issued', 'published', 'fulfilled') ORDER BY CAST(order_id AS INTEGER)",
          )
          .all() as Row[]
      ).map(toOrder);
    },

    close(): void {
      db.close();
    },
  };
}

export type OrderStore = ReturnType<typeof openOrderStore>;
