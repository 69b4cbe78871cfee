import { type Address, type Hex, keccak256 } from "viem";
import { MissingResolverError } from "../errors/message.ts";
import { MalformedRecordError } from "../errors/recordFile.ts";
import { formatCaip10 } from "./caip10.ts";

/** Freshness fields signed into a v2 record. */
export type RecordFreshness = {
  /** Unix time (seconds) after which the record is rejected. */
  validUntil: bigint;
  /** The name's epoch the record is valid under; raising it on-chain revokes the record. */
  epoch: bigint;
};

/** Inputs of SIGN 4: who signs which value of which record of which name on which chain. */
export type RecordMessageParameters = {
  /** The normalized name the record is for (`Origin`). */
  name: string;
  /** The record type string: the file path without `.json` (`text/avatar`). */
  recordType: string;
  /** The ABI-encoded result (the resolver function's return value) being signed. */
  result: Hex;
  /** The records signer (`Signed By`): the owner, or a signer the owner approved. */
  signer: Address;
  chainId: number | bigint;
  /** v2 only: expiry and epoch. Omit for a NameSys v1 record. */
  freshness?: RecordFreshness | undefined;
  /** v2 only, and required there: the resolver deployment the record is bound to. Ignored for v1. */
  resolver?: Address | undefined;
  /**
   * Certificate records only (v2): the name's owner the certificate authority issued the record
   * to (`Name Owner` line). The record verifies only while that account owns the name.
   */
  certifiedOwner?: Address | undefined;
};

/**
 * Builds SIGN 4, the record signer's message over one record value (docs/protocol.md §5).
 *
 * - v1 (no `freshness`): byte-identical to what the NameSys resolver rebuilds (Extradata is
 *   keccak256 of the ABI-encoded result); `resolver` is ignored.
 * - v2 (`freshness` given): adds `Valid Until`, `Epoch` and
 *   `Resolver: eip155:<chainId>:<EIP-55 resolver>` right before `Signed By`, so the record is valid
 *   on that resolver deployment only.
 * - A certificate record (v2 with `certifiedOwner`) adds `Name Owner: eip155:<chainId>:<owner>`
 *   after `Resolver`: the certificate authority signs whom it issued to.
 *
 * @throws {MissingResolverError} when `freshness` is given without `resolver`.
 * @throws {MalformedRecordError} when `certifiedOwner` is given without `freshness` (v1).
 *
 * @example
 * buildRecordMessage({
 *   name: "nick.eth",
 *   recordType: "text/avatar",
 *   result: encodeRecordValue({ type: "text", key: "avatar" }, "https://example.com/a.png"),
 *   signer,
 *   chainId: 1,
 *   freshness: { validUntil: 1_800_000_000n, epoch: 0n },
 *   resolver,
 * })
 * // Requesting Signature To Update ENS Record
 * //
 * // Origin: nick.eth
 * // Record Type: text/avatar
 * // Extradata: 0x…
 * // Valid Until: 1800000000
 * // Epoch: 0
 * // Resolver: eip155:1:0x5FbD…0aa3
 * // Signed By: eip155:1:0x7099…79C8
 */
export function buildRecordMessage({
  name,
  recordType,
  result,
  signer,
  chainId,
  freshness,
  resolver,
  certifiedOwner,
}: RecordMessageParameters): string {
  if (certifiedOwner !== undefined && freshness === undefined)
    throw new MalformedRecordError("a certificate record is v2: it needs validUntil and epoch");
  const v2Lines: string[] = [];
  if (freshness !== undefined) {
    if (resolver === undefined) throw new MissingResolverError("SIGN 4 (record)");
    v2Lines.push(
      `Valid Until: ${freshness.validUntil}`,
      `Epoch: ${freshness.epoch}`,
      `Resolver: ${formatCaip10(chainId, resolver)}`,
    );
    if (certifiedOwner !== undefined)
      v2Lines.push(`Name Owner: ${formatCaip10(chainId, certifiedOwner)}`);
  }
  return [
    "Requesting Signature To Update ENS Record\n",
    `Origin: ${name}`,
    `Record Type: ${recordType}`,
    `Extradata: ${keccak256(result)}`,
    ...v2Lines,
    `Signed By: ${formatCaip10(chainId, signer)}`,
  ].join("\n");
}
