// The order file `<out>/<name>.order.json`: what `ensgate cert request` must keep once it has
// paid, so that a request that timed out (or crashed) can be collected later with the same key
// (`--resume`) or cancelled. Written atomically before the order transaction is sent and updated
// with the order id once it is mined; removed when the order ends (collected, rejected, cancelled).
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { type Address, getAddress, type Hex, isAddress, isHex } from "viem";
import { ClientError } from "./errors.ts";
import { writeFileAtomic } from "./files.ts";

/** An order in progress, as the CLI keeps it. */
export type OrderFile = {
  name: string;
  /** 0 = intermediate (domain CA), 1 = end-entity. */
  kind: number;
  orders: Address;
  chainId: number;
  requester: Address;
  /** The private key the CSR was made with (absolute path). */
  keyFile: string;
  /** Whether `cert request` generated the key (then it is removed when the order fails). */
  generatedKey: boolean;
  /** The `request` transaction, once sent. */
  txHash?: Hex;
  /** The order id, once the transaction is mined. */
  orderId?: string;
};

/** The order file's path for `name` in `dir`. */
export const orderFilePath = (dir: string, name: string) => `${dir}/${name}.order.json`;

/** Writes the order file (atomically, 0600: it names the key). */
export async function writeOrderFile(path: string, order: OrderFile): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(order, null, 2)}\n`, 0o600);
}

/** Reads an order file; undefined when there is none; a one-line error when it is malformed. */
export async function readOrderFile(path: string): Promise<OrderFile | undefined> {
  if (!existsSync(path)) return undefined;
  let value: Partial<OrderFile>;
  try {
    value = JSON.parse(await readFile(path, "utf8")) as Partial<OrderFile>;
  } catch {
    throw new ClientError(`${path} is not an order file (JSON)`);
  }
  const valid =
    typeof value.name === "string" &&
    (value.kind === 0 || value.kind === 1) &&
    typeof value.orders === "string" &&
    isAddress(value.orders) &&
    typeof value.chainId === "number" &&
    typeof value.requester === "string" &&
    isAddress(value.requester) &&
    typeof value.keyFile === "string" &&
    typeof value.generatedKey === "boolean" &&
    (value.txHash === undefined || isHex(value.txHash)) &&
    (value.orderId === undefined || /^[1-9][0-9]*$/.test(value.orderId));
  if (!valid) throw new ClientError(`${path} is not a valid order file`);
  const order = value as OrderFile;
  return { ...order, orders: getAddress(order.orders), requester: getAddress(order.requester) };
}

/**
 * Removes an ended order's files: the order file, and the key when `cert request` generated it
 * (a key no certificate will ever pin). A key the user passed with --key is never touched.
 */
export async function removeOrderFiles(path: string, order: OrderFile | undefined): Promise<void> {
  if (order?.generatedKey) await rm(order.keyFile, { force: true });
  await rm(path, { force: true });
}
