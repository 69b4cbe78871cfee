import { bytesToString, type Hex, hexToBytes, isHex } from "viem";
import { DnsDecodingError } from "../errors/name.ts";
import { MAX_DNS_LABEL_LENGTH, MAX_DNS_NAME_LENGTH } from "./dnsEncodeName.ts";

/**
 * Splits a DNS wire-format name into its labels. The grammar is the resolver contract's
 * (`InvalidDnsName`): labels of 1 to 63 bytes, at most 255 bytes in all (length octets and the
 * final zero included), no compression pointers, overruns or trailing bytes, and no label holding
 * `.` or `/` (either would change the dotted name or the record file path). Hex is read in any case.
 * The root (`0x00`) decodes to no labels.
 *
 * @throws {DnsDecodingError} naming the first rule the bytes break.
 */
export function dnsDecodeLabels(encoded: Hex): string[] {
  if (!isHex(encoded, { strict: true })) throw new DnsDecodingError("not hex");
  const bytes = hexToBytes(encoded);
  if (bytes.length > MAX_DNS_NAME_LENGTH)
    throw new DnsDecodingError(`${bytes.length} bytes, more than ${MAX_DNS_NAME_LENGTH}`);
  const labels: string[] = [];
  let offset = 0;
  for (;;) {
    const length = bytes[offset];
    if (length === undefined) throw new DnsDecodingError("missing the terminating zero byte");
    if (length === 0) break;
    if (length > MAX_DNS_LABEL_LENGTH)
      throw new DnsDecodingError(`label length ${length} at byte ${offset} is over 63`);
    if (offset + 1 + length > bytes.length)
      throw new DnsDecodingError(`label at byte ${offset} runs past the end`);
    const label = bytesToString(bytes.subarray(offset + 1, offset + 1 + length));
    if (label.includes(".")) throw new DnsDecodingError(`label at byte ${offset} contains a dot`);
    if (label.includes("/")) throw new DnsDecodingError(`label at byte ${offset} contains a slash`);
    labels.push(label);
    offset += 1 + length;
  }
  if (offset + 1 !== bytes.length)
    throw new DnsDecodingError(`${bytes.length - offset - 1} trailing bytes after the name`);
  return labels;
}

/**
 * Decodes a DNS wire-format name to its dot-separated form (the root decodes to ""), with the
 * grammar of `dnsDecodeLabels`.
 *
 * @example
 * dnsDecodeName("0x05616c6963650365746800") // "alice.eth"
 */
export function dnsDecodeName(encoded: Hex): string {
  return dnsDecodeLabels(encoded).join(".");
}
