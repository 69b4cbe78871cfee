// A failed wallet request or resolver transaction in words: the resolver's custom errors as
// sentences (client/resolverErrors.ts), everything else through the CLI's chain wording
// (client/chainErrors.ts). Never a raw revert.
import resolverAbi from "virtual:ensgate/resolver-abi";
import { UserRejectedRequestError, BaseError as ViemError } from "viem";
import { describeChainError } from "../../client/chainErrors.ts";
import { describeResolverError } from "../../client/resolverErrors.ts";
import { decodeRevert } from "../../client/verifiedResolution.ts";
import { describeError } from "../../lib/index.ts";
import type { AppConfig } from "./appConfig.ts";

/** One sentence for a failed resolver call or wallet request. */
export function describeWriteError(error: unknown, config: AppConfig, account?: string): string {
  const rejected =
    (error as { code?: unknown })?.code === 4001 ||
    (error instanceof ViemError &&
      error.walk((cause) => cause instanceof UserRejectedRequestError) !== null);
  if (rejected) return "the wallet refused the request";
  const decoded = decodeRevert(error, resolverAbi);
  if (decoded)
    return `the resolver refused: ${describeResolverError(decoded.errorName, decoded.args)}`;
  // Our own errors (lib, client, ipfs) are already sentences; viem's get the chain wording.
  if (!(error instanceof ViemError)) return describeError(error);
  return describeChainError(error, {
    contractName: "EnsgateResolver",
    address: config.resolver ?? "(no resolver configured)",
    chainId: config.chainId,
    rpcUrl: config.rpcUrl,
    ...(account ? { account } : {}),
  });
}
