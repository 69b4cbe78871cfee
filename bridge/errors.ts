import { EnsgateError } from "../lib/index.ts";

/**
 * Root of the DNS bridge's errors (under lib's `EnsgateError`). A read that fails with one is
 * answered SERVFAIL; a configuration error stops the server with one line.
 */
export class BridgeError extends EnsgateError {
  override name = "BridgeError";
}
