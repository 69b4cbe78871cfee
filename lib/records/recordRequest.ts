import type { Hex } from "viem";

/** `text(node, key)`: a text record. */
export type TextRequest = { type: "text"; key: string };
/** `addr(node)`: the Ethereum address (coin type 60). */
export type AddrRequest = { type: "addr" };
/** `addr(node, coinType)`: a multicoin address (ENSIP-9, ENSIP-11 for EVM chains). */
export type MulticoinAddrRequest = { type: "multicoinAddr"; coinType: bigint };
/** `contenthash(node)`: an ENSIP-7 content hash. */
export type ContenthashRequest = { type: "contenthash" };
/** `pubkey(node)`: a secp256k1 public key as (x, y). */
export type PubkeyRequest = { type: "pubkey" };
/** `name(node)`: the name record. */
export type NameRequest = { type: "name" };
/** `interfaceImplementer(node, interfaceId)`: the contract implementing an ERC-165 interface. */
export type InterfaceImplementerRequest = { type: "interfaceImplementer"; interfaceId: Hex };
/** `ABI(node, contentTypes)`: an ABI in one of the requested content types (bitmask). */
export type AbiRequest = { type: "abi"; contentTypes: bigint };
/** `zonehash(node)`: the DNS zone hash. */
export type ZonehashRequest = { type: "zonehash" };
/**
 * `dnsRecord(node, name, resource)`: one DNS RRset. `nameHash` is keccak256 of the DNS-encoded
 * owner name (what ENS's resolver receives); `name` is kept when known, for humans.
 */
export type DnsRecordRequest = {
  type: "dnsRecord";
  nameHash: Hex;
  resource: number;
  name?: string | undefined;
};

/** One resolver read: which record of a name is asked for (the node is not part of it). */
export type RecordRequest =
  | TextRequest
  | AddrRequest
  | MulticoinAddrRequest
  | ContenthashRequest
  | PubkeyRequest
  | NameRequest
  | InterfaceImplementerRequest
  | AbiRequest
  | ZonehashRequest
  | DnsRecordRequest;

/** The discriminant of `RecordRequest`. */
export type RecordKind = RecordRequest["type"];
