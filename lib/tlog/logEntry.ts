// The entries of the ensgate certificate log: one per issued certificate, one per revocation.
// An entry is UTF-8 JSON with a fixed key order (version 1). An issued entry carries the whole
// certificate DER, as Certificate Transparency does, so an auditor needs nothing but the log to
// see every certificate the CA made for a name; its SHA-256 is repeated for lookups. The bytes
// in the log are what is hashed: a reader decodes them, it never re-encodes them.

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { TlogMalformedEntryError } from "./errors.ts";
import { fromBase64, toBase64 } from "./note.ts";
import { MAX_ENTRY_SIZE } from "./tiles.ts";

/** The entry format version. */
export const LOG_ENTRY_VERSION = 1;

/** Why a certificate was revoked: RFC 5280's CRLReason names, plus the name changing owner. */
export const REVOCATION_REASONS = [
  "unspecified",
  "keyCompromise",
  "affiliationChanged",
  "superseded",
  "cessationOfOperation",
  "privilegeWithdrawn",
  "nameOwnerChanged",
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** A certificate the CA issued for an ENS name. */
export type IssuedEntry = {
  version: 1;
  kind: "issued";
  /** The normalized ENS name the certificate is for. */
  name: string;
  /** The name's owner (checksummed 0x address) when the CA issued. */
  owner: string;
  /** The certificate's serial number, lowercase hex. */
  serialNumber: string;
  /** SHA-256 of the certificate DER, lowercase hex. */
  certificateSha256: string;
  /** Validity, ISO 8601 UTC. */
  notBefore: string;
  notAfter: string;
  /** The certificate DER, base64. */
  certificate: string;
};

/** A revocation of a certificate the log holds. */
export type RevokedEntry = {
  version: 1;
  kind: "revoked";
  name: string;
  /** The name's owner when the CA revoked. */
  owner: string;
  serialNumber: string;
  certificateSha256: string;
  /** The log index of the revoked certificate's issued entry. */
  certificateIndex: number;
  reason: RevocationReason;
  /** When the CA revoked it, ISO 8601 UTC. */
  revokedAt: string;
};

export type LogEntry = IssuedEntry | RevokedEntry;

const ISSUED_KEYS = [
  "version",
  "kind",
  "name",
  "owner",
  "serialNumber",
  "certificateSha256",
  "notBefore",
  "notAfter",
  "certificate",
];
const REVOKED_KEYS = [
  "version",
  "kind",
  "name",
  "owner",
  "serialNumber",
  "certificateSha256",
  "certificateIndex",
  "reason",
  "revokedAt",
];
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const SERIAL = /^[0-9a-f]{2,40}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** The issued entry of a certificate: serial and validity are read from the DER. */
export function issuedEntry(parameters: {
  name: string;
  owner: string;
  certificate: Uint8Array;
}): IssuedEntry {
  let tbs: Certificate["tbsCertificate"];
  try {
    tbs = AsnConvert.parse(parameters.certificate, Certificate).tbsCertificate;
  } catch (cause) {
    throw new TlogMalformedEntryError(`the certificate is not DER (${(cause as Error).message})`);
  }
  return {
    version: LOG_ENTRY_VERSION,
    kind: "issued",
    name: parameters.name,
    owner: parameters.owner,
    serialNumber: bytesToHex(new Uint8Array(tbs.serialNumber)).replace(/^(00)+(?=..)/, ""),
    certificateSha256: bytesToHex(sha256(parameters.certificate)),
    notBefore: tbs.validity.notBefore.getTime().toISOString(),
    notAfter: tbs.validity.notAfter.getTime().toISOString(),
    certificate: toBase64(parameters.certificate),
  };
}

/** The revoked entry of a certificate's issued entry. */
export function revokedEntry(
  issued: IssuedEntry,
  parameters: {
    certificateIndex: number;
    owner: string;
    reason: RevocationReason;
    revokedAt?: Date;
  },
): RevokedEntry {
  return {
    version: LOG_ENTRY_VERSION,
    kind: "revoked",
    name: issued.name,
    owner: parameters.owner,
    serialNumber: issued.serialNumber,
    certificateSha256: issued.certificateSha256,
    certificateIndex: parameters.certificateIndex,
    reason: parameters.reason,
    revokedAt: (parameters.revokedAt ?? new Date()).toISOString(),
  };
}

/** An entry's bytes in the log (checked first, so the log never holds an entry it cannot read). */
export function encodeLogEntry(entry: LogEntry): Uint8Array {
  const keys = entry.kind === "issued" ? ISSUED_KEYS : REVOKED_KEYS;
  const ordered = Object.fromEntries(
    keys.map((key) => [key, (entry as Record<string, unknown>)[key]]),
  );
  const bytes = new TextEncoder().encode(JSON.stringify(ordered));
  decodeLogEntry(bytes);
  return bytes;
}

/** Decodes and checks an entry's bytes. Throws TlogMalformedEntryError. */
export function decodeLogEntry(bytes: Uint8Array): LogEntry {
  if (bytes.length > MAX_ENTRY_SIZE)
    throw new TlogMalformedEntryError(`${bytes.length} bytes is too large`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new TlogMalformedEntryError("not UTF-8 JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new TlogMalformedEntryError("not a JSON object");
  const record = value as Record<string, unknown>;
  if (record.version !== LOG_ENTRY_VERSION)
    throw new TlogMalformedEntryError(`unknown version ${JSON.stringify(record.version)}`);
  const keys =
    record.kind === "issued" ? ISSUED_KEYS : record.kind === "revoked" ? REVOKED_KEYS : undefined;
  if (keys === undefined)
    throw new TlogMalformedEntryError(`unknown kind ${JSON.stringify(record.kind)}`);
  if (Object.keys(record).join() !== keys.join())
    throw new TlogMalformedEntryError(
      `a ${record.kind} entry has exactly the keys ${keys.join(", ")}, in order`,
    );
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new TlogMalformedEntryError(what);
  };
  const text = (key: string) => (typeof record[key] === "string" ? (record[key] as string) : "");
  check(text("name") !== "" && text("name").length <= 255, "name is not a non-empty string");
  check(ADDRESS.test(text("owner")), "owner is not a 0x address");
  check(SERIAL.test(text("serialNumber")), "serialNumber is not lowercase hex");
  check(
    HEX_SHA256.test(text("certificateSha256")),
    "certificateSha256 is not a lowercase hex SHA-256",
  );
  if (record.kind === "issued") {
    check(
      ISO_UTC.test(text("notBefore")) && ISO_UTC.test(text("notAfter")),
      "notBefore/notAfter are not ISO 8601 UTC",
    );
    const der = fromBase64(text("certificate"));
    check(der !== undefined && der.length > 0, "certificate is not base64");
    check(
      bytesToHex(sha256(der as Uint8Array)) === record.certificateSha256,
      "certificateSha256 is not the certificate's SHA-256",
    );
  } else {
    const index = record.certificateIndex;
    check(
      Number.isSafeInteger(index) && (index as number) >= 0,
      "certificateIndex is not a log index",
    );
    check(
      (REVOCATION_REASONS as readonly unknown[]).includes(record.reason),
      `reason ${JSON.stringify(record.reason)} is unknown`,
    );
    check(ISO_UTC.test(text("revokedAt")), "revokedAt is not ISO 8601 UTC");
  }
  return record as LogEntry;
}

/** The certificate DER of an issued entry. */
export function entryCertificate(entry: IssuedEntry): Uint8Array {
  return fromBase64(entry.certificate) as Uint8Array;
}
