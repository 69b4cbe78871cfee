import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "viem";
import { tlsaOwnerName } from "./certificateRecordTypes.ts";
import { certCrypto, x509 } from "./cryptoProvider.ts";
import { InvalidCertificateChainError } from "./errors.ts";

/** Default TTL of the published TLSA record, in seconds. */
export const DEFAULT_TLSA_TTL = 3600;

/** A PEM chain (end-entity first, then intermediates, then the root), one block a certificate, "\n"-terminated. */
export function buildPemChain(certificates: readonly x509.X509Certificate[]): string {
  if (certificates.length === 0) throw new InvalidCertificateChainError("the chain is empty");
  // @peculiar/x509 2.x writes PEM without a trailing newline.
  return `${certificates.map((certificate) => certificate.toString("pem")).join("\n")}\n`;
}

/** Parses a PEM chain into certificates, in file order; every block must be a CERTIFICATE. */
export function parsePemChain(pem: string): x509.X509Certificate[] {
  let blocks: ReturnType<typeof x509.PemConverter.decodeWithHeaders>;
  try {
    blocks = x509.PemConverter.decodeWithHeaders(pem);
  } catch (error) {
    throw new InvalidCertificateChainError(`not PEM (${(error as Error).message})`);
  }
  if (blocks.length === 0) throw new InvalidCertificateChainError("no PEM block found");
  return blocks.map((block, index) => {
    if (block.type !== "CERTIFICATE")
      throw new InvalidCertificateChainError(
        `block ${index + 1} is ${block.type}, not CERTIFICATE`,
      );
    try {
      return new x509.X509Certificate(block.rawData);
    } catch (error) {
      throw new InvalidCertificateChainError(
        `block ${index + 1} is not a certificate (${(error as Error).message})`,
      );
    }
  });
}

/**
 * Checks that each certificate is signed by the next one (issuer name and signature), the last is
 * a self-signed root and, when `root` is given, is that root. Validity dates are not checked.
 */
export async function verifyCertificateChainLinks(
  certificates: readonly x509.X509Certificate[],
  { root }: { root?: x509.X509Certificate } = {},
): Promise<void> {
  const last = certificates.at(-1);
  if (!last) throw new InvalidCertificateChainError("the chain is empty");
  for (const [index, certificate] of certificates.entries()) {
    const issuer = certificates[index + 1] ?? certificate;
    if (certificate.issuer !== issuer.subject)
      throw new InvalidCertificateChainError(
        `certificate ${index + 1} (${certificate.subject}) is not issued by ${issuer.subject}`,
      );
    const signed = await certificate.verify(
      { publicKey: issuer.publicKey, signatureOnly: true },
      certCrypto,
    );
    if (!signed)
      throw new InvalidCertificateChainError(
        `certificate ${index + 1} (${certificate.subject}) has a bad signature`,
      );
  }
  if (root && !last.equal(root))
    throw new InvalidCertificateChainError("the chain does not end at the expected root");
}

/** The subjectAltName dNSNames of a certificate, in order. */
export function certificateDnsNames(certificate: x509.X509Certificate): string[] {
  const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
  return san ? san.names.items.filter((item) => item.type === "dns").map((item) => item.value) : [];
}

/** True when a certificate's SANs cover `name`: equal to it, or a `*.` wildcard for its parent. */
export function certificateCoversName(certificate: x509.X509Certificate, name: string): boolean {
  const lower = name.toLowerCase();
  const parent = lower.slice(lower.indexOf(".") + 1);
  return certificateDnsNames(certificate).some(
    (san) => san.toLowerCase() === lower || san.toLowerCase() === `*.${parent}`,
  );
}

/** TLSA `3 1 1` data: SHA-256 of the certificate's SubjectPublicKeyInfo DER, lowercase hex. */
export function computeTlsaSpkiSha256(certificate: x509.X509Certificate): string {
  return bytesToHex(sha256(new Uint8Array(certificate.publicKey.rawData))).slice(2);
}

/** A certificate's TLSA RDATA in presentation form, `3 1 1 <hex>` (the CA's `org.ensgate.ca.tlsa`). */
export function buildTlsaPin(certificate: x509.X509Certificate): string {
  return `3 1 1 ${computeTlsaSpkiSha256(certificate)}`;
}

/**
 * The zone fragment line of a certificate's TLSA record (DANE-EE, SPKI, SHA-256):
 * `_443._tcp.<name>. <ttl> IN TLSA 3 1 1 <hex>`, as lib's `dnsRecord` value accepts it.
 */
export function buildTlsaZoneLine(
  name: string,
  certificate: x509.X509Certificate,
  { ttl = DEFAULT_TLSA_TTL, port = 443 }: { ttl?: number; port?: number } = {},
): string {
  return `${tlsaOwnerName(name, port)}. ${ttl} IN TLSA 3 1 1 ${computeTlsaSpkiSha256(certificate)}`;
}
