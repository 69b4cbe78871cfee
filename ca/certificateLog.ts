// The CA's side of the transparency log (docs/certificates.md §9): every certificate it issues
// (first issuance and each renewal) and every revocation is appended to the log in
// <caDir>/log, which the CA's HTTP endpoint serves under /log/. The index of a certificate's
// `issued` entry is kept by serial, so its records can carry it (`org.ensgate.ca.log`) and its
// revocation can point at it.
//
// Appends are at least once: a crash between an append and storing its index appends the entry
// again on restart. Both copies are valid entries of the same certificate; auditors see both.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { hexToBytes } from "viem";
import { writeFileAtomic } from "../client/files.ts";
import {
  decodeLogEntry,
  encodeLogEntry,
  generateNoteKey,
  type IssuedEntry,
  issuedEntry,
  type RevocationReason as LogRevocationReason,
  parseSignerKey,
  revokedEntry,
  verifierKeyOf,
} from "../lib/tlog/index.ts";
import type { CaIdentity } from "./caFiles.ts";
import type { StoredRevocation } from "./revocations.ts";
import { TransparencyLog } from "./transparencyLog.ts";

/** Text key of a certificate's log entry: `<index> <log origin>` (e.g. `7 ensgate/ca/0xAb…`). */
export const CERTIFICATE_LOG_TEXT_KEY = "org.ensgate.ca.log";

/** The log's files and keys in the CA folder. */
export const certificateLogPaths = (caDir: string) => ({
  dir: join(caDir, "log"),
  signerKey: join(caDir, "log.key"),
  verifierKey: join(caDir, "log.pub"),
});

/** The log origin of a CA: its key name and the first line of every checkpoint. */
export const certificateLogOrigin = (identity: CaIdentity) => `ensgate/ca/${identity.signer}`;

/**
 * The log's note keys: read from the CA folder, or created (signer 0600, verifier 0644) the first
 * time, by `ensgate ca init` or by the first `ca run` of an older CA folder.
 */
export async function loadOrCreateLogKeys(
  caDir: string,
  identity: CaIdentity,
): Promise<{ signerKey: string; verifierKey: string }> {
  const paths = certificateLogPaths(caDir);
  if (existsSync(paths.signerKey)) {
    const signerKey = (await readFile(paths.signerKey, "utf8")).trim();
    return { signerKey, verifierKey: verifierKeyOf(parseSignerKey(signerKey)) };
  }
  const keys = generateNoteKey(certificateLogOrigin(identity));
  await writeFileAtomic(paths.signerKey, `${keys.signerKey}\n`, 0o600);
  await writeFileAtomic(paths.verifierKey, `${keys.verifierKey}\n`, 0o644);
  return keys;
}

/** The CA's certificate log: the writer plus the index of each certificate's entry. */
export async function openCertificateLog(options: {
  caDir: string;
  identity: CaIdentity;
  databasePath: string;
  /** Sequencing interval (default 1000 ms, the log's own default). */
  sequenceIntervalMs?: number;
}) {
  const { signerKey, verifierKey } = await loadOrCreateLogKeys(options.caDir, options.identity);
  const log = await TransparencyLog.open({
    dir: certificateLogPaths(options.caDir).dir,
    signerKey,
    sequenceIntervalMs: options.sequenceIntervalMs,
  });
  const db = new DatabaseSync(options.databasePath);
  db.exec(`
    CREATE TABLE IF NOT EXISTS log_entries (
      serial TEXT NOT NULL,
      kind TEXT NOT NULL,
      log_index INTEGER NOT NULL,
      entry BLOB NOT NULL,
      PRIMARY KEY (serial, kind)
    );
  `);
  type Row = { log_index: number; entry: Uint8Array };
  const stored = (serial: string, kind: "issued" | "revoked") =>
    db
      .prepare("SELECT log_index, entry FROM log_entries WHERE serial = ? AND kind = ?")
      .get(serial.toLowerCase(), kind) as Row | undefined;
  const store = (serial: string, kind: string, index: number, entry: Uint8Array) =>
    db
      .prepare(
        "INSERT OR IGNORE INTO log_entries (serial, kind, log_index, entry) VALUES (?, ?, ?, ?)",
      )
      .run(serial.toLowerCase(), kind, index, entry);

  /**
   * Appends one entry and sequences at once: a certificate waits for its index before it is
   * published, so it should not wait for the next timer tick (entries appended meanwhile still
   * share the publication).
   */
  const appendNow = (bytes: Uint8Array) => {
    const indexes = log.appendEntries([bytes]);
    log.publish().catch(() => {});
    return indexes;
  };

  return {
    origin: log.origin,
    verifierKey,
    dir: log.dir,
    /** The `issued` entry's index of a certificate, appending it the first time. */
    async issued(parameters: {
      name: string;
      owner: string;
      certificateDer: string;
    }): Promise<number> {
      const entry = issuedEntry({
        name: parameters.name,
        owner: parameters.owner,
        certificate: hexToBytes(parameters.certificateDer as `0x${string}`),
      });
      const known = stored(entry.serialNumber, "issued");
      if (known) return Number(known.log_index);
      const bytes = encodeLogEntry(entry);
      const [index] = await appendNow(bytes);
      store(entry.serialNumber, "issued", index as number, bytes);
      return index as number;
    },
    /** Appends the `revoked` entry of a revocation (once per serial); undefined when its certificate is not in the log. */
    async revoked(revocation: StoredRevocation, owner: string): Promise<number | undefined> {
      const known = stored(revocation.serialNumber, "revoked");
      if (known) return Number(known.log_index);
      const issued = stored(revocation.serialNumber, "issued");
      if (!issued) return undefined;
      const entry = revokedEntry(decodeLogEntry(new Uint8Array(issued.entry)) as IssuedEntry, {
        certificateIndex: Number(issued.log_index),
        owner,
        reason: revocation.reason as LogRevocationReason,
        revokedAt: revocation.revokedAt,
      });
      const bytes = encodeLogEntry(entry);
      const [index] = await appendNow(bytes);
      store(revocation.serialNumber, "revoked", index as number, bytes);
      return index as number;
    },
    /** The `<index> <origin>` value of a certificate's `org.ensgate.ca.log` record. */
    recordValue(index: number): string {
      return `${index} ${log.origin}`;
    },
    checkpoint: () => log.checkpoint(),
    async close(): Promise<void> {
      await log.close();
      db.close();
    },
  };
}

export type CertificateLog = Awaited<ReturnType<typeof openCertificateLog>>;
