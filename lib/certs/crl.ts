// Certificate revocation lists (RFC 5280 §5): the CA signs one CRL per issuing CA certificate
// (the root for owner-held domain CAs, each CA-held domain intermediate for its end-entities),
// and every certificate names where its issuer's CRL is published (CRL Distribution Points).
import { AsnConvert } from "@peculiar/asn1-schema";
import { CRLNumber, id_ce_cRLNumber } from "@peculiar/asn1-x509";
import { certCrypto, x509 } from "./cryptoProvider.ts";
import { CertificateIssueError } from "./errors.ts";
import { type CertificateAuthority, keyIdentifierOf } from "./issue.ts";
import { ECDSA_SHA256 } from "./keys.ts";

/** Why a certificate was revoked, as RFC 5280 §5.3.1 names it. */
export type RevocationReason =
  | "unspecified"
  | "keyCompromise"
  | "affiliationChanged"
  | "superseded"
  | "cessationOfOperation"
  | "privilegeWithdrawn";

/** The reasons an owner may give when revoking their own certificate. */
export const OWNER_REVOCATION_REASONS = [
  "unspecified",
  "keyCompromise",
  "superseded",
  "cessationOfOperation",
] as const satisfies readonly RevocationReason[];

const REASON_CODES: Record<RevocationReason, x509.X509CrlReason> = {
  unspecified: x509.X509CrlReason.unspecified,
  keyCompromise: x509.X509CrlReason.keyCompromise,
  affiliationChanged: x509.X509CrlReason.affiliationChanged,
  superseded: x509.X509CrlReason.superseded,
  cessationOfOperation: x509.X509CrlReason.cessationOfOperation,
  privilegeWithdrawn: x509.X509CrlReason.privilegeWithdrawn,
};

/** One revoked certificate of a CRL. */
export type RevokedCertificate = {
  /** The certificate's serial number, hex (as `X509Certificate.serialNumber`). */
  serialNumber: string;
  revokedAt: Date;
  reason: RevocationReason;
};

/** Inputs of `issueCrl`. */
export type IssueCrlParameters = {
  /** The CA that issued the revoked certificates, and signs the CRL. */
  issuer: CertificateAuthority;
  revoked: readonly RevokedCertificate[];
  /** Monotonic CRL number (RFC 5280 §5.2.3); the CA counts up with every CRL it signs. */
  crlNumber: bigint;
  /** Default: now. */
  thisUpdate?: Date;
  /** When clients should fetch a newer CRL. Default: `thisUpdate` + 1 day. */
  nextUpdate?: Date;
};

const DAY_MS = 86_400_000;

/**
 * Signs a v2 CRL for the certificates `issuer` revoked, with the issuer's name, an Authority Key
 * Identifier equal to the issuer's SKI and a CRL Number, so OpenSSL's `-crl_check` matches it to
 * the certificates' issuer.
 *
 * @example
 * const crl = await issueCrl({
 *   issuer: domainIntermediate,
 *   revoked: [{ serialNumber: ee.serialNumber, revokedAt: new Date(), reason: "affiliationChanged" }],
 *   crlNumber: 7n,
 * });
 * await writeFile("alice.eth.crl", crl.toString("pem"));
 */
export async function issueCrl(parameters: IssueCrlParameters): Promise<x509.X509Crl> {
  const { issuer, revoked, crlNumber } = parameters;
  if (crlNumber < 0n) throw new CertificateIssueError("a CRL number is not negative");
  const thisUpdate = parameters.thisUpdate ?? new Date();
  const nextUpdate = parameters.nextUpdate ?? new Date(thisUpdate.getTime() + DAY_MS);
  if (nextUpdate <= thisUpdate)
    throw new CertificateIssueError("a CRL's nextUpdate must be after its thisUpdate");
  const keyId = await keyIdentifierOf(issuer.certificate);
  return x509.X509CrlGenerator.create(
    {
      issuer: issuer.certificate.subjectName,
      thisUpdate: wholeSeconds(thisUpdate),
      nextUpdate: wholeSeconds(nextUpdate),
      signingKey: issuer.privateKey,
      signingAlgorithm: ECDSA_SHA256,
      extensions: [
        new x509.AuthorityKeyIdentifierExtension(keyId),
        new x509.Extension(
          id_ce_cRLNumber,
          false,
          AsnConvert.serialize(new CRLNumber(Number(crlNumber))),
        ),
      ],
      entries: revoked.map((entry) => ({
        serialNumber: entry.serialNumber,
        revocationDate: wholeSeconds(entry.revokedAt),
        reason: REASON_CODES[entry.reason],
      })),
    },
    certCrypto,
  );
}

/**
 * A CRL as PEM with the `X509 CRL` label OpenSSL reads (`X509Crl.toString("pem")` writes `CRL`,
 * which OpenSSL refuses). CRL Distribution Points serve DER (`crl.rawData`).
 */
export function crlToPem(crl: x509.X509Crl): string {
  return x509.PemConverter.encode(crl.rawData, "X509 CRL");
}

/** The CRL Distribution Points extension naming where the issuer's CRL is published. */
export function buildCrlDistributionPointsExtension(urls: readonly string[]): x509.Extension {
  return new x509.CRLDistributionPointsExtension([...urls]);
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
