import { type Address, type Hex, keccak256 } from "viem";
import { formatCaip10 } from "./caip10.ts";

/** Freshness fields signed into a v2 record. */
export type RecordFreshness = {
  /** Unix time (seconds) after which the record is rejected. */
  validUntil: bigint;
  /** The owner's epoch the record is valid under; raising it on-chain revokes the record. */
  epoch: bigint;
};

/** Inputs of SIGN 4: who signs which value of which record of which name on which chain. */
export type RecordMessageParameters = {
  name: string;
  /** The record type string: the file path without `.json` (`text/avatar`). */
  recordType: string;
  /** The ABI-encoded result (the resolver function's return value) being signed. */
  result: Hex;
  signer: Address;
  chainId: number | bigint;
  /** v2 only. */
  freshness?: RecordFreshness | undefined;
};

/**
 * SIGN 4, byte-identical to what the NameSys resolver rebuilds (v1): Extradata is keccak256 of the
 * ABI-encoded result. v2 inserts `Valid Until` and `Epoch` lines before `Signed By`.
 */
export function buildRecordMessage({
  name,
  recordType,
  result,
  signer,
  chainId,
  freshness,
}: RecordMessageParameters): string {
  return [
    "Requesting Signature To Update ENS Record\n",
    `Origin: ${name}`,
    `Record Type: ${recordType}`,
    `Extradata: ${keccak256(result)}`,
    ...(freshness === undefined
      ? []
      : [`Valid Until: ${freshness.validUntil}`, `Epoch: ${freshness.epoch}`]),
    `Signed By: ${formatCaip10(chainId, signer)}`,
  ].join("\n");
}
