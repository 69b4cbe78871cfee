import { secp256k1 } from "@noble/curves/secp256k1.js";
import { AsnConvert } from "@peculiar/asn1-schema";
import { SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { type Address, bytesToHex, type Hex, hexToBytes, isHex } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import { certCrypto, x509 } from "./cryptoProvider.ts";
import {
  CommonNameNotInSansError,
  CsrSignatureError,
  CsrTooLargeError,
  MalformedCsrError,
  MissingSanError,
  SanOutsideSubtreeError,
  UnsupportedKeyTypeError,
} from "./errors.ts";
import { type CertificateKeyType, keyTypeOf } from "./keys.ts";
import type { CertificateOrderKind } from "./orderKind.ts";
import { certificateSubtrees, isWithinSubtrees } from "./subtree.ts";

/** Largest CSR (DER bytes) accepted; equals `CertificateOrders.MAX_CSR_LENGTH`. */
export const MAX_CSR_BYTES = 4096;
/** Syntax of a dNSName lib/certs issues: lowercase LDH labels, optionally a leading `*.` label. */
const DNS_NAME = /^(\*\.)?((?!-)[a-z0-9-]{1,63}(?<!-)\.)+(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A CSR that parsed and whose signature verified, with the fields the CA decides on. */
export type CertificateRequestInfo = {
  /** The CSR's DER bytes. */
  der: Uint8Array;
  request: x509.Pkcs10CertificateRequest;
  /** The subject public key, to put in the issued certificate. */
  publicKey: x509.PublicKey;
  keyType: CertificateKeyType;
  /** The EC point, uncompressed (`0x04 || x || y`). */
  publicKeyPoint: Hex;
  /** The Ethereum address of a secp256k1 key (to compare with the name's addr record). */
  ethereumAddress: Address | undefined;
  /** The subject's commonName values (normally zero or one). */
  commonNames: string[];
  /** subjectAltName dNSNames, lowercased, in CSR order. */
  dnsNames: string[];
  /** subjectAltNames of other types, as `type:value` (always refused by `assertCsrNames`). */
  otherNames: string[];
};

/** Where a CSR may point: the ordered name, its bridge domain and the order kind. */
export type CsrNameScope = { name: string; bridgeDomain: string; kind: CertificateOrderKind };

/** Decodes a CSR given as DER bytes, 0x-hex of DER (as the order event carries it) or PEM. */
export function decodeCsrBytes(input: Uint8Array | string): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (isHex(input, { strict: true })) return hexToBytes(input as Hex);
  if (input.includes("-----BEGIN")) {
    try {
      const [block] = x509.PemConverter.decodeWithHeaders(input);
      if (!block || !/^(NEW )?CERTIFICATE REQUEST$/.test(block.type))
        throw new Error(`PEM block is ${block?.type ?? "missing"}, not CERTIFICATE REQUEST`);
      return new Uint8Array(block.rawData);
    } catch (error) {
      throw new MalformedCsrError((error as Error).message);
    }
  }
  throw new MalformedCsrError("expected DER bytes, 0x-hex or PEM");
}

/**
 * Parses a PKCS#10 CSR and checks it on its own: size (≤ `maxBytes`), DER structure, key type
 * (P-256 or secp256k1) and self-signature. Throws the matching `CsrRejectedError` subclass.
 */
export async function parseCertificateRequest(
  input: Uint8Array | string,
  { maxBytes = MAX_CSR_BYTES }: { maxBytes?: number } = {},
): Promise<CertificateRequestInfo> {
  if (typeof input === "string" && input.length > 4 * maxBytes + 256)
    throw new CsrTooLargeError(input.length, maxBytes);
  const der = decodeCsrBytes(input);
  if (der.length > maxBytes) throw new CsrTooLargeError(der.length, maxBytes);
  assertSingleDerSequence(der);
  let request: x509.Pkcs10CertificateRequest;
  let publicKey: x509.PublicKey;
  try {
    request = new x509.Pkcs10CertificateRequest(der.slice());
    publicKey = request.publicKey;
  } catch (error) {
    throw new MalformedCsrError((error as Error).message);
  }
  const keyType = keyTypeOf(publicKey);
  if (!keyType) throw new UnsupportedKeyTypeError(describeKeyAlgorithm(publicKey));
  let verified = false;
  try {
    verified = await request.verify(certCrypto);
  } catch {
    verified = false;
  }
  if (!verified) throw new CsrSignatureError();
  const publicKeyPoint = readPublicKeyPoint(publicKey, keyType);
  let commonNames: string[];
  let sans: { type: string; value: string }[];
  try {
    commonNames = request.subjectName.getField("CN");
    sans = [];
    for (const extension of request.getExtensions("2.5.29.17"))
      for (const san of new x509.SubjectAlternativeNameExtension(extension.rawData).names.toJSON())
        sans.push({ type: san.type, value: san.value });
  } catch (error) {
    throw new MalformedCsrError((error as Error).message);
  }
  return {
    der,
    request,
    publicKey,
    keyType,
    publicKeyPoint,
    ethereumAddress: keyType === "secp256k1" ? publicKeyToAddress(publicKeyPoint) : undefined,
    commonNames,
    dnsNames: sans.filter((san) => san.type === "dns").map((san) => san.value.toLowerCase()),
    otherNames: sans.filter((san) => san.type !== "dns").map((san) => `${san.type}:${san.value}`),
  };
}

/**
 * Checks a parsed CSR's names against the order: every SAN is a dNSName inside the name's subtree
 * or its bridge name's; an end-entity needs one SAN at least and its CN among the SANs; an
 * intermediate's CN may also be the name or its bridge name.
 */
export function assertCsrNames(info: CertificateRequestInfo, scope: CsrNameScope): void {
  const subtrees = certificateSubtrees(scope.name, scope.bridgeDomain);
  const [other] = info.otherNames;
  if (other !== undefined) throw new SanOutsideSubtreeError(other, subtrees);
  if (scope.kind === "endEntity" && info.dnsNames.length === 0) throw new MissingSanError();
  for (const san of info.dnsNames)
    if (!DNS_NAME.test(san) || !isWithinSubtrees(san, subtrees))
      throw new SanOutsideSubtreeError(san, subtrees);
  const allowedCommonNames = new Set(
    scope.kind === "intermediate" ? [...info.dnsNames, ...subtrees] : info.dnsNames,
  );
  for (const commonName of info.commonNames)
    if (!allowedCommonNames.has(commonName.toLowerCase()))
      throw new CommonNameNotInSansError(commonName);
}

/** Parses a CSR and checks it against the order (`parseCertificateRequest` + `assertCsrNames`). */
export async function checkCertificateRequest(
  input: Uint8Array | string,
  scope: CsrNameScope & { maxBytes?: number },
): Promise<CertificateRequestInfo> {
  const info = await parseCertificateRequest(input, { maxBytes: scope.maxBytes });
  assertCsrNames(info, scope);
  return info;
}

/** Rejects input that is not exactly one DER SEQUENCE (no trailing bytes, definite length). */
function assertSingleDerSequence(der: Uint8Array): void {
  if (der.length < 2 || der[0] !== 0x30) throw new MalformedCsrError("no outer SEQUENCE");
  const first = der[1] as number;
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > 4) throw new MalformedCsrError("bad outer length");
    length = 0;
    for (let index = 0; index < octets; index++) length = length * 256 + (der[2 + index] ?? 0);
    header += octets;
  }
  if (header + length !== der.length)
    throw new MalformedCsrError(
      `outer SEQUENCE is ${header + length} bytes but ${der.length} were given`,
    );
}

/** The uncompressed EC point of an SPKI (decompressing a compressed secp256k1 point). */
function readPublicKeyPoint(publicKey: x509.PublicKey, keyType: CertificateKeyType): Hex {
  const spki = AsnConvert.parse(publicKey.rawData, SubjectPublicKeyInfo);
  const point = new Uint8Array(spki.subjectPublicKey);
  if (point[0] === 0x04) return bytesToHex(point);
  if (keyType === "secp256k1") return bytesToHex(secp256k1.Point.fromBytes(point).toBytes(false));
  throw new MalformedCsrError("compressed P-256 points are not supported");
}

/** A short description of a key algorithm for error messages (`RSA`, `ECDSA P-384`, `Ed25519`). */
function describeKeyAlgorithm(publicKey: x509.PublicKey): string {
  const algorithm = publicKey.algorithm as Partial<EcKeyAlgorithm> & { name?: string };
  return [algorithm.name ?? "unknown", algorithm.namedCurve].filter(Boolean).join(" ");
}
