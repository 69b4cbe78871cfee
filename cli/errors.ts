import { EnsgateError } from "../lib/index.ts";

/** A CLI failure the user can fix: printed as one line, exit code 1. */
export class CliError extends EnsgateError {
  override name = "CliError";
}

/** One line for any thrown value: our errors' short message, else the error's first line. */
export function describeError(error: unknown): string {
  if (error instanceof EnsgateError) return error.shortMessage;
  const withShort = error as { shortMessage?: unknown; message?: unknown };
  if (typeof withShort?.shortMessage === "string") return withShort.shortMessage;
  const message = typeof withShort?.message === "string" ? withShort.message : String(error);
  return message.split("\n")[0] ?? message;
}
