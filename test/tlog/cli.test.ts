// `ensgate log verify` as a user runs it: a separate process against a log the CA's writer made,
// served by a real HTTP server on 127.0.0.1 (and read from its directory). Every lie of the log
// ends the run with exit 1 and one line naming it.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";
import { after, before, describe, it } from "node:test";
import { TransparencyLog } from "../../ca/transparencyLog.ts";
import { generateNoteKey } from "../../lib/tlog/index.ts";
import { assertOneLineError, assertUsageError, runCli, runCliJson } from "../cli/runCli.ts";
import { issueCertificates, issuedEntryBytes } from "./certificates.ts";

const ORIGIN = "ca.ensgate.test/log";
const key = generateNoteKey(ORIGIN);
const root = mkdtempSync(join(tmpdir(), "ensgate-tlog-cli-"));
const file = (name: string) => join(root, name);
const logDir = (variant: string) => join(root, "logs", variant);
let server: Server;
let base = "";
let certificates: Uint8Array[] = [];
const pem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")}\n-----END CERTIFICATE-----\n`;

/** Appends entries to the log in `dir` and publishes them. */
async function append(
  dir: string,
  entries: Uint8Array[],
  signerKey = key.signerKey,
): Promise<number[]> {
  const log = await TransparencyLog.open({ dir, signerKey, sequenceIntervalMs: 0 });
  const indexes = log.appendEntries(entries);
  await log.close();
  return indexes;
}

const flipByte = (path: string, at: number) => {
  const bytes = readFileSync(path);
  bytes[at] = (bytes[at] as number) ^ 1;
  writeFileSync(path, bytes);
};

before(async () => {
  certificates = await issueCertificates(5);
  for (const [index, der] of certificates.entries())
    writeFileSync(file(`cert${index}.pem`), pem(der));
  const good = logDir("good");
  // 300 filler entries then the certificates at 300-302: a full tile, a partial one, bundles.
  const filler = Array.from({ length: 300 }, (_, index) =>
    issuedEntryBytes(certificates[3] as Uint8Array, 1000 + index),
  );
  await append(good, filler.slice(0, 150));
  cpSync(join(good, "checkpoint"), file("old.checkpoint"));
  await append(good, [...filler.slice(150), ...certificates.slice(0, 3).map(issuedEntryBytes)]);
  // Variants of the good log, each with one lie.
  cpSync(good, logDir("tile"), { recursive: true });
  flipByte(join(logDir("tile"), "tile/0/000"), 100);
  cpSync(good, logDir("entry"), { recursive: true });
  // A byte of the last entry (302, certificate 2's).
  const bundle = join(logDir("entry"), "tile/entries/001.p/47");
  flipByte(bundle, readFileSync(bundle).length - 30);
  cpSync(good, logDir("checkpoint"), { recursive: true });
  const note = readFileSync(join(good, "checkpoint"), "utf8");
  writeFileSync(join(logDir("checkpoint"), "checkpoint"), note.replace("\n303\n", "\n304\n"));
  // A fork: the same key, the same first 150 entries, then other entries.
  const fork = logDir("fork");
  await append(fork, filler.slice(0, 150));
  await append(fork, filler.slice(0, 100));
  cpSync(join(fork, "checkpoint"), file("fork.checkpoint"));

  server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname));
    if (path.includes("..")) {
      response.writeHead(400).end();
      return;
    }
    try {
      const body = readFileSync(join(root, "logs", path));
      response.writeHead(200, { "content-type": "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

const verify = (variant: string, ...args: string[]) =>
  runCli(["log", "verify", `${base}/${variant}/`, "--key", key.verifierKey, ...args]);

describe("ensgate log verify", () => {
  it("finds a certificate in the log over HTTP and proves its inclusion", async () => {
    const run = await verify("good", "--certificate", file("cert1.pem"));
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^checkpoint: ca\.ensgate\.test\/log size 303 root \S+ \(signature verified\)$/m,
    );
    assert.match(
      run.stdout,
      /^included: entry 301, issued host1\.alice\.eth serial [0-9a-f]+ valid \S+ to \S+ owner 0x/m,
    );
  });

  it("--json: one object with the checkpoint, the inclusion and the consistency", async () => {
    const result = await runCliJson<{
      checkpoint: { size: number };
      inclusion: { index: number; proofLength: number };
      consistency: { fromSize: number; toSize: number; proofLength: number };
    }>([
      "log",
      "verify",
      `${base}/good`,
      "--key",
      key.verifierKey,
      "--certificate",
      file("cert2.pem"),
      "--index",
      "302",
      "--checkpoint",
      file("old.checkpoint"),
    ]);
    assert.equal(result.checkpoint.size, 303);
    assert.equal(result.inclusion.index, 302);
    assert.equal(result.inclusion.proofLength, 5);
    // PROOF(150, 303) of RFC 6962: 9 hashes (148-150, 150-152, 144-148, 152-160, 128-144,
    // 160-192, 192-256, 0-128, 256-303).
    assert.deepEqual(result.consistency, { fromSize: 150, toSize: 303, proofLength: 9 });
  });

  it("reads a log from a directory too, and saves the verified checkpoint", async () => {
    const saved = file("saved.checkpoint");
    const run = await runCli([
      "log",
      "verify",
      logDir("good"),
      "--key",
      key.verifierKey,
      "--index",
      "0",
      "--save-checkpoint",
      saved,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      readFileSync(saved, "utf8"),
      readFileSync(join(logDir("good"), "checkpoint"), "utf8"),
    );
    const again = await verify("good", "--checkpoint", saved);
    assert.match(again.stdout, /consistent: size 303 -> 303/);
  });

  it("a tampered tile: exit 1, one line naming the tile", async () => {
    assertOneLineError(
      await verify("tile", "--index", "5"),
      /Log tile tile\/0\/000 does not match the checkpoint/,
    );
  });

  it("a tampered entry: exit 1, one line naming the entry", async () => {
    assertOneLineError(
      await verify("entry", "--certificate", file("cert2.pem"), "--index", "302"),
      /Log entry 302 does not match the tree/,
    );
  });

  it("a tampered checkpoint: exit 1, the signature is rejected", async () => {
    assertOneLineError(
      await verify("checkpoint"),
      /Checkpoint signature rejected: the signature by ca\.ensgate\.test\/log does not verify/,
    );
  });

  it("another log's key: exit 1, no signature by the trusted key", async () => {
    const run = await runCli([
      "log",
      "verify",
      `${base}/good/`,
      "--key",
      generateNoteKey(ORIGIN).verifierKey,
    ]);
    assertOneLineError(run, /no signature by the trusted key/);
  });

  it("a certificate the log does not hold, or at another index: exit 1", async () => {
    assertOneLineError(
      await verify("good", "--certificate", file("cert4.pem")),
      /Certificate not in the log: no issued entry/,
    );
    assertOneLineError(
      await verify("good", "--certificate", file("cert0.pem"), "--index", "301"),
      /Certificate not in the log: entry 301 is the issued entry of certificate/,
    );
    assertOneLineError(
      await verify("good", "--index", "303"),
      /Log index 303 is not in a tree of size 303/,
    );
  });

  it("a checkpoint of a fork, or a newer one than the log serves: exit 1, inconsistent", async () => {
    assertOneLineError(
      await verify("good", "--checkpoint", file("fork.checkpoint")),
      /Log checkpoints are inconsistent: the proof does not lead to the old root/,
    );
    assertOneLineError(
      await verify("fork", "--checkpoint", join(logDir("good"), "checkpoint")),
      /Log checkpoints are inconsistent: .*rolled back/,
    );
  });

  it("bad input: a usage error without --key, a malformed key, an unreachable log", async () => {
    assertUsageError(
      await runCli(["log", "verify", `${base}/good/`]),
      /--key <verifier key> is required/,
    );
    assertUsageError(
      await runCli(["log", "verify", `${base}/good/`, "--key", key.verifierKey, "--index", "-1"]),
      /--index "-1" is not a log index/,
    );
    assertOneLineError(
      await runCli(["log", "verify", `${base}/good/`, "--key", "nope"]),
      /Malformed log key/,
    );
    assertOneLineError(
      await runCli(["log", "verify", "http://127.0.0.1:9/", "--key", key.verifierKey]),
      /Cannot fetch http:\/\/127\.0\.0\.1:9\/checkpoint/,
    );
    assertOneLineError(
      await verify("missing"),
      /Malformed checkpoint: the log serves no checkpoint/,
    );
  });
});
