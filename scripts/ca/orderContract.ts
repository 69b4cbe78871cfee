// The order contract as the CA and the CLI see it: its ABI (Hardhat's artifact), the order-event
// shape, and the NameWrapper-aware ownership read at a given block.
import { readFileSync } from "node:fs";
import { type Abi, type Address, type Hex, type PublicClient, parseAbi, zeroAddress } from "viem";
import { CliError } from "../cli/errors.ts";

/** The compiled `CertificateOrders` ABI. */
export function loadOrdersAbi(): Abi {
  const path = new URL(
    "../../artifacts/contracts/CertificateOrders.sol/CertificateOrders.json",
    import.meta.url,
  );
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { abi: Abi }).abi;
  } catch {
    throw new CliError("the CertificateOrders ABI is missing: run `npx hardhat build`");
  }
}

/** The `OrderRequested` event. */
export const ORDER_REQUESTED_EVENT = parseAbi([
  "event OrderRequested(uint256 indexed orderId, address indexed requester, uint8 indexed kind, bytes dnsName, bytes csr, uint256 fee)",
])[0];

/** `getOrder(orderId).status` values. */
export const ORDER_STATUS = { None: 0, Pending: 1, Fulfilled: 2, Rejected: 3 } as const;

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

const REGISTRY_ABI = parseAbi(["function owner(bytes32 node) view returns (address)"]);
const WRAPPER_ABI = parseAbi(["function ownerOf(uint256 id) view returns (address)"]);

/**
 * The owner of `node` at `blockNumber`: the registry owner, or `NameWrapper.ownerOf(node)` when
 * the registry owner is the NameWrapper. Zero when the node does not exist.
 */
export async function ownerAtBlock(
  client: PublicClient,
  contracts: { registry: Address; nameWrapper: Address },
  node: Hex,
  blockNumber: bigint,
): Promise<Address> {
  const owner = await client.readContract({
    address: contracts.registry,
    abi: REGISTRY_ABI,
    functionName: "owner",
    args: [node],
    blockNumber,
  });
  if (owner !== zeroAddress && owner.toLowerCase() === contracts.nameWrapper.toLowerCase())
    return client.readContract({
      address: contracts.nameWrapper,
      abi: WRAPPER_ABI,
      functionName: "ownerOf",
      args: [BigInt(node)],
      blockNumber,
    });
  return owner;
}
