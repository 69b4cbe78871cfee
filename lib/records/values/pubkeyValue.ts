import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex, type Hex, hexToBytes, isHex } from "viem";
import { InvalidRecordValueError } from "../../errors/record.ts";

/** The ENS `pubkey` record: the x and y coordinates of a secp256k1 point. */
export type PubkeyCoordinates = { x: Hex; y: Hex };

/** Parses a secp256k1 public key (65-byte `0x04…` or 33-byte compressed) into its (x, y) coordinates. */
export function parsePubkey(value: string): PubkeyCoordinates {
  if (!isHex(value, { strict: true }) || (value.length !== 132 && value.length !== 68))
    throw new InvalidRecordValueError({
      recordType: "pubkey",
      reason: "expected a 65-byte uncompressed (0x04…) or 33-byte compressed secp256k1 key",
    });
  let uncompressed: Uint8Array;
  try {
    uncompressed = secp256k1.Point.fromBytes(hexToBytes(value)).toBytes(false);
  } catch {
    throw new InvalidRecordValueError({ recordType: "pubkey", reason: "not a point on secp256k1" });
  }
  return {
    x: bytesToHex(uncompressed.subarray(1, 33)),
    y: bytesToHex(uncompressed.subarray(33, 65)),
  };
}

/** Formats (x, y) as a 65-byte uncompressed `0x04…` key ("" for the unset (0, 0)). */
export function formatPubkey({ x, y }: PubkeyCoordinates): string {
  if (BigInt(x) === 0n && BigInt(y) === 0n) return "";
  return `0x04${x.slice(2)}${y.slice(2)}`;
}
