import { EnsgateError } from "./base.ts";

/** A name that ENSIP-15 rejects; names the offending label. */
export class InvalidNameError extends EnsgateError {
  override name = "InvalidNameError";
  readonly label: string;
  readonly reason: string;

  constructor({ name, label, reason }: { name: string; label: string; reason: string }) {
    super(`Invalid ENS name "${name}": label "${label}" ${reason}.`, {
      details: "Names must pass ENSIP-15 normalization.",
    });
    this.label = label;
    this.reason = reason;
  }
}

/** A name or label that DNS wire format cannot carry (empty label, label > 63 bytes, name > 255 bytes). */
export class DnsEncodingError extends EnsgateError {
  override name = "DnsEncodingError";
  constructor(reason: string) {
    super(`Cannot DNS-encode name: ${reason}.`);
  }
}

/** Bytes that are not a well-formed DNS wire-format name. */
export class DnsDecodingError extends EnsgateError {
  override name = "DnsDecodingError";
  constructor(reason: string) {
    super(`Malformed DNS-encoded name: ${reason}.`);
  }
}
