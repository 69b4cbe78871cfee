// The transparency log's errors: each names one specific problem, so `ensgate log verify` (and
// any auditor) can say exactly what is wrong with a log, a tile, an entry or a checkpoint.
import { EnsgateError } from "../errors/base.ts";

/** Root of the transparency log errors. */
export class TlogError extends EnsgateError {
  override name = "TlogError";
}

/** A checkpoint or signed note that does not follow the C2SP formats. */
export class TlogMalformedCheckpointError extends TlogError {
  override name = "TlogMalformedCheckpointError";
  constructor(reason: string) {
    super(`Malformed checkpoint: ${reason}.`, {
      details:
        "A checkpoint is a C2SP signed note: origin, tree size, base64 root hash, a blank line, signature lines.",
    });
  }
}

/** A note key string (verifier or signer key) that cannot be used. */
export class TlogMalformedKeyError extends TlogError {
  override name = "TlogMalformedKeyError";
  constructor(reason: string) {
    super(`Malformed log key: ${reason}.`, {
      details: "A verifier key reads <name>+<8 hex digits key ID>+<base64(0x01 || Ed25519 key)>.",
    });
  }
}

/** A checkpoint without a valid signature by the trusted log key. */
export class TlogCheckpointSignatureError extends TlogError {
  override name = "TlogCheckpointSignatureError";
  constructor(reason: string) {
    super(`Checkpoint signature rejected: ${reason}.`);
  }
}

/** A tile or entry bundle that is missing, has the wrong length or cannot be parsed. */
export class TlogMalformedTileError extends TlogError {
  override name = "TlogMalformedTileError";
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`Malformed log tile ${path}: ${reason}.`);
    this.path = path;
  }
}

/** A tile whose hashes do not hash up to the checkpoint's root (or to its parent tile). */
export class TlogTileHashMismatchError extends TlogError {
  override name = "TlogTileHashMismatchError";
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`Log tile ${path} does not match the checkpoint: ${reason}.`, {
      details:
        "The log served a tile that is not part of the tree its signed checkpoint commits to.",
    });
    this.path = path;
  }
}

/** An entry whose leaf hash is not the one the (verified) level-0 tile holds at its index. */
export class TlogEntryMismatchError extends TlogError {
  override name = "TlogEntryMismatchError";
  readonly index: number;
  constructor(index: number, reason: string) {
    super(`Log entry ${index} does not match the tree: ${reason}.`);
    this.index = index;
  }
}

/** An entry's bytes that are not a valid ensgate log entry. */
export class TlogMalformedEntryError extends TlogError {
  override name = "TlogMalformedEntryError";
  constructor(reason: string) {
    super(`Malformed log entry: ${reason}.`);
  }
}

/** An index at or beyond the tree size. */
export class TlogIndexOutOfRangeError extends TlogError {
  override name = "TlogIndexOutOfRangeError";
  constructor(index: number, size: number) {
    super(`Log index ${index} is not in a tree of size ${size}.`);
  }
}

/** An inclusion proof that does not lead to the checkpoint's root. */
export class TlogInclusionProofError extends TlogError {
  override name = "TlogInclusionProofError";
  constructor(reason: string) {
    super(`Inclusion proof failed: ${reason}.`);
  }
}

/** Two checkpoints that cannot both be views of one append-only log (a fork or a rollback). */
export class TlogInconsistentError extends TlogError {
  override name = "TlogInconsistentError";
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(`Log checkpoints are inconsistent: ${reason}.`, {
      details: "The log showed two histories: the later tree does not extend the earlier one.",
      cause: options.cause,
    });
  }
}

/** The log's entry at an index is not the certificate being checked, or no entry is. */
export class TlogCertificateNotLoggedError extends TlogError {
  override name = "TlogCertificateNotLoggedError";
  constructor(reason: string) {
    super(`Certificate not in the log: ${reason}.`);
  }
}
