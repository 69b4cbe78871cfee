import { type Hex, hexToString, isHex, stringToHex } from "viem";
import { InvalidRecordValueError } from "../../errors/record.ts";

/** ENS ABI content types (EIP-205): JSON, zlib-compressed JSON, CBOR, URI. */
export const ABI_CONTENT_TYPES = { json: 1n, zlibJson: 2n, cbor: 4n, uri: 8n } as const;

/** Encodes a human ABI value for one content type: JSON text, a URI, or 0x-hex for the binary types. */
export function parseAbiContent(contentType: bigint, value: string): Hex {
  const fail = (reason: string): never => {
    throw new InvalidRecordValueError({ recordType: `abi/${contentType}`, reason });
  };
  switch (contentType) {
    case ABI_CONTENT_TYPES.json: {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        fail("not JSON");
      }
      if (!Array.isArray(parsed)) fail("a JSON ABI is an array of fragments");
      return stringToHex(JSON.stringify(parsed));
    }
    case ABI_CONTENT_TYPES.uri:
      if (!URL.canParse(value)) fail(`"${value}" is not a URI`);
      return stringToHex(value);
    default:
      if (!isHex(value, { strict: true }) || value === "0x")
        fail(`content type ${contentType} is binary: give non-empty 0x-hex`);
      return value.toLowerCase() as Hex;
  }
}

/** Formats ABI bytes of one content type back to its human form. */
export function formatAbiContent(contentType: bigint, data: Hex): string {
  if (contentType === ABI_CONTENT_TYPES.json || contentType === ABI_CONTENT_TYPES.uri)
    return hexToString(data);
  return data;
}
