import {
  type AbiFunction,
  decodeFunctionData,
  encodeFunctionData,
  type Hex,
  keccak256,
  parseAbiItem,
  toFunctionSelector,
} from "viem";
import { InvalidRecordCallError, UnknownRecordTypeError } from "../errors/record.ts";
import { normalizeHexBytes } from "./hexBytes.ts";
import type { RecordRequest } from "./recordRequest.ts";
import { DNS_RECORD_BYTES_SIGNATURE, getRecordFunction, RECORD_KINDS } from "./recordTypes.ts";

const DNS_RECORD_BYTES_FUNCTION = parseAbiItem(DNS_RECORD_BYTES_SIGNATURE) as AbiFunction;
const RECORD_CALL_ABI: AbiFunction[] = [
  ...RECORD_KINDS.map(getRecordFunction),
  DNS_RECORD_BYTES_FUNCTION,
];
const SUPPORTED_SELECTORS = new Set(RECORD_CALL_ABI.map((item) => toFunctionSelector(item)));

/** A decoded resolver call: the node it reads and the record it asks for. */
export type RecordCall = { node: Hex; request: RecordRequest };

/** ABI-encodes the resolver call for `request` on `node` (what ENSIP-10 `resolve` receives as `data`). */
export function encodeRecordCall(node: Hex, request: RecordRequest): Hex {
  const fn = getRecordFunction(request.type);
  const abi = [fn];
  const functionName = fn.name;
  switch (request.type) {
    case "text":
      return encodeFunctionData({ abi, functionName, args: [node, request.key] });
    case "multicoinAddr":
      return encodeFunctionData({ abi, functionName, args: [node, request.coinType] });
    case "interfaceImplementer":
      return encodeFunctionData({ abi, functionName, args: [node, request.interfaceId] });
    case "abi":
      return encodeFunctionData({ abi, functionName, args: [node, request.contentTypes] });
    case "dnsRecord":
      return encodeFunctionData({
        abi,
        functionName,
        args: [node, request.nameHash, request.resource],
      });
    default:
      return encodeFunctionData({ abi, functionName, args: [node] });
  }
}

/**
 * Decodes resolver calldata (hex in any case) into a `RecordCall`.
 *
 * @throws {UnknownRecordTypeError} for a selector that is no record function.
 * @throws {InvalidRecordCallError} for calldata that is not hex bytes or whose arguments do not decode.
 */
export function decodeRecordCall(calldata: Hex): RecordCall {
  const data = normalizeHexBytes(calldata);
  if (data === undefined || data.length < 10)
    throw new InvalidRecordCallError("calldata must be 0x-hex of at least 4 bytes");
  const selector = data.slice(0, 10).toLowerCase();
  if (!SUPPORTED_SELECTORS.has(selector as Hex))
    throw new UnknownRecordTypeError(`resolver function selector ${selector}`);
  let decoded: { functionName: string; args: readonly unknown[] };
  try {
    const result = decodeFunctionData({ abi: RECORD_CALL_ABI, data });
    decoded = { functionName: result.functionName, args: result.args ?? [] };
  } catch (error) {
    throw new InvalidRecordCallError(
      `arguments of ${selector} do not decode (${(error as Error).message.split("\n")[0]})`,
    );
  }
  const [node, second, third] = decoded.args as [Hex, unknown, unknown];
  switch (decoded.functionName) {
    case "text":
      return { node, request: { type: "text", key: second as string } };
    case "addr":
      return second === undefined
        ? { node, request: { type: "addr" } }
        : { node, request: { type: "multicoinAddr", coinType: second as bigint } };
    case "contenthash":
      return { node, request: { type: "contenthash" } };
    case "pubkey":
      return { node, request: { type: "pubkey" } };
    case "name":
      return { node, request: { type: "name" } };
    case "interfaceImplementer":
      return {
        node,
        request: {
          type: "interfaceImplementer",
          interfaceId: (second as Hex).toLowerCase() as Hex,
        },
      };
    case "ABI":
      return { node, request: { type: "abi", contentTypes: second as bigint } };
    case "zonehash":
      return { node, request: { type: "zonehash" } };
    case "dnsRecord": {
      // ENS passes keccak256 of the DNS-encoded owner name; the seed's variant passes the name itself.
      const isHashForm = selector === toFunctionSelector(getRecordFunction("dnsRecord"));
      const nameHash = isHashForm ? (second as Hex) : keccak256(second as Hex);
      return {
        node,
        request: {
          type: "dnsRecord",
          nameHash: nameHash.toLowerCase() as Hex,
          resource: third as number,
        },
      };
    }
    default:
      throw new UnknownRecordTypeError(`resolver function ${decoded.functionName}`);
  }
}
