import { normalizeName } from "../lib/index.ts";
import { CliError } from "./errors.ts";

/** Normalizes a name given on the command line (ENSIP-15), naming the bad label on failure. */
export function parseNameArgument(name: string): string {
  const normalized = normalizeName(name);
  if (!normalized.includes("."))
    throw new CliError(`"${name}" is not a full ENS name (e.g. alice.eth)`);
  return normalized;
}
