import { type Address, getAddress } from "viem";

/** CAIP-10 account id as the NameSys messages write it: `eip155:<chainId>:<EIP-55 address>`. */
export function formatCaip10(chainId: number | bigint, address: Address): string {
  return `eip155:${chainId}:${getAddress(address)}`;
}
