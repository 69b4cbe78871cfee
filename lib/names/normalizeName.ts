import { ens_normalize } from "@adraffy/ens-normalize";
import { InvalidNameError } from "../errors/name.ts";

/** Normalizes a name with ENSIP-15; throws `InvalidNameError` naming the first label that fails. */
export function normalizeName(name: string): string {
  try {
    return ens_normalize(name);
  } catch {
    // Normalize label by label so the error can name the offending label as the user typed it.
    for (const label of name.split(".")) {
      try {
        if (label === "") throw new Error("empty label");
        ens_normalize(label);
      } catch (error) {
        throw new InvalidNameError({ name, label, reason: describeNormalizeFailure(error) });
      }
    }
    // Every label passes alone but the whole name fails (e.g. a confusable across labels).
    throw new InvalidNameError({ name, label: name, reason: "fails ENSIP-15 as a whole" });
  }
}

/** Extracts the reason from an ens-normalize error ("Invalid label "x": reason" -> "reason"). */
function describeNormalizeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.replace(/^Invalid label "[^"]*"\u200e?: /, "");
  return `is not normalizable (${reason})`;
}

/** True when `name` is already in ENSIP-15 normalized form. */
export function isNormalizedName(name: string): boolean {
  try {
    return normalizeName(name) === name;
  } catch {
    return false;
  }
}
