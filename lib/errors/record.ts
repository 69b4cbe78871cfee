import { EnsgateError } from "./base.ts";

/** A record type name, resolver selector or file path that maps to no record type. */
export class UnknownRecordTypeError extends EnsgateError {
  override name = "UnknownRecordTypeError";
  constructor(what: string) {
    super(`Unknown record type: ${what}.`, {
      details:
        "Supported: text, addr, contenthash, pubkey, name, interfaceImplementer, ABI, zonehash, dnsRecord (see docs/protocol.md).",
    });
  }
}

/** A human record value (or request parameter) that does not parse for its record type. */
export class InvalidRecordValueError extends EnsgateError {
  override name = "InvalidRecordValueError";
  readonly recordType: string;
  constructor({ recordType, reason }: { recordType: string; reason: string }) {
    super(`Invalid ${recordType} value: ${reason}.`);
    this.recordType = recordType;
  }
}

/** A `.well-known` record path that maps to no record request. */
export class InvalidRecordPathError extends EnsgateError {
  override name = "InvalidRecordPathError";
  constructor({ path, reason }: { path: string; reason: string }) {
    super(`Invalid record path "${path}": ${reason}.`);
  }
}

/** Resolver calldata that does not decode as a supported record call. */
export class InvalidRecordCallError extends EnsgateError {
  override name = "InvalidRecordCallError";
  constructor(reason: string) {
    super(`Invalid resolver call: ${reason}.`);
  }
}
