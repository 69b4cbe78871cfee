// Reading certificates without a crypto provider: PEM chains, SANs and the TLSA `3 1 1` pin.
// Nothing here verifies a signature, so it runs anywhere @peculiar/x509 parses (the web app too);
// chain.ts re-exports it next to what needs the provider.
import "reflect-metadata";
import { sha256 } from "@noble/hashes/sha2.js";
import * as x509 from "@peculiar/x509";
import { bytesToHex } from "viem";
import { InvalidCertificateChainError } from "./errors.ts";

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
