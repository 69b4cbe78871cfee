import type { RecordRejection } from "../recordFile/verifyRecord.ts";
import { EnsgateError } from "./base.ts";

/** A record file or response `data` that is not a well-formed v1/v2 signed record. */
export class MalformedRecordError extends EnsgateError {
  override name = "MalformedRecordError";
  constructor(reason: string) {
    super(`Malformed record: ${reason}.`);
  }
}

/** A signature that is not 65 bytes, or has a high `s` (rejected on-chain by OpenZeppelin's ECDSA). */
export class InvalidSignatureFormatError extends EnsgateError {
  override name = "InvalidSignatureFormatError";
  constructor(reason: string) {
    super(`Invalid signature: ${reason}.`);
  }
}

/** A record that `assertRecordValid` rejected; `reason` names the rule that failed. */
export class RecordVerificationError extends EnsgateError {
  override name = "RecordVerificationError";
  readonly reason: RecordRejection;
  constructor(reason: RecordRejection, message: string) {
    super(`Record rejected (${reason}): ${message}.`);
    this.reason = reason;
  }
}
