import {
  type Address,
  decodeAbiParameters,
  encodeAbiParameters,
  getAddress,
  type Hex,
  parseAbiParameters,
  size,
  slice,
  toFunctionSelector,
} from "viem";
import { MalformedRecordError } from "../errors/recordFile.ts";
import { normalizeHexBytes } from "../records/hexBytes.ts";

/** Marks a NameSys (v1) signed record: `data` = selector + abi.encode(signer, recordSig, approvalSig, result). */
export const SIGNED_RECORD_V1_SIGNATURE = "signedRecord(address,bytes,bytes,bytes)";
/** Marks a v2 signed record: v1's fields plus the signed `validUntil` and `epoch`. */
export const SIGNED_RECORD_V2_SIGNATURE = "signedRecordV2(address,bytes,bytes,bytes,uint64,uint64)";
/** Marks a certificate record: v2's fields plus the owner the certificate authority issued it to. */
export const SIGNED_CERTIFICATE_RECORD_SIGNATURE =
  "signedCertificateRecord(address,bytes,bytes,bytes,uint64,uint64,address)";
export const SIGNED_RECORD_V1_SELECTOR = toFunctionSelector(SIGNED_RECORD_V1_SIGNATURE);
export const SIGNED_RECORD_V2_SELECTOR = toFunctionSelector(SIGNED_RECORD_V2_SIGNATURE);
export const SIGNED_CERTIFICATE_RECORD_SELECTOR = toFunctionSelector(
  SIGNED_CERTIFICATE_RECORD_SIGNATURE,
);

const V1_PARAMETERS = parseAbiParameters("address, bytes, bytes, bytes");
const V2_PARAMETERS = parseAbiParameters("address, bytes, bytes, bytes, uint64, uint64");
const CERTIFICATE_PARAMETERS = parseAbiParameters(
  "address, bytes, bytes, bytes, uint64, uint64, address",
);

/** The decoded response `data` of a signed record (what the resolver's callback reads). */
export type SignedRecordData = {
  version: 1 | 2;
  /** The key that signed SIGN 4: the owner, or a signer the owner approved. */
  signer: Address;
  /** SIGN 4 signature (65 bytes). */
  recordSignature: Hex;
  /** SIGN 3 approval by the owner (65 bytes), or empty when the signer needs none off-chain. */
  approvalSignature: Hex;
  /** The ABI-encoded return value of the resolver function. */
  result: Hex;
  /** v2 only: unix seconds after which the record is stale. */
  validUntil?: bigint | undefined;
  /** v2 only: the owner's epoch the record was signed under. */
  epoch?: bigint | undefined;
  /**
   * Certificate records only (v2): the name's owner the certificate authority issued the record
   * to. Its presence selects the `signedCertificateRecord` encoding.
   */
  certifiedOwner?: Address | undefined;
};

/** Encodes a signed record as response `data` (selector + ABI-encoded fields). */
export function encodeSignedRecordData(record: SignedRecordData): Hex {
  const common = [
    record.signer,
    record.recordSignature,
    record.approvalSignature,
    record.result,
  ] as const;
  if (record.version === 1)
    return `${SIGNED_RECORD_V1_SELECTOR}${encodeAbiParameters(V1_PARAMETERS, common).slice(2)}`;
  if (record.validUntil === undefined || record.epoch === undefined)
    throw new MalformedRecordError("a v2 record needs validUntil and epoch");
  if (record.certifiedOwner !== undefined)
    return `${SIGNED_CERTIFICATE_RECORD_SELECTOR}${encodeAbiParameters(CERTIFICATE_PARAMETERS, [
      ...common,
      record.validUntil,
      record.epoch,
      record.certifiedOwner,
    ]).slice(2)}`;
  return `${SIGNED_RECORD_V2_SELECTOR}${encodeAbiParameters(V2_PARAMETERS, [
    ...common,
    record.validUntil,
    record.epoch,
  ]).slice(2)}`;
}

/**
 * Decodes response `data` into a `SignedRecordData`; throws `MalformedRecordError` on anything else.
 * Hex is read case-insensitively (`normalizeHexBytes`): the contract sees bytes, not their spelling.
 */
export function decodeSignedRecordData(hex: Hex): SignedRecordData {
  const data = normalizeHexBytes(hex);
  if (data === undefined || size(data) < 4)
    throw new MalformedRecordError(
      "data is not 0x-hex bytes (an even number of digits), at least 4",
    );
  const selector = slice(data, 0, 4);
  const body: Hex = `0x${data.slice(10)}`;
  try {
    if (selector === SIGNED_RECORD_V1_SELECTOR) {
      const [signer, recordSignature, approvalSignature, result] = decodeAbiParameters(
        V1_PARAMETERS,
        body,
      );
      return { version: 1, signer: getAddress(signer), recordSignature, approvalSignature, result };
    }
    if (selector === SIGNED_RECORD_V2_SELECTOR) {
      const [signer, recordSignature, approvalSignature, result, validUntil, epoch] =
        decodeAbiParameters(V2_PARAMETERS, body);
      return {
        version: 2,
        signer: getAddress(signer),
        recordSignature,
        approvalSignature,
        result,
        validUntil,
        epoch,
      };
    }
    if (selector === SIGNED_CERTIFICATE_RECORD_SELECTOR) {
      const [signer, recordSignature, approvalSignature, result, validUntil, epoch, owner] =
        decodeAbiParameters(CERTIFICATE_PARAMETERS, body);
      return {
        version: 2,
        signer: getAddress(signer),
        recordSignature,
        approvalSignature,
        result,
        validUntil,
        epoch,
        certifiedOwner: getAddress(owner),
      };
    }
  } catch (error) {
    throw new MalformedRecordError(
      `fields do not ABI-decode (${(error as Error).message.split("\n")[0]})`,
    );
  }
  throw new MalformedRecordError(`unknown record selector ${selector}`);
}
