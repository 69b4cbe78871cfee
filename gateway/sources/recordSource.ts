import type { RecordhashTarget } from "../../lib/index.ts";

/** A file to read: the record tree (`recordhash` target) and the path inside it, without a leading slash. */
export type RecordLocation = { target: RecordhashTarget; path: string };

/** What a source answered: the file's bytes, or that the file does not exist in the tree. */
export type SourceAnswer = { status: "found"; body: Uint8Array } | { status: "missing" };

/** One place record files can be read from (an IPFS HTTP gateway, a Kubo node, the embedded store). */
export type RecordSource = {
  /** A short label for logs, `/health` and errors (e.g. `http:https://ipfs.io`). */
  readonly name: string;
  /** Reads a file; resolves `missing` when it does not exist, throws when the source failed. */
  read(location: RecordLocation, signal: AbortSignal): Promise<SourceAnswer>;
  /** Whether the source answers at all (for `/health`). */
  health(signal: AbortSignal): Promise<boolean>;
};

/** Largest record file a gateway accepts from a source (record files are small; this bounds memory). */
export const MAX_RECORD_FILE_BYTES = 256 * 1024;

/** Renders a target as the `/ipns/<name>` or `/ipfs/<cid>` root of an IPFS path. */
export function formatIpfsRoot(target: RecordhashTarget): string {
  return target.protocol === "ipns" ? `/ipns/${target.name}` : `/ipfs/${target.cid}`;
}
