// One record, resolved in the browser as a wallet does (client/verifiedResolution.ts): the
// registry's resolver, `resolve()` with CCIP-Read, the callback's verdict on chain, and lib's
// verifyRecord on the same answer to name the signer and the rule, or the reason it was refused.

import resolverAbi from "virtual:ensgate/resolver-abi";
import type { Address } from "viem";
import { describeResolverError } from "../../client/resolverErrors.ts";
import {
  RecordRejectedByResolverError,
  resolveVerifiedRecord,
  type VerifiedRecord,
} from "../../client/verifiedResolution.ts";
import { describeError, type RecordRequest } from "../../lib/index.ts";
import type { AppConfig } from "./appConfig.ts";
import { chainOf, publicClientOf } from "./chain.ts";

/** What Explore shows for one record. */
export type RecordOutcome =
  | { status: "verified"; resolver: Address; record: VerifiedRecord }
  | { status: "unset"; resolver: Address }
  | {
      status: "rejected";
      /** The resolver's custom error, e.g. `InvalidRecordSignature()`. */
      revert: string;
      /** The same, in words. */
      sentence: string;
      /** lib's reason for the same answer (`invalidRecordSignature: ...`). */
      reason: string | undefined;
    }
  | { status: "error"; message: string };

/** Resolves and verifies one record of `name`; never throws. */
export async function readVerifiedRecord(
  config: AppConfig,
  name: string,
  request: RecordRequest,
): Promise<RecordOutcome> {
  try {
    const resolution = await resolveVerifiedRecord({
      chain: chainOf(config),
      rpcUrl: config.rpcUrl,
      publicClient: publicClientOf(config),
      registry: config.registry,
      name,
      request,
      resolverErrors: resolverAbi,
    });
    if (resolution.verified)
      return { status: "verified", resolver: resolution.resolver, record: resolution.verified };
    return { status: "unset", resolver: resolution.resolver };
  } catch (error) {
    if (error instanceof RecordRejectedByResolverError)
      return {
        status: "rejected",
        revert: error.revert,
        sentence: error.decoded
          ? describeResolverError(error.decoded.errorName, error.decoded.args)
          : `the resolver refused the gateway's answer (${error.revert})`,
        reason: error.rejection && `${error.rejection.reason}: ${error.rejection.message}`,
      };
    return { status: "error", message: describeError(error) };
  }
}
