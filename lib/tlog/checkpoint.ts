// C2SP tlog-checkpoint: the note text `<origin>\n<tree size>\n<base64 root hash>\n`, signed by
// the log's Ed25519 key whose name is the origin.
import { TlogMalformedCheckpointError } from "./errors.ts";
import { HASH_SIZE } from "./hashing.ts";
import {
  fromBase64,
  type NoteSigner,
  type NoteVerifier,
  openNote,
  signNote,
  toBase64,
} from "./note.ts";

/** A tree head: the log's origin, its size and the root hash at that size. */
export type Checkpoint = { origin: string; size: number; root: Uint8Array };

/** The checkpoint's note text. */
export function formatCheckpoint({ origin, size, root }: Checkpoint): string {
  if (origin === "" || origin.includes("\n"))
    throw new TlogMalformedCheckpointError("the origin is empty or has a newline");
  if (!Number.isSafeInteger(size) || size < 0)
    throw new TlogMalformedCheckpointError(`bad size ${size}`);
  if (root.length !== HASH_SIZE) throw new TlogMalformedCheckpointError("the root is not 32 bytes");
  return `${origin}\n${size}\n${toBase64(root)}\n`;
}

/** Parses a checkpoint's note text (extension lines are accepted and ignored). */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split("\n");
  if (lines.length < 4 || lines.at(-1) !== "")
    throw new TlogMalformedCheckpointError("the text has fewer than three lines");
  const [origin, sizeLine, rootLine] = lines as [string, string, string];
  if (origin === "") throw new TlogMalformedCheckpointError("the origin line is empty");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine)))
    throw new TlogMalformedCheckpointError(
      `tree size "${sizeLine}" is not a decimal without leading zeroes`,
    );
  const root = fromBase64(rootLine);
  if (root === undefined || root.length !== HASH_SIZE)
    throw new TlogMalformedCheckpointError("the root hash line is not base64 of 32 bytes");
  if (lines.slice(3, -1).some((line) => line === ""))
    throw new TlogMalformedCheckpointError("an extension line is empty");
  return { origin, size: Number(sizeLine), root };
}

/** The signed checkpoint (a signed note). The signer's name must be the origin. */
export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): string {
  if (signer.name !== checkpoint.origin)
    throw new TlogMalformedCheckpointError(
      `the key name ${signer.name} is not the origin ${checkpoint.origin}`,
    );
  return signNote(formatCheckpoint(checkpoint), signer);
}

/**
 * Verifies a signed checkpoint with the log's verifier key and parses it. The origin must be the
 * key's name: a checkpoint of another log signed by the same key is refused.
 */
export function openCheckpoint(note: string, verifier: NoteVerifier): Checkpoint {
  const checkpoint = parseCheckpoint(openNote(note, verifier));
  if (checkpoint.origin !== verifier.name)
    throw new TlogMalformedCheckpointError(
      `origin "${checkpoint.origin}" is not the log's name "${verifier.name}"`,
    );
  return checkpoint;
}
