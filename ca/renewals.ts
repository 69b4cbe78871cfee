// Renewal of short-lived end-entity certificates (docs/certificates.md, "Fee model"). An order's
// fee buys a period of coverage starting at the order's block; end-entity certificates live
// 160 hours, and the CA issues the next one for the same key by itself while the coverage lasts
// and the name's owner is the one who ordered. Each certificate has a renewal window, as ACME's
// renewal information (ARI) gives one: the CA renews at the window's start, and clients
// (`ensgate cert renew --watch`) pick the new certificate up inside it.
import { DatabaseSync } from "node:sqlite";
import { type Address, type Hex, hexToBytes, isAddressEqual, type PublicClient } from "viem";
import { readNameContext } from "../client/chain.ts";
import type { IpfsWriter } from "../ipfs/index.ts";
import { parseCertificateRequest, parsePemChain, x509 } from "../lib/certs/index.ts";
import type { CaFolder } from "./caFiles.ts";
import { publishOrder } from "./caTree.ts";
import type { CertificateLog } from "./certificateLog.ts";
import { type IssuancePolicy, issueOrder } from "./issueOrder.ts";

/** Default coverage one order's fee buys: 90 days of certificates for that name and key. */
export const DEFAULT_COVERAGE_DAYS = 90;

/** A certificate's renewal window: renew at or after `start`, before `end`. */
export type RenewalWindow = { start: Date; end: Date };

/**
 * The renewal window of a certificate: the middle of its life, from 1/2 to 2/3 of the way from
 * `notBefore` to `notAfter` (for 160 hours: from hour 80 to hour 107), so that a client that
 * checks daily renews with more than two days to spare.
 */
export function renewalWindow(
  certificate: Pick<x509.X509Certificate, "notBefore" | "notAfter">,
): RenewalWindow {
  const from = certificate.notBefore.getTime();
  const lifetime = certificate.notAfter.getTime() - from;
  return { start: new Date(from + lifetime / 2), end: new Date(from + (lifetime * 2) / 3) };
}

/**
 * ACME ARI's certificate identifier (RFC 9773 §4.1): base64url(AKI keyIdentifier) "."
 * base64url(serial number DER content), both without padding.
 */
export function renewalCertificateId(certificate: x509.X509Certificate): string {
  const aki = certificate.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId;
  if (!aki) throw new Error("the certificate has no Authority Key Identifier");
  const serial = Buffer.from(certificate.serialNumber, "hex");
  return `${Buffer.from(aki, "hex").toString("base64url")}.${serial.toString("base64url")}`;
}

/** What the renewer needs. */
export type RenewerOptions = {
  folder: CaFolder;
  databasePath: string;
  publicClient: Pick<PublicClient, "readContract" | "getBlock">;
  resolver: Address;
  ipfs: IpfsWriter;
  ipfsTarget: string;
  chainId: () => Promise<number>;
  caEpoch: () => Promise<bigint>;
  coverageDays?: number | undefined;
  crlBaseUrl?: string | undefined;
  endEntityHours?: number | undefined;
  /** The transparency log: each renewed certificate is appended before it is published. */
  certificateLog?: CertificateLog | undefined;
  log?: (line: string) => void;
};

/** The renewer: `renewDue()` once per tick; `coverageEnd()` for issuance. */
export function createRenewer(options: RenewerOptions) {
  const log = options.log ?? (() => {});
  const db = new DatabaseSync(options.databasePath);
  const coverageMs = (options.coverageDays ?? DEFAULT_COVERAGE_DAYS) * 86_400_000;
  const blockTimes = new Map<bigint, Date>();

  /** The end of the coverage an order paid for: its block's time plus the coverage period. */
  const coverageEnd = async (blockNumber: bigint): Promise<Date> => {
    let time = blockTimes.get(blockNumber);
    if (!time) {
      const block = await options.publicClient.getBlock({ blockNumber });
      time = new Date(Number(block.timestamp) * 1000);
      blockTimes.set(blockNumber, time);
    }
    return new Date(time.getTime() + coverageMs);
  };

  type Row = Record<string, string | number | null>;

  return {
    coverageEnd,
    /** Renews every live end-entity whose renewal window has started; returns how many. */
    async renewDue(now = new Date()): Promise<number> {
      const rows = db
        .prepare(
          `SELECT o.order_id, o.requester, o.name, o.csr, o.chain_pem, o.block_number FROM orders o
           WHERE o.kind = 1 AND o.state IN ('published', 'fulfilled') AND o.chain_pem IS NOT NULL`,
        )
        .all() as Row[];
      let renewed = 0;
      for (const row of rows) {
        const chain = parsePemChain(row.chain_pem as string);
        const [leaf, intermediate] = chain;
        if (!leaf || !intermediate) continue;
        if (isRevoked(db, leaf.serialNumber)) continue;
        if (now < renewalWindow(leaf).start || now >= leaf.notAfter) continue;
        const end = await coverageEnd(BigInt(row.block_number as string));
        // Nothing left to cover beyond the current certificate: it simply runs out.
        if (end.getTime() <= leaf.notAfter.getTime()) continue;
        const name = row.name as string;
        const requester = row.requester as Address;
        const context = await readNameContext(options.publicClient, options.resolver, name).catch(
          () => undefined,
        );
        // A changed owner is the revocation watcher's; the renewer only renews the unchanged.
        if (!context || !isAddressEqual(context.owner, requester)) continue;
        const info = await parseCertificateRequest(hexToBytes(row.csr as Hex));
        const domain = intermediate.subjectName.getField("CN")[0] ?? name;
        const policy: IssuancePolicy = {
          crlBaseUrl: options.crlBaseUrl,
          coverageEnd: end,
          endEntityHours: options.endEntityHours,
          now,
        };
        const issued = await issueOrder(
          { ok: true, name, kind: "endEntity", domain, info },
          {
            dir: options.folder.dir,
            root: options.folder.root,
            bridgeDomain: options.folder.identity.bridgeDomain,
          },
          policy,
        );
        const logIndex = await options.certificateLog?.issued({
          name,
          owner: requester,
          certificateDer: issued.der,
        });
        await publishOrder({
          caDir: options.folder.dir,
          identity: options.folder.identity,
          order: {
            kind: 1,
            name,
            chainPem: issued.chainPem,
            requester,
            logRecord:
              logIndex === undefined ? undefined : options.certificateLog?.recordValue(logIndex),
          },
          chainId: await options.chainId(),
          epoch: await options.caEpoch(),
          resolver: options.resolver,
          ipfs: options.ipfs,
          ipfsTarget: options.ipfsTarget,
        });
        // The order now holds the new certificate; `issued` keeps every serial it ever had.
        db.exec("BEGIN");
        try {
          db.prepare(
            "UPDATE orders SET chain_pem = ?, certificate_der = ?, certificate_hash = ? WHERE order_id = ?",
          ).run(issued.chainPem, issued.der, issued.hash, row.order_id as string);
          db.prepare(
            "INSERT INTO issued (serial, order_id, certificate_hash, issued_at) VALUES (?, ?, ?, ?)",
          ).run(issued.serial, row.order_id as string, issued.hash, Date.now());
          db.exec("COMMIT");
        } catch (error) {
          db.exec("ROLLBACK");
          throw error;
        }
        log(
          `order ${row.order_id}: renewed ${name} (serial ${issued.serial}, until ${issued.notAfter.toISOString()})`,
        );
        renewed++;
      }
      return renewed;
    },
    /**
     * The renewal window of the certificate an ARI id names: the current certificate of an order
     * gets its window; a certificate it replaced gets a window that has already started (renew
     * now); an unknown id gets undefined.
     */
    windowOf(certificateId: string, now = new Date()): RenewalWindow | undefined {
      const rows = db
        .prepare("SELECT order_id, chain_pem FROM orders WHERE chain_pem IS NOT NULL")
        .all() as Row[];
      for (const row of rows) {
        const [leaf] = parsePemChain(row.chain_pem as string);
        if (leaf && safeId(leaf) === certificateId) return renewalWindow(leaf);
      }
      const serial = Buffer.from(certificateId.split(".")[1] ?? "", "base64url").toString("hex");
      const replaced = db.prepare("SELECT 1 FROM issued WHERE serial = ?").get(serial);
      return replaced ? { start: new Date(now.getTime() - 60_000), end: now } : undefined;
    },
    close(): void {
      db.close();
    },
  };
}

export type Renewer = ReturnType<typeof createRenewer>;

function isRevoked(db: DatabaseSync, serial: string): boolean {
  try {
    return db.prepare("SELECT 1 FROM revocations WHERE serial = ?").get(serial) !== undefined;
  } catch {
    return false; // no revocations table yet
  }
}

function safeId(certificate: x509.X509Certificate): string | undefined {
  try {
    return renewalCertificateId(certificate);
  } catch {
    return undefined;
  }
}
