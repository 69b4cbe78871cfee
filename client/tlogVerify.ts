// Auditing the CA's transparency log, trusting only the log's public key: the latest checkpoint's
// signature, a certificate's (or an index's) inclusion in the tree it commits to, and the
// consistency of an earlier checkpoint with it. Every tile and entry read is checked against
// the signed root; each failure is a specific lib/tlog error.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import {
  CHECKPOINT_PATH,
  type Checkpoint,
  decodeLogEntry,
  type LogEntry,
  type LogFileSource,
  leafHash,
  openCheckpoint,
  parseVerifierKey,
  TILE_WIDTH,
  TileReader,
  TlogCertificateNotLoggedError,
  TlogInconsistentError,
  TlogMalformedCheckpointError,
  toBase64,
  verifyConsistency,
  verifyInclusion,
} from "../lib/tlog/index.ts";

/** What to check. */
export type LogAudit = {
  source: LogFileSource;
  /** The log's verifier key (`<origin>+<key ID>+<base64 key>`). */
  verifierKey: string;
  /** A certificate (DER) whose issued entry must be in the log. */
  certificate?: Uint8Array;
  /** The entry's index (when omitted with a certificate, the log is searched for it). */
  index?: number;
  /** An earlier signed checkpoint the latest one must be consistent with. */
  oldCheckpoint?: string;
  /** The checkpoint anchored on-chain (LogAnchor), which the latest one must extend. */
  anchor?: { origin: string; size: number; root: Uint8Array };
};

/** What was verified. */
export type LogAuditResult = {
  checkpoint: { origin: string; size: number; root: string; note: string };
  inclusion?: { index: number; entry: LogEntry; proofLength: number };
  /** Revocations of the certificate found while searching the log for it. */
  revocations?: { index: number; reason: string; revokedAt: string }[];
  consistency?: { fromSize: number; toSize: number; proofLength: number };
  /** The latest checkpoint extends the anchored one. */
  anchor?: { fromSize: number; toSize: number; proofLength: number };
  /** The files read (tiles, entry bundles), not counting the checkpoint. */
  reads: string[];
};

/** Reads and verifies the log's latest checkpoint. */
export async function readLatestCheckpoint(source: LogFileSource, verifierKey: string) {
  const bytes = await source(CHECKPOINT_PATH);
  if (bytes === undefined) throw new TlogMalformedCheckpointError("the log serves no checkpoint");
  const note = new TextDecoder().decode(bytes);
  return { note, checkpoint: openCheckpoint(note, parseVerifierKey(verifierKey)) };
}

/** Runs the audit; throws the specific error of the first check that fails. */
export async function auditLog(audit: LogAudit): Promise<LogAuditResult> {
  const verifier = parseVerifierKey(audit.verifierKey);
  const { note, checkpoint } = await readLatestCheckpoint(audit.source, audit.verifierKey);
  const reader = new TileReader(audit.source, checkpoint);
  const result: LogAuditResult = {
    checkpoint: {
      origin: checkpoint.origin,
      size: checkpoint.size,
      root: toBase64(checkpoint.root),
      note,
    },
    reads: reader.reads,
  };
  if (audit.oldCheckpoint !== undefined) {
    const old = openCheckpoint(audit.oldCheckpoint, verifier);
    result.consistency = await checkConsistency(reader, old, checkpoint);
  }
  if (audit.anchor !== undefined) {
    const { origin, size, root } = audit.anchor;
    if (origin !== checkpoint.origin)
      throw new TlogInconsistentError(
        `the anchor is for log "${origin}", not "${checkpoint.origin}"`,
      );
    if (size > checkpoint.size)
      throw new TlogInconsistentError(
        `the log's latest checkpoint (size ${checkpoint.size}) is behind its on-chain anchor (size ${size}): the log rolled back or shows a fork`,
      );
    const proof = await reader.consistencyProof(size);
    try {
      verifyConsistency(size, checkpoint.size, root, checkpoint.root, proof);
    } catch (error) {
      throw new TlogInconsistentError(
        `the latest checkpoint does not extend the on-chain anchor (size ${size}): a fork`,
        {
          cause: error,
        },
      );
    }
    result.anchor = { fromSize: size, toSize: checkpoint.size, proofLength: proof.length };
  }
  if (audit.certificate !== undefined || audit.index !== undefined) {
    const found =
      audit.index === undefined
        ? await findCertificate(reader, audit.certificate as Uint8Array)
        : { index: audit.index, revocations: undefined };
    const bytes = await reader.entry(found.index);
    const entry = decodeLogEntry(bytes);
    if (audit.certificate !== undefined) {
      const wanted = bytesToHex(sha256(audit.certificate));
      if (entry.kind !== "issued" || entry.certificateSha256 !== wanted)
        throw new TlogCertificateNotLoggedError(
          `entry ${found.index} is the ${entry.kind} entry of certificate ${entry.certificateSha256.slice(0, 16)}… for ${entry.name}, not certificate ${wanted.slice(0, 16)}…`,
        );
    }
    const proof = await reader.inclusionProof(found.index);
    verifyInclusion(found.index, checkpoint.size, leafHash(bytes), proof, checkpoint.root);
    result.inclusion = { index: found.index, entry, proofLength: proof.length };
    if (found.revocations) result.revocations = found.revocations;
  }
  return result;
}

async function checkConsistency(reader: TileReader, old: Checkpoint, latest: Checkpoint) {
  if (old.size > latest.size)
    throw new TlogInconsistentError(
      `the latest checkpoint (size ${latest.size}) is older than the one given (size ${old.size}): the log rolled back`,
    );
  const proof = await reader.consistencyProof(old.size);
  verifyConsistency(old.size, latest.size, old.root, latest.root, proof);
  return { fromSize: old.size, toSize: latest.size, proofLength: proof.length };
}

/** Searches every entry bundle for the certificate's issued entry and its revocations. */
async function findCertificate(reader: TileReader, certificate: Uint8Array) {
  const wanted = bytesToHex(sha256(certificate));
  let index: number | undefined;
  const revocations: { index: number; reason: string; revokedAt: string }[] = [];
  const bundles = Math.ceil(reader.tree.size / TILE_WIDTH);
  for (let bundle = 0; bundle < bundles; bundle++) {
    const entries = await reader.bundle(bundle);
    for (const [offset, bytes] of entries.entries()) {
      const entry = decodeLogEntry(bytes);
      if (entry.certificateSha256 !== wanted) continue;
      if (entry.kind === "issued") index ??= bundle * TILE_WIDTH + offset;
      else
        revocations.push({
          index: bundle * TILE_WIDTH + offset,
          reason: entry.reason,
          revokedAt: entry.revokedAt,
        });
    }
  }
  if (index === undefined)
    throw new TlogCertificateNotLoggedError(
      `no issued entry for certificate ${wanted} among the log's ${reader.tree.size} entries`,
    );
  return { index, revocations };
}
