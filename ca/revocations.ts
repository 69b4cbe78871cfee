// Revocation: the CA follows the owner of every name it certified. On every new block it reads
// each live certificate's name through the resolver's `nameContext` (registry or NameWrapper
// owner, .eth expiry: the rule the resolver itself applies), and revokes a certificate as soon as
// the name has another owner, no owner or has expired, or its owner asked (`ca/caHttp.ts`):
//
//   1. the revocation is committed to SQLite (so a crash after it redoes the rest);
//   2. the certificate's records leave the CA's tree, which is republished;
//   3. the issuer's CRL is signed again and written to <caDir>/crl/<issuer>.crl.
//
// The resolver already rejects the records of a previous owner in the block of the transfer
// (`CertificateOwnerChanged`); this makes the CA stop serving them and tells TLS clients that
// check CRLs.
import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type Address, isAddressEqual, type PublicClient } from "viem";
import { describeNameContextError, readNameContext } from "../client/chain.ts";
import { writeFileAtomic } from "../client/files.ts";
import type { IpfsWriter } from "../ipfs/index.ts";
import {
  type CertificateAuthority,
  issueCrl,
  parsePemChain,
  type RevocationReason,
  type RevokedCertificate,
  x509,
} from "../lib/certs/index.ts";
import { buildRecordFilePath } from "../lib/index.ts";
import { type CaFolder, loadIntermediate } from "./caFiles.ts";
import { caTreeDir, orderRecords, withdrawOrderRecords } from "./caTree.ts";
import { CaError } from "./errors.ts";

/** How long a CRL is current (`nextUpdate - thisUpdate`); the CA re-signs it at half that age. */
export const CRL_LIFETIME_MS = 24 * 3_600_000;

/** The CRL file name of an issuing CA: `root.crl`, or `<domain>.crl` for a domain intermediate. */
export function crlFileName(issuer: "root" | string): string {
  return `${issuer}.crl`;
}

/** Where the CA writes its CRLs (and its HTTP server serves them as `/crl/<file>`). */
export const crlDir = (caDir: string) => join(caDir, "crl");

/** A certificate the CA issued and has not revoked, as the watcher sees it. */
export type LiveCertificate = {
  orderId: bigint;
  kind: number;
  name: string;
  requester: Address;
  serialNumber: string;
  notAfter: Date;
  /** `root` (owner-held domain CA) or the domain of the CA-held intermediate that signed it. */
  issuer: string;
  chainPem: string;
};

/** One revocation as stored. */
export type StoredRevocation = RevokedCertificate & {
  orderId: bigint;
  name: string;
  issuer: string;
  /** Whether the tree and the CRL already reflect it. */
  applied: boolean;
  /** The name's owner when it was revoked (undefined: nobody, the name is gone or expired). */
  owner?: Address | undefined;
};

/** The revocations table, next to the orders in the CA's database. */
export function openRevocationStore(databasePath: string) {
  const db = new DatabaseSync(databasePath);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = FULL;
    CREATE TABLE IF NOT EXISTS revocations (
      serial TEXT PRIMARY KEY,
      order_id TEXT NOT NULL,
      name TEXT NOT NULL,
      issuer TEXT NOT NULL,
      reason TEXT NOT NULL,
      revoked_at INTEGER NOT NULL,
      applied INTEGER NOT NULL DEFAULT 0,
      owner TEXT
    );
    CREATE TABLE IF NOT EXISTS crl_numbers (
      issuer TEXT PRIMARY KEY,
      number TEXT NOT NULL
    );
  `);
  type Row = Record<string, string | number | null>;
  // Parsing every chain on every block is the sweep's main cost: parse each chain once.
  const parsedChains = new Map<string, x509.X509Certificate[]>();
  const parsedChain = (pem: string): x509.X509Certificate[] => {
    let chain = parsedChains.get(pem);
    if (!chain) {
      chain = parsePemChain(pem);
      if (parsedChains.size > 100_000) parsedChains.clear();
      parsedChains.set(pem, chain);
    }
    return chain;
  };
  const toRevocation = (row: Row): StoredRevocation => ({
    serialNumber: row.serial as string,
    orderId: BigInt(row.order_id as string),
    name: row.name as string,
    issuer: row.issuer as string,
    reason: row.reason as RevocationReason,
    revokedAt: new Date(Number(row.revoked_at)),
    applied: Number(row.applied) === 1,
    owner: (row.owner as Address | null) ?? undefined,
  });
  return {
    /** The issued certificates (published or fulfilled orders) that are not revoked. */
    live(): LiveCertificate[] {
      const rows = db
        .prepare(
          `SELECT o.order_id, o.kind, o.name, o.requester, o.chain_pem FROM orders o
           WHERE o.state IN ('published', 'fulfilled') AND o.chain_pem IS NOT NULL`,
        )
        .all() as Row[];
      const revoked = new Set(
        (db.prepare("SELECT serial FROM revocations").all() as Row[]).map((r) => r.serial),
      );
      return rows.flatMap((row) => {
        const [leaf, issuer] = parsedChain(row.chain_pem as string);
        if (!leaf || revoked.has(leaf.serialNumber)) return [];
        return [
          {
            orderId: BigInt(row.order_id as string),
            kind: Number(row.kind),
            name: row.name as string,
            requester: row.requester as Address,
            serialNumber: leaf.serialNumber,
            notAfter: leaf.notAfter,
            issuer:
              Number(row.kind) === 0
                ? "root"
                : (issuer?.subjectName.getField("CN")[0] ?? (row.name as string)),
            chainPem: row.chain_pem as string,
          },
        ];
      });
    },
    add(
      certificate: LiveCertificate,
      reason: RevocationReason,
      revokedAt: Date,
      owner?: Address,
    ): void {
      db.prepare(
        "INSERT OR IGNORE INTO revocations (serial, order_id, name, issuer, reason, revoked_at, owner) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ).run(
        certificate.serialNumber,
        certificate.orderId.toString(),
        certificate.name,
        certificate.issuer,
        reason,
        revokedAt.getTime(),
        owner ?? null,
      );
    },
    /** The kind and PEM chain of an order (for a revocation's records). */
    orderChain(orderId: bigint): { chainPem: string; kind: number } | undefined {
      const row = db
        .prepare("SELECT kind, chain_pem FROM orders WHERE order_id = ?")
        .get(orderId.toString()) as Row | undefined;
      if (!row?.chain_pem) return undefined;
      return { chainPem: row.chain_pem as string, kind: Number(row.kind) };
    },
    markApplied(serial: string): void {
      db.prepare("UPDATE revocations SET applied = 1 WHERE serial = ?").run(serial);
    },
    pending(): StoredRevocation[] {
      return (db.prepare("SELECT * FROM revocations WHERE applied = 0").all() as Row[]).map(
        toRevocation,
      );
    },
    ofIssuer(issuer: string): StoredRevocation[] {
      return (
        db
          .prepare("SELECT * FROM revocations WHERE issuer = ? ORDER BY revoked_at")
          .all(issuer) as Row[]
      ).map(toRevocation);
    },
    all(): StoredRevocation[] {
      return (db.prepare("SELECT * FROM revocations ORDER BY revoked_at").all() as Row[]).map(
        toRevocation,
      );
    },
    /** The next CRL number of `issuer` (1, 2, ...), counted in the same transaction. */
    nextCrlNumber(issuer: string): bigint {
      const row = db.prepare("SELECT number FROM crl_numbers WHERE issuer = ?").get(issuer) as
        | Row
        | undefined;
      const next = (row ? BigInt(row.number as string) : 0n) + 1n;
      db.prepare(
        "INSERT INTO crl_numbers (issuer, number) VALUES (?, ?) ON CONFLICT(issuer) DO UPDATE SET number = excluded.number",
      ).run(issuer, next.toString());
      return next;
    },
    close(): void {
      db.close();
    },
  };
}

export type RevocationStore = ReturnType<typeof openRevocationStore>;

/** What the watcher needs. */
export type RevocationWatcherOptions = {
  folder: CaFolder;
  revocations: RevocationStore;
  publicClient: Pick<PublicClient, "readContract" | "getBlockNumber">;
  resolver: Address;
  ipfs: IpfsWriter;
  ipfsTarget: string;
  log?: (line: string) => void;
  /** Called after each applied revocation (the transparency log appends it). */
  onRevoked?: (revocation: StoredRevocation) => void | Promise<void>;
};

/**
 * Why a name no longer belongs to the certificate's owner (and who owns it now), or undefined
 * while it does.
 */
async function ownershipLost(
  options: RevocationWatcherOptions,
  certificate: LiveCertificate,
): Promise<{ reason: RevocationReason; owner?: Address } | undefined> {
  try {
    const context = await readNameContext(options.publicClient, options.resolver, certificate.name);
    return isAddressEqual(context.owner, certificate.requester)
      ? undefined
      : { reason: "affiliationChanged", owner: context.owner };
  } catch (error) {
    // Not registered any more, or expired: nobody holds the name the certificate names.
    if (describeNameContextError(certificate.name, (error as Error).cause))
      return { reason: "cessationOfOperation" };
    throw error;
  }
}

/**
 * The revocation watcher. `sweep()` runs once per new block (a no-op within one block); it checks
 * every live certificate's owner and revokes the ones whose name changed hands. `revoke()` is the
 * owner's own revocation. `refreshCrls()` keeps every issuer's CRL current.
 */
export function createRevocationWatcher(options: RevocationWatcherOptions) {
  const log = options.log ?? (() => {});
  const { folder, revocations } = options;
  let lastBlock: bigint | undefined;

  /** Signs and writes the CRL of one issuer from every revocation stored for it. */
  const writeCrl = async (issuer: string): Promise<void> => {
    const authority = await issuingAuthority(folder, issuer);
    if (!authority) {
      log(`crl ${issuer}: the issuing key is gone (rotated); not re-signed`);
      return;
    }
    const crl = await issueCrl({
      issuer: authority,
      revoked: revocations.ofIssuer(issuer),
      crlNumber: revocations.nextCrlNumber(issuer),
      nextUpdate: new Date(Date.now() + CRL_LIFETIME_MS),
    });
    mkdirSync(crlDir(folder.dir), { recursive: true });
    await writeFileAtomic(join(crlDir(folder.dir), crlFileName(issuer)), Buffer.from(crl.rawData));
  };

  /** Takes a revoked certificate's records out of the CA's tree and republishes it. */
  const unpublish = async (revocation: StoredRevocation, chainPem: string, kind: number) => {
    await withdrawOrderRecords({
      caDir: folder.dir,
      identity: folder.identity,
      order: { kind, name: revocation.name, chainPem },
      ipfs: options.ipfs,
      ipfsTarget: options.ipfsTarget,
    });
  };

  /** Applies the stored revocations that the tree and the CRLs do not reflect yet. */
  const applyPending = async () => {
    const pending = revocations.pending();
    if (pending.length === 0) return;
    for (const revocation of pending) {
      const order = revocations.orderChain(revocation.orderId);
      // A newer certificate for the same name may already hold the records: only remove files
      // that still carry this certificate.
      if (order && (await treeHoldsCertificate(folder.dir, revocation.name, order)))
        await unpublish(revocation, order.chainPem, order.kind);
    }
    for (const issuer of new Set(pending.map((revocation) => revocation.issuer)))
      await writeCrl(issuer);
    for (const revocation of pending) {
      revocations.markApplied(revocation.serialNumber);
      log(
        `certificate ${revocation.serialNumber} of ${revocation.name} revoked (${revocation.reason})`,
      );
      await options.onRevoked?.({ ...revocation, applied: true });
    }
  };

  return {
    /** Checks every live certificate's owner once per block; revokes where it changed. */
    async sweep(): Promise<number> {
      const block = await options.publicClient.getBlockNumber({ cacheTime: 0 });
      const pendingBefore = revocations.pending().length;
      if (block === lastBlock && pendingBefore === 0) return 0;
      lastBlock = block;
      const now = new Date();
      for (const certificate of await Promise.all(
        revocations
          .live()
          .filter((certificate) => certificate.notAfter > now)
          .map(async (certificate) => ({
            certificate,
            lost: await ownershipLost(options, certificate),
          })),
      ))
        if (certificate.lost)
          revocations.add(
            certificate.certificate,
            certificate.lost.reason,
            now,
            certificate.lost.owner,
          );
      const count = revocations.pending().length;
      await applyPending();
      return count;
    },
    /** Revokes one certificate at its owner's request (`unspecified`, RFC 5280's default). */
    async revoke(serialNumber: string, reason: RevocationReason = "unspecified"): Promise<void> {
      const certificate = revocations.live().find((c) => c.serialNumber === serialNumber);
      if (!certificate) throw new CaError(`no live certificate with serial ${serialNumber}`);
      revocations.add(certificate, reason, new Date(), certificate.requester);
      await applyPending();
    },
    /** Signs every issuer's CRL again when it is missing or past half its lifetime. */
    async refreshCrls(): Promise<void> {
      const issuers = new Set([
        ...revocations.live().map((c) => c.issuer),
        ...revocations.all().map((r) => r.issuer),
      ]);
      for (const issuer of issuers)
        if (await crlNeedsRefresh(join(crlDir(folder.dir), crlFileName(issuer))))
          await writeCrl(issuer);
    },
  };
}

export type RevocationWatcher = ReturnType<typeof createRevocationWatcher>;

/** The CA that signed certificates of `issuer`: the root, or the CA-held domain intermediate. */
async function issuingAuthority(
  folder: CaFolder,
  issuer: string,
): Promise<CertificateAuthority | undefined> {
  if (issuer === "root") return folder.root;
  return loadIntermediate(folder.dir, issuer);
}

/** True when the CA's tree still holds this certificate's chain record for the name. */
async function treeHoldsCertificate(
  caDir: string,
  name: string,
  order: { chainPem: string; kind: number },
): Promise<boolean> {
  const { recordsName, records } = orderRecords({
    kind: order.kind,
    name,
    chainPem: order.chainPem,
  });
  const [chainRecord] = records;
  if (!chainRecord) return false;
  const path = join(caTreeDir(caDir), buildRecordFilePath(recordsName, chainRecord[0]));
  if (!existsSync(path)) return false;
  const file = JSON.parse(await readFile(path, "utf8")) as { raw?: string };
  return file.raw === order.chainPem;
}

/** A CRL file is missing, unreadable, or past half its lifetime. */
async function crlNeedsRefresh(path: string): Promise<boolean> {
  if (!existsSync(path)) return true;
  try {
    const crl = new x509.X509Crl(await readFile(path));
    const thisUpdate = crl.thisUpdate.getTime();
    const nextUpdate = crl.nextUpdate?.getTime() ?? thisUpdate;
    return Date.now() > thisUpdate + (nextUpdate - thisUpdate) / 2;
  } catch {
    return true;
  }
}
