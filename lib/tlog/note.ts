// C2SP signed notes with Ed25519 (signature type 0x01): a text ending in a newline, a blank
// line, then signature lines `— <key name> <base64(4-byte key ID || signature)>`. The key ID is
// the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key); a verifier key is written
// `<name>+<key ID as 8 hex digits>+<base64(0x01 || public key)>`, a signer key
// `PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || secret key)>`.
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import {
  TlogCheckpointSignatureError,
  TlogMalformedCheckpointError,
  TlogMalformedKeyError,
} from "./errors.ts";

/** The signature type byte of Ed25519 note signatures. */
const ED25519_TYPE = 0x01;
/** The em dash (U+2014) that starts a signature line. */
const SIGNATURE_PREFIX = "\u2014 ";
/** Signature lines a note may carry (the spec asks verifiers to accept at least 16). */
const MAX_SIGNATURES = 100;

/** A note verifier: a key name, its 4-byte key ID and an Ed25519 public key. */
export type NoteVerifier = { name: string; keyId: Uint8Array; publicKey: Uint8Array };
/** A note signer: a verifier plus the Ed25519 secret key. */
export type NoteSigner = NoteVerifier & { secretKey: Uint8Array };

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
/** Strict standard base64 (RFC 4648 §4) to bytes; undefined when it is not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text))
    return undefined;
  const binary = atob(text);
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}
export { toBase64 };

/** Whether text has an ASCII control character (below U+0020), newline allowed or not. */
function hasControlCharacter(text: string, newlineAllowed: boolean): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 && !(newlineAllowed && code === 0x0a)) return true;
  }
  return false;
}

/** A key name must be non-empty, without Unicode spaces or `+`. */
function checkKeyName(name: string): void {
  if (name === "" || /[\s+]/u.test(name) || hasControlCharacter(name, false))
    throw new TlogMalformedKeyError(`key name "${name}" is empty or has a space or a "+"`);
}

/** SHA-256(name || 0x0A || 0x01 || public key)[:4]. */
export function noteKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  const nameBytes = utf8ToBytes(name);
  const input = new Uint8Array(nameBytes.length + 2 + publicKey.length);
  input.set(nameBytes, 0);
  input[nameBytes.length] = 0x0a;
  input[nameBytes.length + 1] = ED25519_TYPE;
  input.set(publicKey, nameBytes.length + 2);
  return sha256(input).subarray(0, 4);
}

/** A new Ed25519 note key pair for `name`: the signer key string and the verifier key string. */
export function generateNoteKey(name: string, secretKey = ed25519.utils.randomSecretKey()) {
  checkKeyName(name);
  const publicKey = ed25519.getPublicKey(secretKey);
  const keyId = bytesToHex(noteKeyId(name, publicKey));
  return {
    signerKey: `PRIVATE+KEY+${name}+${keyId}+${toBase64(Uint8Array.of(ED25519_TYPE, ...secretKey))}`,
    verifierKey: `${name}+${keyId}+${toBase64(Uint8Array.of(ED25519_TYPE, ...publicKey))}`,
  };
}

/** `<name>+<hex key ID>+<base64 key>` -> name, key ID and the typed key bytes (ID checked by caller). */
function splitKey(
  text: string,
  what: string,
): { name: string; keyId: Uint8Array; key: Uint8Array } {
  // The base64 key may itself contain "+": split off the name and the key ID only.
  const trimmed = text.trim();
  const first = trimmed.indexOf("+");
  const second = trimmed.indexOf("+", first + 1);
  if (first < 0 || second < 0)
    throw new TlogMalformedKeyError(`a ${what} has three "+"-separated fields`);
  const name = trimmed.slice(0, first);
  const hexId = trimmed.slice(first + 1, second);
  const encoded = trimmed.slice(second + 1);
  checkKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(hexId))
    throw new TlogMalformedKeyError(`key ID "${hexId}" is not 8 lowercase hex digits`);
  const typed = fromBase64(encoded);
  if (typed === undefined || typed.length !== 33 || typed[0] !== ED25519_TYPE)
    throw new TlogMalformedKeyError("the key is not base64 of 0x01 and a 32-byte Ed25519 key");
  return { name, keyId: hexToBytes(hexId), key: typed.subarray(1) };
}

/** Parses a verifier key string; its key ID must be the one its name and key hash to. */
export function parseVerifierKey(text: string): NoteVerifier {
  const { name, keyId, key } = splitKey(text, "verifier key");
  if (bytesToHex(noteKeyId(name, key)) !== bytesToHex(keyId))
    throw new TlogMalformedKeyError("the key ID is not SHA-256(name, 0x0A, 0x01, key)[:4]");
  return { name, keyId, publicKey: key };
}

/** Parses a signer key string (`PRIVATE+KEY+...`). */
export function parseSignerKey(text: string): NoteSigner {
  const trimmed = text.trim();
  if (!trimmed.startsWith("PRIVATE+KEY+"))
    throw new TlogMalformedKeyError('a signer key starts with "PRIVATE+KEY+"');
  const { name, keyId, key } = splitKey(trimmed.slice("PRIVATE+KEY+".length), "signer key");
  const publicKey = ed25519.getPublicKey(key);
  if (bytesToHex(noteKeyId(name, publicKey)) !== bytesToHex(keyId))
    throw new TlogMalformedKeyError("the key ID does not match the secret key's public key");
  return { name, keyId, publicKey, secretKey: key };
}

/** The verifier key string of a signer. */
export function verifierKeyOf(signer: NoteVerifier): string {
  return `${signer.name}+${bytesToHex(signer.keyId)}+${toBase64(Uint8Array.of(ED25519_TYPE, ...signer.publicKey))}`;
}

/** Checks the characters every note must avoid: ASCII control characters other than newline. */
function checkNoteCharacters(note: string): void {
  if (hasControlCharacter(note, true))
    throw new TlogMalformedCheckpointError("the note has a control character");
}

/** Signs `text` (which must end in a newline): the whole signed note. */
export function signNote(text: string, signer: NoteSigner): string {
  checkNoteCharacters(text);
  if (!text.endsWith("\n") || text.endsWith("\n\n") || text.length < 2)
    throw new TlogMalformedCheckpointError("a note text ends in exactly one newline");
  const signature = ed25519.sign(utf8ToBytes(text), signer.secretKey);
  return `${text}\n${SIGNATURE_PREFIX}${signer.name} ${toBase64(Uint8Array.of(...signer.keyId, ...signature))}\n`;
}

/**
 * Opens a signed note with a trusted verifier: returns its text once a signature by that key
 * (same name and key ID) verifies. Signatures by other keys are ignored, as the spec requires;
 * a failing signature by the trusted key rejects the note.
 */
export function openNote(note: string, verifier: NoteVerifier): string {
  checkNoteCharacters(note);
  if (!note.endsWith("\n"))
    throw new TlogMalformedCheckpointError("the note does not end in a newline");
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new TlogMalformedCheckpointError("no blank line before the signatures");
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split("\n");
  if (lines.length === 0 || lines[0] === "")
    throw new TlogMalformedCheckpointError("the note has no signature lines");
  if (lines.length > MAX_SIGNATURES)
    throw new TlogMalformedCheckpointError(`more than ${MAX_SIGNATURES} signatures`);
  let verified = false;
  for (const line of lines) {
    const match = /^\u2014 (\S+) (\S+)$/u.exec(line);
    if (!match) throw new TlogMalformedCheckpointError(`"${line}" is not a signature line`);
    const signature = fromBase64(match[2] as string);
    if (signature === undefined || signature.length < 5)
      throw new TlogMalformedCheckpointError(
        `the signature of ${match[1]} is not base64 of a key ID and a signature`,
      );
    if (
      match[1] !== verifier.name ||
      bytesToHex(signature.subarray(0, 4)) !== bytesToHex(verifier.keyId)
    )
      continue;
    let valid = false;
    try {
      valid = ed25519.verify(signature.subarray(4), utf8ToBytes(text), verifier.publicKey);
    } catch {
      valid = false;
    }
    if (!valid)
      throw new TlogCheckpointSignatureError(`the signature by ${verifier.name} does not verify`);
    verified = true;
  }
  if (!verified)
    throw new TlogCheckpointSignatureError(
      `no signature by the trusted key ${verifier.name}+${bytesToHex(verifier.keyId)}`,
    );
  return text;
}
