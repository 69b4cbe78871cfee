import { describeError, EnsgateError, type EnsgateErrorOptions } from "../lib/index.ts";

/**
 * Root of the gateway's errors (under lib's `EnsgateError`, with viem's `BaseError` habits:
 * `shortMessage`, `details`, `walk()`). Printed with lib's `describeError`.
 */
export class GatewayError extends EnsgateError {
  override name = "GatewayError";
}

/** An error the gateway answers with a specific HTTP status and `{ message }` JSON body. */
export class GatewayHttpError extends GatewayError {
  override name = "GatewayHttpError";
  readonly status: number;

  constructor(status: number, message: string, options: EnsgateErrorOptions = {}) {
    super(message, options);
    this.status = status;
  }
}

/**
 * Bad input from the client: always a 4xx, never retried by the client. `field` names the
 * malformed part of the request (a lookup argument: `name`, `data`, `recordhash`, `owner`,
 * `chainId`, `epoch`), answered as `{ message, field }`.
 */
export class BadRequestError extends GatewayHttpError {
  override name = "BadRequestError";
  readonly field: string | undefined;
  constructor(message: string, status = 400, field?: string) {
    super(status, message);
    this.field = field;
  }
}

/**
 * Runs `read` on one field of a request; any error it throws (lib's typed errors, or a decoder's
 * RangeError on truncated input) is bad input: a 400 naming `field`.
 */
export function readField<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new BadRequestError(`${field}: ${describeError(error)}`, 400, field);
  }
}
