import { decode, encode, getCodec } from "@ensdomains/content-hash";
import { type Hex, isHex } from "viem";
import { InvalidRecordValueError } from "../../errors/record.ts";

// URL schemes people write, mapped to @ensdomains/content-hash codec names (ENSIP-7).
const SCHEME_TO_CODEC = {
  ipfs: "ipfs",
  ipns: "ipns",
  bzz: "swarm",
  onion: "onion",
  onion3: "onion3",
  sia: "skynet",
  ar: "arweave",
} as const;
type Scheme = keyof typeof SCHEME_TO_CODEC;
const CODEC_TO_SCHEME = Object.fromEntries(
  Object.entries(SCHEME_TO_CODEC).map(([scheme, codec]) => [codec, scheme]),
) as Record<string, Scheme>;

/** Parses `ipfs://…`, `ipns://…`, `bzz://…`, `onion3://…`, `sia://…`, `ar://…` or raw 0x-hex into ENSIP-7 bytes. */
export function parseContenthash(value: string, recordType = "contenthash"): Hex {
  if (isHex(value, { strict: true })) {
    if (value === "0x" || getCodec(value.slice(2)) === undefined)
      throw new InvalidRecordValueError({ recordType, reason: `${value} has no known codec` });
    return value.toLowerCase() as Hex;
  }
  const match = /^([a-z0-9]+):\/\/(.+)$/.exec(value);
  const codec = match ? SCHEME_TO_CODEC[match[1] as Scheme] : undefined;
  if (!match || !codec)
    throw new InvalidRecordValueError({
      recordType,
      reason: `"${value}" is not ${Object.keys(SCHEME_TO_CODEC).join("://, ")}:// or 0x-hex`,
    });
  try {
    return `0x${encode(codec, match[2] as string)}`;
  } catch (error) {
    throw new InvalidRecordValueError({
      recordType,
      reason: `"${match[2]}" is not a valid ${codec} hash (${(error as Error).message})`,
    });
  }
}

/** Formats ENSIP-7 bytes as `scheme://value` (or raw hex for a codec without a scheme). */
export function formatContenthash(bytes: Hex): string {
  if (bytes === "0x") return "";
  const codec = getCodec(bytes.slice(2));
  const scheme = codec ? CODEC_TO_SCHEME[codec] : undefined;
  return scheme ? `${scheme}://${decode(bytes.slice(2))}` : bytes;
}
