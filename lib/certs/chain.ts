import { tlsaOwnerName } from "./certificateRecordTypes.ts";
import { certCrypto, type x509 } from "./cryptoProvider.ts";
import { InvalidCertificateChainError } from "./errors.ts";
import { computeTlsaSpkiSha256 } from "./pemChain.ts";

export {
  buildTlsaPin,
  certificateCoversName,
  certificateDnsNames,
  computeTlsaSpkiSha256,
  parsePemChain,
} from "./pemChain.ts";

/** Default TTL of the published TLSA record, in seconds. */
export const DEFAULT_TLSA_TTL = 3600;

/** A PEM chain (end-entity first, then intermediates, then the root), one block a certificate, "\n"-terminated. */
export function buildPemChain(certificates: readonly x509.X509Certificate[]): string {
  if (certificates.length === 0) throw new InvalidCertificateChainError("the chain is empty");
  // @peculiar/x509 2.x writes PEM without a trailing newline.
  return `${certificates.map((certificate) => certificate.toString("pem")).join("\n")}\n`;
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
