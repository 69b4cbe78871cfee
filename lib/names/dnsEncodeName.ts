import { bytesToHex, type Hex, stringToBytes } from "viem";
import { DnsEncodingError } from "../errors/name.ts";

/** Longest label DNS wire format allows (RFC 1035 §2.3.4). */
export const MAX_DNS_LABEL_LENGTH = 63;
/** Longest name DNS wire format allows, length octets and the root byte included (RFC 1035 §2.3.4). */
export const MAX_DNS_NAME_LENGTH = 255;

/**
 * Encodes a dot-separated name in DNS wire format (ENSIP-10 `resolve(bytes name, ...)`).
 * Strict, with exactly the grammar `dnsDecodeName` accepts: an empty label, a label over 63 bytes,
 * a label holding `/`, or a name over 255 bytes (length octets and the final zero included) is a
 * `DnsEncodingError` (ENS's encoded-labelhash form for long labels is not used, as IPNS paths need
 * the label itself). The empty string encodes the root (`0x00`).
 *
 * @example
 * dnsEncodeName("alice.eth") // "0x05616c6963650365746800"
 */
export function dnsEncodeName(name: string): Hex {
  if (name === "") return "0x00";
  const labels = name.split(".").map((label) => stringToBytes(label));
  const size = labels.reduce((total, label) => total + 1 + label.length, 1);
  if (size > MAX_DNS_NAME_LENGTH)
    throw new DnsEncodingError(`name is ${size} bytes, more than ${MAX_DNS_NAME_LENGTH}`);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const [index, label] of labels.entries()) {
    if (label.length === 0) throw new DnsEncodingError(`label ${index + 1} is empty`);
    if (label.length > MAX_DNS_LABEL_LENGTH)
      throw new DnsEncodingError(
        `label ${index + 1} is ${label.length} bytes, more than ${MAX_DNS_LABEL_LENGTH}`,
      );
    if (label.includes(0x2f)) throw new DnsEncodingError(`label ${index + 1} contains "/"`);
    out[offset] = label.length;
    out.set(label, offset + 1);
    offset += 1 + label.length;
  }
  return bytesToHex(out);
}
