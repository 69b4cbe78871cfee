import type { AbiFunction, Hex } from "viem";

/** The argument of a call that is not well-formed ABI, and why. */
export type MalformedArgument = { field: string; reason: string };

/**
 * Finds the first argument of `data` (lower-case calldata with its selector) that is not a
 * canonical ABI encoding of `fn`'s input: a head word missing, a `bytes`/`string` offset or
 * length past the end, an `address` or `uintN` word with bits above its size set. viem's decoder
 * accepts some of these (dirty high bits) and reports the others without naming the argument;
 * this names it (the input's name in the signature, else `argument <i>`). Only the types above
 * are checked (what the gateway's lookup takes); other types are left to the decoder.
 */
export function findMalformedArgument(fn: AbiFunction, data: Hex): MalformedArgument | undefined {
  const body = data.slice(10);
  const bytes = body.length / 2;
  const word = (at: number): string | undefined =>
    at + 32 <= bytes ? body.slice(at * 2, at * 2 + 64) : undefined;
  for (const [index, input] of fn.inputs.entries()) {
    const field = input.name || `argument ${index}`;
    const head = word(index * 32);
    if (head === undefined) return { field, reason: "missing (calldata too short)" };
    if (input.type === "bytes" || input.type === "string") {
      const offset = BigInt(`0x${head}`);
      const length = offset + 32n <= BigInt(bytes) ? word(Number(offset)) : undefined;
      if (length === undefined) return { field, reason: "offset points past the calldata" };
      if (offset + 32n + BigInt(`0x${length}`) > BigInt(bytes))
        return { field, reason: "length runs past the calldata" };
    } else if (input.type === "address") {
      if (!head.startsWith("0".repeat(24))) return { field, reason: "not a 20-byte address" };
    } else if (/^uint\d+$/.test(input.type)) {
      const bits = Number(input.type.slice(4));
      if (BigInt(`0x${head}`) >> BigInt(bits) !== 0n)
        return { field, reason: `does not fit ${input.type}` };
    }
  }
  return undefined;
}
