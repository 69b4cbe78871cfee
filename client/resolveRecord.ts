// ENSIP-10 resolution with the verified record (client/verifiedResolution.ts), with the resolver's
// custom errors taken from Hardhat's artifacts: what the CLI and the certificate commands call.
import type { Abi } from "viem";
import { loadResolverAbi } from "./chain.ts";
import {
  describeRevert as describeRevertWith,
  type Resolution,
  resolveVerifiedRecord,
} from "./verifiedResolution.ts";

export {
  type CapturedLookup,
  findResolver,
  RecordRejectedByResolverError,
  type Resolution,
  type VerifiedRecord,
} from "./verifiedResolution.ts";

/** Resolves one record of `name` through the registry and CCIP-Read, and verifies the answer. */
export function resolveRecord(
  options: Omit<Parameters<typeof resolveVerifiedRecord>[0], "resolverErrors">,
): Promise<Resolution> {
  return resolveVerifiedRecord({ ...options, resolverErrors: loadResolverAbi() as Abi });
}

/** Names the contract's custom error when the failure is a revert (e.g. `StaleEpoch(0, 1)`). */
export function describeRevert(error: unknown): string {
  return describeRevertWith(error, loadResolverAbi() as Abi);
}
