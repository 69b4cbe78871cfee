import { type AbiFunction, parseAbiItem, toFunctionSelector } from "viem";
import type { RecordKind } from "./recordRequest.ts";

/** One row of the seed's "Resolver Function -> JSON Mapping" table. */
export type RecordTypeRow = {
  /** Resolver function signature, as ENS's resolver interfaces declare it. */
  signature: string;
  /** Where the record file lives, relative to the name's `.well-known` folder. */
  file: string;
  /** ABI type of the stored (signed) result. */
  storedType: string;
};

/**
 * The seed's mapping table as data: one entry per record type. `dnsRecord` is keyed by the DNS
 * owner name's hash and the resource type (NameSys drops the owner name; see docs/protocol.md).
 * `addr(node, 60)` shares `address/60.json` with `addr(node)`, stored as an `address` like NameSys.
 */
export const RECORD_TYPES = {
  text: {
    signature: "function text(bytes32 node, string key) view returns (string)",
    file: "text/<key>.json",
    storedType: "string",
  },
  addr: {
    signature: "function addr(bytes32 node) view returns (address)",
    file: "address/60.json",
    storedType: "address",
  },
  multicoinAddr: {
    signature: "function addr(bytes32 node, uint256 coinType) view returns (bytes)",
    file: "address/<coinType>.json",
    storedType: "bytes (address for coin type 60)",
  },
  contenthash: {
    signature: "function contenthash(bytes32 node) view returns (bytes)",
    file: "contenthash.json",
    storedType: "bytes",
  },
  pubkey: {
    signature: "function pubkey(bytes32 node) view returns (bytes32 x, bytes32 y)",
    file: "pubkey.json",
    storedType: "(bytes32,bytes32)",
  },
  name: {
    signature: "function name(bytes32 node) view returns (string)",
    file: "name.json",
    storedType: "string",
  },
  interfaceImplementer: {
    signature:
      "function interfaceImplementer(bytes32 node, bytes4 interfaceID) view returns (address)",
    file: "interface/<0x interfaceId>.json",
    storedType: "address",
  },
  abi: {
    signature: "function ABI(bytes32 node, uint256 contentTypes) view returns (uint256, bytes)",
    file: "abi/<contentType>.json",
    storedType: "(uint256,bytes)",
  },
  zonehash: {
    signature: "function zonehash(bytes32 node) view returns (bytes)",
    file: "dns/zonehash.json",
    storedType: "bytes",
  },
  dnsRecord: {
    signature:
      "function dnsRecord(bytes32 node, bytes32 name, uint16 resource) view returns (bytes)",
    file: "dns/<0x keccak256 of DNS-encoded owner name>/<resource>.json",
    storedType: "bytes",
  },
} as const satisfies Record<RecordKind, RecordTypeRow>;

/**
 * The seed's own `dnsRecord(bytes32, bytes, uint16)` variant (owner name in full). Decoded into the
 * same request as ENS's `bytes32` form by hashing the name, so both read the same file.
 */
export const DNS_RECORD_BYTES_SIGNATURE =
  "function dnsRecord(bytes32 node, bytes name, uint16 resource) view returns (bytes)";

/** The parsed ABI function of a record kind. */
export function getRecordFunction(kind: RecordKind): AbiFunction {
  return RECORD_FUNCTIONS[kind];
}

/** The 4-byte selector of a record kind's resolver function. */
export function getRecordSelector(kind: RecordKind): `0x${string}` {
  return toFunctionSelector(RECORD_FUNCTIONS[kind]);
}

const RECORD_FUNCTIONS = Object.fromEntries(
  Object.entries(RECORD_TYPES).map(([kind, row]) => [kind, parseAbiItem(row.signature)]),
) as unknown as Record<RecordKind, AbiFunction>;

/** Every record kind, in table order. */
export const RECORD_KINDS = Object.keys(RECORD_TYPES) as RecordKind[];
