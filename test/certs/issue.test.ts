import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  buildPemChain,
  type CertificateAuthority,
  CertificateIssueError,
  type CertificateKeyType,
  checkCertificateRequest,
  createRootCa,
  DEFAULT_END_ENTITY_VALIDITY_HOURS,
  generateCertificateKeyPair,
  issueEndEntity,
  issueIntermediateCa,
  MAX_END_ENTITY_VALIDITY_DAYS,
  randomSerialNumber,
  type x509,
} from "../../lib/certs/index.ts";
import {
  BRIDGE,
  ecKey,
  makeDomainCa,
  makeEndEntity,
  openssl,
  opensslCsr,
  tempDir,
} from "./helpers.ts";

type Dir = ReturnType<typeof tempDir>;

/** `openssl verify -x509_strict` with `root` as the only trust anchor; returns the result. */
function verifyWithOpenssl(
  dir: Dir,
  chain: {
    root: x509.X509Certificate;
    intermediate: x509.X509Certificate;
    ee: x509.X509Certificate;
  },
  extra: string[] = [],
) {
  const tag = Math.random().toString(36).slice(2);
  const root = dir.write(`root-${tag}.pem`, `${chain.root.toString("pem")}\n`);
  const intermediate = dir.write(`int-${tag}.pem`, `${chain.intermediate.toString("pem")}\n`);
  const ee = dir.write(`ee-${tag}.pem`, `${chain.ee.toString("pem")}\n`);
  return openssl([
    "verify",
    "-x509_strict",
    "-no-CApath",
    "-no-CAstore",
    "-CAfile",
    root,
    "-untrusted",
    intermediate,
    ...extra,
    ee,
  ]);
}

/** `openssl x509 -text` of a certificate. */
function textOf(certificate: x509.X509Certificate): string {
  const result = openssl(["x509", "-noout", "-text"], { input: certificate.toString("pem") });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

describe("issued chains pass openssl verify -x509_strict (root as the only trust anchor)", () => {
  const dir = tempDir();
  after(() => dir.cleanup());

  const combos: [CertificateKeyType, CertificateKeyType, CertificateKeyType][] = [
    ["P-256", "P-256", "P-256"],
    ["P-256", "P-256", "secp256k1"],
    ["P-256", "secp256k1", "secp256k1"],
    ["secp256k1", "secp256k1", "P-256"],
  ];
  for (const [rootKey, intermediateKey, eeKey] of combos) {
    it(`root ${rootKey} -> intermediate ${intermediateKey} -> end-entity ${eeKey}`, async () => {
      const { root, intermediate } = await makeDomainCa("alice.eth", {
        rootKeyType: rootKey,
        intermediateKeyType: intermediateKey,
      });
      const { certificate: ee } = await makeEndEntity(
        intermediate,
        ["www.alice.eth", `www.alice.${BRIDGE}`],
        eeKey,
      );
      const chain = { root: root.certificate, intermediate: intermediate.certificate, ee };
      for (const host of ["www.alice.eth", `www.alice.${BRIDGE}`]) {
        const result = verifyWithOpenssl(dir, chain, [
          "-purpose",
          "sslserver",
          "-verify_hostname",
          host,
        ]);
        assert.equal(result.status, 0, result.stderr + result.stdout);
        assert.match(result.stdout, /: OK/);
      }
    });
  }

  it("chains issued from OpenSSL-made CSRs (owner's intermediate key, web server's key)", async () => {
    const root = await createRootCa();
    const intermediateCsr = opensslCsr(dir, { key: ecKey("secp256k1"), subject: "/CN=alice.eth" });
    const intermediateInfo = await checkCertificateRequest(intermediateCsr.der, {
      name: "alice.eth",
      bridgeDomain: BRIDGE,
      kind: "intermediate",
    });
    const intermediateCertificate = await issueIntermediateCa({
      issuer: root,
      name: "alice.eth",
      bridgeDomain: BRIDGE,
      publicKey: intermediateInfo.publicKey,
    });
    // The CA holds a per-domain intermediate key for end-entity orders (see docs/certificates.md);
    // here the CSR key signs nothing: only the certificate profile is exercised.
    const eeCsr = opensslCsr(dir, {
      key: ecKey("prime256v1"),
      subject: "/CN=www.alice.eth",
      sans: `DNS:www.alice.eth,DNS:www.alice.${BRIDGE}`,
    });
    const eeInfo = await checkCertificateRequest(eeCsr.der, {
      name: "www.alice.eth",
      bridgeDomain: BRIDGE,
      kind: "endEntity",
    });
    const caKeys = await generateCertificateKeyPair();
    const caIntermediate: CertificateAuthority = {
      certificate: await issueIntermediateCa({
        issuer: root,
        name: "alice.eth",
        bridgeDomain: BRIDGE,
        publicKey: caKeys.publicKey,
      }),
      privateKey: caKeys.privateKey,
    };
    const ee = await issueEndEntity({
      issuer: caIntermediate,
      publicKey: eeInfo.publicKey,
      dnsNames: eeInfo.dnsNames,
      commonName: eeInfo.commonNames[0],
    });
    const ok = verifyWithOpenssl(dir, {
      root: root.certificate,
      intermediate: caIntermediate.certificate,
      ee,
    });
    assert.equal(ok.status, 0, ok.stderr + ok.stdout);
    // The end-entity's key is the CSR's: OpenSSL derives the same public key from both.
    const fromKey = openssl(["pkey", "-in", eeCsr.keyPath, "-pubout"]);
    const fromCert = openssl(["x509", "-noout", "-pubkey"], { input: ee.toString("pem") });
    assert.equal(fromCert.stdout, fromKey.stdout);
    // The owner-held intermediate (secp256k1 key from OpenSSL) verifies as a CA under the root.
    const intermediateOk = openssl(
      [
        "verify",
        "-x509_strict",
        "-no-CApath",
        "-no-CAstore",
        "-CAfile",
        dir.write("r.pem", root.certificate.toString("pem")),
      ],
      { input: intermediateCertificate.toString("pem") },
    );
    assert.equal(intermediateOk.status, 0, intermediateOk.stderr + intermediateOk.stdout);
  });

  it("an end-entity with an empty subject (CN absent, critical SAN) verifies", async () => {
    const { root, intermediate } = await makeDomainCa("alice.eth");
    const keys = await generateCertificateKeyPair();
    const ee = await issueEndEntity({
      issuer: intermediate,
      publicKey: keys.publicKey,
      dnsNames: ["www.alice.eth"],
      commonName: null,
    });
    assert.equal(ee.subject, "");
    assert.match(textOf(ee), /X509v3 Subject Alternative Name: critical/);
    const result = verifyWithOpenssl(dir, {
      root: root.certificate,
      intermediate: intermediate.certificate,
      ee,
    });
    assert.equal(result.status, 0, result.stderr + result.stdout);
  });
});

describe("OpenSSL enforces the intermediate's constraints", () => {
  const dir = tempDir();
  let root: CertificateAuthority;
  let intermediate: CertificateAuthority;
  before(async () => {
    ({ root, intermediate } = await makeDomainCa("alice.eth"));
  });
  after(() => dir.cleanup());

  for (const outside of ["www.bob.eth", `www.bob.${BRIDGE}`, "alice.eth.evil.com", "xalice.eth"]) {
    it(`end-entity for ${outside} (issued bypassing the CSR check) fails with error 47`, async () => {
      const { certificate: ee } = await makeEndEntity(intermediate, ["www.alice.eth", outside]);
      const result = verifyWithOpenssl(dir, {
        root: root.certificate,
        intermediate: intermediate.certificate,
        ee,
      });
      assert.notEqual(result.status, 0);
      assert.match(
        result.stderr + result.stdout,
        /error 47 at 0 depth lookup: permitted subtree violation/,
      );
    });
  }

  it("pathLen 0: a CA under the intermediate fails at the intermediate (error 25 at depth 2)", async () => {
    const subKeys = await generateCertificateKeyPair();
    const subCa: CertificateAuthority = {
      certificate: await issueIntermediateCa({
        issuer: intermediate,
        name: "sub.alice.eth",
        bridgeDomain: BRIDGE,
        publicKey: subKeys.publicKey,
      }),
      privateKey: subKeys.privateKey,
    };
    const { certificate: ee } = await makeEndEntity(subCa, ["www.sub.alice.eth"]);
    const untrusted = dir.write(
      "untrusted.pem",
      buildPemChain([subCa.certificate, intermediate.certificate]),
    );
    const result = openssl([
      "verify",
      "-x509_strict",
      "-no-CApath",
      "-no-CAstore",
      "-CAfile",
      dir.write("root.pem", root.certificate.toString("pem")),
      "-untrusted",
      untrusted,
      dir.write("ee.pem", ee.toString("pem")),
    ]);
    assert.notEqual(result.status, 0);
    assert.match(
      result.stderr + result.stdout,
      /error 25 at 2 depth lookup: path length constraint exceeded/,
    );
  });

  it("a chain to another root fails (error 20 or 2: no trust anchor)", async () => {
    const other = await createRootCa();
    const { certificate: ee } = await makeEndEntity(intermediate, ["www.alice.eth"]);
    const result = verifyWithOpenssl(dir, {
      root: other.certificate,
      intermediate: intermediate.certificate,
      ee,
    });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr + result.stdout, /unable to get (local )?issuer certificate/);
  });
});

describe("certificate profiles", () => {
  let root: CertificateAuthority;
  let intermediate: CertificateAuthority;
  before(async () => {
    ({ root, intermediate } = await makeDomainCa("alice.eth"));
  });

  it("root: self-signed, critical CA:TRUE, keyCertSign/cRLSign, SKI = AKI", () => {
    const text = textOf(root.certificate);
    assert.match(text, /Basic Constraints: critical\s+CA:TRUE\n/);
    assert.match(text, /Key Usage: critical\s+Certificate Sign, CRL Sign/);
    const ski = /Subject Key Identifier:\s+(\S+)/.exec(text)?.[1];
    assert.ok(ski);
    assert.match(text, new RegExp(`Authority Key Identifier:\\s+(keyid:)?${ski}`));
    assert.equal(root.certificate.subject, root.certificate.issuer);
  });

  it("intermediate: critical CA:TRUE pathlen:0, critical Name Constraints, AKI = root SKI", () => {
    const text = textOf(intermediate.certificate);
    assert.match(text, /Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    assert.match(text, /Key Usage: critical\s+Certificate Sign, CRL Sign/);
    assert.match(
      text,
      new RegExp(
        `Name Constraints: critical\\s+Permitted:\\s+DNS:alice\\.eth\\s+DNS:alice\\.${BRIDGE.replaceAll(".", "\\.")}\\s+Excluded:\\s+IP:0\\.0\\.0\\.0/0\\.0\\.0\\.0\\s+IP:(0:){7}0/(0:){7}0\\n`,
      ),
    );
    const rootSki = /Subject Key Identifier:\s+(\S+)/.exec(textOf(root.certificate))?.[1];
    assert.match(text, new RegExp(`Authority Key Identifier:\\s+(keyid:)?${rootSki}`));
    assert.match(text, /Subject: CN = alice\.eth, O = ensgate domain CA/);
  });

  it("end-entity: CA:FALSE, digitalSignature, serverAuth, SANs, CN among them, ≤ 90 days", async () => {
    const { certificate: ee } = await makeEndEntity(intermediate, [
      "www.alice.eth",
      `www.alice.${BRIDGE}`,
    ]);
    const text = textOf(ee);
    assert.match(text, /Basic Constraints: critical\s+CA:FALSE/);
    assert.match(text, /Key Usage: critical\s+Digital Signature\n/);
    assert.match(text, /Extended Key Usage:\s+TLS Web Server Authentication\n/);
    assert.match(
      text,
      new RegExp(`DNS:www\\.alice\\.eth, DNS:www\\.alice\\.${BRIDGE.replaceAll(".", "\\.")}`),
    );
    assert.match(text, /Subject: CN = www\.alice\.eth\n/);
    assert.match(text, /Subject Key Identifier/);
    // Short-lived by default: 160 hours (notAfter is inclusive: one second less).
    const lifetime = ee.notAfter.getTime() - ee.notBefore.getTime();
    assert.equal(lifetime, DEFAULT_END_ENTITY_VALIDITY_HOURS * 3_600_000 - 1000);
    assert.ok(lifetime <= MAX_END_ENTITY_VALIDITY_DAYS * 86_400_000, `${lifetime}`);
    assert.ok(ee.notBefore.getTime() <= Date.now());
  });

  it("end-entity validity never outlives the intermediate", async () => {
    const keys = await generateCertificateKeyPair();
    const shortLived: CertificateAuthority = {
      certificate: await issueIntermediateCa({
        issuer: root,
        name: "alice.eth",
        bridgeDomain: BRIDGE,
        publicKey: keys.publicKey,
        validityDays: 3,
      }),
      privateKey: keys.privateKey,
    };
    // The default end-entity life (160 hours) is longer than the intermediate's 3 days.
    const { certificate: ee } = await makeEndEntity(shortLived, ["www.alice.eth"]);
    assert.equal(ee.notAfter.getTime(), shortLived.certificate.notAfter.getTime());
  });

  it("refuses validity over 90 days, a CN outside the SANs, no SAN, a bad dNSName", async () => {
    const keys = await generateCertificateKeyPair();
    const base = { issuer: intermediate, publicKey: keys.publicKey, dnsNames: ["www.alice.eth"] };
    await assert.rejects(issueEndEntity({ ...base, validityDays: 91 }), CertificateIssueError);
    await assert.rejects(issueEndEntity({ ...base, validityDays: 0 }), CertificateIssueError);
    await assert.rejects(
      issueEndEntity({ ...base, commonName: "api.alice.eth" }),
      CertificateIssueError,
    );
    await assert.rejects(issueEndEntity({ ...base, dnsNames: [] }), CertificateIssueError);
    await assert.rejects(
      issueEndEntity({ ...base, dnsNames: ["bad name.alice.eth"] }),
      CertificateIssueError,
    );
  });

  it("serial numbers: 16 random bytes, positive, unique", async () => {
    const serials = new Set(Array.from({ length: 2000 }, () => randomSerialNumber()));
    assert.equal(serials.size, 2000);
    for (const serial of serials) {
      assert.match(serial, /^[0-9a-f]{32}$/);
      assert.ok(Number.parseInt(serial.slice(0, 2), 16) < 0x80 && serial.slice(0, 2) !== "00");
    }
    const { certificate: a } = await makeEndEntity(intermediate, ["www.alice.eth"]);
    const { certificate: b } = await makeEndEntity(intermediate, ["www.alice.eth"]);
    assert.notEqual(a.serialNumber, b.serialNumber);
    assert.match(textOf(a), /Serial Number:\s+(\n\s+)?([0-9a-f]{2}:){15}[0-9a-f]{2}\n/);
  });
});
