import { EnsgateError, type EnsgateErrorOptions } from "../lib/index.ts";

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

/** Bad input from the client: always a 4xx, never retried by the client. */
export class BadRequestError extends GatewayHttpError {
  override name = "BadRequestError";
  constructor(message: string, status = 400) {
    super(status, message);
  }
}
