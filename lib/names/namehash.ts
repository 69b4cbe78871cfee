import { type Hex, labelhash as viemLabelhash, namehash as viemNamehash } from "viem";
import { normalizeName } from "./normalizeName.ts";

/** ENS namehash (EIP-137) of a name, normalized first with ENSIP-15. */
export function namehash(name: string): Hex {
  return viemNamehash(normalizeName(name));
}

/** keccak256 of one normalized label (EIP-137 labelhash). */
export function labelhash(label: string): Hex {
  return viemLabelhash(normalizeName(label));
}
