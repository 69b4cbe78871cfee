import { GatewayError } from "../errors.ts";

/** A source that failed to answer (down, timed out, wrong status, oversized body). */
export class SourceError extends GatewayError {
  override name = "SourceError";
  readonly source: string;
  constructor(source: string, reason: string, options: { cause?: unknown } = {}) {
    super(`${source}: ${reason}`, options);
    this.source = source;
  }
}
