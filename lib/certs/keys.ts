import { certCrypto, x509 } from "./cryptoProvider.ts";
import { CertificateIssueError } from "./errors.ts";

/** The key types lib/certs accepts: ECDSA over P-256, or over secp256k1 (Ethereum keys). */
export type CertificateKeyType = "P-256" | "secp256k1";

/** WebCrypto curve names of each key type (@peculiar/webcrypto calls secp256k1 `K-256`). */
const WEBCRYPTO_CURVES: Record<CertificateKeyType, string> = {
  "P-256": "P-256",
  secp256k1: "K-256",
};

/** ECDSA with SHA-256: the signature algorithm of every CSR and certificate lib/certs makes. */
export const ECDSA_SHA256: EcdsaParams = { name: "ECDSA", hash: "SHA-256" };

/** The WebCrypto import/generate parameters of a key type. */
export function keyAlgorithmOf(keyType: CertificateKeyType): EcKeyImportParams {
  return { name: "ECDSA", namedCurve: WEBCRYPTO_CURVES[keyType] };
}

/** The key type of a WebCrypto or X.509 public key, or `undefined` when it is not one we accept. */
export function keyTypeOf(key: CryptoKey | x509.PublicKey): CertificateKeyType | undefined {
  const algorithm = key.algorithm as Partial<EcKeyAlgorithm>;
  if (algorithm.name !== "ECDSA") return undefined;
  if (algorithm.namedCurve === "P-256") return "P-256";
  if (algorithm.namedCurve === "K-256") return "secp256k1";
  return undefined;
}

/** Generates an ECDSA key pair (P-256 by default); `extractable` lets the CA persist it. */
export async function generateCertificateKeyPair(
  keyType: CertificateKeyType = "P-256",
  extractable = true,
): Promise<CryptoKeyPair> {
  return (await certCrypto.subtle.generateKey(keyAlgorithmOf(keyType), extractable, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
}

/** Exports a private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, trailing newline). */
export async function exportPrivateKeyPem(privateKey: CryptoKey): Promise<string> {
  const der = await certCrypto.subtle.exportKey("pkcs8", privateKey);
  return `${x509.PemConverter.encode(der, "PRIVATE KEY")}\n`;
}

/** Imports a PKCS#8 PEM (or DER) private key and derives its public key: a usable key pair. */
export async function importPrivateKeyPem(
  pem: string | Uint8Array,
  keyType: CertificateKeyType,
): Promise<CryptoKeyPair> {
  const der =
    typeof pem === "string" ? x509.PemConverter.decodeFirst(pem) : new Uint8Array(pem).buffer;
  const algorithm = keyAlgorithmOf(keyType);
  let privateKey: CryptoKey;
  try {
    privateKey = await certCrypto.subtle.importKey("pkcs8", der, algorithm, true, ["sign"]);
  } catch (error) {
    throw new CertificateIssueError(`the private key is not a PKCS#8 ${keyType} key`, {
      cause: error,
    });
  }
  const {
    d: _d,
    key_ops: _ops,
    ...publicJwk
  } = await certCrypto.subtle.exportKey("jwk", privateKey);
  const publicKey = await certCrypto.subtle.importKey("jwk", publicJwk, algorithm, true, [
    "verify",
  ]);
  return { privateKey, publicKey };
}
