import { mod } from "@noble/curves/abstract/modular.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE, numberToBytesBE } from "@noble/curves/utils.js";
import { bytesToHex, type Hex } from "viem";
import { deriveKeygenHashKey, type KeygenParameters } from "./deriveKeygenHashKey.ts";

/**
 * The secp256k1 records-signer private key, byte-identical to NameSys KEYGEN: the HKDF output read
 * big-endian, reduced mod (n - 1), plus 1 (noble-secp256k1 1.x `hashToPrivateKey`). noble-curves'
 * `mapHashToField` does the same reduction but wants 48 input bytes; KEYGEN has 42.
 */
export function deriveSignerPrivateKey(parameters: KeygenParameters): Hex {
  const n = secp256k1.Point.CURVE().n;
  const scalar = mod(bytesToNumberBE(deriveKeygenHashKey(parameters)), n - 1n) + 1n;
  return bytesToHex(numberToBytesBE(scalar, 32));
}
