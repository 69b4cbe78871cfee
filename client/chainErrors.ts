// Chain failures in ensgate's words: every viem error a contract read or write can end in (no
// contract at the address, a custom-error revert, insufficient funds, a refused signature, an
// unreachable node) becomes one line, so no library message reaches the user. The one place the
// CLI's chain calls are translated; the order contract's custom errors are worded here too.
import {
  BaseError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  formatEther,
  HttpRequestError,
  InsufficientFundsError,
  RpcRequestError,
  TimeoutError,
  UserRejectedRequestError,
} from "viem";
import { describeError } from "../lib/index.ts";
import { ClientError } from "./errors.ts";

/** What a chain call was: the contract's name and address, the chain, the RPC URL. */
export type ChainCallContext = {
  contractName: string;
  address: string;
  chainId: number;
  rpcUrl?: string;
  /** The sending account, for "cannot pay" messages. */
  account?: string;
};

/** `getOrder(...).status` names, by value (CertificateOrders.Status). */
export const ORDER_STATUS_NAMES = ["unknown", "pending", "fulfilled", "rejected", "cancelled"];

/** One line for a custom error of CertificateOrders (undefined for another error name). */
function describeOrdersError(errorName: string, args: readonly unknown[]): string | undefined {
  const [first, second, third] = args;
  switch (errorName) {
    case "InsufficientPayment":
      return `the fee is ${formatEther(first as bigint)} ETH but ${formatEther(second as bigint)} ETH was sent`;
    case "OrderNotPending":
      return Number(second) === 0
        ? `order ${first} does not exist`
        : `order ${first} is ${ORDER_STATUS_NAMES[Number(second)] ?? `in status ${second}`}, not pending`;
    case "NotRequester":
      return `order ${first} was not placed by ${second}: only its requester may cancel it`;
    case "SettlementTimeoutNotReached":
      return `order ${first} can be cancelled from ${new Date(Number(second) * 1000).toISOString()} (the CA still has time to settle it)`;
    case "NothingToWithdraw":
      return "there is nothing to withdraw";
    case "UnknownKind":
      return `kind ${first} is neither 0 (intermediate) nor 1 (end-entity)`;
    case "EmptyCsr":
      return "the CSR is empty";
    case "CsrTooLarge":
      return `the CSR is ${first} bytes, more than the ${second} the contract accepts`;
    case "InvalidDnsName":
      return "the name is not valid DNS wire format";
    case "InvalidSettlementTimeout":
      return `a settlement timeout of ${first} s is outside ${second}..${third} s`;
    case "TransferFailed":
      return `sending ${formatEther(second as bigint)} ETH to ${first} failed (the recipient refuses ether)`;
    case "AccessControlUnauthorizedAccount":
      return `${first} lacks the role this call needs`;
    default:
      return undefined;
  }
}

/**
 * One line for a failed contract read, simulation or write, in ensgate's words; the deepest
 * matching viem error decides. Unknown failures fall back to viem's short message (one line).
 */
export function describeChainError(error: unknown, context: ChainCallContext): string {
  const on = `${context.contractName} at ${context.address} on chain ${context.chainId}`;
  if (!(error instanceof BaseError)) return describeError(error);
  const find = <T>(type: abstract new (...args: never[]) => T): T | undefined =>
    (error.walk((cause) => cause instanceof type) as T | null) ?? undefined;

  // viem names geth's wording; nodes such as Hardhat's say "doesn't have enough funds".
  const broke =
    find(InsufficientFundsError) ??
    (error.walk((cause) =>
      /insufficient funds|enough funds|exceeds transaction sender account balance/i.test(
        String((cause as { details?: unknown }).details ?? ""),
      ),
    ) as BaseError | null) ??
    undefined;
  if (broke)
    return `the wallet${context.account ? ` ${context.account}` : ""} cannot pay for this transaction (value plus gas) on chain ${context.chainId}`;
  if (find(ContractFunctionZeroDataError))
    return `no ${context.contractName} contract at ${context.address} on chain ${context.chainId}`;
  const revert = find(ContractFunctionRevertedError);
  if (revert) {
    const name = revert.data?.errorName;
    if (name) {
      const args = revert.data?.args ?? [];
      const worded =
        context.contractName === "CertificateOrders" ? describeOrdersError(name, args) : undefined;
      return worded ?? `${on} refused: ${name}(${args.map(String).join(", ")})`;
    }
    if (revert.reason) return `${on} refused: ${revert.reason}`;
    return `${on} refused the call (no reason given; is it a ${context.contractName}?)`;
  }
  if (find(UserRejectedRequestError)) return "the wallet refused to sign the transaction";
  if (find(HttpRequestError) || find(TimeoutError))
    return `cannot reach the chain at ${context.rpcUrl ?? "the configured RPC URL"}`;
  const rpc = find(RpcRequestError);
  if (rpc) return `the node at ${context.rpcUrl ?? "the RPC URL"} refused the call: ${rpc.details}`;
  return describeError(error);
}

/** Runs a chain call; any failure becomes a one-line `ClientError` (`describeChainError`). */
export async function chainCall<T>(context: ChainCallContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ClientError) throw error;
    throw new ClientError(describeChainError(error, context), { cause: error });
  }
}
