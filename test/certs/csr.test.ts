import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { bytesToHex, getAddress, keccak256, toHex } from "viem";
import {
  assertCsrNames,
  CERTIFICATE_ORDER_KINDS,
  CommonNameNotInSansError,
  CsrRejectedError,
  CsrSignatureError,
  CsrTooLargeError,
  certCrypto,
  checkCertificateRequest,
  InvalidCertificateNameError,
  MAX_CSR_BYTES,
  MalformedCsrError,
  MissingSanError,
  orderKindFromByte,
  parseCertificateRequest,
  SanOutsideSubtreeError,
  UnsupportedKeyTypeError,
  x509,
} from "../../lib/certs/index.ts";
import { BRIDGE, ecKey, makeCsr, openssl, opensslCsr, tempDir } from "./helpers.ts";

const endEntity = { name: "www.alice.eth", bridgeDomain: BRIDGE, kind: "endEntity" } as const;
const WWW_SANS = ["www.alice.eth", `www.alice.${BRIDGE}`];

/** Asserts that `promise` rejects with exactly `errorClass` and reason code `reason`. */
async function rejectsWith(
  promise: Promise<unknown>,
  errorClass: new (...args: never[]) => CsrRejectedError,
  reason: string,
) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
    assert.ok(error instanceof CsrRejectedError);
    assert.equal(error.constructor, errorClass);
    assert.equal(error.reason, reason);
    return true;
  });
}

describe("CSR parsing and verification (accepted)", () => {
  const dir = tempDir();
  after(() => dir.cleanup());

  it("P-256 CSR from @peculiar/x509: key type, CN, SANs", async () => {
    const { der } = await makeCsr({ commonName: "www.alice.eth", dnsNames: WWW_SANS });
    const info = await checkCertificateRequest(der, endEntity);
    assert.equal(info.keyType, "P-256");
    assert.deepEqual(info.commonNames, ["www.alice.eth"]);
    assert.deepEqual(info.dnsNames, WWW_SANS);
    assert.deepEqual(info.otherNames, []);
    assert.equal(info.ethereumAddress, undefined);
    assert.equal(info.publicKeyPoint.length, 2 + 65 * 2);
  });

  it("secp256k1 CSR from @peculiar/x509: the Ethereum address of its key", async () => {
    const { der, keys } = await makeCsr({ keyType: "secp256k1", dnsNames: ["www.alice.eth"] });
    const info = await checkCertificateRequest(der, endEntity);
    assert.equal(info.keyType, "secp256k1");
    const raw = new Uint8Array(await certCrypto.subtle.exportKey("raw", keys.publicKey));
    assert.equal(info.publicKeyPoint, bytesToHex(raw));
    assert.equal(info.ethereumAddress, getAddress(`0x${keccak256(raw.slice(1)).slice(-40)}`));
  });

  it("accepts 0x-hex (as the order event carries it) and PEM", async () => {
    const { der } = await makeCsr({ dnsNames: ["www.alice.eth"] });
    await checkCertificateRequest(toHex(der), endEntity);
    const pem = x509.PemConverter.encode(der.slice().buffer, "CERTIFICATE REQUEST");
    const info = await checkCertificateRequest(pem, endEntity);
    assert.deepEqual(info.der, der);
  });

  for (const curve of ["prime256v1", "secp256k1"]) {
    it(`OpenSSL ${curve} CSR (openssl req -new -addext subjectAltName=...)`, async () => {
      const { der } = opensslCsr(dir, {
        key: ecKey(curve),
        subject: "/CN=www.alice.eth",
        sans: `DNS:www.alice.eth,DNS:api.www.alice.eth,DNS:*.www.alice.${BRIDGE}`,
      });
      const info = await checkCertificateRequest(der, endEntity);
      assert.equal(info.keyType, curve === "secp256k1" ? "secp256k1" : "P-256");
      assert.deepEqual(info.dnsNames, [
        "www.alice.eth",
        "api.www.alice.eth",
        `*.www.alice.${BRIDGE}`,
      ]);
      // OpenSSL agrees that the signature is good.
      const verify = openssl(["req", "-inform", "DER", "-verify", "-noout"], { input: der });
      assert.match(verify.stdout + verify.stderr, /verify OK/);
    });
  }

  it("intermediate CSR: no SAN needed, CN may be the domain or its bridge name", async () => {
    const scope = { name: "alice.eth", bridgeDomain: BRIDGE, kind: "intermediate" } as const;
    await checkCertificateRequest((await makeCsr({ commonName: "alice.eth" })).der, scope);
    await checkCertificateRequest((await makeCsr({ commonName: `alice.${BRIDGE}` })).der, scope);
    await checkCertificateRequest((await makeCsr({})).der, scope);
    await rejectsWith(
      checkCertificateRequest((await makeCsr({ commonName: "bob.eth" })).der, scope),
      CommonNameNotInSansError,
      "cnNotInSans",
    );
  });

  it("order kinds match the contract's kind byte", () => {
    assert.deepEqual(CERTIFICATE_ORDER_KINDS, { intermediate: 0, endEntity: 1 });
    assert.equal(orderKindFromByte(0), "intermediate");
    assert.equal(orderKindFromByte(1), "endEntity");
    assert.equal(orderKindFromByte(2), undefined);
  });
});

describe("CSR rejections (one error class and reason code each)", () => {
  const dir = tempDir();
  after(() => dir.cleanup());

  it("garbage DER -> MalformedCsrError (malformedCsr)", async () => {
    const garbage = certCrypto.getRandomValues(new Uint8Array(200));
    garbage[0] = 0x04;
    await rejectsWith(parseCertificateRequest(garbage), MalformedCsrError, "malformedCsr");
    await rejectsWith(parseCertificateRequest(new Uint8Array()), MalformedCsrError, "malformedCsr");
    await rejectsWith(parseCertificateRequest("hello"), MalformedCsrError, "malformedCsr");
    const { der } = await makeCsr({ dnsNames: ["www.alice.eth"] });
    await rejectsWith(parseCertificateRequest(der.slice(0, -1)), MalformedCsrError, "malformedCsr");
    const trailing = new Uint8Array([...der, 0]);
    await rejectsWith(parseCertificateRequest(trailing), MalformedCsrError, "malformedCsr");
    // A well-formed SEQUENCE that is not a CertificationRequest.
    await rejectsWith(
      parseCertificateRequest(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])),
      MalformedCsrError,
      "malformedCsr",
    );
    const certificatePem = x509.PemConverter.encode(der.slice().buffer, "CERTIFICATE");
    await rejectsWith(parseCertificateRequest(certificatePem), MalformedCsrError, "malformedCsr");
  });

  it("bad signature -> CsrSignatureError (badSignature)", async () => {
    const { der } = await makeCsr({ commonName: "www.alice.eth", dnsNames: ["www.alice.eth"] });
    // Tamper with the signed data: the first "www" (in the subject CN) becomes "xww".
    const tampered = der.slice();
    const at = Buffer.from(tampered).indexOf("www.alice.eth");
    tampered[at] = "x".charCodeAt(0);
    await rejectsWith(parseCertificateRequest(tampered), CsrSignatureError, "badSignature");
    // Or a changed signature value: the last byte of `s`.
    const badSignature = der.slice();
    badSignature[der.length - 1] = (der[der.length - 1] as number) ^ 0x01;
    await rejectsWith(parseCertificateRequest(badSignature), CsrSignatureError, "badSignature");
    // OpenSSL agrees (OpenSSL 3.0 prints the failure but still exits 0).
    const verify = openssl(["req", "-inform", "DER", "-verify", "-noout"], { input: tampered });
    assert.match(verify.stdout + verify.stderr, /self-signature verify failure/);
  });

  for (const [label, key] of [
    ["RSA 2048", ["RSA", "-pkeyopt", "rsa_keygen_bits:2048"]],
    ["Ed25519", ["ED25519"]],
    ["P-384", ecKey("secp384r1")],
  ] as const) {
    it(`unsupported key type ${label} -> UnsupportedKeyTypeError (unsupportedKeyType)`, async () => {
      const { der } = opensslCsr(dir, {
        key: [...key],
        subject: "/CN=www.alice.eth",
        sans: "DNS:www.alice.eth",
      });
      await rejectsWith(
        parseCertificateRequest(der),
        UnsupportedKeyTypeError,
        "unsupportedKeyType",
      );
    });
  }

  for (const san of [
    "www.bob.eth",
    "alice.eth",
    "xwww.alice.eth",
    "www.alice.eth.evil.com",
    `www.bob.${BRIDGE}`,
    BRIDGE,
    "*.alice.eth",
    "www_1.alice.eth",
  ]) {
    it(`SAN ${san} outside www.alice.eth -> SanOutsideSubtreeError (sanOutsideSubtree)`, async () => {
      const { der } = await makeCsr({ dnsNames: ["www.alice.eth", san] });
      await rejectsWith(
        checkCertificateRequest(der, endEntity),
        SanOutsideSubtreeError,
        "sanOutsideSubtree",
      );
    });
  }

  it("a non-dNSName SAN (IP, email) -> SanOutsideSubtreeError", async () => {
    for (const sans of ["DNS:www.alice.eth,IP:127.0.0.1", "DNS:www.alice.eth,email:a@alice.eth"]) {
      const { der } = opensslCsr(dir, {
        key: ecKey("prime256v1"),
        subject: "/CN=www.alice.eth",
        sans,
      });
      await rejectsWith(
        checkCertificateRequest(der, endEntity),
        SanOutsideSubtreeError,
        "sanOutsideSubtree",
      );
    }
  });

  it("CN not among the SANs -> CommonNameNotInSansError (cnNotInSans)", async () => {
    const { der } = await makeCsr({ commonName: "api.www.alice.eth", dnsNames: ["www.alice.eth"] });
    await rejectsWith(
      checkCertificateRequest(der, endEntity),
      CommonNameNotInSansError,
      "cnNotInSans",
    );
    const fromOpenssl = opensslCsr(dir, {
      key: ecKey("prime256v1"),
      subject: "/CN=evil.example",
      sans: "DNS:www.alice.eth",
    });
    await rejectsWith(
      checkCertificateRequest(fromOpenssl.der, endEntity),
      CommonNameNotInSansError,
      "cnNotInSans",
    );
  });

  it("end-entity without SAN -> MissingSanError (missingSan)", async () => {
    const { der } = await makeCsr({ commonName: "www.alice.eth" });
    await rejectsWith(checkCertificateRequest(der, endEntity), MissingSanError, "missingSan");
  });

  it(`oversized CSR (> ${MAX_CSR_BYTES} bytes) -> CsrTooLargeError (csrTooLarge)`, async () => {
    const dnsNames = Array.from({ length: 250 }, (_, index) => `host${index}.www.alice.eth`);
    const { der } = await makeCsr({ dnsNames });
    assert.ok(der.length > MAX_CSR_BYTES, `${der.length}`);
    await rejectsWith(parseCertificateRequest(der), CsrTooLargeError, "csrTooLarge");
    await rejectsWith(parseCertificateRequest(toHex(der)), CsrTooLargeError, "csrTooLarge");
    // Size is checked before anything else: a big garbage blob is "too large", not "malformed".
    await rejectsWith(
      parseCertificateRequest(new Uint8Array(MAX_CSR_BYTES + 1)),
      CsrTooLargeError,
      "csrTooLarge",
    );
  });

  it("an order name that is not a normalized LDH .eth name -> InvalidCertificateNameError", async () => {
    const { der } = await makeCsr({ dnsNames: ["www.alice.eth"] });
    const info = await parseCertificateRequest(der);
    for (const name of ["WWW.alice.eth", "www.alice.com", "💩.eth", "eth"])
      assert.throws(
        () => assertCsrNames(info, { ...endEntity, name }),
        InvalidCertificateNameError,
      );
  });
});
