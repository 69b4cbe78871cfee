// Certificates that follow the name, end to end on the local stack with the CA service (in this
// process) and its HTTP endpoint: an order becomes a short-lived certificate bound to its owner;
// the CA renews it inside its renewal window without a new payment while a TLS server keeps
// handshaking and `ensgate cert renew` swaps the file; a transfer stops the certificate records
// at once (CertificateOwnerChanged), and the CA revokes the certificate in its CRL, which
// `openssl verify -crl_check` then refuses; the new owner's own TLSA records resolve.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import https from "node:https";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import tls from "node:tls";
import { fileURLToPath } from "node:url";
import dnsPacket from "dns-packet";
import type { JsonRpcProvider } from "ethers";
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeFunctionResult,
  type Hex,
  type LocalAccount,
  parseAbi,
} from "viem";
import type { CaFolder } from "../../ca/caFiles.ts";
import { startCaHttp } from "../../ca/caHttp.ts";
import type { CaService } from "../../ca/caService.ts";
import {
  CERTIFICATE_LOG_TEXT_KEY,
  type CertificateLog,
  openCertificateLog,
} from "../../ca/certificateLog.ts";
import type { OrderStore } from "../../ca/orderStore.ts";
import { buildCertificateRequest } from "../../client/certificateRequest.ts";
import { ORDER_STATUS } from "../../client/orderContract.ts";
import { openLogSource } from "../../client/tlogSource.ts";
import { auditLog } from "../../client/tlogVerify.ts";
import {
  CERTIFICATE_CHAIN_TEXT_KEY,
  computeTlsaSpkiSha256,
  exportPrivateKeyPem,
  generateCertificateKeyPair,
  ownerTlsaRecordRequest,
  parsePemChain,
  x509,
} from "../../lib/certs/index.ts";
import {
  buildAnswer,
  dnsEncodeName,
  encodeRecordCall,
  encodeRecordValue,
  namehash,
  type RecordRequest,
} from "../../lib/index.ts";
import {
  placeOrder,
  runCaInProcess,
  startCaStack,
  waitForSettlement,
} from "../../scripts/stack/caStack.ts";
import { registerName } from "../../scripts/stack/ensFixtures.ts";
import type { LocalStack } from "../../scripts/stack/localStack.ts";
import { publishTree, registerWithResolver, writeResolver } from "../../scripts/stack/names.ts";
import { BRIDGE, openssl, tempDir } from "../certs/helpers.ts";
import { createEthersProvider, ethersAnswer, viemAnswer } from "./clients.ts";

const readText = (path: string) => readFileSync(path, "utf8");
const CLI = fileURLToPath(new URL("../../cli/ensgate.ts", import.meta.url));
const TEXT = parseAbi(["function text(bytes32,string) view returns (string)"]);
/** 180 s certificates: the CA renews from the 90th second (notBefore is 60 s in the past). */
const CERTIFICATE_HOURS = 0.05;

async function freePort(): Promise<number> {
  const server = createNetServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

/** The chain text of `name` through viem and the UniversalResolver. */
async function publishedChain(stack: LocalStack, name: string): Promise<x509.X509Certificate[]> {
  const answer = await viemAnswer(stack, name, { type: "text", key: CERTIFICATE_CHAIN_TEXT_KEY });
  return parsePemChain(decodeFunctionResult({ abi: TEXT, functionName: "text", data: answer }));
}

/** The custom error the resolver reverted with (through viem's CCIP-Read), or undefined. */
async function resolverError(stack: LocalStack, name: string, request: RecordRequest) {
  try {
    await stack.publicClient.readContract({
      address: stack.resolver.address,
      abi: stack.resolver.abi,
      functionName: "resolve",
      args: [dnsEncodeName(name), encodeRecordCall(namehash(name), request)],
    });
    return undefined;
  } catch (error) {
    const revert =
      error instanceof BaseError
        ? error.walk((cause) => cause instanceof ContractFunctionRevertedError)
        : undefined;
    return revert instanceof ContractFunctionRevertedError ? revert.data : undefined;
  }
}

describe("end to end: certificates follow the name (renewal, transfer, CRL, owner TLSA)", () => {
  let stack: LocalStack;
  let folder: CaFolder;
  let dataDir: string;
  let ca: { service: CaService; store: OrderStore };
  let endpoint: Awaited<ReturnType<typeof startCaHttp>>;
  let certificateLog: CertificateLog;
  let alice: LocalAccount;
  let bob: LocalAccount;
  let provider: JsonRpcProvider;
  const dir = tempDir();
  const serverDir = mkdtempSync(join(tmpdir(), "ensgate-lifecycle-"));
  const name = "www.alice.eth";
  let keys: CryptoKeyPair;
  let crlUrl = "";
  let firstSerial = "";

  before(async () => {
    ({ stack, folder, dataDir } = await startCaStack());
    alice = stack.accounts[1] as LocalAccount;
    bob = stack.accounts[2] as LocalAccount;
    await registerWithResolver(stack, "alice.eth", alice.address);
    const port = await freePort();
    certificateLog = await openCertificateLog({
      caDir: folder.dir,
      identity: folder.identity,
      databasePath: join(folder.dir, "orders.sqlite"),
    });
    ca = runCaInProcess(stack, folder, undefined, {
      crlBaseUrl: `http://127.0.0.1:${port}/crl`,
      endEntityHours: CERTIFICATE_HOURS,
      certificateLog,
    });
    endpoint = await startCaHttp(
      {
        folder,
        revocations: ca.service.revocations,
        watcher: ca.service.watcher,
        renewer: ca.service.renewer,
        publicClient: stack.publicClient,
        resolver: stack.resolver.address,
        chainId: stack.chain.id,
        logDir: certificateLog.dir,
      },
      { port },
    );
    provider = createEthersProvider(stack);
    keys = await generateCertificateKeyPair("P-256");
  });

  after(async () => {
    provider?.destroy();
    await endpoint?.close();
    await ca?.service.stop();
    await certificateLog?.close();
    ca?.store.close();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    rmSync(serverDir, { recursive: true, force: true });
    dir.cleanup();
  });

  it("an order becomes a short-lived certificate that names its CRL, bound to the owner", async () => {
    const csr = await buildCertificateRequest(keys, { name, bridgeDomain: BRIDGE });
    const orderId = await placeOrder(stack, alice, { name, csr });
    const settled = await waitForSettlement(stack, orderId);
    assert.equal(settled.status, ORDER_STATUS.Fulfilled, settled.reason);
    const chain = await publishedChain(stack, name);
    const [leaf] = chain;
    assert.ok(leaf);
    firstSerial = leaf.serialNumber;
    const lifetimeMs = leaf.notAfter.getTime() - leaf.notBefore.getTime();
    assert.equal(lifetimeMs, CERTIFICATE_HOURS * 3_600_000 - 1000);
    const points = leaf.getExtension(x509.CRLDistributionPointsExtension);
    crlUrl = `${endpoint.url}/crl/alice.eth.crl`;
    assert.deepEqual(
      [...(points?.distributionPoints ?? [])].map(
        (p) => p.distributionPoint?.fullName?.[0]?.uniformResourceIdentifier,
      ),
      [crlUrl],
    );
    // The records carry the certificate's log index, and the public log proves its inclusion.
    const logRecord = decodeFunctionResult({
      abi: TEXT,
      functionName: "text",
      data: await viemAnswer(stack, name, { type: "text", key: CERTIFICATE_LOG_TEXT_KEY }),
    });
    const [index, origin] = logRecord.split(" ");
    assert.equal(origin, certificateLog.origin);
    const audit = await auditLog({
      source: openLogSource(`${endpoint.url}/log`),
      verifierKey: certificateLog.verifierKey,
      certificate: new Uint8Array(leaf.rawData),
      index: Number(index),
    });
    assert.equal(audit.inclusion?.entry.kind, "issued");
    assert.equal(audit.inclusion?.entry.name, name);
    // The DNS bridge serves the CA's pin as a TLSA record of _443._tcp (DNS over HTTPS).
    const bridged = `_443._tcp.www.alice.${stack.dnsZone}`;
    const query = Buffer.from(
      dnsPacket.encode({ type: "query", id: 1, questions: [{ type: "TLSA", name: bridged }] }),
    ).toString("base64url");
    const doh = await fetch(`${stack.dnsQueryUrl}?dns=${query}`, {
      headers: { accept: "application/dns-message" },
    });
    assert.equal(doh.status, 200);
    const message = dnsPacket.decode(Buffer.from(await doh.arrayBuffer()));
    const tlsa = (message.answers ?? []).map(
      (answer) =>
        (answer as { data: unknown }).data as {
          usage: number;
          selector: number;
          certificate: Uint8Array;
        },
    );
    assert.deepEqual(
      tlsa.map(
        (record) =>
          `${record.usage} ${record.selector} ${Buffer.from(record.certificate).toString("hex")}`,
      ),
      [`3 1 ${computeTlsaSpkiSha256(leaf)}`],
    );
    // ethers sees the same chain record.
    const request: RecordRequest = { type: "text", key: CERTIFICATE_CHAIN_TEXT_KEY };
    assert.equal(
      await ethersAnswer(provider, name, request),
      await viemAnswer(stack, name, request),
    );
    // The server's files, as `ensgate cert request` writes them.
    writeFileSync(join(serverDir, `${name}.key.pem`), await exportPrivateKeyPem(keys.privateKey), {
      mode: 0o600,
    });
    writeFileSync(
      join(serverDir, `${name}.crt.pem`),
      `${chain
        .slice(0, -1)
        .map((c) => c.toString("pem"))
        .join("\n")}\n`,
    );
    writeFileSync(dir.path("root.pem"), chain.at(-1)?.toString("pem") ?? "");
    writeFileSync(dir.path("intermediate.pem"), chain[1]?.toString("pem") ?? "");
  });

  it("renewal: the CA renews inside the window without a new payment; cert renew --watch swaps the file while a TLS server keeps handshaking", async () => {
    const keyPem = readText(join(serverDir, `${name}.key.pem`));
    const chainPath = join(serverDir, `${name}.crt.pem`);
    const server = https.createServer({ key: keyPem, cert: readText(chainPath) }, (_q, s) =>
      s.end("ok"),
    );
    // Watch the folder: the file is replaced by a rename, which ends a watch on the file itself.
    const watcher = watch(serverDir, (_event, file) => {
      if (file !== `${name}.crt.pem`) return;
      try {
        server.setSecureContext({ key: keyPem, cert: readText(chainPath) });
      } catch {
        // a half-written file never happens (atomic rename), but keep the old context if so
      }
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    const root = readText(dir.path("root.pem"));
    const seen = new Set<string>();
    let failures = 0;
    let handshakes = 0;
    let running = true;
    const loop = (async () => {
      while (running) {
        await new Promise<void>((resolve) => {
          const socket = tls.connect(
            { host: "127.0.0.1", port, servername: name, ca: root },
            () => {
              handshakes++;
              seen.add(socket.getPeerX509Certificate()?.serialNumber.toLowerCase() ?? "");
              socket.end();
              resolve();
            },
          );
          socket.on("error", () => {
            failures++;
            resolve();
          });
        });
        await new Promise((wait) => setTimeout(wait, 200));
      }
    })();
    const ordersBefore = await stack.publicClient.readContract({
      address: stack.certificateOrders as Hex,
      abi: parseAbi(["function nextOrderId() view returns (uint256)"]),
      functionName: "nextOrderId",
    });
    // `ensgate cert renew --watch` runs next to the server, checking every 2 seconds.
    const watcherProcess = spawn(
      process.execPath,
      [
        CLI,
        "--json",
        "--rpc",
        stack.rpcUrl,
        "--resolver",
        stack.resolver.address,
        "--registry",
        stack.ens.registry.address,
        "cert",
        "renew",
        name,
        "--out",
        serverDir,
        "--watch",
        "--interval",
        "2",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let watchOutput = "";
    watcherProcess.stdout?.on("data", (chunk) => (watchOutput += chunk));
    try {
      // The CA renews by itself once the window opens (90 s after notBefore).
      let renewed = "";
      const deadline = Date.now() + 150_000;
      while (Date.now() < deadline) {
        const [leaf] = await publishedChain(stack, name);
        if (leaf && leaf.serialNumber !== firstSerial) {
          renewed = leaf.serialNumber;
          break;
        }
        await new Promise((wait) => setTimeout(wait, 1000));
      }
      assert.ok(renewed, "the CA renewed the certificate within its window");
      // The watcher replaces the chain file; the server picks it up for new handshakes.
      const until = Date.now() + 60_000;
      while (!seen.has(renewed.toLowerCase()) && Date.now() < until)
        await new Promise((wait) => setTimeout(wait, 200));
      assert.ok(seen.has(renewed.toLowerCase()), "new handshakes present the renewed certificate");
      assert.ok(seen.has(firstSerial.toLowerCase()));
      watcherProcess.kill("SIGINT");
      const [code] = await once(watcherProcess, "exit");
      assert.equal(code, 0);
      const checks = watchOutput
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { renewed: boolean; serialNumber: string });
      assert.ok(
        checks.some((check) => check.renewed && check.serialNumber === renewed),
        watchOutput,
      );
      assert.equal(checks[0]?.renewed, false, "the first check found the file up to date");
    } finally {
      if (watcherProcess.exitCode === null) watcherProcess.kill("SIGKILL");
      running = false;
      await loop;
      watcher.close();
      server.close();
    }
    assert.equal(failures, 0, `${failures} of ${handshakes + failures} handshakes failed`);
    const ordersAfter = await stack.publicClient.readContract({
      address: stack.certificateOrders as Hex,
      abi: parseAbi(["function nextOrderId() view returns (uint256)"]),
      functionName: "nextOrderId",
    });
    assert.equal(ordersAfter, ordersBefore, "no new order (no new payment) for the renewal");
  });

  it("a transfer stops the certificate records at once (CertificateOwnerChanged) and the CA revokes it in its CRL", async () => {
    const [leaf] = await publishedChain(stack, name);
    assert.ok(leaf);
    const good = await fetch(crlUrl);
    assert.equal(good.status, 200);
    assert.equal(good.headers.get("content-type"), "application/pkix-crl");
    dir.write("before.crl", new Uint8Array(await good.arrayBuffer()));
    writeFileSync(dir.path("leaf.pem"), leaf.toString("pem"));
    const verify = (crl: string) =>
      openssl([
        "verify",
        "-crl_check",
        "-no-CApath",
        "-no-CAstore",
        "-CAfile",
        dir.path("root.pem"),
        "-untrusted",
        dir.path("intermediate.pem"),
        "-CRLfile",
        dir.path(crl),
        dir.path("leaf.pem"),
      ]);
    assert.equal(verify("before.crl").status, 0, verify("before.crl").stdout);

    // alice.eth moves to bob (the eth owner reassigns it in the registry).
    const transferredAt = Date.now();
    await registerName(stack.ens.registry, "alice.eth", bob.address, {
      resolver: stack.resolver.address,
    });
    const error = await resolverError(stack, name, {
      type: "text",
      key: CERTIFICATE_CHAIN_TEXT_KEY,
    });
    assert.equal(error?.errorName, "CertificateOwnerChanged");
    assert.deepEqual(error?.args, [alice.address, bob.address]);

    // The CA sees the new owner in the next sweep and revokes: the CRL lists the serial.
    let revokedMs = -1;
    while (Date.now() - transferredAt < 30_000) {
      const response = await fetch(crlUrl);
      const crl = new x509.X509Crl(new Uint8Array(await response.arrayBuffer()));
      if (crl.entries.some((entry) => entry.serialNumber === leaf.serialNumber)) {
        revokedMs = Date.now() - transferredAt;
        dir.write("after.crl", new Uint8Array(crl.rawData));
        break;
      }
      await new Promise((wait) => setTimeout(wait, 100));
    }
    assert.ok(revokedMs >= 0, "the CRL lists the revoked certificate");
    // The public log holds the revocation of this certificate (appended after the CRL; the log
    // sequences at least once a second).
    let reasons: string[] = [];
    const logDeadline = Date.now() + 15_000;
    while (Date.now() < logDeadline) {
      const audit = await auditLog({
        source: openLogSource(`${endpoint.url}/log`),
        verifierKey: certificateLog.verifierKey,
        certificate: new Uint8Array(leaf.rawData),
      });
      reasons = audit.revocations?.map((revocation) => revocation.reason) ?? [];
      if (reasons.length > 0) break;
      await new Promise((wait) => setTimeout(wait, 250));
    }
    assert.deepEqual(reasons, ["affiliationChanged"]);
    const refused = verify("after.crl");
    assert.notEqual(refused.status, 0);
    assert.match(
      refused.stdout + refused.stderr,
      /error 23 at 0 depth lookup: certificate revoked/,
    );
    // The CA no longer serves the records: the lookup is now an empty answer.
    const emptyDeadline = Date.now() + 10_000;
    let answer: Hex = "0x";
    while (Date.now() < emptyDeadline) {
      answer = await viemAnswer(stack, name, {
        type: "text",
        key: CERTIFICATE_CHAIN_TEXT_KEY,
      }).catch(() => "0xerror" as Hex);
      if (
        answer ===
        buildAnswer({ type: "text", key: "x" }, encodeRecordValue({ type: "text", key: "x" }, ""))
      )
        break;
      await new Promise((wait) => setTimeout(wait, 250));
    }
    assert.equal(
      answer,
      buildAnswer({ type: "text", key: "x" }, encodeRecordValue({ type: "text", key: "x" }, "")),
    );
  });

  it("the new owner's own TLSA records for _443._tcp and _25._tcp resolve", async () => {
    const www: RecordRequest = ownerTlsaRecordRequest(name);
    const mail: RecordRequest = ownerTlsaRecordRequest("mail.alice.eth", 25);
    const wwwLine = `_443._tcp.${name}. 300 IN TLSA 3 1 1 ${"ab".repeat(32)}`;
    const mailLine = `_25._tcp.mail.alice.eth. 300 IN TLSA 3 1 1 ${"cd".repeat(32)}`;
    const recordhash = await publishTree(stack, bob, "bob-alice", {
      [name]: [[www, wwwLine]],
      "mail.alice.eth": [[mail, mailLine]],
    });
    await writeResolver(stack, bob, "setRecordhash", [namehash("alice.eth"), recordhash]);
    for (const [host, request, line] of [
      [name, www, wwwLine],
      ["mail.alice.eth", mail, mailLine],
    ] as const) {
      const expected = buildAnswer(request, encodeRecordValue(request, line));
      assert.equal(await viemAnswer(stack, host, request), expected);
      assert.equal(await ethersAnswer(provider, host, request), expected);
    }
  });

  it("a certificate lookup of a name that does not exist is NameNotFound", async () => {
    const error = await resolverError(stack, "www.nobody.eth", {
      type: "text",
      key: CERTIFICATE_CHAIN_TEXT_KEY,
    });
    assert.equal(error?.errorName, "NameNotFound");
  });
});
