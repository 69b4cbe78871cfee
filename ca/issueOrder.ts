// Issuing an order's certificate (docs/certificates.md, "Key custody"):
// - kind 0 (intermediate): the owner holds the key. The CSR's key gets a domain CA certificate
//   for the ordered name (CA:TRUE, pathLen 0, Name Constraints), signed by the root.
// - kind 1 (end-entity): the CA holds one intermediate per domain (the closest registered
//   ancestor of the name, whose owner ordered it), created on first use and kept in the CA folder;
//   the end-entity is signed by it.
import { createHash } from "node:crypto";
import { bytesToHex, type Hex } from "viem";
import {
  buildCertificateRecords,
  buildPemChain,
  CERTIFICATE_CHAIN_TEXT_KEY,
  type CertificateAuthority,
  certificateRecordsName,
  DEFAULT_END_ENTITY_VALIDITY_HOURS,
  DEFAULT_INTERMEDIATE_VALIDITY_DAYS,
  generateCertificateKeyPair,
  issueEndEntity,
  issueIntermediateCa,
  type x509,
} from "../lib/certs/index.ts";
import type { RecordRequest } from "../lib/index.ts";
import { loadIntermediate, saveIntermediate } from "./caFiles.ts";
import { CaError } from "./errors.ts";
import type { ValidOrder } from "./validateOrder.ts";

/** An issued certificate: the leaf of the chain, the whole chain and the records to publish. */
export type IssuedCertificate = {
  serial: string;
  der: Hex;
  /** SHA-256 of the certificate DER (what `fulfil` records). */
  hash: Hex;
  chainPem: string;
  /** The name its records are published under (`_ca.<name>` for a domain CA). */
  recordsName: string;
  records: [RecordRequest, string][];
  notAfter: Date;
};

/**
 * The CA's issuance policy: where each issuer's CRL is published, and the end of the period the
 * order paid for (docs/certificates.md, "Fee model"): no certificate outlives it.
 */
export type IssuancePolicy = {
  /** Base URL of the CA's CRLs: a certificate names `<crlBaseUrl>/<issuer>.crl`. */
  crlBaseUrl?: string | undefined;
  /** The end of the order's paid coverage. */
  coverageEnd?: Date | undefined;
  /** End-entity lifetime in hours (default `DEFAULT_END_ENTITY_VALIDITY_HOURS`, 160). */
  endEntityHours?: number | undefined;
  now?: Date | undefined;
};

/** `<crlBaseUrl>/<issuer>.crl`, or nothing without a base URL. */
export function crlDistributionPoints(
  policy: IssuancePolicy,
  issuer: "root" | string,
): string[] | undefined {
  return policy.crlBaseUrl ? [`${policy.crlBaseUrl.replace(/\/+$/, "")}/${issuer}.crl`] : undefined;
}

/** The validity (in days) a certificate may get: its default, cut at the paid period's end. */
function cappedValidityDays(policy: IssuancePolicy, defaultDays: number): number {
  if (!policy.coverageEnd) return defaultDays;
  const now = (policy.now ?? new Date()).getTime();
  const left = (policy.coverageEnd.getTime() - now) / 86_400_000;
  if (left <= 0) throw new CaError("the order's paid period has ended");
  return Math.min(defaultDays, left);
}

/** Issues the certificate of a validated order. */
export async function issueOrder(
  order: ValidOrder,
  ca: { dir: string; root: CertificateAuthority; bridgeDomain: string },
  policy: IssuancePolicy = {},
): Promise<IssuedCertificate> {
  if (order.kind === "intermediate") {
    const certificate = await issueIntermediateCa({
      issuer: ca.root,
      name: order.name,
      bridgeDomain: ca.bridgeDomain,
      publicKey: order.info.publicKey,
      now: policy.now,
      // An owner-held domain CA never outlives the paid period.
      validityDays: cappedValidityDays(policy, DEFAULT_INTERMEDIATE_VALIDITY_DAYS),
      crlDistributionPoints: crlDistributionPoints(policy, "root"),
    });
    const chain = [certificate, ca.root.certificate];
    const chainPem = buildPemChain(chain);
    return describe(certificate, chainPem, certificateRecordsName(order.name, "intermediate"), [
      [{ type: "text", key: CERTIFICATE_CHAIN_TEXT_KEY }, chainPem],
    ]);
  }
  const intermediate = await domainIntermediate(ca, order.domain);
  const certificate = await issueEndEntity({
    issuer: intermediate,
    publicKey: order.info.publicKey,
    dnsNames: order.info.dnsNames,
    commonName: order.info.commonNames[0] ?? undefined,
    now: policy.now,
    validityDays: cappedValidityDays(
      policy,
      (policy.endEntityHours ?? DEFAULT_END_ENTITY_VALIDITY_HOURS) / 24,
    ),
    crlDistributionPoints: crlDistributionPoints(policy, order.domain),
  });
  const chain = [certificate, intermediate.certificate, ca.root.certificate];
  return describe(
    certificate,
    buildPemChain(chain),
    order.name,
    buildCertificateRecords({ name: order.name, chain }),
  );
}

/** The CA-held intermediate of `domain`, created (P-256) and saved on first use. */
export async function domainIntermediate(
  ca: { dir: string; root: CertificateAuthority; bridgeDomain: string },
  domain: string,
): Promise<CertificateAuthority> {
  const existing = await loadIntermediate(ca.dir, domain);
  if (existing && existing.certificate.notAfter.getTime() > Date.now() + 90 * 86_400_000)
    return existing;
  const keys = await generateCertificateKeyPair("P-256");
  const certificate = await issueIntermediateCa({
    issuer: ca.root,
    name: domain,
    bridgeDomain: ca.bridgeDomain,
    publicKey: keys.publicKey,
  });
  const authority = { certificate, privateKey: keys.privateKey };
  await saveIntermediate(ca.dir, domain, authority);
  return authority;
}

function describe(
  certificate: x509.X509Certificate,
  chainPem: string,
  recordsName: string,
  records: [RecordRequest, string][],
): IssuedCertificate {
  const der = new Uint8Array(certificate.rawData);
  return {
    serial: certificate.serialNumber,
    der: bytesToHex(der),
    hash: `0x${createHash("sha256").update(der).digest("hex")}`,
    chainPem,
    recordsName,
    records,
    notAfter: certificate.notAfter,
  };
}
