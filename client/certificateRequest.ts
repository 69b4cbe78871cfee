// Building a certificate order's CSR: ECDSA/SHA-256 over the subject key, CN = the name, SANs =
// the name and its bridge name (an intermediate CSR for a domain CA carries the same names).
import { bridgeName, certCrypto, ECDSA_SHA256, x509 } from "../lib/certs/index.ts";

/** A DER CSR for `name` (and its bridge name) signed by `keys`. */
export async function buildCertificateRequest(
  keys: CryptoKeyPair,
  { name, bridgeDomain, dnsNames }: { name: string; bridgeDomain: string; dnsNames?: string[] },
): Promise<Uint8Array> {
  const names = dnsNames ?? [name, bridgeName(name, bridgeDomain)];
  const request = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: [{ CN: [name] }],
      keys,
      signingAlgorithm: ECDSA_SHA256,
      extensions: [
        new x509.SubjectAlternativeNameExtension(
          names.map((value) => ({ type: "dns" as const, value })),
        ),
      ],
    },
    certCrypto,
  );
  return new Uint8Array(request.rawData);
}
