// lib/errors/base.ts directly, not lib/index.ts: the browser-safe modules (publishEdits) import this.
import { EnsgateError } from "../lib/errors/base.ts";

/** Root of the IPFS layer's errors (store, path gateway, Kubo RPC, publishing). */
export class IpfsError extends EnsgateError {
  override name = "IpfsError";
}

/** A string that is not an IPNS name (`k51…` libp2p-key CID or peer ID) or a CID. */
export class InvalidContentRootError extends IpfsError {
  override name = "InvalidContentRootError";
  readonly input: string;
  constructor(input: string, expected: string, cause?: unknown) {
    super(`Invalid ${expected}: "${input}". Pass a ${expected} string.`, { cause });
    this.input = input;
  }
}

/** A path inside a UnixFS tree that is empty, absolute-escaping or contains `.`/`..` segments. */
export class InvalidIpfsPathError extends IpfsError {
  override name = "InvalidIpfsPathError";
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`Invalid IPFS path "${path}": ${reason}.`);
    this.path = path;
  }
}

/** An IPNS name with no usable record in the local store (never published here, or invalid). */
export class IpnsNotFoundError extends IpfsError {
  override name = "IpnsNotFoundError";
  readonly ipnsName: string;
  constructor(ipnsName: string, cause?: unknown) {
    super(`No IPNS record for ${ipnsName}. Publish it first (publishName) on this node.`, {
      cause,
    });
    this.ipnsName = ipnsName;
  }
}

/** An IPNS publish that could not sign or store its record. */
export class IpnsPublishError extends IpfsError {
  override name = "IpnsPublishError";
  constructor(reason: string, cause?: unknown) {
    super(`IPNS publish failed: ${reason}.`, { cause });
  }
}

/** A block or file that could not be read for a reason other than "it does not exist". */
export class IpfsReadError extends IpfsError {
  override name = "IpfsReadError";
  constructor(what: string, cause?: unknown) {
    super(`Cannot read ${what} from IPFS.`, {
      cause,
      details: cause instanceof Error ? cause.message : undefined,
    });
  }
}

/** Content whose blocks this node does not hold (it runs offline, so it cannot fetch them). */
export class IpfsBlockNotFoundError extends IpfsError {
  override name = "IpfsBlockNotFoundError";
  constructor(what: string, cause?: unknown) {
    super(`${what} is not on this IPFS node. Add or import it here first.`, { cause });
  }
}

/** A path that names a directory where a file was expected. */
export class IpfsNotAFileError extends IpfsError {
  override name = "IpfsNotAFileError";
  constructor(what: string) {
    super(`${what} is a directory, not a file.`);
  }
}

/** A UnixFS add or update that failed. */
export class IpfsWriteError extends IpfsError {
  override name = "IpfsWriteError";
  constructor(what: string, cause?: unknown) {
    super(`Cannot write ${what} to IPFS.`, {
      cause,
      details: cause instanceof Error ? cause.message : undefined,
    });
  }
}

/** A Kubo RPC call that failed or answered with an error; `status` is the HTTP status. */
export class KuboRpcError extends IpfsError {
  override name = "KuboRpcError";
  readonly status: number | undefined;
  constructor(call: string, reason: string, options: { status?: number; cause?: unknown } = {}) {
    super(
      `Kubo RPC ${call} failed: ${reason}. Check that the Kubo daemon is running and reachable.`,
      {
        cause: options.cause,
      },
    );
    this.status = options.status;
  }
}

/**
 * Kubo's error messages that mean "there is nothing at that path" (`cat`/`files` of a missing
 * link or file): the one test of it, used by the Kubo client here and the gateway's Kubo source.
 * A block that cannot be fetched ("not found" in the blockstore) is not a missing file: it is a
 * read failure, so it is not matched.
 */
const KUBO_FILE_MISSING = /no link named|file does not exist|no such file/i;

/** Whether a Kubo RPC error (or its message) says the file does not exist. */
export function isKuboFileMissing(error: unknown): boolean {
  const message =
    typeof error === "string"
      ? error
      : typeof (error as { message?: unknown } | null)?.message === "string"
        ? (error as { message: string }).message
        : "";
  return KUBO_FILE_MISSING.test(message);
}

/** A remote publish target (delegated routing, pinning service) refused or failed a request. */
export class RemotePublishError extends IpfsError {
  override name = "RemotePublishError";
  /** The HTTP status of the refusal; undefined when the service was unreachable. */
  readonly status: number | undefined;
  constructor(message: string, options: { cause?: unknown; status?: number } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

/**
 * A pinning service refused the CAR upload or the pin, or reported the pin `failed`; `reason` is
 * the service's own word (the Pinning Service API's `error.reason`, else the answer's body).
 */
export class PinRejectedError extends RemotePublishError {
  override name = "PinRejectedError";
  readonly reason: string;
  constructor(message: string, reason: string, options: { status?: number } = {}) {
    super(message, options);
    this.reason = reason;
  }
}

/** An IPNS record that fails verification for its name (signature, EOL, encoding, value). */
export class InvalidIpnsRecordError extends IpfsError {
  override name = "InvalidIpnsRecordError";
  readonly ipnsName: string;
  constructor(ipnsName: string, reason: string, cause?: unknown) {
    super(`The IPNS record of ${ipnsName} is not valid: ${reason}.`, { cause });
    this.ipnsName = ipnsName;
  }
}

/**
 * A publish that would not move a name forward: the routing service holds a record whose
 * sequence is at least the one just signed (someone published in between), or answered an older
 * record than one already seen (a rollback). Nothing was changed by this publish's record.
 */
export class IpnsSequenceConflictError extends IpfsError {
  override name = "IpnsSequenceConflictError";
  readonly ipnsName: string;
  readonly sequence: bigint;
  readonly heldSequence: bigint;
  constructor(ipnsName: string, sequence: bigint, heldSequence: bigint) {
    super(
      `IPNS sequence conflict for ${ipnsName}: the routing service holds sequence ${heldSequence}, not below the ${sequence} this publish signed. Another publish happened in between; read the name again and retry.`,
    );
    this.ipnsName = ipnsName;
    this.sequence = sequence;
    this.heldSequence = heldSequence;
  }
}

/** A block fetched from a gateway whose bytes do not hash to its CID (tampered or corrupt). */
export class BlockMismatchError extends IpfsError {
  override name = "BlockMismatchError";
  readonly cid: string;
  constructor(cid: string, source: string) {
    super(`Block ${cid} from ${source} does not match its CID (tampered or corrupt); refused.`);
    this.cid = cid;
  }
}

/** An edit list that cannot be applied: a bad path, a path given twice, a file where a directory is. */
export class InvalidEditError extends IpfsError {
  override name = "InvalidEditError";
  constructor(path: string, reason: string, cause?: unknown) {
    super(`Invalid edit of "${path}": ${reason}.`, { cause });
  }
}

/**
 * A routing service answered a name's record with a sequence below one this publisher has already
 * seen: it serves an old state (a rollback, or a replica behind). Editing that tree would drop
 * later changes, so nothing is published.
 */
export class IpnsRecordRollbackError extends IpfsError {
  override name = "IpnsRecordRollbackError";
  readonly ipnsName: string;
  readonly sequence: bigint;
  readonly seenSequence: bigint;
  constructor(ipnsName: string, sequence: bigint, seenSequence: bigint) {
    super(
      `The routing service answered sequence ${sequence} for ${ipnsName}, below the ${seenSequence} already seen (a rollback or a stale replica); nothing was published.`,
    );
    this.ipnsName = ipnsName;
    this.sequence = sequence;
    this.seenSequence = seenSequence;
  }
}
