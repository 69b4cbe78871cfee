import { EnsgateError } from "../lib/index.ts";

/** An error the gateway answers with a specific HTTP status and `{ message }` JSON body. */
export class GatewayHttpError extends EnsgateError {
  override name = "GatewayHttpError";
  readonly status: number;

  constructor(status: number, message: string, options: { cause?: unknown } = {}) {
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
