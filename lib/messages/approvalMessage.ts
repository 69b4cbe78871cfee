import type { Address } from "viem";
import { MissingResolverError } from "../errors/message.ts";
import { formatCaip10 } from "./caip10.ts";

/** Inputs of SIGN 3: the owner approves `signer` to sign records of `name` (v2 adds the epoch and the resolver). */
export type ApprovalMessageParameters = {
  /** The normalized name the approval is for (`Origin`). */
  name: string;
  /** The records signer being approved. */
  signer: Address;
  /** The name's owner, who signs this message. */
  owner: Address;
  chainId: number | bigint;
  /** v2 only: the name's epoch the approval is valid under. Omit for a NameSys v1 approval. */
  epoch?: bigint | undefined;
  /** v2 only, and required there: the resolver deployment the approval is bound to. Ignored for v1. */
  resolver?: Address | undefined;
};

/**
 * Builds SIGN 3, the owner's off-chain approval of a records signer (docs/protocol.md §5).
 *
 * - v1 (no `epoch`): byte-identical to what the NameSys resolver rebuilds; `resolver` is ignored.
 * - v2 (`epoch` given): adds `Epoch: <epoch>` (raising the epoch on-chain revokes the approval) and
 *   `Resolver: eip155:<chainId>:<EIP-55 resolver>` (the approval is valid on that deployment only),
 *   right before `Approved By`.
 *
 * @throws {MissingResolverError} when `epoch` is given without `resolver`.
 *
 * @example
 * buildApprovalMessage({ name: "nick.eth", signer, owner, chainId: 1, epoch: 0n, resolver })
 * // Requesting Signature To Approve ENS Records Signer
 * //
 * // Origin: nick.eth
 * // Approved Signer: eip155:1:0x7099…79C8
 * // Epoch: 0
 * // Resolver: eip155:1:0x5FbD…0aa3
 * // Approved By: eip155:1:0xf39F…2266
 */
export function buildApprovalMessage({
  name,
  signer,
  owner,
  chainId,
  epoch,
  resolver,
}: ApprovalMessageParameters): string {
  const v2Lines: string[] = [];
  if (epoch !== undefined) {
    if (resolver === undefined) throw new MissingResolverError("SIGN 3 (approval)");
    v2Lines.push(`Epoch: ${epoch}`, `Resolver: ${formatCaip10(chainId, resolver)}`);
  }
  return [
    "Requesting Signature To Approve ENS Records Signer\n",
    `Origin: ${name}`,
    `Approved Signer: ${formatCaip10(chainId, signer)}`,
    ...v2Lines,
    `Approved By: ${formatCaip10(chainId, owner)}`,
  ].join("\n");
}
