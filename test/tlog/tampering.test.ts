// A log that lies is caught, each lie by its own error: a changed full or partial tile, a
// truncated or missing tile, a changed entry, a changed or wrongly signed checkpoint, and a fork
// (two logs under one key that diverge).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  formatCheckpoint,
  generateNoteKey,
  openCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signCheckpoint,
  signNote,
  TileReader,
  TlogCheckpointSignatureError,
  TlogEntryMismatchError,
  TlogInconsistentError,
  TlogIndexOutOfRangeError,
  TlogMalformedCheckpointError,
  TlogMalformedTileError,
  TlogTileHashMismatchError,
  verifyConsistency,
} from "../../lib/tlog/index.ts";
import { MemoryLog, testEntry } from "./memoryLog.ts";

const ORIGIN = "ca.example/log";
const key = generateNoteKey(ORIGIN);
const signer = parseSignerKey(key.signerKey);
const verifier = parseVerifierKey(key.verifierKey);

// 70,000 would take long; 600 entries give two full level-0 tiles, a partial one and a level-1
// partial tile.
const SIZE = 600;
const log = new MemoryLog();
for (let start = 0; start < SIZE; start += 100)
  log.append(Array.from({ length: 100 }, (_, offset) => testEntry(start + offset)));
const root = log.roots[SIZE] as Uint8Array;
const tree = { size: SIZE, root };

/** A copy of a file with one byte flipped. */
function flipped(path: string, at = 5): Uint8Array {
  const bytes = log.files.get(path);
  assert.ok(bytes, `${path} exists`);
  const copy = Uint8Array.from(bytes);
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
}

describe("tampered tiles and entries", () => {
  it("the untouched log reads and proves", async () => {
    const reader = new TileReader(log.source(), tree);
    assert.deepEqual(await reader.entry(10), log.entries[10]);
    assert.deepEqual(await reader.entry(599), log.entries[599]);
    assert.equal((await reader.inclusionProof(10)).length, 10);
  });

  it("a changed full level-0 tile: TlogTileHashMismatchError naming it", async () => {
    const reader = new TileReader(log.source({ "tile/0/000": flipped("tile/0/000") }), tree);
    await assert.rejects(reader.inclusionProof(10), (error: unknown) => {
      assert.ok(error instanceof TlogTileHashMismatchError);
      assert.equal(error.path, "tile/0/000");
      return true;
    });
  });

  it("a changed partial tile: TlogTileHashMismatchError (the right edge does not hash to the root)", async () => {
    for (const path of ["tile/0/002.p/88", "tile/1/000.p/2"]) {
      const reader = new TileReader(log.source({ [path]: flipped(path) }), tree);
      await assert.rejects(reader.inclusionProof(599), TlogTileHashMismatchError, path);
      // Even a leaf in a full tile needs the edge: the full tile is checked against it.
      const again = new TileReader(log.source({ [path]: flipped(path) }), tree);
      await assert.rejects(again.entry(3), TlogTileHashMismatchError, path);
    }
  });

  it("a truncated or missing tile: TlogMalformedTileError", async () => {
    const truncated = (log.files.get("tile/0/001") as Uint8Array).subarray(0, 8160);
    await assert.rejects(
      new TileReader(log.source({ "tile/0/001": truncated }), tree).entry(300),
      /Malformed log tile tile\/0\/001: 8160 bytes, expected 8192/,
    );
    await assert.rejects(
      new TileReader(log.source({ "tile/0/001": undefined }), tree).entry(300),
      (error: unknown) =>
        error instanceof TlogMalformedTileError && /not found/.test(error.message),
    );
  });

  it("a changed entry (same length): TlogEntryMismatchError with its index", async () => {
    const path = "tile/entries/001";
    const bytes = log.files.get(path) as Uint8Array;
    // Bundle 1 starts with entry 256 (empty: 2 length bytes), then entry 257 (data from byte 4).
    assert.equal(log.entries[256]?.length, 0);
    const reader = new TileReader(log.source({ [path]: flipped(path, 5) }), tree);
    assert.ok(bytes[0] !== undefined);
    await assert.rejects(reader.entry(300), (error: unknown) => {
      assert.ok(error instanceof TlogEntryMismatchError, String(error));
      assert.equal(error.index, 257);
      return true;
    });
  });

  it("an entry bundle with an entry too many or too few: TlogMalformedTileError", async () => {
    const path = "tile/entries/002.p/88";
    const bytes = log.files.get(path) as Uint8Array;
    const extra = Uint8Array.of(...bytes, 0, 1, 0x41);
    await assert.rejects(
      new TileReader(log.source({ [path]: extra }), tree).entry(520),
      /89 entries, expected 88/,
    );
    await assert.rejects(
      new TileReader(log.source({ [path]: bytes.subarray(0, bytes.length - 1) }), tree).entry(520),
      /runs past the bundle's end/,
    );
  });

  it("an index beyond the tree: TlogIndexOutOfRangeError", async () => {
    const reader = new TileReader(log.source(), tree);
    await assert.rejects(reader.entry(SIZE), TlogIndexOutOfRangeError);
    assert.throws(() => reader.inclusionProof(SIZE), TlogIndexOutOfRangeError);
  });

  it("a partial tile deleted once its full tile exists is read from the full tile", async () => {
    const older = { size: 300, root: log.roots[300] as Uint8Array };
    // Size 300 published tile/0/001.p/44; a later size filled tile/0/001, so drop the partial.
    const reader = new TileReader(
      log.source({ "tile/0/001.p/44": undefined, "tile/entries/001.p/44": undefined }),
      older,
    );
    assert.deepEqual(await reader.entry(299), log.entries[299]);
    assert.ok(reader.reads.includes("tile/0/001"));
  });
});

describe("tampered checkpoints", () => {
  const note = signCheckpoint({ origin: ORIGIN, size: SIZE, root }, signer);

  it("the signed checkpoint opens with the log's key", () => {
    const checkpoint = openCheckpoint(note, verifier);
    assert.equal(checkpoint.size, SIZE);
    assert.deepEqual(checkpoint.root, root);
    assert.match(
      note,
      /^ca\.example\/log\n600\n[A-Za-z0-9+/]{43}=\n\n\u2014 ca\.example\/log [A-Za-z0-9+/]{91}=\n$/,
    );
  });

  it("a changed size or root: TlogCheckpointSignatureError", () => {
    assert.throws(
      () => openCheckpoint(note.replace("\n600\n", "\n601\n"), verifier),
      TlogCheckpointSignatureError,
    );
    const otherRoot = signCheckpoint(
      { origin: ORIGIN, size: SIZE, root: log.roots[100] as Uint8Array },
      signer,
    ).split("\n")[2];
    const lines = note.split("\n");
    lines[2] = otherRoot as string;
    assert.throws(() => openCheckpoint(lines.join("\n"), verifier), /does not verify/);
  });

  it("signed by another key (even one of the same name): TlogCheckpointSignatureError", () => {
    const impostor = parseSignerKey(generateNoteKey(ORIGIN).signerKey);
    const forged = signCheckpoint({ origin: ORIGIN, size: SIZE, root }, impostor);
    assert.throws(() => openCheckpoint(forged, verifier), /no signature by the trusted key/);
  });

  it("a signature line with the right key ID and a bad signature rejects the note", () => {
    const lines = note.split("\n");
    const signature = (lines[4] as string).split(" ")[2] as string;
    const bytes = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0));
    bytes[10] = (bytes[10] as number) ^ 1;
    lines[4] = `\u2014 ${ORIGIN} ${btoa(String.fromCharCode(...bytes))}`;
    assert.throws(() => openCheckpoint(lines.join("\n"), verifier), TlogCheckpointSignatureError);
  });

  it("a checkpoint of another origin signed by the key: TlogMalformedCheckpointError", () => {
    const otherOrigin = signNote(
      formatCheckpoint({ origin: "other.example/log", size: 1, root }),
      signer,
    );
    assert.throws(
      () => openCheckpoint(otherOrigin, verifier),
      /origin "other.example\/log" is not the log's name/,
    );
    assert.throws(
      () => signCheckpoint({ origin: "other.example/log", size: 1, root }, signer),
      TlogMalformedCheckpointError,
    );
  });

  it("malformed notes: TlogMalformedCheckpointError", () => {
    for (const bad of [
      note.replace("\n\n", "\n"), // no blank line
      note.slice(0, -1), // no final newline
      note.replace("\u2014", "-"), // not an em dash
      note.replace("\n600\n", "\n\u0007600\n"), // control character
      `${note.split("\n\n")[0]}\n\n`, // no signature line
    ])
      assert.throws(
        () => openCheckpoint(bad, verifier),
        TlogMalformedCheckpointError,
        JSON.stringify(bad),
      );
  });

  it("ignores signatures by unknown keys next to the log's", () => {
    const witness = parseSignerKey(generateNoteKey("witness.example").signerKey);
    const cosigned = `${note}${signCheckpoint({ origin: "witness.example", size: SIZE, root }, witness).split("\n").at(-2)}\n`;
    assert.equal(openCheckpoint(cosigned, verifier).size, SIZE);
  });
});

describe("a forked log", () => {
  it("two logs under one key that diverge fail the consistency check: TlogInconsistentError", async () => {
    // The fork shares the first 300 entries, then logs different ones.
    const fork = new MemoryLog();
    fork.append(log.entries.slice(0, 300));
    fork.append(Array.from({ length: 300 }, (_, index) => testEntry(10_000 + index)));
    const forkRoot = fork.roots[SIZE] as Uint8Array;
    // Consistent with the common prefix...
    const forkReader = new TileReader(fork.source(), { size: SIZE, root: forkRoot });
    verifyConsistency(
      300,
      SIZE,
      log.roots[300] as Uint8Array,
      forkRoot,
      await forkReader.consistencyProof(300),
    );
    // ...but not with the honest log's size 400 (nor the other way round).
    assert.throws(
      () => verifyConsistency(400, SIZE, log.roots[400] as Uint8Array, forkRoot, []),
      TlogInconsistentError,
    );
    const proof = await forkReader.consistencyProof(400);
    assert.throws(
      () => verifyConsistency(400, SIZE, log.roots[400] as Uint8Array, forkRoot, proof),
      TlogInconsistentError,
    );
    // And two checkpoints of the same size with different roots.
    assert.throws(() => verifyConsistency(SIZE, SIZE, root, forkRoot, []), /two different roots/);
  });
});
