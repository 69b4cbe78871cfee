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

  it("certificate records: text org.ensgate.tls.chain and TLSA, signed with signRecordTree", async () => {
    const chain = [ee, intermediate.certificate, root.certificate];
    const records = buildCertificateRecords({ name: "www.alice.eth", chain });
    const requests = certificateRecordRequests("www.alice.eth");
    assert.deepEqual(records, [
      [requests.chain, buildPemChain(chain)],
      [requests.tlsa, buildTlsaZoneLine("www.alice.eth", ee)],
    ]);
    assert.equal(CERTIFICATE_CHAIN_TEXT_KEY, "org.ensgate.tls.chain");
    assert.ok(records.every(([request]) => isCertificateRecordRequest(request)));
    assert.ok(!isCertificateRecordRequest({ type: "text", key: "url" }));
    assert.ok(
      !isCertificateRecordRequest({
        type: "dnsRecord",
        nameHash: hashDnsOwnerName("www.alice.eth"),
        resource: 1,
      }),
    );

    const ca = privateKeyToAccount(keccak256(stringToHex("ensgate test CA signer")));
    const files = await signRecordTree({
      name: "www.alice.eth",
      records,
      signer: ca,
      owner: ca.address,
      chainId: 31337,
    });
    const tlsaPath = `.well-known/eth/alice/www/dns/${hashDnsOwnerName("_443._tcp.www.alice.eth")}/52.json`;
    assert.deepEqual(
      Object.keys(files).sort(),
      [tlsaPath, ".well-known/eth/alice/www/text/org.ensgate.tls.chain.json"].sort(),
    );
    for (const [request, value] of records) {
      const path =
        request.type === "text"
          ? ".well-known/eth/alice/www/text/org.ensgate.tls.chain.json"
          : tlsaPath;
      const file = parseRecordFile(files[path] as string);
      assert.equal(file.raw, value);
      const verification = await verifyRecord(file.data, {
        name: "www.alice.eth",
        request,
        chainId: 31337,
        resolver: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        owner: ca.address,
        epoch: 0n,
        now: BigInt(Math.floor(Date.now() / 1000)),
      });
      assert.equal(verification.valid, true, JSON.stringify(verification));
    }
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
