import { EnsgateError } from "../lib/index.ts";

/** A CLI failure the user can fix: printed as one line, exit code 1. */
export class CliError extends EnsgateError {
  override name = "CliError";
}

/** A usage error (an unknown record type, a malformed argument): one line, exit code 2. */
export class UsageError extends CliError {
  override name = "UsageError";
}
