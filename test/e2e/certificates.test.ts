// End to end on the local stack with a certificate authority: an owner orders a certificate on
// chain, the CA service (in this process) validates, issues, publishes the chain as CA-signed
// records and fulfils; the chain then resolves through viem and ethers as a text record and as
// TLSA, `openssl verify` accepts it with only the root, and a real TLS handshake succeeds.
// Rejections are refunded with a reason.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import tls from "node:tls";
import type { JsonRpcProvider } from "ethers";
import { decodeFunctionResult, type Hex, type LocalAccount, parseAbi } from "viem";
import type { CaFolder } from "../../ca/caFiles.ts";
import { loadIntermediate } from "../../ca/caFiles.ts";
import type { CaService } from "../../ca/caService.ts";
import type { OrderStore } from "../../ca/orderStore.ts";
import { buildCertificateRequest } from "../../client/certificateRequest.ts";
import { ORDER_STATUS } from "../../client/orderContract.ts";
import {
  bridgeName,
  buildTlsaPin,
  CERTIFICATE_CHAIN_TEXT_KEY,
  certificateRecordRequests,
  exportPrivateKeyPem,
  generateCertificateKeyPair,
  issueEndEntity,
  parsePemChain,
  verifyCertificateChainLinks,
} from "../../lib/certs/index.ts";
import { buildAnswer, encodeRecordValue, type RecordRequest } from "../../lib/index.ts";
import {
  ORDERS_ABI,
  placeOrder,
  runCaInProcess,
  startCaStack,
  waitForSettlement,
} from "../../scripts/stack/caStack.ts";
import type { LocalStack } from "../../scripts/stack/localStack.ts";
import { registerWithResolver } from "../../scripts/stack/names.ts";
import { BRIDGE, ecKey, makeCsr, OPENSSL, openssl, opensslCsr, tempDir } from "../certs/helpers.ts";
import { createEthersProvider, ethersAnswer, viemAnswer } from "./clients.ts";

describe("end to end: certificates ordered on chain, issued by the CA, served as records", () => {
  let stack: LocalStack;
  let folder: CaFolder;
  let dataDir: string;
  let ca: { service: CaService; store: OrderStore };
  let owner: LocalAccount;
  let stranger: LocalAccount;
  let provider: JsonRpcProvider;
  const dir = tempDir();
  const name = "www.alice.eth";
  let keys: CryptoKeyPair;
  let resolvedChain = "";

  before(async () => {
    ({ stack, folder, dataDir } = await startCaStack());
    owner = stack.accounts[1] as LocalAccount;
    stranger = stack.accounts[2] as LocalAccount;
    await registerWithResolver(stack, "alice.eth", owner.address);
    ca = runCaInProcess(stack, folder);
    provider = createEthersProvider(stack);
    keys = await generateCertificateKeyPair("P-256");
  });

  after(async () => {
    provider?.destroy();
    await ca?.service.stop();
    ca?.store.close();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dir.cleanup();
  });

  it("order -> validated, issued, published, fulfilled with the certificate's SHA-256", async () => {
    const csr = await buildCertificateRequest(keys, { name, bridgeDomain: BRIDGE });
    const orderId = await placeOrder(stack, owner, { name, csr });
    const settled = await waitForSettlement(stack, orderId);
    assert.equal(settled.status, ORDER_STATUS.Fulfilled);
    const stored = ca.store.get(orderId);
    assert.equal(stored?.state, "fulfilled");
    assert.equal(ca.store.issuedCount(orderId), 1);
    const der = Buffer.from((stored?.certificateDer as Hex).slice(2), "hex");
    assert.equal(settled.certificateHash, `0x${createHash("sha256").update(der).digest("hex")}`);
    assert.match(
      settled.location ?? "",
      new RegExp(
        `^ipns://${folder.identity.ipnsName}/\\.well-known/eth/alice/www/text/org\\.ensgate\\.ca\\.chain\\.json$`,
      ),
    );
  });

  it("the chain resolves as text org.ensgate.ca.chain through viem and ethers, signed by the CA", async () => {
    const request: RecordRequest = { type: "text", key: CERTIFICATE_CHAIN_TEXT_KEY };
    const viem = await viemAnswer(stack, name, request);
    const ethers = await ethersAnswer(provider, name, request);
    assert.equal(viem, ethers);
    resolvedChain = decodeFunctionResult({
      abi: parseAbi(["function text(bytes32,string) view returns (string)"]),
      functionName: "text",
      data: viem,
    });
    const chain = parsePemChain(resolvedChain);
    assert.equal(chain.length, 3);
    await verifyCertificateChainLinks(chain, { root: folder.root.certificate });
    assert.equal(chain[0]?.subject, `CN=${name}`);
  });

  it("the CA's key pin (text org.ensgate.ca.tlsa, 3 1 1) resolves through viem and ethers", async () => {
    const { tlsa } = certificateRecordRequests();
    const [ee] = parsePemChain(resolvedChain);
    assert.ok(ee);
    const expected = buildAnswer(tlsa, encodeRecordValue(tlsa, buildTlsaPin(ee)));
    assert.equal(await viemAnswer(stack, name, tlsa), expected);
    assert.equal(await ethersAnswer(provider, name, tlsa), expected);
  });

  it("openssl verify accepts the chain with the root as the only trust anchor (name and bridge name)", () => {
    const [ee, intermediate] = parsePemChain(resolvedChain);
    const eePath = dir.write("ee.pem", ee?.toString("pem") ?? "");
    const intermediatePath = dir.write("intermediate.pem", intermediate?.toString("pem") ?? "");
    for (const host of [name, bridgeName(name, BRIDGE)]) {
      const result = openssl([
        "verify",
        "-x509_strict",
        "-no-CApath",
        "-no-CAstore",
        "-CAfile",
        folder.rootPemPath,
        "-untrusted",
        intermediatePath,
        "-purpose",
        "sslserver",
        "-verify_hostname",
        host,
        eePath,
      ]);
      assert.equal(result.status, 0, result.stderr + result.stdout);
      assert.match(result.stdout, /: OK/);
    }
  });

  it("an end-entity for a name outside the domain intermediate's constraints fails openssl verify (error 47)", async () => {
    const intermediate = await loadIntermediate(folder.dir, "alice.eth");
    assert.ok(intermediate);
    const rogue = await issueEndEntity({
      issuer: intermediate,
      publicKey: keys.publicKey,
      dnsNames: ["www.bob.eth"],
    });
    const result = openssl([
      "verify",
      "-x509_strict",
      "-no-CApath",
      "-no-CAstore",
      "-CAfile",
      folder.rootPemPath,
      "-untrusted",
      dir.write("i.pem", intermediate.certificate.toString("pem")),
      dir.write("rogue.pem", rogue.toString("pem")),
    ]);
    assert.notEqual(result.status, 0);
    assert.match(
      result.stdout + result.stderr,
      /error 47 at 0 depth lookup: permitted subtree violation/,
    );
  });

  it("a TLS handshake succeeds against an HTTPS server using the issued P-256 chain (Node and openssl s_client)", async () => {
    const [ee, intermediate] = parsePemChain(resolvedChain);
    const server = https.createServer(
      {
        key: await exportPrivateKeyPem(keys.privateKey),
        cert: `${ee?.toString("pem")}\n${intermediate?.toString("pem")}\n`,
      },
      (_request, response) => response.end("hello\n"),
    );
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    try {
      const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
        const s = tls.connect(
          {
            host: "127.0.0.1",
            port,
            servername: name,
            ca: folder.root.certificate.toString("pem"),
          },
          () => resolve(s),
        );
        s.once("error", reject);
      });
      assert.equal(socket.authorized, true);
      socket.end();
      const { spawn } = await import("node:child_process");
      const child = spawn(OPENSSL, [
        "s_client",
        "-connect",
        `127.0.0.1:${port}`,
        "-CAfile",
        folder.rootPemPath,
        "-no-CApath",
        "-no-CAstore",
        "-verify_return_error",
        "-servername",
        name,
        "-verify_hostname",
        name,
      ]);
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      child.stdin.end("");
      const [status] = await once(child, "close");
      assert.equal(status, 0, output);
      assert.match(output, /Verify return code: 0 \(ok\)/);
    } finally {
      server.close();
    }
  });

  it("an intermediate order (kind 0) gets an owner-held, name-constrained domain CA", async () => {
    const domainKeys = await generateCertificateKeyPair("secp256k1");
    const csr = await buildCertificateRequest(domainKeys, {
      name: "alice.eth",
      bridgeDomain: BRIDGE,
    });
    const orderId = await placeOrder(stack, owner, { name: "alice.eth", csr, kind: 0 });
    const settled = await waitForSettlement(stack, orderId);
    assert.equal(settled.status, ORDER_STATUS.Fulfilled, settled.reason);
    const answer = await viemAnswer(stack, "_ca.alice.eth", {
      type: "text",
      key: CERTIFICATE_CHAIN_TEXT_KEY,
    });
    const pem = decodeFunctionResult({
      abi: parseAbi(["function text(bytes32,string) view returns (string)"]),
      functionName: "text",
      data: answer,
    });
    const chain = parsePemChain(pem);
    assert.equal(chain.length, 2);
    await verifyCertificateChainLinks(chain, { root: folder.root.certificate });
    // The owner issues an end-entity themselves; openssl accepts it with only the root.
    const own = await issueEndEntity({
      issuer: {
        certificate: chain[0] as (typeof chain)[number],
        privateKey: domainKeys.privateKey,
      },
      publicKey: keys.publicKey,
      dnsNames: ["api.alice.eth"],
    });
    const result = openssl([
      "verify",
      "-x509_strict",
      "-no-CApath",
      "-no-CAstore",
      "-CAfile",
      folder.rootPemPath,
      "-untrusted",
      dir.write("own-i.pem", chain[0]?.toString("pem") ?? ""),
      dir.write("own.pem", own.toString("pem")),
    ]);
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  describe("rejections, each refunded with a reason", () => {
    const cases: [
      string,
      () => Promise<{ csr: Uint8Array | Hex; from?: () => LocalAccount }>,
      RegExp,
    ][] = [
      ["garbage DER", async () => ({ csr: "0xdeadbeef" }), /^malformedCsr: /],
      [
        "a CSR with a bad signature",
        async () => {
          const csr = await buildCertificateRequest(keys, { name, bridgeDomain: BRIDGE });
          csr[csr.length - 1] = (csr[csr.length - 1] as number) ^ 1;
          return { csr };
        },
        /^badSignature: /,
      ],
      [
        "an unsupported key type (P-384)",
        async () => ({
          csr: opensslCsr(dir, {
            key: ecKey("secp384r1"),
            subject: `/CN=${name}`,
            sans: `DNS:${name}`,
          }).der,
        }),
        /^unsupportedKeyType: /,
      ],
      [
        "a SAN outside the subtree",
        async () => ({
          csr: (await makeCsr({ commonName: name, dnsNames: [name, "www.bob.eth"] })).der,
        }),
        /^sanOutsideSubtree: /,
      ],
      [
        "a CN outside the SANs",
        async () => ({
          csr: (await makeCsr({ commonName: "api.www.alice.eth", dnsNames: [name] })).der,
        }),
        /^cnNotInSans: /,
      ],
      [
        "a requester who does not own the name",
        async () => ({
          csr: await buildCertificateRequest(keys, { name, bridgeDomain: BRIDGE }),
          from: () => stranger,
        }),
        /^notOwner: /,
      ],
    ];
    for (const [label, make, reason] of cases)
      it(label, async () => {
        const { csr, from } = await make();
        const requester = from?.() ?? owner;
        const before = (await stack.publicClient.readContract({
          address: stack.certificateOrders as Hex,
          abi: ORDERS_ABI,
          functionName: "refunds",
          args: [requester.address],
        })) as bigint;
        const orderId = await placeOrder(stack, requester, { name, csr });
        const settled = await waitForSettlement(stack, orderId);
        assert.equal(settled.status, ORDER_STATUS.Rejected);
        assert.match(settled.reason ?? "", reason);
        const fee = (await stack.publicClient.readContract({
          address: stack.certificateOrders as Hex,
          abi: ORDERS_ABI,
          functionName: "fees",
          args: [1n],
        })) as bigint;
        assert.equal(settled.refund, fee);
        const afterRefund = (await stack.publicClient.readContract({
          address: stack.certificateOrders as Hex,
          abi: ORDERS_ABI,
          functionName: "refunds",
          args: [requester.address],
        })) as bigint;
        assert.equal(afterRefund - before, fee);
        assert.equal(ca.store.issuedCount(orderId), 0);
      });

    it("an oversized CSR and an underpayment are refused by the contract (nothing is paid)", async () => {
      await assert.rejects(
        placeOrder(stack, owner, { name, csr: new Uint8Array(4097).fill(0x30) }),
        /CsrTooLarge/,
      );
      await assert.rejects(
        placeOrder(stack, owner, { name, csr: "0x3000", value: 1n }),
        /InsufficientPayment/,
      );
    });
  });
});
