// Test certificates for did:ens certificate methods, built with @peculiar/x509: a self-signed CA
// and end-entity chains on P-256 (Node's WebCrypto) and secp256k1 (@peculiar/webcrypto).

import "reflect-metadata";
import { Crypto } from "@peculiar/webcrypto";
import * as x509 from "@peculiar/x509";

const peculiar = new Crypto();
x509.cryptoProvider.set(peculiar);

/** A curve the certificate methods support. */
export type TestCurve = "P-256" | "K-256";

/** A generated certificate chain (end-entity first) with the end-entity's public JWK. */
export type TestChain = {
  pem: string;
  ders: Uint8Array[];
  publicJwk: JsonWebKey;
};

const algorithm = (namedCurve: TestCurve) => ({ name: "ECDSA", namedCurve, hash: "SHA-256" });

async function keys(curve: TestCurve): Promise<CryptoKeyPair> {
  return (await peculiar.subtle.generateKey(algorithm(curve), true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
}

/** A self-signed certificate (optionally a CA) for `name` on `curve`. */
export async function selfSigned(
  name: string,
  curve: TestCurve,
  { ca = false }: { ca?: boolean } = {},
): Promise<{ certificate: x509.X509Certificate; keys: CryptoKeyPair }> {
  const pair = await keys(curve);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: `CN=${name}`,
    notBefore: new Date("2025-01-01T00:00:00Z"),
    notAfter: new Date("2035-01-01T00:00:00Z"),
    signingAlgorithm: algorithm(curve),
    keys: pair,
    extensions: [new x509.BasicConstraintsExtension(ca, ca ? 0 : undefined, true)],
  });
  return { certificate, keys: pair };
}

/** An end-entity certificate for `name` issued by `issuer` (end-entity first in the chain). */
export async function issued(
  name: string,
  curve: TestCurve,
  issuer: { certificate: x509.X509Certificate; keys: CryptoKeyPair },
  issuerCurve: TestCurve,
): Promise<{ certificate: x509.X509Certificate; keys: CryptoKeyPair }> {
  const pair = await keys(curve);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: "02",
    subject: `CN=${name}`,
    issuer: issuer.certificate.subject,
    notBefore: new Date("2025-01-01T00:00:00Z"),
    notAfter: new Date("2026-01-01T00:00:00Z"),
    signingAlgorithm: algorithm(issuerCurve),
    publicKey: pair.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.SubjectAlternativeNameExtension([{ type: "dns", value: name }]),
    ],
  });
  return { certificate, keys: pair };
}

/** The chain's PEM (end-entity first), DER bytes and the end-entity's exported public JWK. */
export async function toChain(
  certificates: { certificate: x509.X509Certificate; keys: CryptoKeyPair }[],
): Promise<TestChain> {
  const [endEntity] = certificates;
  if (!endEntity) throw new Error("empty chain");
  return {
    pem: certificates.map(({ certificate }) => certificate.toString("pem")).join("\n"),
    ders: certificates.map(({ certificate }) => new Uint8Array(certificate.rawData)),
    publicJwk: await peculiar.subtle.exportKey("jwk", endEntity.keys.publicKey),
  };
}
