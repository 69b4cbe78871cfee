// What the `cert` commands that talk to CertificateOrders share: the chain, the wallet, the ABI,
// and reads and writes whose failures are one line in ensgate's words (client/chainErrors.ts).
import { type Address, createWalletClient, type Hex, http, type TransactionReceipt } from "viem";
import type { ChainConnection } from "../../client/chain.ts";
import { type ChainCallContext, chainCall } from "../../client/chainErrors.ts";
import { requireSettings } from "../../client/config.ts";
import { loadOrdersAbi, type OrdersAbi } from "../../client/orderContract.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";

/** The order contract as the connected wallet sees it. */
export type OrdersConnection = {
  connection: ChainConnection;
  abi: OrdersAbi;
  orders: Address;
  wallet: Awaited<ReturnType<CommandContext["wallet"]>>;
  /** Who a failure is about (contract, chain, RPC, account). */
  about: ChainCallContext;
  /** A view of the contract; failures are one line. */
  read: <T>(functionName: string, args?: readonly unknown[]) => Promise<T>;
  /**
   * Simulates (custom errors before any gas is spent), runs `beforeSend`, sends from the wallet,
   * runs `sent` as soon as the hash is known, and waits for the receipt. With `allowRevert` a
   * mined revert is returned (status "reverted"), else it is a one-line error.
   */
  write: (
    functionName: string,
    args: readonly unknown[],
    options?: {
      value?: bigint;
      beforeSend?: () => Promise<void>;
      sent?: (hash: Hex) => Promise<void>;
      allowRevert?: boolean;
    },
  ) => Promise<{ hash: Hex; receipt: TransactionReceipt }>;
};

/** Connects to the chain and the wallet for the order contract at `orders`. */
export async function connectOrders(
  context: CommandContext,
  orders: Address,
): Promise<OrdersConnection> {
  const { rpcUrl } = requireSettings(context.config, "rpcUrl");
  const connection = await context.chain();
  const wallet = await context.wallet();
  const abi = loadOrdersAbi();
  const about: ChainCallContext = {
    contractName: "CertificateOrders",
    address: orders,
    chainId: connection.chain.id,
    rpcUrl,
    account: wallet.address,
  };
  const { publicClient } = connection;
  return {
    connection,
    abi,
    orders,
    wallet,
    about,
    read: <T>(functionName: string, args: readonly unknown[] = []) =>
      chainCall(
        about,
        () =>
          publicClient.readContract({
            address: orders,
            abi,
            functionName,
            args,
          } as never) as Promise<T>,
      ),
    async write(functionName, args, options = {}) {
      const call = {
        address: orders,
        abi,
        functionName,
        args,
        account: wallet,
        chain: connection.chain,
        ...(options.value === undefined ? {} : { value: options.value }),
      } as never;
      await chainCall(about, () => publicClient.simulateContract(call));
      await options.beforeSend?.();
      const walletClient = createWalletClient({
        chain: connection.chain,
        account: wallet,
        transport: http(rpcUrl, { retryCount: 0 }),
      });
      const hash = await chainCall(about, () => walletClient.writeContract(call));
      await options.sent?.(hash);
      const receipt = await chainCall(about, () =>
        publicClient.waitForTransactionReceipt({ hash, pollingInterval: 250 }),
      );
      if (receipt.status !== "success" && !options.allowRevert)
        throw new CliError(`the ${functionName} transaction ${hash} reverted`);
      return { hash, receipt };
    },
  };
}
