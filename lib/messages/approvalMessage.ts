import type { Address } from "viem";
import { formatCaip10 } from "./caip10.ts";

/** Inputs of SIGN 3: the owner approves `signer` to sign records of `name` (v2 adds the owner's epoch). */
export type ApprovalMessageParameters = {
  name: string;
  signer: Address;
  owner: Address;
  chainId: number | bigint;
  /** v2 only: the owner's epoch the approval is valid under. */
  epoch?: bigint | undefined;
};

/**
 * SIGN 3, byte-identical to what the NameSys resolver rebuilds (v1), or its v2 form with an
 * `Epoch` line, so that raising the epoch on-chain also revokes every off-chain approval.
 */
export function buildApprovalMessage({
  name,
  signer,
  owner,
  chainId,
  epoch,
}: ApprovalMessageParameters): string {
  return [
    "Requesting Signature To Approve ENS Records Signer\n",
    `Origin: ${name}`,
    `Approved Signer: ${formatCaip10(chainId, signer)}`,
    ...(epoch === undefined ? [] : [`Epoch: ${epoch}`]),
    `Approved By: ${formatCaip10(chainId, owner)}`,
  ].join("\n");
}
