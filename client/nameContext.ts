// A name's on-chain context as the resolver sees it, read with viem (no Node API: the web app
// uses it too): `nameContext` (owner, owner node, epoch, recordhash), on-chain approvals, the
// wallet-wide recordhash, and the resolver's errors of those reads in words.
import {
  type Address,
  BaseError,
  type BlockNumber,
  ContractFunctionRevertedError,
  decodeErrorResult,
  getAddress,
  type Hex,
  type PublicClient,
  parseAbi,
} from "viem";
import {
  ancestorWithNode,
  describeError,
  dnsEncodeName,
  namehash,
  namePath,
  parseRecordhash,
} from "../lib/index.ts";
import { ClientError } from "./errors.ts";

/**
 * The resolver views the CLI and the CA read, with the errors they revert with. Written out here
 * (not taken from the artifact) so that a stale build names the missing function instead of
 * failing on an unknown one.
 */
export const NAME_CONTEXT_ABI = parseAbi([
  "function nameContext(bytes name) view returns (address owner, bytes32 ownerNode, uint256 epoch, bytes recordhash)",
  "function isApprovedSigner(address owner, bytes32 node, address signer) view returns (bool)",
  "function ownerRecordhash(address owner) view returns (bytes)",
  "error InvalidDnsName()",
  "error NameNotFound()",
  "error NameExpired(uint256 expiredAt)",
]);

/** A name's on-chain context, as `resolve()` sees it (`nameContext(dnsEncode(name))`). */
export type NameContext = {
  /** The normalized name that was read. */
  name: string;
  /** Its owner: the registry (or NameWrapper) owner of the owner node, after the .eth expiry rule. */
  owner: Address;
  /** The closest ancestor (the name itself included) below the top-level label that has an owner. */
  ownerNode: Hex;
  /** That ancestor's name. */
  ownerName: string;
  /** The epoch records and v2 approvals of the name must carry. */
  epoch: bigint;
  /** The recordhash lookups of the name read (the name's, an ancestor's or the owner's wallet-wide one), or `0x`. */
  recordhash: Hex;
};

/**
 * One line for a failed `nameContext` read: the resolver's custom errors (`NameNotFound`,
 * `NameExpired(expiredAt)`, `InvalidDnsName`) in words; undefined for any other failure.
 */
export function describeNameContextError(name: string, error: unknown): string | undefined {
  const revert =
    error instanceof BaseError
      ? error.walk((cause) => cause instanceof ContractFunctionRevertedError)
      : undefined;
  if (!(revert instanceof ContractFunctionRevertedError)) return undefined;
  let decoded: { errorName: string; args?: readonly unknown[] | undefined } | undefined =
    revert.data;
  if (!decoded && revert.raw)
    try {
      decoded = decodeErrorResult({ abi: NAME_CONTEXT_ABI, data: revert.raw });
    } catch {
      decoded = undefined;
    }
  switch (decoded?.errorName) {
    case "NameNotFound":
      return `${name} is not registered: no name on its path below the top-level label has an owner`;
    case "NameExpired": {
      const expiredAt = decoded.args?.[0] as bigint;
      return `${name} has expired: its .eth registration and grace period ended at ${new Date(Number(expiredAt) * 1000).toISOString()}, so it has no owner`;
    }
    case "InvalidDnsName":
      return `${name} is not a name the resolver accepts (labels of 1 to 63 bytes, 255 bytes in all)`;
    default:
      return undefined;
  }
}

/**
 * Reads `nameContext(dnsEncode(name))` from the resolver (at `blockNumber` when given): the one
 * read of who owns the name, its epoch and its recordhash. Throws a one-line `ClientError` for the
 * resolver's custom errors and for a resolver without `nameContext`.
 */
export async function readNameContext(
  client: Pick<PublicClient, "readContract">,
  resolver: Address,
  name: string,
  blockNumber?: BlockNumber,
): Promise<NameContext> {
  let result: readonly [Address, Hex, bigint, Hex];
  try {
    result = await client.readContract({
      address: resolver,
      abi: NAME_CONTEXT_ABI,
      functionName: "nameContext",
      args: [dnsEncodeName(name)],
      ...(blockNumber === undefined ? {} : { blockNumber }),
    });
  } catch (error) {
    const known = describeNameContextError(name, error);
    if (known) throw new ClientError(known, { cause: error });
    throw new ClientError(
      `cannot read the on-chain context of ${name} from the resolver ${resolver} (is it an ensgate resolver with nameContext?): ${describeError(error)}`,
      { cause: error },
    );
  }
  const [owner, ownerNode, epoch, recordhash] = result;
  const ownerName = ancestorWithNode(name, ownerNode) ?? name;
  return {
    name,
    owner: getAddress(owner),
    ownerNode,
    ownerName,
    epoch,
    recordhash: recordhash.toLowerCase() as Hex,
  };
}

/**
 * Whether `owner` approved `signer` on-chain for `name`: `isApprovedSigner(owner, node, signer)`
 * on any node of its path (the name, its ancestors, its top-level label), as the resolver checks.
 */
export async function isApprovedOnPath(
  client: Pick<PublicClient, "readContract">,
  resolver: Address,
  owner: Address,
  name: string,
  signer: Address,
): Promise<boolean> {
  const answers = await Promise.all(
    namePath(name).map((candidate) =>
      client.readContract({
        address: resolver,
        abi: NAME_CONTEXT_ABI,
        functionName: "isApprovedSigner",
        args: [owner, namehash(candidate), signer],
      }),
    ),
  );
  return answers.some(Boolean);
}

/** The wallet-wide recordhash of `owner` (`0x` when none). */
export async function readOwnerRecordhash(
  client: Pick<PublicClient, "readContract">,
  resolver: Address,
  owner: Address,
): Promise<Hex> {
  return (
    await client.readContract({
      address: resolver,
      abi: NAME_CONTEXT_ABI,
      functionName: "ownerRecordhash",
      args: [owner],
    })
  ).toLowerCase() as Hex;
}

/** A recordhash for people: `ipns://…`, `ipfs://…`, `not set`, or its hex. */
export function describeRecordhash(recordhash: Hex): string {
  if (recordhash === "0x") return "not set";
  try {
    const target = parseRecordhash(recordhash);
    return target.protocol === "ipns" ? `ipns://${target.name}` : `ipfs://${target.cid}`;
  } catch {
    return recordhash;
  }
}
