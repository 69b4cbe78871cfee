/** Options shared by every ensgate error: a longer explanation and the underlying cause. */
export type EnsgateErrorOptions = {
  details?: string | undefined;
  cause?: unknown;
};

/**
 * Root of the ensgate error hierarchy (modelled on viem's `BaseError`).
 * `shortMessage` is one actionable line; `message` adds the details, if any.
 */
export class EnsgateError extends Error {
  override name = "EnsgateError";
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(shortMessage: string, options: EnsgateErrorOptions = {}) {
    super(options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage, {
      cause: options.cause,
    });
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}
