import {
  type AbiParameter,
  decodeAbiParameters,
  encodeAbiParameters,
  getAddress,
  type Hex,
  isAddress,
  zeroAddress,
} from "viem";
import { InvalidRecordValueError } from "../errors/record.ts";
import { normalizeName } from "../names/normalizeName.ts";
import { buildRecordType } from "./recordPath.ts";
import type { RecordRequest } from "./recordRequest.ts";
import { formatAbiContent, parseAbiContent } from "./values/abiContentValue.ts";
import { formatCoinAddress, parseCoinAddress } from "./values/coinAddressValue.ts";
import { formatContenthash, parseContenthash } from "./values/contenthashValue.ts";
import { formatDnsZone, parseDnsZone } from "./values/dnsZoneValue.ts";
import { formatPubkey, parsePubkey } from "./values/pubkeyValue.ts";

const ETH_COIN_TYPE = 60n;
const STRING = [{ type: "string" }] as const;
const ADDRESS = [{ type: "address" }] as const;
const BYTES = [{ type: "bytes" }] as const;
const PUBKEY = [{ type: "bytes32" }, { type: "bytes32" }] as const;
const ABI_RESULT = [{ type: "uint256" }, { type: "bytes" }] as const;

/** True for the multicoin request whose file is `address/60.json`, stored as an `address` like NameSys. */
function isEthMulticoin(request: RecordRequest): boolean {
  return request.type === "multicoinAddr" && request.coinType === ETH_COIN_TYPE;
}

/** ABI parameters of the result stored (and signed) in a request's record file. */
export function getStoredResultParameters(request: RecordRequest): readonly AbiParameter[] {
  switch (request.type) {
    case "text":
    case "name":
      return STRING;
    case "addr":
    case "interfaceImplementer":
      return ADDRESS;
    case "multicoinAddr":
      return isEthMulticoin(request) ? ADDRESS : BYTES;
    case "pubkey":
      return PUBKEY;
    case "abi":
      return ABI_RESULT;
    default:
      return BYTES;
  }
}

/** ABI parameters of what the resolver function returns for a request (the CCIP-Read answer). */
export function getAnswerParameters(request: RecordRequest): readonly AbiParameter[] {
  return request.type === "multicoinAddr" ? BYTES : getStoredResultParameters(request);
}

/**
 * Parses a human value into the stored result (the ABI-encoded return value that SIGN 4 hashes):
 * a string, an address, an address of any coin type, `ipfs://…`, a public key, a JSON ABI, a zone fragment…
 */
export function encodeRecordValue(request: RecordRequest, value: string): Hex {
  const recordType = buildRecordType(request);
  switch (request.type) {
    case "text":
      return encodeAbiParameters(STRING, [value]);
    case "name":
      return encodeAbiParameters(STRING, [normalizeName(value)]);
    case "addr":
    case "interfaceImplementer":
      return encodeAbiParameters(ADDRESS, [parseEvmAddress(value, recordType)]);
    case "multicoinAddr":
      return isEthMulticoin(request)
        ? encodeAbiParameters(ADDRESS, [parseEvmAddress(value, recordType)])
        : encodeAbiParameters(BYTES, [parseCoinAddress(request.coinType, value)]);
    case "contenthash":
    case "zonehash":
      return encodeAbiParameters(BYTES, [parseContenthash(value, recordType)]);
    case "pubkey": {
      const { x, y } = parsePubkey(value);
      return encodeAbiParameters(PUBKEY, [x, y]);
    }
    case "abi":
      return encodeAbiParameters(ABI_RESULT, [
        request.contentTypes,
        parseAbiContent(request.contentTypes, value),
      ]);
    case "dnsRecord":
      return encodeAbiParameters(BYTES, [parseDnsZone(value, request).wire]);
  }
}

/** Formats a stored result back into its human value (inverse of `encodeRecordValue`). */
export function decodeRecordValue(request: RecordRequest, result: Hex): string {
  const values = decodeStoredResult(request, result);
  switch (request.type) {
    case "text":
    case "name":
      return values[0] as string;
    case "addr":
    case "interfaceImplementer":
      return values[0] === zeroAddress ? "" : (values[0] as string);
    case "multicoinAddr":
      return isEthMulticoin(request)
        ? values[0] === zeroAddress
          ? ""
          : (values[0] as string)
        : formatCoinAddress(request.coinType, values[0] as Hex);
    case "contenthash":
    case "zonehash":
      return formatContenthash(values[0] as Hex);
    case "pubkey":
      return formatPubkey({ x: values[0] as Hex, y: values[1] as Hex });
    case "abi":
      return formatAbiContent(values[0] as bigint, values[1] as Hex);
    case "dnsRecord":
      return formatDnsZone(values[0] as Hex);
  }
}

/**
 * Decodes a stored result strictly (canonical ABI encoding, so one value has one signed form);
 * an `ABI` result must carry the content type its file is named after.
 */
export function decodeStoredResult(request: RecordRequest, result: Hex): readonly unknown[] {
  const parameters = getStoredResultParameters(request);
  const recordType = buildRecordType(request);
  // Canonical is a property of the bytes, as the resolver checks it: a `string` is compared as the
  // `bytes` it is on the wire, because decoding text replaces invalid UTF-8 and drops a leading
  // byte-order mark, which would make a well-formed result look non-canonical.
  const layout = parameters.map((parameter) =>
    parameter.type === "string" ? { ...parameter, type: "bytes" } : parameter,
  );
  let values: readonly unknown[];
  let layoutValues: readonly unknown[];
  try {
    layoutValues = decodeAbiParameters(layout, result);
    values = decodeAbiParameters(parameters, result);
  } catch {
    throw new InvalidRecordValueError({ recordType, reason: "result does not ABI-decode" });
  }
  if (encodeAbiParameters(layout, layoutValues).toLowerCase() !== result.toLowerCase())
    throw new InvalidRecordValueError({
      recordType,
      reason: "result is not canonically ABI-encoded",
    });
  if (request.type === "abi" && values[0] !== request.contentTypes)
    throw new InvalidRecordValueError({
      recordType,
      reason: `result carries content type ${values[0]}, file is for ${request.contentTypes}`,
    });
  return values;
}

/** Turns a verified stored result into the resolver function's answer (re-encodes coin type 60 as bytes). */
export function buildAnswer(request: RecordRequest, result: Hex): Hex {
  if (!isEthMulticoin(request)) return result;
  const [address] = decodeAbiParameters(ADDRESS, result);
  return encodeAbiParameters(BYTES, [
    address === zeroAddress ? "0x" : (address.toLowerCase() as Hex),
  ]);
}

/** The answer for a record that is not set: the ABI-encoded zero value of the function's return type. */
export function buildEmptyAnswer(request: RecordRequest): Hex {
  switch (request.type) {
    case "text":
    case "name":
      return encodeAbiParameters(STRING, [""]);
    case "addr":
    case "interfaceImplementer":
      return encodeAbiParameters(ADDRESS, [zeroAddress]);
    case "pubkey":
      return encodeAbiParameters(PUBKEY, [`0x${"00".repeat(32)}`, `0x${"00".repeat(32)}`]);
    case "abi":
      return encodeAbiParameters(ABI_RESULT, [0n, "0x"]);
    default:
      return encodeAbiParameters(BYTES, ["0x"]);
  }
}

/** Validates an EVM address (EIP-55 checksum enforced when mixed case) and returns it checksummed. */
function parseEvmAddress(value: string, recordType: string): `0x${string}` {
  if (!isAddress(value, { strict: true }))
    throw new InvalidRecordValueError({
      recordType,
      reason: `"${value}" is not an EVM address (or its EIP-55 checksum is wrong)`,
    });
  return getAddress(value);
}
