import { mod } from "@noble/curves/abstract/modular.js";
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE, numberToBytesBE } from "@noble/curves/utils.js";
import { bytesToHex, type Hex } from "viem";
import { deriveKeygenHashKey, type KeygenParameters } from "./deriveKeygenHashKey.ts";

/**
 * The ed25519 IPNS key seed, byte-identical to NameSys KEYGEN: the HKDF output read little-endian,
 * reduced mod the group order l, written as 32 bytes big-endian (noble-ed25519 1.6 `hashToPrivateScalar`).
 */
export function deriveIpnsKeySeed(parameters: KeygenParameters): Hex {
  const scalar = mod(bytesToNumberLE(deriveKeygenHashKey(parameters)), ed25519.Point.CURVE().n);
  return bytesToHex(numberToBytesBE(scalar, 32));
}
