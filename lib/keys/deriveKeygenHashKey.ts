import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { type Hex, hexToBytes, isHex, stringToBytes } from "viem";
import { KeygenInputError } from "../errors/keys.ts";

/** Inputs of NameSys KEYGEN. */
export type KeygenParameters = {
  /** Key identifier (NameSys `username`), e.g. the ENS name. */
  username: string;
  /** `eip155:<chainId>:<address>` of the wallet that signed. */
  caip10: string;
  /** The wallet's 65-byte signature over SIGN 1 or SIGN 2, as 0x-hex. */
  signature: Hex;
  /** Optional password; the same one must be in the signed Extradata. */
  password?: string | undefined;
};

/** Length of the HKDF output: 42 bytes, enough for an unbiased reduction (FIPS 186 needs >= 40). */
export const KEYGEN_HASH_KEY_LENGTH = 42;

/**
 * NameSys KEYGEN's HKDF-SHA256 step: ikm = sha256(signature), info = `<caip10>:<username>`,
 * salt = sha256(`<info>:<password>:<last 64 hex chars of the signature>`), 42 bytes out.
 */
export function deriveKeygenHashKey({
  username,
  caip10,
  signature,
  password = "",
}: KeygenParameters): Uint8Array {
  if (!isHex(signature, { strict: true }) || signature.length !== 132)
    throw new KeygenInputError("the wallet signature must be 65 bytes of 0x-hex");
  const inputKey = sha256(hexToBytes(signature));
  const info = `${caip10}:${username}`;
  const salt = sha256(stringToBytes(`${info}:${password}:${signature.slice(-64)}`));
  return hkdf(sha256, inputKey, salt, stringToBytes(info), KEYGEN_HASH_KEY_LENGTH);
}
