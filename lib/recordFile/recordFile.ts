import { type Address, type Hex, isAddress } from "viem";
import { MalformedRecordError } from "../errors/recordFile.ts";
import { normalizeHexBytes } from "../records/hexBytes.ts";

/**
 * A record file as the NameSys client writes it (v1). Only `data` is read by the resolver and the
 * gateway; the other fields are for people and tools, and verification never trusts them.
 */
export type RecordFileV1 = {
  /** The name the record is for. */
  domain: string;
  /** Response bytes: a `signedRecord` (v1) or `signedRecordV2` (v2) payload. */
  data: Hex;
  /** The human value (e.g. `https://example.com/avatar.png`). */
  raw: string;
  /** When the file was signed, in milliseconds since the epoch (NameSys uses `Date.now()`). */
  timestamp: number;
  /** The record signer's address. */
  signer: Address;
  /** The owner's address (the approver when the signer is not the owner). */
  controller: Address;
  /** SIGN 3 approval by the owner, or "0x" when none is needed. */
  managerSignature: Hex;
  /** SIGN 4 signature by `signer`. */
  recordSignature: Hex;
};

/** A v2 record file: v1's fields plus what v2 signs, repeated for readers. */
export type RecordFileV2 = RecordFileV1 & {
  version: 2;
  /** The record type string signed by SIGN 4 (`text/avatar`). */
  recordType: string;
  chainId: number;
  /** The resolver deployment (EIP-55) the record and its approval are bound to (SIGN 3/4 `Resolver`). */
  resolver: Address;
  /** Unix seconds after which the record is stale (decimal string: JSON has no bigint). */
  validUntil: string;
  /** The owner's epoch the record was signed under (decimal string). */
  epoch: string;
  /**
   * Certificate records only: the name's owner the certificate authority issued the record to
   * (EIP-55; SIGN 4 `Name Owner`). Repeated from `data` for readers.
   */
  certifiedOwner?: Address | undefined;
};

/** Either record file version. */
export type RecordFile = RecordFileV1 | RecordFileV2;

/** Serializes a record file as the JSON written to IPNS (two-space indented, newline-terminated). */
export function serializeRecordFile(file: RecordFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Parses record file JSON. Requires `data` (what an EIP-3668 response must have); other fields are
 * type-checked when present. The signature rules are checked by `verifyRecord`, not here.
 *
 * Hex fields (`data`, `managerSignature`, `recordSignature`) follow one grammar: `0x` and an even
 * number of hex digits in any case (`normalizeHexBytes`). They are returned lower-cased, so a file
 * written in upper or mixed case verifies exactly as its lower-case twin.
 *
 * @throws {MalformedRecordError} naming the first field that does not type-check.
 *
 * @example
 * const { data } = parseRecordFile(await (await fetch(url)).text());
 * const verification = await verifyRecord(data, context);
 */
export function parseRecordFile(json: string): RecordFile {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new MalformedRecordError("the file is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new MalformedRecordError("the file is not a JSON object");
  const file = { ...(value as Record<string, unknown>) };
  const data = normalizeHexBytes(file.data);
  if (data === undefined)
    throw new MalformedRecordError('"data" must be a 0x-hex string of whole bytes');
  file.data = data;
  for (const field of ["signer", "controller", "resolver", "certifiedOwner"] as const)
    if (
      file[field] !== undefined &&
      (typeof file[field] !== "string" || !isAddress(file[field] as string, { strict: false }))
    )
      throw new MalformedRecordError(`"${field}" must be an address`);
  for (const field of ["managerSignature", "recordSignature"] as const) {
    if (file[field] === undefined) continue;
    const hex = normalizeHexBytes(file[field]);
    if (hex === undefined)
      throw new MalformedRecordError(`"${field}" must be a 0x-hex string of whole bytes`);
    file[field] = hex;
  }
  if (file.version !== undefined && file.version !== 2)
    throw new MalformedRecordError(`unknown record file version ${String(file.version)}`);
  // v2's own fields (NameSys v1 files never have them).
  if (file.recordType !== undefined && typeof file.recordType !== "string")
    throw new MalformedRecordError('"recordType" must be a string');
  if (
    file.chainId !== undefined &&
    (typeof file.chainId !== "number" || !Number.isSafeInteger(file.chainId) || file.chainId < 0)
  )
    throw new MalformedRecordError('"chainId" must be a non-negative integer');
  for (const field of ["validUntil", "epoch"] as const)
    if (
      file[field] !== undefined &&
      (typeof file[field] !== "string" || !/^(0|[1-9][0-9]*)$/.test(file[field] as string))
    )
      throw new MalformedRecordError(`"${field}" must be a decimal string`);
  return file as unknown as RecordFile;
}
