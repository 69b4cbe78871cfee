import { secp256k1 } from "@noble/curves/secp256k1.js";
import { type Hex, hexToBigInt, hexToNumber, isHex, size, slice } from "viem";
import { InvalidSignatureFormatError } from "../errors/recordFile.ts";

const HALF_ORDER = secp256k1.Point.CURVE().n / 2n;

/**
 * Checks a signature has the only form OpenZeppelin's `ECDSA.recover` accepts on-chain: 65 bytes
 * r‖s‖v, v in {27, 28}, s in the lower half order. The gateway must reject what the contract would.
 */
export function assertCanonicalSignature(signature: Hex): void {
  if (!isHex(signature, { strict: true }) || size(signature) !== 65)
    throw new InvalidSignatureFormatError("expected 65 bytes (r, s, v)");
  const s = hexToBigInt(slice(signature, 32, 64));
  const v = hexToNumber(slice(signature, 64, 65));
  if (v !== 27 && v !== 28) throw new InvalidSignatureFormatError(`v is ${v}, expected 27 or 28`);
  if (s > HALF_ORDER)
    throw new InvalidSignatureFormatError("s is in the upper half order (malleable)");
}
