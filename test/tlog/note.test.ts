// C2SP signed notes: interoperability with the Go reference implementation's published key and
// note (golang.org/x/mod/sumdb/note), key strings, and the log entry format.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bytesToHex } from "@noble/hashes/utils.js";
import {
  decodeLogEntry,
  encodeLogEntry,
  generateNoteKey,
  noteKeyId,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  TlogMalformedEntryError,
  TlogMalformedKeyError,
  verifierKeyOf,
} from "../../lib/tlog/index.ts";

// The example key pair and signed note published with the Go implementation.
const VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const NOTE = `${TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

describe("signed notes (Go reference vectors)", () => {
  it("signs the reference note byte for byte (Ed25519 is deterministic)", () => {
    assert.equal(signNote(TEXT, parseSignerKey(SIGNER)), NOTE);
  });

  it("opens the reference note with the reference verifier key", () => {
    assert.equal(openNote(NOTE, parseVerifierKey(VERIFIER)), TEXT);
  });

  it("derives the key ID and the verifier key string", () => {
    const signer = parseSignerKey(SIGNER);
    assert.equal(bytesToHex(noteKeyId("PeterNeumann", signer.publicKey)), "c74f20a3");
    assert.equal(verifierKeyOf(signer), VERIFIER);
  });

  it("refuses mangled key strings: TlogMalformedKeyError", () => {
    for (const bad of [
      "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // wrong key ID
      "PeterNeumann+c74f20a3+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // wrong type byte
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10", // short key
      "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // space in name
      "PeterNeumann+c74f20a3",
      "",
    ])
      assert.throws(() => parseVerifierKey(bad), TlogMalformedKeyError, bad);
    assert.throws(() => parseSignerKey(VERIFIER), TlogMalformedKeyError);
    assert.throws(
      () => parseSignerKey(SIGNER.replace("c74f20a3", "c74f20a4")),
      TlogMalformedKeyError,
    );
  });

  it("generated keys sign notes their verifier opens", () => {
    const { signerKey, verifierKey } = generateNoteKey("ca.example/log");
    const note = signNote("hello\n", parseSignerKey(signerKey));
    assert.equal(openNote(note, parseVerifierKey(verifierKey)), "hello\n");
  });
});

describe("log entries", () => {
  const revoked = {
    version: 1 as const,
    kind: "revoked" as const,
    name: "www.alice.eth",
    owner: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    serialNumber: "1f2e",
    certificateSha256: "a".repeat(64),
    certificateIndex: 7,
    reason: "nameOwnerChanged" as const,
    revokedAt: "2026-11-29T02:00:00.000Z",
  };

  it("encode with a fixed key order and decode back", () => {
    const bytes = encodeLogEntry({ ...revoked });
    assert.equal(new TextDecoder().decode(bytes).slice(0, 30), '{"version":1,"kind":"revoked",');
    assert.deepEqual(decodeLogEntry(bytes), revoked);
  });

  it("refuse bad entries: TlogMalformedEntryError", () => {
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    for (const bad of [
      { ...revoked, version: 2 },
      { ...revoked, kind: "renewed" },
      { ...revoked, reason: "bored" },
      { ...revoked, certificateIndex: -1 },
      { ...revoked, owner: "alice" },
      { ...revoked, extra: 1 },
      { ...revoked, certificateSha256: "A".repeat(64) },
    ])
      assert.throws(
        () => decodeLogEntry(encode(bad)),
        TlogMalformedEntryError,
        JSON.stringify(bad),
      );
    assert.throws(() => decodeLogEntry(Uint8Array.of(0xff, 0xfe)), /not UTF-8 JSON/);
  });
});
