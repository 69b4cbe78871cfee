import { AsnConvert } from "@peculiar/asn1-schema";
import {
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  id_ce_nameConstraints,
  NameConstraints,
} from "@peculiar/asn1-x509";
import { bytesToHex } from "viem";
import { certCrypto, x509 } from "./cryptoProvider.ts";
import { CertificateIssueError } from "./errors.ts";
import { type CertificateKeyType, ECDSA_SHA256, generateCertificateKeyPair } from "./keys.ts";
import { certificateSubtrees } from "./subtree.ts";

/** Longest end-entity validity the CA grants, in days (as Let's Encrypt). */
export const MAX_END_ENTITY_VALIDITY_DAYS = 90;
/**
 * Default end-entity validity: 160 hours, as Let's Encrypt's short-lived profile. A short-lived
 * certificate needs no revocation check to stop being trusted soon after its owner loses the
 * name; the CA renews it while the order's paid period lasts (docs/certificates.md).
 */
export const DEFAULT_END_ENTITY_VALIDITY_HOURS = 160;
/** Default validity of a root CA (10 years) and of a per-domain intermediate (1 year), in days. */
export const DEFAULT_ROOT_VALIDITY_DAYS = 3650;
export const DEFAULT_INTERMEDIATE_VALIDITY_DAYS = 365;
/** Backdating of `notBefore`, in seconds, so that clients with a slow clock accept new certificates. */
const BACKDATE_SECONDS = 60;
const DAY_MS = 86_400_000;
/** Syntax of an issued dNSName (lowercase LDH labels, optional leading `*.`). */
const DNS_NAME = /^(\*\.)?((?!-)[a-z0-9-]{1,63}(?<!-)\.)+(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A CA that can sign: its certificate and its private key (a WebCrypto key). */
export type CertificateAuthority = { certificate: x509.X509Certificate; privateKey: CryptoKey };

/** A subject public key: from a parsed CSR (`x509.PublicKey`) or a WebCrypto public key. */
export type SubjectPublicKey = x509.PublicKey | CryptoKey;

/**
 * Common validity options; `now` defaults to the current time. `validityDays` may be fractional
 * (160 hours is 6.67 days). `crlDistributionPoints` are the URLs of the issuer's CRL.
 */
export type ValidityOptions = {
  now?: Date;
  validityDays?: number;
  crlDistributionPoints?: readonly string[];
};

/** Inputs of `createRootCa`. */
export type CreateRootCaParameters = ValidityOptions & {
  /** Subject commonName; default `ensgate Root CA`. */
  commonName?: string;
  /** An existing key pair; otherwise one of `keyType` (default P-256) is generated. */
  keys?: CryptoKeyPair;
  keyType?: CertificateKeyType;
};

/** Inputs of `issueIntermediateCa`: the root, the domain and the intermediate's public key. */
export type IssueIntermediateCaParameters = ValidityOptions & {
  issuer: CertificateAuthority;
  /** The ENS domain (e.g. `alice.eth`); it and its bridge name become the permitted subtrees. */
  name: string;
  bridgeDomain: string;
  publicKey: SubjectPublicKey;
};

/** Inputs of `issueEndEntity`: the intermediate, the subject key and its dNSNames. */
export type IssueEndEntityParameters = ValidityOptions & {
  issuer: CertificateAuthority;
  publicKey: SubjectPublicKey;
  /** subjectAltName dNSNames (not checked against the issuer's constraints: `assertCsrNames` does). */
  dnsNames: readonly string[];
  /** Subject CN: one of `dnsNames` (default: the first), or `null` for an empty subject. */
  commonName?: string | null;
};

/** A random positive 16-byte serial number as hex (top bit clear, first byte non-zero). */
export function randomSerialNumber(): string {
  const bytes = certCrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] as number) & 0x7f || 0x01;
  return bytesToHex(bytes).slice(2);
}

/** Creates a self-signed root CA (CA:TRUE, keyCertSign/cRLSign, SKI and AKI); generates its key. */
export async function createRootCa(
  parameters: CreateRootCaParameters = {},
): Promise<CertificateAuthority> {
  const keys = parameters.keys ?? (await generateCertificateKeyPair(parameters.keyType));
  const { notBefore, notAfter } = validity(parameters, DEFAULT_ROOT_VALIDITY_DAYS);
  const ski = await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, certCrypto);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialNumber(),
      name: [{ CN: [parameters.commonName ?? "ensgate Root CA"] }, { O: ["ensgate"] }],
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: ECDSA_SHA256,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        ski,
        new x509.AuthorityKeyIdentifierExtension(ski.keyId),
      ],
    },
    certCrypto,
  );
  return { certificate, privateKey: keys.privateKey };
}

/**
 * Issues the intermediate CA of one ENS domain: CA:TRUE with pathLen 0 (critical), keyCertSign/
 * cRLSign, and critical Name Constraints permitting only the name and its bridge name as dNSName
 * subtrees (and excluding every IP address), so it can sign end-entities for that domain only.
 */
export async function issueIntermediateCa(
  parameters: IssueIntermediateCaParameters,
): Promise<x509.X509Certificate> {
  const subtrees = certificateSubtrees(parameters.name, parameters.bridgeDomain);
  return sign(parameters, {
    subject: [{ CN: [parameters.name] }, { O: ["ensgate domain CA"] }],
    defaultDays: DEFAULT_INTERMEDIATE_VALIDITY_DAYS,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      buildNameConstraintsExtension(subtrees),
    ],
  });
}

/**
 * Issues an end-entity TLS server certificate: CA:FALSE, digitalSignature, serverAuth, the given
 * SANs, a CN among them (or none), validity 160 hours by default (at most 90 days) and within the
 * issuer's.
 */
export async function issueEndEntity(
  parameters: IssueEndEntityParameters,
): Promise<x509.X509Certificate> {
  const dnsNames = [...new Set(parameters.dnsNames.map((name) => name.toLowerCase()))];
  if (dnsNames.length === 0) throw new CertificateIssueError("an end-entity needs a dNSName");
  for (const name of dnsNames)
    if (!DNS_NAME.test(name)) throw new CertificateIssueError(`"${name}" is not a DNS name`);
  const validityDays = parameters.validityDays ?? DEFAULT_END_ENTITY_VALIDITY_HOURS / 24;
  if (!(validityDays > 0 && validityDays <= MAX_END_ENTITY_VALIDITY_DAYS))
    throw new CertificateIssueError(
      `validity of ${validityDays} days is outside 1-${MAX_END_ENTITY_VALIDITY_DAYS}`,
    );
  const commonName =
    parameters.commonName === undefined ? dnsNames[0] : parameters.commonName?.toLowerCase();
  if (commonName !== undefined && commonName !== null && !dnsNames.includes(commonName))
    throw new CertificateIssueError(`CN ${commonName} is not one of the subjectAltNames`);
  return sign(
    { ...parameters, validityDays },
    {
      subject: commonName ? [{ CN: [commonName] }] : [],
      defaultDays: MAX_END_ENTITY_VALIDITY_DAYS,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        // RFC 5280 §4.2.1.6: with an empty subject the SAN extension must be critical.
        new x509.SubjectAlternativeNameExtension(
          dnsNames.map((value) => ({ type: "dns" as const, value })),
          !commonName,
        ),
      ],
    },
  );
}

/** The Name Constraints extension (2.5.29.30, critical) permitting `dnsSubtrees` and no IP address. */
export function buildNameConstraintsExtension(dnsSubtrees: readonly string[]): x509.Extension {
  const subtree = (base: GeneralName) => new GeneralSubtree({ base });
  const constraints = new NameConstraints({
    permittedSubtrees: new GeneralSubtrees(
      dnsSubtrees.map((dNSName) => subtree(new GeneralName({ dNSName }))),
    ),
    excludedSubtrees: new GeneralSubtrees([
      subtree(new GeneralName({ iPAddress: "0.0.0.0/0" })),
      subtree(new GeneralName({ iPAddress: "::/0" })),
    ]),
  });
  return new x509.Extension(id_ce_nameConstraints, true, AsnConvert.serialize(constraints));
}

/** Signs a certificate with the issuer's key: serial, validity within the issuer's, AKI and SKI. */
async function sign(
  parameters: ValidityOptions & { issuer: CertificateAuthority; publicKey: SubjectPublicKey },
  profile: { subject: x509.JsonName; defaultDays: number; extensions: x509.Extension[] },
): Promise<x509.X509Certificate> {
  const { issuer } = parameters;
  const { notBefore, notAfter: wanted } = validity(parameters, profile.defaultDays);
  const notAfter = wanted > issuer.certificate.notAfter ? issuer.certificate.notAfter : wanted;
  if (notAfter <= notBefore)
    throw new CertificateIssueError("the issuer's certificate has expired");
  const issuerKeyId = await keyIdentifierOf(issuer.certificate);
  return x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialNumber(),
      subject: profile.subject,
      issuer: issuer.certificate.subjectName,
      notBefore,
      notAfter,
      publicKey: parameters.publicKey,
      signingKey: issuer.privateKey,
      signingAlgorithm: ECDSA_SHA256,
      extensions: [
        ...profile.extensions,
        await x509.SubjectKeyIdentifierExtension.create(parameters.publicKey, false, certCrypto),
        new x509.AuthorityKeyIdentifierExtension(issuerKeyId),
        ...(parameters.crlDistributionPoints?.length
          ? [new x509.CRLDistributionPointsExtension([...parameters.crlDistributionPoints])]
          : []),
      ],
    },
    certCrypto,
  );
}

/**
 * A CA certificate's key identifier: its Subject Key Identifier, or the SHA-1 of its key when it
 * has none. Certificates and CRLs it signs carry it as their Authority Key Identifier.
 */
export async function keyIdentifierOf(certificate: x509.X509Certificate): Promise<string> {
  return (
    certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ??
    (await x509.SubjectKeyIdentifierExtension.create(certificate.publicKey, false, certCrypto))
      .keyId
  );
}

/** notBefore (now minus a minute, whole seconds) and notAfter (notBefore + days, inclusive). */
function validity(
  options: ValidityOptions,
  defaultDays: number,
): { notBefore: Date; notAfter: Date } {
  const now = options.now ?? new Date();
  const days = options.validityDays ?? defaultDays;
  if (!(days > 0)) throw new CertificateIssueError(`validity of ${days} days is not positive`);
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - BACKDATE_SECONDS * 1000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + days * DAY_MS - 1000) };
}
