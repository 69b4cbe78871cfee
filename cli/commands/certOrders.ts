// `ensgate cert cancel <order>`: cancel an order the CA left unsettled past the settlement
// timeout (its fee is credited back). `ensgate cert refund`: withdraw every credited refund
// (rejected and cancelled orders, overpayments).
import { resolve } from "node:path";
import { formatEther } from "viem";
import { ORDER_STATUS, ordersAddressOf } from "../../client/orderContract.ts";
import { readOrderFile, removeOrderFiles } from "../../client/orderFile.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";
import { describeContract, parseOrderId } from "./cert.ts";
import { connectOrders } from "./ordersConnection.ts";

/** The options of `ensgate cert cancel`. */
export const CERT_CANCEL_OPTIONS = {
  "--orders <address>": "the CertificateOrders contract (env ENSGATE_ORDERS)",
} as const satisfies OptionSpecs;

/** The options of `ensgate cert refund`. */
export const CERT_REFUND_OPTIONS = {
  "--orders <address>": "the CertificateOrders contract (env ENSGATE_ORDERS)",
} as const satisfies OptionSpecs;

/**
 * `ensgate cert cancel <order>`: `<order>` is an order id, or the `<name>.order.json` file that
 * `cert request` left (then the contract comes from it, and the file and its generated key are
 * removed once the order is cancelled).
 */
export async function certCancelCommand(
  context: CommandContext,
  orderArgument: string,
  options: OptionsOf<typeof CERT_CANCEL_OPTIONS>,
): Promise<void> {
  const fromFile = orderArgument.endsWith(".json") ? resolve(orderArgument) : undefined;
  const stored = fromFile ? await readOrderFile(fromFile) : undefined;
  if (fromFile && !stored) throw new CliError(`order file ${fromFile} does not exist`);
  if (stored && stored.orderId === undefined)
    throw new CliError(
      `${fromFile} has no order id yet (transaction ${stored.txHash ?? "not sent"}): collect it with \`ensgate cert request ${stored.name} --resume <order id>\` first`,
    );
  const orderId = parseOrderId(stored?.orderId ?? orderArgument);
  const contract = await connectOrders(context, stored?.orders ?? ordersAddressOf(options.orders));
  const order = await contract.read<{ status: number; fee: bigint }>("getOrder", [orderId]);
  if (order.status === ORDER_STATUS.None)
    throw new CliError(`order ${orderId} does not exist on ${describeContract(contract)}`);
  // The simulation names the reason in the contract's words (not pending, not the requester,
  // too early: "can be cancelled from <time>").
  const { hash } = await contract.write("cancel", [orderId]);
  if (fromFile) await removeOrderFiles(fromFile, stored);
  context.output.result(
    [
      `order ${orderId} cancelled: ${formatEther(order.fee)} ETH credited to ${contract.wallet.address}; withdraw it with \`ensgate cert refund\``,
    ],
    { orderId: orderId.toString(), refund: order.fee.toString(), transaction: hash },
  );
}

/**
 * `ensgate cert refund`: withdraws the wallet's credited refunds. Nothing to withdraw is not an
 * error (exit 0, "nothing to withdraw"), so it can run from a script after every order.
 */
export async function certRefundCommand(
  context: CommandContext,
  options: OptionsOf<typeof CERT_REFUND_OPTIONS>,
): Promise<void> {
  const contract = await connectOrders(context, ordersAddressOf(options.orders));
  const owed = await contract.read<bigint>("refunds", [contract.wallet.address]);
  if (owed === 0n) {
    context.output.result([`nothing to withdraw for ${contract.wallet.address}`], {
      withdrawn: "0",
      account: contract.wallet.address,
    });
    return;
  }
  const { hash } = await contract.write("withdrawRefund", []);
  context.output.result([`withdrew ${formatEther(owed)} ETH to ${contract.wallet.address}`], {
    withdrawn: owed.toString(),
    account: contract.wallet.address,
    transaction: hash,
  });
}
