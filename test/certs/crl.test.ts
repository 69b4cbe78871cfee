// CRLs as OpenSSL checks them: a certificate names its issuer's CRL (CRL Distribution Points),
// the CA signs the CRL with the issuer's key, and `openssl verify -crl_check` refuses a revoked
// certificate (error 23) and accepts the others with the same CRL.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type CertificateAuthority,
  CertificateIssueError,
  crlToPem,
  generateCertificateKeyPair,
  issueCrl,
  issueEndEntity,
  type x509,
} from "../../lib/certs/index.ts";
import { makeDomainCa, openssl, tempDir } from "./helpers.ts";

const CRL_URL = "http://127.0.0.1:8080/crl/alice.eth.crl";

describe("certificate revocation lists", () => {
  const dir = tempDir();
  let root: CertificateAuthority;
  let intermediate: CertificateAuthority;
  let revoked: x509.X509Certificate;
  let kept: x509.X509Certificate;
  before(async () => {
    ({ root, intermediate } = await makeDomainCa("alice.eth"));
    const issue = async (name: string) =>
      issueEndEntity({
        issuer: intermediate,
        publicKey: (await generateCertificateKeyPair()).publicKey,
        dnsNames: [name],
        crlDistributionPoints: [CRL_URL],
      });
    revoked = await issue("www.alice.eth");
    kept = await issue("api.alice.eth");
    dir.write("root.pem", root.certificate.toString("pem"));
    dir.write("intermediate.pem", intermediate.certificate.toString("pem"));
    dir.write("revoked.pem", revoked.toString("pem"));
    dir.write("kept.pem", kept.toString("pem"));
  });
  after(() => dir.cleanup());

  const verify = (leaf: string, crl: string) =>
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
      dir.path(leaf),
    ]);

  it("certificates name their issuer's CRL (CRL Distribution Points)", () => {
    const text = openssl(["x509", "-noout", "-text", "-in", dir.path("revoked.pem")]).stdout;
    assert.match(
      text,
      /X509v3 CRL Distribution Points:\s+Full Name:\s+URI:http:\/\/127\.0\.0\.1:8080\/crl\/alice\.eth\.crl/,
    );
  });

  it("openssl verify -crl_check refuses the revoked certificate and accepts the other", async () => {
    const crl = await issueCrl({
      issuer: intermediate,
      revoked: [
        { serialNumber: revoked.serialNumber, revokedAt: new Date(), reason: "affiliationChanged" },
      ],
      crlNumber: 1n,
    });
    dir.write("alice.crl", crlToPem(crl));
    const text = openssl(["crl", "-noout", "-text", "-in", dir.path("alice.crl")]).stdout;
    assert.match(text, /X509v3 CRL Number:\s+1\b/);
    assert.match(text, /X509v3 Authority Key Identifier/);
    assert.match(text, new RegExp(`Serial Number: ${revoked.serialNumber.toUpperCase()}`));
    assert.match(text, /Affiliation Changed/);

    const refused = verify("revoked.pem", "alice.crl");
    assert.notEqual(refused.status, 0);
    assert.match(
      refused.stdout + refused.stderr,
      /error 23 at 0 depth lookup: certificate revoked/,
    );
    const accepted = verify("kept.pem", "alice.crl");
    assert.equal(accepted.status, 0, accepted.stdout + accepted.stderr);
  });

  it("an empty CRL lets -crl_check pass; a CRL signed by another key is refused", async () => {
    dir.write(
      "empty.crl",
      crlToPem(await issueCrl({ issuer: intermediate, revoked: [], crlNumber: 2n })),
    );
    assert.equal(verify("revoked.pem", "empty.crl").status, 0);
    const other = await makeDomainCa("alice.eth");
    const forged = await issueCrl({ issuer: other.intermediate, revoked: [], crlNumber: 3n });
    dir.write("forged.crl", crlToPem(forged));
    const result = verify("kept.pem", "forged.crl");
    assert.notEqual(result.status, 0);
    assert.match(result.stdout + result.stderr, /error (3|8|54) at 0 depth lookup/);
  });

  it("refuses a negative CRL number and a nextUpdate before thisUpdate", async () => {
    await assert.rejects(
      issueCrl({ issuer: intermediate, revoked: [], crlNumber: -1n }),
      CertificateIssueError,
    );
    const now = new Date();
    await assert.rejects(
      issueCrl({
        issuer: intermediate,
        revoked: [],
        crlNumber: 1n,
        thisUpdate: now,
        nextUpdate: now,
      }),
      CertificateIssueError,
    );
  });
});
