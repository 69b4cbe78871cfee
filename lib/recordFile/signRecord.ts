import { type Address, getAddress, type Hex, type LocalAccount } from "viem";
import { MissingResolverError } from "../errors/message.ts";
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
  /** The name the record is for; normalized (ENSIP-15) before signing. */
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
  /**
   * The resolver deployment the record is bound to (SIGN 4 `Resolver` line). Required with
   * `freshness` (v2); ignored for v1, which NameSys signs without it.
   */
  resolver?: Address | undefined;
  /**
   * Certificate records only (the certificate authority's `org.ensgate.ca.*` keys, v2): the
   * name's owner the certificate was issued to. The record verifies only while that account owns
   * the name (SIGN 4 `Name Owner`).
   */
  certifiedOwner?: Address | undefined;
  /** Milliseconds since the epoch written as `timestamp` (default: now). */
  timestamp?: number | undefined;
};

/**
 * Signs SIGN 4 for one record and returns its record file: v2 when `freshness` is given (bound to
 * `resolver`, expiring at `validUntil`, revoked by an epoch bump), else NameSys v1.
 * Refuses a `result` the resolver could not decode.
 *
 * @throws {MissingResolverError} when `freshness` is given without `resolver`.
 *
 * @example
 * const file = await signRecord({
 *   name: "alice.eth",
 *   request: { type: "text", key: "avatar" },
 *   result: encodeRecordValue({ type: "text", key: "avatar" }, "https://example.com/a.png"),
 *   signer: account,
 *   owner: account.address,
 *   chainId: 1,
 *   freshness: { validUntil: 1_800_000_000n, epoch: 0n },
 *   resolver: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 * });
 * await writeFile(buildRecordFilePath("alice.eth", request), serializeRecordFile(file));
 */
export async function signRecord(parameters: SignRecordParameters): Promise<RecordFile> {
  const { request, result, signer, owner, chainId, freshness, resolver, certifiedOwner } =
    parameters;
  if (freshness !== undefined && resolver === undefined)
    throw new MissingResolverError("SIGN 4 (record)");
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
    resolver,
    certifiedOwner,
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
    certifiedOwner,
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
  if (!freshness || resolver === undefined) return v1;
  return {
    version: 2,
    ...v1,
    recordType,
    chainId,
    resolver: getAddress(resolver),
    validUntil: freshness.validUntil.toString(),
    epoch: freshness.epoch.toString(),
    ...(certifiedOwner === undefined ? {} : { certifiedOwner: getAddress(certifiedOwner) }),
  };
}

/** Inputs of `signApproval`. */
export type SignApprovalParameters = {
  /** The name the approval is for; normalized (ENSIP-15) before signing. */
  name: string;
  /** The signer being approved. */
  signer: Address;
  /** The name's owner, who signs SIGN 3. */
  owner: MessageSigner;
  chainId: number;
  /** v2: the name's current epoch (raising it revokes the approval); omit for a NameSys v1 approval. */
  epoch?: bigint | undefined;
  /**
   * The resolver deployment the approval is bound to (SIGN 3 `Resolver` line). Required with
   * `epoch` (v2); ignored for v1.
   */
  resolver?: Address | undefined;
};

/**
 * Signs SIGN 3: the owner's off-chain approval of a records signer for one name. The v2 form
 * (`epoch` given) is valid on `resolver` only and only under that epoch; pass it as
 * `approvalSignature` to `signRecord` with the same epoch and resolver.
 *
 * @throws {MissingResolverError} when `epoch` is given without `resolver`.
 *
 * @example
 * const approvalSignature = await signApproval({
 *   name: "alice.eth",
 *   signer: signerKey.address,
 *   owner: wallet,
 *   chainId: 1,
 *   epoch: 0n,
 *   resolver: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 * });
 */
export async function signApproval({
  name,
  signer,
  owner,
  chainId,
  epoch,
  resolver,
}: SignApprovalParameters): Promise<Hex> {
  const message = buildApprovalMessage({
    name: normalizeName(name),
    signer,
    owner: owner.address,
    chainId,
    epoch,
    resolver,
  });
  return owner.signMessage({ message });
}
