import { EnsgateError } from "../lib/index.ts";

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
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}
