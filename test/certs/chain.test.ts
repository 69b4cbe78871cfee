import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { keccak256, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  buildCertificateRecords,
  buildPemChain,
  buildTlsaZoneLine,
  CERTIFICATE_CHAIN_TEXT_KEY,
  type CertificateAuthority,
  certificateCoversName,
  certificateRecordRequests,
  computeTlsaSpkiSha256,
  InvalidCertificateChainError,
  isCertificateRecordRequest,
  ownerTlsaRecordRequest,
  parsePemChain,
  tlsaOwnerName,
  verifyCertificateChainLinks,
  type x509,
} from "../../lib/certs/index.ts";
import {
  decodeRecordValue,
  encodeRecordValue,
  hashDnsOwnerName,
  parseRecordFile,
  signRecordTree,
  verifyRecord,
} from "../../lib/index.ts";
import { BRIDGE, makeDomainCa, makeEndEntity, openssl, tempDir } from "./helpers.ts";

describe("PEM chains, TLSA 3 1 1 and the published records", () => {
  const dir = tempDir();
  let root: CertificateAuthority;
  let intermediate: CertificateAuthority;
  let ee: x509.X509Certificate;
  let k1: x509.X509Certificate;
  before(async () => {
    ({ root, intermediate } = await makeDomainCa("alice.eth"));
    ee = (await makeEndEntity(intermediate, ["www.alice.eth", `www.alice.${BRIDGE}`])).certificate;
    k1 = (await makeEndEntity(intermediate, ["www.alice.eth"], "secp256k1")).certificate;
  });
  after(() => dir.cleanup());

  it("builds a PEM chain (ee, intermediate, root) that parses back and links", async () => {
    const pem = buildPemChain([ee, intermediate.certificate, root.certificate]);
    assert.equal(pem.match(/-----BEGIN CERTIFICATE-----/g)?.length, 3);
    assert.ok(pem.endsWith("-----END CERTIFICATE-----\n"));
    assert.ok(!pem.includes("-----END CERTIFICATE----------BEGIN"));
    const parsed = parsePemChain(pem);
    assert.equal(parsed.length, 3);
    assert.ok(parsed[0]?.equal(ee) && parsed[2]?.equal(root.certificate));
    await verifyCertificateChainLinks(parsed, { root: root.certificate });
    // OpenSSL reads the same file as three certificates.
    const chainPath = dir.write("chain.pem", pem);
    const split = openssl(["crl2pkcs7", "-nocrl", "-certfile", chainPath]);
    const count = openssl(["pkcs7", "-print_certs", "-noout"], { input: split.stdout });
    assert.equal(count.stdout.match(/subject=/g)?.length, 3);
  });

  it("rejects chains in the wrong order, ending at another root, or not PEM certificates", async () => {
    await assert.rejects(
      verifyCertificateChainLinks([intermediate.certificate, ee, root.certificate]),
      InvalidCertificateChainError,
    );
    const other = await makeDomainCa("alice.eth");
    await assert.rejects(
      verifyCertificateChainLinks([ee, intermediate.certificate, root.certificate], {
        root: other.root.certificate,
      }),
      InvalidCertificateChainError,
    );
    await assert.rejects(
      verifyCertificateChainLinks([ee, other.intermediate.certificate, other.root.certificate]),
      InvalidCertificateChainError,
    );
    assert.throws(() => parsePemChain("nothing here"), InvalidCertificateChainError);
    assert.throws(
      () => parsePemChain("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
      InvalidCertificateChainError,
    );
    assert.throws(() => buildPemChain([]), InvalidCertificateChainError);
  });

  for (const [label, certificate] of [
    ["P-256", () => ee],
    ["secp256k1", () => k1],
  ] as const) {
    it(`TLSA 3 1 1 (${label}) = sha256 of openssl x509 -pubkey | openssl pkey -pubin -outform DER`, () => {
      const pubkey = openssl(["x509", "-noout", "-pubkey"], {
        input: certificate().toString("pem"),
      });
      assert.equal(pubkey.status, 0, pubkey.stderr);
      const der = openssl(["pkey", "-pubin", "-outform", "DER"], { input: pubkey.stdout });
      const expected = createHash("sha256").update(der.stdoutBytes).digest("hex");
      assert.equal(computeTlsaSpkiSha256(certificate()), expected);
    });
  }

  it("the TLSA zone line is a valid dnsRecord value for _443._tcp.<name>", () => {
    const line = buildTlsaZoneLine("www.alice.eth", ee);
    assert.equal(line, `_443._tcp.www.alice.eth. 3600 IN TLSA 3 1 1 ${computeTlsaSpkiSha256(ee)}`);
    const request = {
      type: "dnsRecord",
      nameHash: hashDnsOwnerName("_443._tcp.www.alice.eth"),
      resource: 52,
    } as const;
    const result = encodeRecordValue(request, line);
    assert.equal(decodeRecordValue(request, result), line);
    assert.equal(tlsaOwnerName("www.alice.eth", 8443), "_8443._tcp.www.alice.eth");
    assert.throws(() => tlsaOwnerName("www.alice.eth", 0), InvalidCertificateChainError);
  });

  it("certificate records: the CA's chain and key pin, bound to the certified owner", async () => {
    const chain = [ee, intermediate.certificate, root.certificate];
    const records = buildCertificateRecords({ name: "www.alice.eth", chain });
    const requests = certificateRecordRequests();
    assert.deepEqual(records, [
      [requests.chain, buildPemChain(chain)],
      [requests.tlsa, `3 1 1 ${computeTlsaSpkiSha256(ee)}`],
    ]);
    assert.equal(CERTIFICATE_CHAIN_TEXT_KEY, "org.ensgate.ca.chain");
    assert.ok(records.every(([request]) => isCertificateRecordRequest(request)));
    assert.ok(!isCertificateRecordRequest({ type: "text", key: "url" }));
    assert.ok(!isCertificateRecordRequest({ type: "text", key: "org.ensgate.tls.chain" }));
    assert.ok(!isCertificateRecordRequest(ownerTlsaRecordRequest("www.alice.eth")));
    assert.ok(
      !isCertificateRecordRequest({
        type: "dnsRecord",
        nameHash: hashDnsOwnerName("www.alice.eth"),
        resource: 1,
      }),
    );

    const ca = privateKeyToAccount(keccak256(stringToHex("ensgate test CA signer")));
    const alice = privateKeyToAccount(keccak256(stringToHex("alice"))).address;
    const bob = privateKeyToAccount(keccak256(stringToHex("bob"))).address;
    const resolver = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const files = await signRecordTree({
      name: "www.alice.eth",
      records,
      signer: ca,
      owner: ca.address,
      chainId: 31337,
      freshness: { validUntil: 2n ** 40n, epoch: 0n },
      resolver,
      certifiedOwner: alice,
    });
    const folder = ".well-known/eth/alice/www/text";
    assert.deepEqual(Object.keys(files).sort(), [
      `${folder}/org.ensgate.ca.chain.json`,
      `${folder}/org.ensgate.ca.tlsa.json`,
    ]);
    const context = {
      name: "www.alice.eth",
      chainId: 31337,
      resolver,
      owner: ca.address,
      epoch: 0n,
      now: BigInt(Math.floor(Date.now() / 1000)),
    } as const;
    for (const [request, value] of records) {
      const file = parseRecordFile(
        files[`${folder}/${(request as { key: string }).key}.json`] as string,
      );
      assert.equal(file.raw, value);
      assert.equal((file as { certifiedOwner?: string }).certifiedOwner, alice);
      // The gateway (not told the current owner) and the contract (told it) both accept it...
      for (const nameOwner of [undefined, alice]) {
        const verification = await verifyRecord(file.data, { ...context, request, nameOwner });
        assert.equal(verification.valid, true, verification.valid ? "" : verification.message);
        assert.equal(verification.valid && verification.certifiedOwner, alice);
      }
      // ...until someone else owns the name.
      const transferred = await verifyRecord(file.data, { ...context, request, nameOwner: bob });
      assert.equal(transferred.valid ? "valid" : transferred.reason, "certificateOwnerChanged");
    }
    // A certificate key takes only a certificate record; other keys never take one.
    const plain = await signRecordTree({
      name: "www.alice.eth",
      records: [[requests.chain, buildPemChain(chain)]],
      signer: ca,
      owner: ca.address,
      chainId: 31337,
      freshness: { validUntil: 2n ** 40n, epoch: 0n },
      resolver,
    });
    const plainFile = parseRecordFile(plain[`${folder}/org.ensgate.ca.chain.json`] as string);
    const plainCheck = await verifyRecord(plainFile.data, { ...context, request: requests.chain });
    assert.equal(plainCheck.valid ? "valid" : plainCheck.reason, "malformedRecord");
    const certifiedFile = parseRecordFile(files[`${folder}/org.ensgate.ca.chain.json`] as string);
    const misplaced = await verifyRecord(certifiedFile.data, {
      ...context,
      request: { type: "text", key: "org.ensgate.tls.chain" },
    });
    assert.equal(misplaced.valid ? "valid" : misplaced.reason, "malformedRecord");
  });

  it("refuses to publish a chain whose end-entity does not cover the name", () => {
    assert.throws(
      () => buildCertificateRecords({ name: "api.alice.eth", chain: [ee] }),
      InvalidCertificateChainError,
    );
    assert.ok(certificateCoversName(ee, `www.alice.${BRIDGE}`));
    assert.ok(!certificateCoversName(ee, "alice.eth"));
  });
});
