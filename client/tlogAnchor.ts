// Reading the on-chain anchor of a transparency log (contracts/LogAnchor.sol): the latest
// checkpoint (origin, size, root) the log's operator anchored with a proof the contract checked.
import { type Address, hexToBytes, type PublicClient, parseAbi } from "viem";

/** The reads of LogAnchor that an auditor needs. */
export const logAnchorAbi = parseAbi([
  "function origin() view returns (string)",
  "function size() view returns (uint64)",
  "function root() view returns (bytes32)",
]);

/** The anchored checkpoint. */
export type AnchoredCheckpoint = {
  address: Address;
  origin: string;
  size: number;
  root: Uint8Array;
};

/** Reads the anchored checkpoint of the LogAnchor at `address`. */
export async function readLogAnchor(
  client: PublicClient,
  address: Address,
): Promise<AnchoredCheckpoint> {
  const read = <F extends "origin" | "size" | "root">(functionName: F) =>
    client.readContract({ address, abi: logAnchorAbi, functionName });
  const [origin, size, root] = await Promise.all([read("origin"), read("size"), read("root")]);
  return { address, origin, size: Number(size), root: hexToBytes(root) };
}
