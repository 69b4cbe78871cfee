import { getCoderByCoinType } from "@ensdomains/address-encoder";
import { bytesToHex, type Hex, hexToBytes } from "viem";
import { InvalidRecordValueError } from "../../errors/record.ts";

/** The address-encoder coder of an ENSIP-9/11 coin type, or a clear error when it has none. */
function getCoder(coinType: bigint) {
  try {
    return getCoderByCoinType(Number(coinType));
  } catch {
    throw new InvalidRecordValueError({
      recordType: `address/${coinType}`,
      reason: `coin type ${coinType} has no known address format (ENSIP-9/11)`,
    });
  }
}

/** Parses a human address of `coinType` (e.g. `bc1…` for 0) into its ENSIP-9 binary form. */
export function parseCoinAddress(coinType: bigint, value: string): Hex {
  const coder = getCoder(coinType);
  try {
    return bytesToHex(coder.decode(value));
  } catch (error) {
    throw new InvalidRecordValueError({
      recordType: `address/${coinType}`,
      reason: `"${value}" is not a ${coder.name} address (${(error as Error).message})`,
    });
  }
}

/** Formats ENSIP-9 binary address bytes of `coinType` as the chain's human address. */
export function formatCoinAddress(coinType: bigint, bytes: Hex): string {
  if (bytes === "0x") return "";
  return getCoder(coinType).encode(hexToBytes(bytes));
}
