import { EnsgateError } from "../../lib/index.ts";

/** A source that failed to answer (down, timed out, wrong status, oversized body). */
export class SourceError extends EnsgateError {
  override name = "SourceError";
  readonly source: string;
  constructor(source: string, reason: string, options: { cause?: unknown } = {}) {
    super(`${source}: ${reason}`, options);
    this.source = source;
  }
}
