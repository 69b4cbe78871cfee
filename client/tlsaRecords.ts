// A name's TLSA records for a port, and whether a server certificate matches them (RFC 6698,
// RFC 7671 DANE-EE). Every TLSA read of the clients goes through `readTlsaRecords`, so a second
// source of pins (the CA's) can be merged in one place.
import { createHash } from "node:crypto";
import {
  certificateRecordRequests,
  computeTlsaSpkiSha256,
  parseTlsaPin,
  tlsaOwnerName,
  x509,
} from "../lib/certs/index.ts";
import { DNS_RESOURCE_TYPES } from "../lib/index.ts";
import { UnusableTlsaRecordError } from "./daneErrors.ts";
import { readDnsRecordSet, type VerifiedRecordReader } from "./verifiedRecords.ts";

/** One TLSA record: certificate usage, selector, matching type, association data (hex). */
export type TlsaRecord = { usage: number; selector: number; matchingType: number; data: string };

/** DANE-EE: the record pins the server's own certificate or key; no CA is involved. */
const DANE_EE = 3;
/** Selectors: 0 the whole certificate, 1 its SubjectPublicKeyInfo. */
const SELECTORS = new Set([0, 1]);
/** Matching types: 0 the exact bytes, 1 SHA-256, 2 SHA-512. */
const MATCHING_TYPES = new Set([0, 1, 2]);

/** `3 1 1 ab12…`: a record as a zone file writes it. */
export const formatTlsaRecord = (record: TlsaRecord): string =>
  `${record.usage} ${record.selector} ${record.matchingType} ${record.data}`;

/**
 * The TLSA records of `_<port>._tcp.<name>`, read through the verifying resolver: the owner's
 * RRset (the `dnsRecord` of resource 52), and for port 443 the ensgate CA's pin of the
 * certificate it issued to the current owner (text `org.ensgate.ca.tlsa`). Empty when there are
 * none. A CA pin the resolver rejects (issued to a previous owner, tampered) gives no trust and is
 * left out; a rejected owner RRset fails the read.
 */
export async function readTlsaRecords(
  reader: VerifiedRecordReader,
  name: string,
  port: number,
): Promise<TlsaRecord[]> {
  const [owner, ca] = await Promise.all([
    readOwnerTlsaRecords(reader, name, port),
    port === 443 ? readCertificateAuthorityPin(reader, name) : Promise.resolve(undefined),
  ]);
  return ca ? [...owner, ca] : owner;
}

/** The CA's pin of the name's certificate, or undefined when there is none or it does not verify. */
async function readCertificateAuthorityPin(
  reader: VerifiedRecordReader,
  name: string,
): Promise<TlsaRecord | undefined> {
  try {
    const value = await reader(name, certificateRecordRequests().tlsa);
    return typeof value === "string" && value !== "" ? parseTlsaPin(value) : undefined;
  } catch {
    return undefined;
  }
}

async function readOwnerTlsaRecords(
  reader: VerifiedRecordReader,
  name: string,
  port: number,
): Promise<TlsaRecord[]> {
  const answers = await readDnsRecordSet(
    reader,
    name,
    tlsaOwnerName(name, port),
    DNS_RESOURCE_TYPES.TLSA,
  );
  return answers.map((answer) => {
    const data = answer.data as {
      usage: number;
      selector: number;
      matchingType: number;
      certificate: Uint8Array;
    };
    return {
      usage: data.usage,
      selector: data.selector,
      matchingType: data.matchingType,
      data: Buffer.from(data.certificate).toString("hex"),
    };
  });
}

/** The records this client can check: DANE-EE with a known selector and matching type. */
export function usableTlsaRecords(owner: string, records: readonly TlsaRecord[]): TlsaRecord[] {
  const usable = records.filter(
    (record) =>
      record.usage === DANE_EE &&
      SELECTORS.has(record.selector) &&
      MATCHING_TYPES.has(record.matchingType),
  );
  if (usable.length === 0) throw new UnusableTlsaRecordError(owner, records.map(formatTlsaRecord));
  return usable;
}

/** What the server's certificate (DER) gives for one record's selector and matching type, in hex. */
export function tlsaAssociationOf(
  certificateDer: Uint8Array,
  record: Pick<TlsaRecord, "selector" | "matchingType">,
): string {
  const certificate = new x509.X509Certificate(Uint8Array.from(certificateDer));
  // 3 1 1 is the rule lib/certs publishes: computed there, once.
  if (record.selector === 1 && record.matchingType === 1) return computeTlsaSpkiSha256(certificate);
  const selected =
    record.selector === 0
      ? Buffer.from(certificateDer)
      : Buffer.from(new Uint8Array(certificate.publicKey.rawData));
  if (record.matchingType === 0) return selected.toString("hex");
  return createHash(record.matchingType === 1 ? "sha256" : "sha512")
    .update(selected)
    .digest("hex");
}

/** Whether a server certificate matches any of the usable records. */
export function matchesTlsa(certificateDer: Uint8Array, records: readonly TlsaRecord[]): boolean {
  return records.some(
    (record) => tlsaAssociationOf(certificateDer, record) === record.data.toLowerCase(),
  );
}
