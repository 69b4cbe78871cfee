import { EnsgateError } from "../lib/index.ts";

/**
 * A failure of a shared workflow (chain, wallet, configuration, key store, records tree): one
 * actionable line (`shortMessage`), the underlying error as `cause`. Products print it with lib's
 * `describeError`.
 */
export class ClientError extends EnsgateError {
  override name = "ClientError";
}
