import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  buildCertificateMethod,
  buildDidDocument,
  type DidDocumentIssue,
  InvalidCertificateChainError,
  JWS_2020_CONTEXT,
  parseEnsDid,
  sha256Hex,
} from "../../lib/did/index.ts";
import { issued, selfSigned, type TestChain, toChain } from "./certificates.ts";
import { SPEC_EXAMPLE_NO_TEXT_RECORDS } from "./specExamples.ts";

const OWNER = "0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb";
const CANONICAL = "did:ens:mainnet:some.eth";
const DEFAULT_METHOD = `${CANONICAL}#5d3e82eaba0bf8991c38bd092fa5f5523b5b3bf13e06b4b29c0022a094a528d7`;
const parsed = parseEnsDid("did:ens:some.eth");

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

describe("certificate verification methods", () => {
  let p256Chain: TestChain; // P-256 end-entity issued by a secp256k1 CA
  let k1Chain: TestChain; // self-signed secp256k1 end-entity
  let caChain: TestChain; // a CA certificate alone (an intermediate for the name)
  let foreignChain: TestChain; // end-entity whose issuer is not the next certificate

  before(async () => {
    const ca = await selfSigned("Some CA", "K-256", { ca: true });
    const other = await selfSigned("Other CA", "P-256", { ca: true });
    p256Chain = await toChain([await issued("www.some.eth", "P-256", ca, "K-256"), ca]);
    k1Chain = await toChain([await selfSigned("k1.some.eth", "K-256")]);
    caChain = await toChain([ca]);
    foreignChain = await toChain([await issued("www.some.eth", "P-256", ca, "K-256"), other]);
  });

  it("builds a JsonWebKey2020 method with the P-256 key and the x5c chain", () => {
    const { method, isCertificateAuthority } = buildCertificateMethod(parsed, p256Chain.pem);
    assert.equal(isCertificateAuthority, false);
    assert.deepStrictEqual(method, {
      id: `${CANONICAL}#cert-${sha256Hex(p256Chain.ders[0] as Uint8Array)}`,
      type: "JsonWebKey2020",
      controller: CANONICAL,
      publicKeyJwk: {
        kty: "EC",
        crv: "P-256",
        x: p256Chain.publicJwk.x,
        y: p256Chain.publicJwk.y,
        x5c: p256Chain.ders.map(base64),
      },
    });
    assert.equal(method.publicKeyJwk.x5c.length, 2);
  });

  it("builds a secp256k1 JWK (crv secp256k1, RFC 8812) matching the certificate's key", () => {
    const { method } = buildCertificateMethod(parsed, k1Chain.pem);
    assert.equal(k1Chain.publicJwk.crv, "K-256"); // @peculiar/webcrypto's name for the curve
    assert.equal(method.publicKeyJwk.crv, "secp256k1");
    assert.equal(method.publicKeyJwk.x, k1Chain.publicJwk.x);
    assert.equal(method.publicKeyJwk.y, k1Chain.publicJwk.y);
    assert.deepEqual(method.publicKeyJwk.x5c, k1Chain.ders.map(base64));
  });

  it("marks a CA certificate", () => {
    assert.equal(buildCertificateMethod(parsed, caChain.pem).isCertificateAuthority, true);
  });

  it("adds end-entity methods to authentication and assertionMethod, CA methods to assertionMethod", () => {
    const document = buildDidDocument({
      parsed,
      owner: OWNER,
      certificates: [p256Chain.pem, caChain.pem],
    });
    const [endEntity, ca] = [p256Chain, caChain].map(
      (chain) => `${CANONICAL}#cert-${sha256Hex(chain.ders[0] as Uint8Array)}`,
    );
    assert.deepEqual(document["@context"].at(-1), JWS_2020_CONTEXT);
    assert.deepEqual(
      document.verificationMethod.map((method) => method.id),
      [DEFAULT_METHOD, endEntity, ca],
    );
    assert.deepEqual(document.authentication, [DEFAULT_METHOD, endEntity]);
    assert.deepEqual(document.assertionMethod, [DEFAULT_METHOD, endEntity, ca]);
    assert.deepEqual(document.capabilityInvocation, [DEFAULT_METHOD]);
    assert.deepEqual(document.capabilityDelegation, [DEFAULT_METHOD]);
    assert.equal(document.keyAgreement, undefined);
  });

  it("lets the relationship record reference a certificate method, and no record method take its id", () => {
    const certId = `cert-${sha256Hex(k1Chain.ders[0] as Uint8Array)}`;
    const issues: DidDocumentIssue[] = [];
    const document = buildDidDocument({
      parsed,
      owner: OWNER,
      certificates: [k1Chain.pem],
      textRecords: {
        "org.w3c.did.verificationMethod": JSON.stringify([{ id: `#${certId}`, type: "Evil" }]),
        "org.w3c.did.verificationRelationship": JSON.stringify({ keyAgreement: [`#${certId}`] }),
      },
      onIssue: (issue) => issues.push(issue),
    });
    assert.deepEqual(
      document.verificationMethod.map((method) => method.type),
      ["EcdsaSecp256k1RecoveryMethod2020", "JsonWebKey2020"],
    );
    assert.deepEqual(document.keyAgreement, [`${CANONICAL}#${certId}`]);
    assert.equal(issues.length, 1);
  });

  const bad: [string, () => string, RegExp][] = [
    ["no PEM block", () => "hello", /no PEM CERTIFICATE block/],
    [
      "a block that is not base64",
      () => "-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----",
      /not base64/,
    ],
    [
      "a block that is not X.509",
      () => "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
      /not DER X.509/,
    ],
    ["a broken chain", () => foreignChain.pem, /issuer is not certificate 1's subject/],
  ];
  for (const [what, pem, reason] of bad)
    it(`rejects ${what}, and the document leaves that chain out`, () => {
      assert.throws(
        () => buildCertificateMethod(parsed, pem()),
        (error) => error instanceof InvalidCertificateChainError && reason.test(error.message),
      );
      const issues: DidDocumentIssue[] = [];
      const document = buildDidDocument({
        parsed,
        owner: OWNER,
        certificates: [pem()],
        onIssue: (issue) => issues.push(issue),
      });
      assert.deepStrictEqual(document, JSON.parse(SPEC_EXAMPLE_NO_TEXT_RECORDS));
      assert.equal(issues[0]?.key, "certificate");
    });

  it("rejects a key that is not P-256 or secp256k1", async () => {
    const { webcrypto } = await import("node:crypto");
    const x509 = await import("@peculiar/x509");
    const keys = (await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    const certificate = await x509.X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: "03",
        name: "CN=p384.some.eth",
        keys,
        signingAlgorithm: { name: "ECDSA", hash: "SHA-384" },
      },
      webcrypto as Crypto,
    );
    assert.throws(
      () => buildCertificateMethod(parsed, certificate.toString("pem")),
      /curve other than P-256 or secp256k1/,
    );
  });

  it("ignores a repeated chain", () => {
    const document = buildDidDocument({
      parsed,
      owner: OWNER,
      certificates: [k1Chain.pem, k1Chain.pem],
    });
    assert.equal(document.verificationMethod.length, 2);
  });
});
