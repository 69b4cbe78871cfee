import { p256 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { AsnConvert } from "@peculiar/asn1-schema";
import { BasicConstraints, Certificate, id_ce_basicConstraints } from "@peculiar/asn1-x509";
import { sha256Hex } from "./didIds.ts";
import { InvalidCertificateChainError } from "./errors.ts";
import type { ParsedEnsDid } from "./parseEnsDid.ts";

/** The public JWK of a certificate method, with the chain in `x5c` (RFC 7517 §4.7). */
export type CertificateJwk = {
  kty: "EC";
  crv: "P-256" | "secp256k1";
  x: string;
  y: string;
  x5c: string[];
};

/** A `JsonWebKey2020` verification method built from an issued certificate chain. */
export type CertificateVerificationMethod = {
  id: string;
  type: "JsonWebKey2020";
  controller: string;
  publicKeyJwk: CertificateJwk;
};

/** A certificate method and whether its end-entity certificate is a CA (basicConstraints cA). */
export type CertificateMethodBuild = {
  method: CertificateVerificationMethod;
  isCertificateAuthority: boolean;
};

/** The JSON-LD context that defines `JsonWebKey2020`, appended when a document has certificate methods. */
export const JWS_2020_CONTEXT = "https://w3id.org/security/suites/jws-2020/v1";

const EC_PUBLIC_KEY = "1.2.840.10045.2.1";
/** DER of the named-curve OIDs: prime256v1 (1.2.840.10045.3.1.7) and secp256k1 (1.3.132.0.10). */
const CURVES = [
  { der: "06082a8648ce3d030107", crv: "P-256", point: p256.Point, size: 32 },
  { der: "06052b8104000a", crv: "secp256k1", point: secp256k1.Point, size: 32 },
] as const;

/** Splits a PEM text into the DER bytes of its CERTIFICATE blocks, in order. */
export function parsePemCertificates(pem: string): Uint8Array[] {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([^-]*)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) throw new InvalidCertificateChainError("no PEM CERTIFICATE block");
  return blocks.map((block, index) => {
    try {
      return base64ToBytes((block[1] as string).replaceAll(/\s+/g, ""));
    } catch (cause) {
      throw new InvalidCertificateChainError(`certificate ${index} is not base64`, { cause });
    }
  });
}

/**
 * Builds the `JsonWebKey2020` method of a PEM chain (end-entity first): `publicKeyJwk` is the
 * end-entity's P-256 or secp256k1 key with `x5c` the chain (base64 DER), and the id is
 * `<canonical DID>#cert-<lowercase hex sha256 of the end-entity DER>`.
 */
export function buildCertificateMethod(
  parsed: ParsedEnsDid,
  pemChain: string,
): CertificateMethodBuild {
  const ders = parsePemCertificates(pemChain);
  const certificates = ders.map((der, index) => {
    try {
      return AsnConvert.parse(der, Certificate);
    } catch (cause) {
      throw new InvalidCertificateChainError(`certificate ${index} is not DER X.509`, { cause });
    }
  });
  for (let index = 0; index + 1 < certificates.length; index++) {
    const issuer = AsnConvert.serialize((certificates[index] as Certificate).tbsCertificate.issuer);
    const next = AsnConvert.serialize(
      (certificates[index + 1] as Certificate).tbsCertificate.subject,
    );
    if (!sameBytes(new Uint8Array(issuer), new Uint8Array(next)))
      throw new InvalidCertificateChainError(
        `certificate ${index}'s issuer is not certificate ${index + 1}'s subject`,
      );
  }
  const endEntity = certificates[0] as Certificate;
  const endEntityDer = ders[0] as Uint8Array;
  const { crv, x, y } = ecPublicKey(endEntity);
  return {
    method: {
      id: `${parsed.canonicalDid}#cert-${sha256Hex(endEntityDer)}`,
      type: "JsonWebKey2020",
      controller: parsed.canonicalDid,
      publicKeyJwk: { kty: "EC", crv, x, y, x5c: ders.map((der) => bytesToBase64(der)) },
    },
    isCertificateAuthority: isCertificateAuthority(endEntity),
  };
}

function ecPublicKey(certificate: Certificate): {
  crv: CertificateJwk["crv"];
  x: string;
  y: string;
} {
  const spki = certificate.tbsCertificate.subjectPublicKeyInfo;
  if (spki.algorithm.algorithm !== EC_PUBLIC_KEY || !spki.algorithm.parameters)
    throw new InvalidCertificateChainError(
      `end-entity key algorithm ${spki.algorithm.algorithm} is not an EC key`,
    );
  const parameters = bytesToHex(new Uint8Array(spki.algorithm.parameters));
  const curve = CURVES.find((candidate) => candidate.der === parameters);
  if (!curve)
    throw new InvalidCertificateChainError(
      "end-entity key is on a curve other than P-256 or secp256k1",
    );
  let point: Uint8Array;
  try {
    point = curve.point.fromBytes(new Uint8Array(spki.subjectPublicKey)).toBytes(false);
  } catch (cause) {
    throw new InvalidCertificateChainError("end-entity public key is not a point on its curve", {
      cause,
    });
  }
  return {
    crv: curve.crv,
    x: bytesToBase64(point.subarray(1, 1 + curve.size), true),
    y: bytesToBase64(point.subarray(1 + curve.size), true),
  };
}

function isCertificateAuthority(certificate: Certificate): boolean {
  const extension = certificate.tbsCertificate.extensions?.find(
    (candidate) => candidate.extnID === id_ce_basicConstraints,
  );
  if (!extension) return false;
  return AsnConvert.parse(extension.extnValue.buffer, BasicConstraints).cA;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function bytesToBase64(bytes: Uint8Array, url = false): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const base64 = btoa(binary);
  return url ? base64.replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "") : base64;
}

function base64ToBytes(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}
