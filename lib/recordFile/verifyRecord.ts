import { type Address, type Hex, isAddressEqual, size } from "viem";
import type { EnsgateError } from "../errors/base.ts";
import { RecordVerificationError } from "../errors/recordFile.ts";
import { buildApprovalMessage } from "../messages/approvalMessage.ts";
import { buildRecordMessage } from "../messages/recordMessage.ts";
import { isCertificateRecordRequest } from "../records/certificateRecordKeys.ts";
import { buildRecordType } from "../records/recordPath.ts";
import type { RecordRequest } from "../records/recordRequest.ts";
import { buildAnswer, decodeStoredResult } from "../records/recordValue.ts";
import { isPersonalSignatureBy } from "./personalSignature.ts";
import { assertCanonicalSignature } from "./signatureFormat.ts";
import { decodeSignedRecordData, type SignedRecordData } from "./signedRecordData.ts";

/** What the verifier knows about the name, from the chain (the resolver passes it in `callData`). */
export type RecordVerificationContext = {
  /** The normalized name being resolved (SIGN 3/4 `Origin`). */
  name: string;
  /** The record asked for; an `ABI` request must name the one content type of the file. */
  request: RecordRequest;
  chainId: number | bigint;
  /**
   * The resolver deployment asking (the EIP-3668 `sender` at the gateway, `address(this)` on-chain).
   * v2 records and approvals must name it in their `Resolver` line; v1 records are not bound to one.
   */
  resolver: Address;
  /** The name's owner (`nameContext(name).owner`: registry or NameWrapper owner of the owner node). */
  owner: Address;
  /** The name's epoch (`nameContext(name).epoch`: the owner's counters summed over the name and its ancestors); v1 records count as epoch 0. */
  epoch: bigint;
  /** Current unix time in seconds (the block timestamp on-chain). */
  now: bigint;
  /**
   * Whether the owner approved `signer` on-chain (`approve(node, signer, true)`). Never asked for
   * certificate records: on-chain approvals do not apply to them (docs/protocol.md §6a).
   */
  isApprovedOnChain?: ((signer: Address) => boolean | Promise<boolean>) | undefined;
  /**
   * Certificate records (`isCertificateRecordRequest`): the name's current owner, who must be the
   * record's certified owner. `owner` is then the certificate authority's signer. The contract
   * always knows it; the gateway, which is not told, leaves it out and the rule is skipped there.
   */
  nameOwner?: Address | undefined;
};

/** Which rule authorized the signer. */
export type SignerRule = "owner" | "onchainApproval" | "offchainApproval";

/** Why a record was rejected; each maps to one custom error of the resolver contract (docs/protocol.md). */
export type RecordRejection =
  | "malformedRecord"
  | "invalidResult"
  | "recordExpired"
  | "staleEpoch"
  | "futureEpoch"
  | "certificateOwnerChanged"
  | "invalidRecordSignature"
  | "invalidApproval"
  | "unapprovedSigner";

/** The typed outcome of `verifyRecord`. */
export type RecordVerification =
  | {
      valid: true;
      version: 1 | 2;
      rule: SignerRule;
      signer: Address;
      /** The signed stored result. */
      result: Hex;
      /** What the resolver function returns (equal to `result` except for coin type 60 as bytes). */
      answer: Hex;
      validUntil?: bigint | undefined;
      epoch?: bigint | undefined;
      /** Certificate records: the owner the certificate authority issued the record to. */
      certifiedOwner?: Address | undefined;
    }
  | { valid: false; reason: RecordRejection; message: string };

/** Shorter approvals mean "none": the signer must be the owner or approved on-chain (as in NameSys). */
const MIN_APPROVAL_SIGNATURE_SIZE = 64;

/**
 * Verifies response `data` against the rules the resolver contract enforces, in the same order
 * (docs/protocol.md §6): decode (a certificate authority's key takes only a certificate record,
 * and no other key one); result well-formed; v2 freshness (expiry, then epoch); certified owner
 * (certificate records); SIGN 4 by the claimed signer (v2: bound to `context.resolver`); signer is
 * the owner, or approved on-chain, or approved by the owner's SIGN 3. Hex `data` is read
 * case-insensitively.
 * Never throws for a bad record: the outcome says which rule failed.
 *
 * @example
 * const verification = await verifyRecord(parseRecordFile(json).data, {
 *   name: "alice.eth",
 *   request: { type: "text", key: "avatar" },
 *   chainId: 1,
 *   resolver: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   owner,
 *   epoch: 0n,
 *   now: BigInt(Math.floor(Date.now() / 1000)),
 * });
 * if (!verification.valid) console.error(verification.reason, verification.message);
 */
export async function verifyRecord(
  data: Hex,
  context: RecordVerificationContext,
): Promise<RecordVerification> {
  const reject = (reason: RecordRejection, message: string): RecordVerification => ({
    valid: false,
    reason,
    message,
  });
  let record: SignedRecordData;
  try {
    record = decodeSignedRecordData(data);
  } catch (error) {
    return reject("malformedRecord", (error as EnsgateError).shortMessage ?? String(error));
  }
  const { request, chainId, owner, name, resolver } = context;
  const certificateLookup = isCertificateRecordRequest(request);
  if (certificateLookup && record.certifiedOwner === undefined)
    return reject(
      "malformedRecord",
      `the certificate authority's key ${recordTypeLabel(request)} takes only a signedCertificateRecord`,
    );
  if (!certificateLookup && record.certifiedOwner !== undefined)
    return reject(
      "malformedRecord",
      "a signedCertificateRecord answers only the certificate authority's keys (org.ensgate.ca.*)",
    );
  const recordType = buildRecordType(request);
  try {
    decodeStoredResult(request, record.result);
  } catch (error) {
    return reject("invalidResult", (error as EnsgateError).shortMessage);
  }

  const recordEpoch = record.version === 2 ? (record.epoch as bigint) : 0n;
  if (record.version === 2 && context.now > (record.validUntil as bigint))
    return reject("recordExpired", `record expired at ${record.validUntil}, now is ${context.now}`);
  if (recordEpoch < context.epoch)
    return reject(
      "staleEpoch",
      `record epoch ${recordEpoch} is below the owner's epoch ${context.epoch}`,
    );
  if (recordEpoch > context.epoch)
    return reject(
      "futureEpoch",
      `record epoch ${recordEpoch} is above the owner's epoch ${context.epoch}`,
    );
  if (
    record.certifiedOwner !== undefined &&
    context.nameOwner !== undefined &&
    !isAddressEqual(record.certifiedOwner, context.nameOwner)
  )
    return reject(
      "certificateOwnerChanged",
      `the certificate was issued to ${record.certifiedOwner}; the name is now owned by ${context.nameOwner}`,
    );

  const freshness =
    record.version === 2
      ? { validUntil: record.validUntil as bigint, epoch: recordEpoch }
      : undefined;
  const recordMessage = buildRecordMessage({
    name,
    recordType,
    result: record.result,
    signer: record.signer,
    chainId,
    freshness,
    resolver,
    certifiedOwner: record.certifiedOwner,
  });
  if (!isSignedBy(recordMessage, record.recordSignature, record.signer))
    return reject("invalidRecordSignature", `SIGN 4 is not signed by ${record.signer}`);

  const accept = (rule: SignerRule): RecordVerification => ({
    valid: true,
    version: record.version,
    rule,
    signer: record.signer,
    result: record.result,
    answer: buildAnswer(request, record.result),
    validUntil: record.validUntil,
    epoch: record.epoch,
    certifiedOwner: record.certifiedOwner,
  });
  if (isAddressEqual(record.signer, owner)) return accept("owner");
  // The contract's certificate lookups carry no owner nodes: an on-chain approval, even the CA
  // signer's own, never authorizes a certificate record (docs/protocol.md §6a).
  if (
    !certificateLookup &&
    context.isApprovedOnChain &&
    (await context.isApprovedOnChain(record.signer))
  )
    return accept("onchainApproval");
  if (size(record.approvalSignature) >= MIN_APPROVAL_SIGNATURE_SIZE) {
    const approvalMessage = buildApprovalMessage({
      name,
      signer: record.signer,
      owner,
      chainId,
      epoch: record.version === 2 ? recordEpoch : undefined,
      resolver,
    });
    if (isSignedBy(approvalMessage, record.approvalSignature, owner))
      return accept("offchainApproval");
    return reject(
      "invalidApproval",
      `SIGN 3 approval of ${record.signer} is not signed by the owner ${owner}`,
    );
  }
  return reject(
    "unapprovedSigner",
    `${record.signer} is not the owner ${owner} and is not approved`,
  );
}

/** True when `signature` is a canonical EIP-191 signature of `message` by `expected`. */
function isSignedBy(message: string, signature: Hex, expected: Address): boolean {
  try {
    assertCanonicalSignature(signature);
    return isPersonalSignatureBy(message, signature, expected);
  } catch {
    return false;
  }
}

/**
 * `verifyRecord`, throwing for a rejected record.
 *
 * @throws {RecordVerificationError} whose `reason` names the rule that failed.
 */
export async function assertRecordValid(data: Hex, context: RecordVerificationContext) {
  const verification = await verifyRecord(data, context);
  if (!verification.valid)
    throw new RecordVerificationError(verification.reason, verification.message);
  return verification;
}

/** `text/<key>` for a text request (the only kind of certificate key), for messages. */
function recordTypeLabel(request: RecordRequest): string {
  return request.type === "text" ? `text/${request.key}` : request.type;
}
