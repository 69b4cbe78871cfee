/** Options shared by every ensgate error: a longer explanation and the underlying cause. */
export type EnsgateErrorOptions = {
  details?: string | undefined;
  cause?: unknown;
};

/**
 * Root of the ensgate error hierarchy (modelled on viem's `BaseError`).
 * `shortMessage` is one actionable line; `message` adds the details, if any; `walk()` follows
 * the `cause` chain. Each layer (CLI, CA, gateway, IPFS, did) has its own subclass.
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

  /**
   * Walks the `cause` chain (viem's `BaseError.walk`): without `fn`, returns the deepest error;
   * with `fn`, the first error (this one included) for which it returns true, else `null`.
   */
  walk(fn?: (error: unknown) => boolean): unknown {
    return walkCauses(this, fn);
  }
}

function walkCauses(error: unknown, fn?: (error: unknown) => boolean): unknown {
  const seen = new Set<unknown>();
  let current = error;
  while (true) {
    if (fn?.(current)) return current;
    seen.add(current);
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null || seen.has(cause)) return fn ? null : current;
    current = cause;
  }
}

/**
 * One line for any thrown value: an ensgate or viem error's `shortMessage`, else the first line
 * of its message (or its string form). The single way every layer prints an error.
 */
export function describeError(error: unknown): string {
  const withShort = error as { shortMessage?: unknown; message?: unknown } | null | undefined;
  if (typeof withShort?.shortMessage === "string" && withShort.shortMessage !== "")
    return withShort.shortMessage;
  const message = typeof withShort?.message === "string" ? withShort.message : String(error);
  return message.split("\n")[0] ?? message;
}
