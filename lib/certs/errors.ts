import { EnsgateError } from "../errors/base.ts";

/** Machine-readable reason a CSR is refused; the CA passes it to `reject(orderId, reason)`. */
export type CsrRejectionReason =
  | "csrTooLarge"
  | "malformedCsr"
  | "unsupportedKeyType"
  | "badSignature"
  | "missingSan"
  | "sanOutsideSubtree"
  | "cnNotInSans";

/** A name that has no certificate (bridge) form: not `.eth`, not ASCII LDH, or a bad bridge domain. */
export class InvalidCertificateNameError extends EnsgateError {
  override name = "InvalidCertificateNameError";
  readonly value: string;
  constructor({ value, reason }: { value: string; reason: string }) {
    super(`Invalid certificate name "${value}": ${reason}.`, {
      details:
        "Certificate names are normalized .eth names whose labels are ASCII letters, digits and hyphens.",
    });
    this.value = value;
  }
}

/** Root of the CSR rejections; `reason` is the machine-readable code (see `CsrRejectionReason`). */
export class CsrRejectedError extends EnsgateError {
  override name = "CsrRejectedError";
  readonly reason: CsrRejectionReason;
  constructor(reason: CsrRejectionReason, message: string, details?: string) {
    super(`CSR rejected (${reason}): ${message}.`, { details });
    this.reason = reason;
  }
}

/** A CSR above the size bound (the order contract's `MAX_CSR_LENGTH`). */
export class CsrTooLargeError extends CsrRejectedError {
  override name = "CsrTooLargeError";
  constructor(size: number, max: number) {
    super("csrTooLarge", `the CSR is ${size} bytes, more than ${max}`);
  }
}

/** Bytes that are not one DER (or PEM) PKCS#10 CertificationRequest. */
export class MalformedCsrError extends CsrRejectedError {
  override name = "MalformedCsrError";
  constructor(reason: string) {
    super("malformedCsr", `not a DER PKCS#10 request (${reason})`, "Send the CSR in DER form.");
  }
}

/** A CSR whose key is not ECDSA P-256 or secp256k1. */
export class UnsupportedKeyTypeError extends CsrRejectedError {
  override name = "UnsupportedKeyTypeError";
  constructor(keyType: string) {
    super("unsupportedKeyType", `key type ${keyType} is not supported; use P-256 or secp256k1`);
  }
}

/** A CSR whose self-signature does not verify under its own public key. */
export class CsrSignatureError extends CsrRejectedError {
  override name = "CsrSignatureError";
  constructor() {
    super("badSignature", "the signature does not verify with the CSR's public key");
  }
}

/** An end-entity CSR without a subjectAltName dNSName. */
export class MissingSanError extends CsrRejectedError {
  override name = "MissingSanError";
  constructor() {
    super("missingSan", "an end-entity CSR needs at least one subjectAltName dNSName");
  }
}

/** A subjectAltName outside the ordered name's subtree (or its bridge name's), or not a dNSName. */
export class SanOutsideSubtreeError extends CsrRejectedError {
  override name = "SanOutsideSubtreeError";
  readonly san: string;
  constructor(san: string, subtrees: readonly string[]) {
    super("sanOutsideSubtree", `${san} is outside ${subtrees.join(" and ")}`);
    this.san = san;
  }
}

/** A subject commonName that is not one of the CSR's subjectAltNames. */
export class CommonNameNotInSansError extends CsrRejectedError {
  override name = "CommonNameNotInSansError";
  readonly commonName: string;
  constructor(commonName: string) {
    super("cnNotInSans", `CN ${commonName} is not one of the subjectAltNames; drop it or add it`);
    this.commonName = commonName;
  }
}

/** Issuing parameters the CA refuses (validity too long, CN outside the SANs, no names). */
export class CertificateIssueError extends EnsgateError {
  override name = "CertificateIssueError";
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(`Cannot issue certificate: ${reason}.`, options);
  }
}

/** A PEM chain that does not parse or does not link end-entity -> intermediate -> root. */
export class InvalidCertificateChainError extends EnsgateError {
  override name = "InvalidCertificateChainError";
  constructor(reason: string) {
    super(`Invalid certificate chain: ${reason}.`);
  }
}
