// The order contract as the CA and the CLI see it: its ABI (Hardhat's artifact) and the
// order-event shape. Who owns a name is the resolver's `nameContext` (client/chain.ts).
import { readFileSync } from "node:fs";
import type { ArtifactMap } from "hardhat/types/artifacts";
import { type Address, getAddress, type Hex, isAddress, parseAbi } from "viem";
import { ClientError } from "./errors.ts";

/** The `CertificateOrders` ABI with its literal types (Hardhat's generated artifact types). */
export type OrdersAbi = ArtifactMap["CertificateOrders"]["abi"];

/** The compiled `CertificateOrders` ABI, typed: contract reads need no casts. */
export function loadOrdersAbi(): OrdersAbi {
  const path = new URL(
    "../artifacts/contracts/CertificateOrders.sol/CertificateOrders.json",
    import.meta.url,
  );
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { abi: OrdersAbi }).abi;
  } catch {
    throw new ClientError("the CertificateOrders ABI is missing: run `npx hardhat build`");
  }
}

/** The CertificateOrders ABI and creation bytecode (for `ensgate ca deploy`). */
export function loadOrdersArtifact(): { abi: OrdersAbi; bytecode: `0x${string}` } {
  const path = new URL(
    "../artifacts/contracts/CertificateOrders.sol/CertificateOrders.json",
    import.meta.url,
  );
  try {
    return JSON.parse(readFileSync(path, "utf8")) as { abi: OrdersAbi; bytecode: `0x${string}` };
  } catch {
    throw new ClientError("the CertificateOrders artifact is missing: run `npx hardhat build`");
  }
}

/** The `OrderRequested` event. */
export const ORDER_REQUESTED_EVENT = parseAbi([
  "event OrderRequested(uint256 indexed orderId, address indexed requester, uint8 indexed kind, bytes dnsName, bytes csr, uint256 fee)",
])[0];

/** `getOrder(orderId).status` values. */
export const ORDER_STATUS = {
  None: 0,
  Pending: 1,
  Fulfilled: 2,
  Rejected: 3,
  Cancelled: 4,
} as const;

/** An order event, as the CA records it. */
export type OrderEvent = {
  orderId: bigint;
  requester: Address;
  kind: number;
  dnsName: Hex;
  csr: Hex;
  fee: bigint;
  blockNumber: bigint;
};

/** The order contract: `option` (e.g. --orders), else ENSGATE_ORDERS. */
export function ordersAddressOf(option: string | undefined): Address {
  const value = option ?? process.env.ENSGATE_ORDERS;
  if (!value)
    throw new ClientError("missing the order contract: pass --orders or set ENSGATE_ORDERS");
  if (!isAddress(value)) throw new ClientError(`orders "${value}" is not an address`);
  return getAddress(value);
}
