import type { Address, Hex, LocalAccount } from "viem";
import { buildApprovalMessage } from "../messages/approvalMessage.ts";
import { buildRecordMessage, type RecordFreshness } from "../messages/recordMessage.ts";
import { normalizeName } from "../names/normalizeName.ts";
import { buildRecordType } from "../records/recordPath.ts";
import type { RecordRequest } from "../records/recordRequest.ts";
import { decodeRecordValue, decodeStoredResult } from "../records/recordValue.ts";
import type { RecordFile } from "./recordFile.ts";
import { encodeSignedRecordData } from "./signedRecordData.ts";

/** Anything that signs EIP-191 personal messages: a viem local account, or an adapter to a wallet. */
export type MessageSigner = Pick<LocalAccount, "address" | "signMessage">;

/** Inputs of `signRecord`. */
export type SignRecordParameters = {
  name: string;
  request: RecordRequest;
  /** The stored result (from `encodeRecordValue`). */
  result: Hex;
  /** Who signs SIGN 4: the owner, or an approved signer (e.g. the KEYGEN signer key). */
  signer: MessageSigner;
  /** The name's owner (equal to the signer when the owner signs). */
  owner: Address;
  chainId: number;
  /** SIGN 3 approval of `signer` by the owner, when the signer is approved off-chain. */
  approvalSignature?: Hex | undefined;
  /** v2 freshness; omit for a NameSys-compatible v1 record. */
  freshness?: RecordFreshness | undefined;
  /** Milliseconds since the epoch written as `timestamp` (default: now). */
  timestamp?: number | undefined;
};

/** Signs SIGN 4 for one record and returns its record file (v2 when `freshness` is given, else v1). */
export async function signRecord(parameters: SignRecordParameters): Promise<RecordFile> {
  const { request, result, signer, owner, chainId, freshness } = parameters;
  const name = normalizeName(parameters.name);
  const recordType = buildRecordType(request);
  decodeStoredResult(request, result); // refuse to sign a result the resolver could not decode
  const message = buildRecordMessage({
    name,
    recordType,
    result,
    signer: signer.address,
    chainId,
    freshness,
  });
  const recordSignature = await signer.signMessage({ message });
  const approvalSignature = parameters.approvalSignature ?? "0x";
  const data = encodeSignedRecordData({
    version: freshness ? 2 : 1,
    signer: signer.address,
    recordSignature,
    approvalSignature,
    result,
    validUntil: freshness?.validUntil,
    epoch: freshness?.epoch,
  });
  const v1 = {
    domain: name,
    data,
    raw: decodeRecordValue(request, result),
    timestamp: parameters.timestamp ?? Date.now(),
    signer: signer.address,
    controller: owner,
    managerSignature: approvalSignature,
    recordSignature,
  };
  if (!freshness) return v1;
  return {
    version: 2,
    ...v1,
    recordType,
    chainId,
    validUntil: freshness.validUntil.toString(),
    epoch: freshness.epoch.toString(),
  };
}

/** Inputs of `signApproval`. */
export type SignApprovalParameters = {
  name: string;
  /** The signer being approved. */
  signer: Address;
  /** The name's owner, who signs SIGN 3. */
  owner: MessageSigner;
  chainId: number;
  /** v2: the owner's current epoch (raising it revokes the approval); omit for a NameSys v1 approval. */
  epoch?: bigint | undefined;
};

/** Signs SIGN 3: the owner's off-chain approval of a records signer for one name. */
export async function signApproval({
  name,
  signer,
  owner,
  chainId,
  epoch,
}: SignApprovalParameters): Promise<Hex> {
  const message = buildApprovalMessage({
    name: normalizeName(name),
    signer,
    owner: owner.address,
    chainId,
    epoch,
  });
  return owner.signMessage({ message });
}
