// The CA's log writer (ca/transparencyLog.ts) on a real directory: appends resolve with their
// indexes once the checkpoint is on disk, pending entries are sequenced within a second without
// publish(), a reopened log resumes from its files, a log whose files were changed is refused,
// and what it writes verifies through the reader.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { TransparencyLog } from "../../ca/transparencyLog.ts";
import { openLogSource } from "../../client/tlogSource.ts";
import { auditLog } from "../../client/tlogVerify.ts";
import {
  decodeLogEntry,
  generateNoteKey,
  openCheckpoint,
  parseVerifierKey,
  TileReader,
  TlogCheckpointSignatureError,
  TlogTileHashMismatchError,
} from "../../lib/tlog/index.ts";
import { issueCertificates, issuedEntryBytes } from "./certificates.ts";

const ORIGIN = "ca.ensgate.test/log";
const key = generateNoteKey(ORIGIN);
const dirs: string[] = [];
const tempLogDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "ensgate-tlog-"));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("the CA's transparency log writer", () => {
  it("creates a log with a signed checkpoint of the empty tree", async () => {
    const dir = tempLogDir();
    const log = await TransparencyLog.open({
      dir,
      signerKey: key.signerKey,
      sequenceIntervalMs: 0,
    });
    const checkpoint = openCheckpoint(
      readFileSync(join(dir, "checkpoint"), "utf8"),
      parseVerifierKey(key.verifierKey),
    );
    assert.equal(checkpoint.size, 0);
    assert.equal(checkpoint.origin, ORIGIN);
    await log.close();
  });

  it("appends real certificate entries, resolves their indexes after publishing, and they verify", async () => {
    const dir = tempLogDir();
    const certificates = await issueCertificates(3);
    const log = await TransparencyLog.open({
      dir,
      signerKey: key.signerKey,
      sequenceIntervalMs: 0,
    });
    const first = log.appendEntries([issuedEntryBytes(certificates[0] as Uint8Array, 0)]);
    const rest = log.appendEntries(
      certificates.slice(1).map((der, offset) => issuedEntryBytes(der, offset + 1)),
    );
    const published = await log.publish();
    assert.deepEqual(await first, [0]);
    assert.deepEqual(await rest, [1, 2]);
    assert.equal(published.size, 3);
    assert.equal(readFileSync(join(dir, "checkpoint"), "utf8"), log.checkpoint());
    for (const [index, certificate] of certificates.entries()) {
      const result = await auditLog({
        source: openLogSource(dir),
        verifierKey: key.verifierKey,
        certificate,
        index,
      });
      assert.equal(result.inclusion?.index, index);
      assert.equal(result.inclusion?.entry.name, `host${index}.alice.eth`);
    }
    await log.close();
  });

  it("sequences pending entries on its own timer, without publish()", async () => {
    const dir = tempLogDir();
    const log = await TransparencyLog.open({ dir, signerKey: key.signerKey });
    // No publish(): the sequencing timer alone must resolve the append (the test would hang).
    const indexes = await log.appendEntries([
      new TextEncoder().encode("a"),
      new TextEncoder().encode("b"),
    ]);
    assert.deepEqual(indexes, [0, 1]);
    assert.equal(
      openCheckpoint(
        readFileSync(join(dir, "checkpoint"), "utf8"),
        parseVerifierKey(key.verifierKey),
      ).size,
      2,
    );
    await log.close();
    await assert.rejects(log.appendEntries([new Uint8Array(1)]), /closed/);
  });

  it("resumes a reopened log from its files (across tile boundaries) and prunes filled partial tiles", async () => {
    const dir = tempLogDir();
    const entry = (index: number) => new TextEncoder().encode(`entry ${index}`);
    let next = 0;
    for (const batch of [100, 200, 300]) {
      const log = await TransparencyLog.open({
        dir,
        signerKey: key.signerKey,
        sequenceIntervalMs: 0,
      });
      const pending = log.appendEntries(Array.from({ length: batch }, () => entry(next++)));
      await log.close();
      assert.equal((await pending).at(-1), next - 1);
    }
    const checkpoint = openCheckpoint(
      readFileSync(join(dir, "checkpoint"), "utf8"),
      parseVerifierKey(key.verifierKey),
    );
    assert.equal(checkpoint.size, 600);
    // tile/0/000 and 001 are full: their partial versions are gone; 002's partial remains.
    assert.deepEqual(readdirSync(join(dir, "tile/0")).sort(), ["000", "001", "002.p"]);
    const reader = new TileReader(openLogSource(dir), checkpoint);
    for (const index of [0, 99, 100, 299, 300, 599])
      assert.deepEqual(await reader.entry(index), entry(index));
  });

  it("refuses to resume a log whose partial tile was changed (TlogTileHashMismatchError)", async () => {
    const dir = tempLogDir();
    const log = await TransparencyLog.open({
      dir,
      signerKey: key.signerKey,
      sequenceIntervalMs: 0,
    });
    const pending = log.appendEntries([
      new Uint8Array([1]),
      new Uint8Array([2]),
      new Uint8Array([3]),
    ]);
    await log.close();
    await pending;
    const path = join(dir, "tile/0/000.p/3");
    const bytes = readFileSync(path);
    bytes[0] = (bytes[0] as number) ^ 1;
    writeFileSync(path, bytes);
    await assert.rejects(
      TransparencyLog.open({ dir, signerKey: key.signerKey }),
      TlogTileHashMismatchError,
    );
  });

  it("refuses to resume a log whose checkpoint another key signed (TlogCheckpointSignatureError)", async () => {
    const dir = tempLogDir();
    const log = await TransparencyLog.open({
      dir,
      signerKey: key.signerKey,
      sequenceIntervalMs: 0,
    });
    await log.close();
    await assert.rejects(
      TransparencyLog.open({ dir, signerKey: generateNoteKey(ORIGIN).signerKey }),
      TlogCheckpointSignatureError,
    );
  });

  it("an entry too large for a bundle is refused before it is queued", async () => {
    const dir = tempLogDir();
    const log = await TransparencyLog.open({
      dir,
      signerKey: key.signerKey,
      sequenceIntervalMs: 0,
    });
    await assert.rejects(log.appendEntries([new Uint8Array(70_000)]), /at most 65535 bytes/);
    await log.close();
    assert.equal(log.size, 0);
  });

  it("decodes the issued entry of a real certificate: serial, validity, DER hash", async () => {
    const [certificate] = await issueCertificates(1);
    const entry = decodeLogEntry(issuedEntryBytes(certificate as Uint8Array, 0));
    assert.equal(entry.kind, "issued");
    if (entry.kind !== "issued") return;
    assert.match(entry.serialNumber, /^[0-9a-f]+$/);
    assert.ok(Date.parse(entry.notAfter) > Date.parse(entry.notBefore));
  });
});
