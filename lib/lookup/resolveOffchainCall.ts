import {
  type Address,
  decodeFunctionData,
  encodeFunctionData,
  getAddress,
  type Hex,
  parseAbiItem,
  toFunctionSelector,
} from "viem";
import { InvalidRecordCallError } from "../errors/record.ts";
import { normalizeHexBytes } from "../records/hexBytes.ts";

/**
 * The `callData` of the resolver's `OffchainLookup`: everything a stateless gateway needs to find,
 * fetch and pre-verify a record without an RPC connection (contracts/interfaces/IEnsgateGateway.sol).
 */
export const RESOLVE_OFFCHAIN_SIGNATURE =
  "function resolveOffchain(bytes name, bytes data, bytes recordhash, address owner, uint256 chainId, uint64 epoch) view returns (bytes)";

const RESOLVE_OFFCHAIN_FUNCTION = parseAbiItem(RESOLVE_OFFCHAIN_SIGNATURE);
/** The 4-byte selector of `resolveOffchain`. */
export const RESOLVE_OFFCHAIN_SELECTOR = toFunctionSelector(RESOLVE_OFFCHAIN_FUNCTION);

/** The decoded lookup: what the resolver asks the gateway for. */
export type ResolveOffchainCall = {
  /** DNS wire-format name being resolved. */
  dnsName: Hex;
  /** The inner resolver call (e.g. `text(bytes32,string)` calldata). */
  data: Hex;
  /** Where the name's records live (full contenthash or short 32-byte IPNS key). */
  recordhash: Hex;
  /** The owner the record must be signed or approved by. */
  owner: Address;
  chainId: bigint;
  /** The name's epoch: the owner's epoch counters summed over the name and its ancestors. */
  epoch: bigint;
};

/** Encodes a lookup's `callData` (what the resolver puts in `OffchainLookup`, and the gateway receives). */
export function encodeResolveOffchainCall(call: ResolveOffchainCall): Hex {
  return encodeFunctionData({
    abi: [RESOLVE_OFFCHAIN_FUNCTION],
    functionName: "resolveOffchain",
    args: [call.dnsName, call.data, call.recordhash, call.owner, call.chainId, call.epoch],
  });
}

/**
 * Decodes a lookup's `callData` (hex read in any case); the returned hex fields are lower-case.
 * The resolver that sent the lookup is not in the `callData`: it is the EIP-3668 `sender`.
 *
 * @throws {InvalidRecordCallError} when `callData` is not a `resolveOffchain` call.
 */
export function decodeResolveOffchainCall(callData: Hex): ResolveOffchainCall {
  const hex = normalizeHexBytes(callData);
  if (hex === undefined) throw new InvalidRecordCallError("callData is not 0x-hex bytes");
  try {
    const { args } = decodeFunctionData({ abi: [RESOLVE_OFFCHAIN_FUNCTION], data: hex });
    const [dnsName, data, recordhash, owner, chainId, epoch] = args;
    return { dnsName, data, recordhash, owner: getAddress(owner), chainId, epoch };
  } catch {
    throw new InvalidRecordCallError("callData is not a resolveOffchain(...) call");
  }
}
