import { EnsgateError } from "../errors/base.ts";

/** The DID Resolution error code each did:ens failure maps to (`didResolutionMetadata.error`). */
export type EnsDidErrorCode = "invalidDid" | "methodNotSupported" | "notFound" | "internalError";

/** A string that is not a well-formed `did:ens[:<network>]:<name>` DID; `label` names a bad label. */
export class InvalidDidError extends EnsgateError {
  override name = "InvalidDidError";
  readonly code: EnsDidErrorCode = "invalidDid";
  readonly did: string;
  readonly reason: string;
  readonly label: string | undefined;

  constructor({
    did,
    reason,
    label,
    cause,
  }: {
    did: string;
    reason: string;
    label?: string;
    cause?: unknown;
  }) {
    super(`Invalid DID "${did}": ${reason}.`, {
      details: "Write did:ens[:<network>]:<ENS name>, e.g. did:ens:alice.eth.",
      cause,
    });
    this.did = did;
    this.reason = reason;
    this.label = label;
  }
}

/** A well-formed DID of another method (e.g. `did:web:…`): this resolver only handles `did:ens`. */
export class UnsupportedDidMethodError extends InvalidDidError {
  override name = "UnsupportedDidMethodError";
  override readonly code: EnsDidErrorCode = "methodNotSupported";
  readonly method: string;

  constructor({ did, method }: { did: string; method: string }) {
    super({ did, reason: `method "${method}" is not supported, only "ens"` });
    this.method = method;
  }
}

/** A did:ens DID whose network is neither built in nor configured. */
export class UnknownNetworkError extends EnsgateError {
  override name = "UnknownNetworkError";
  readonly code: EnsDidErrorCode = "methodNotSupported";
  readonly did: string;
  readonly network: string;

  constructor({ did, network, known }: { did: string; network: string; known: readonly string[] }) {
    super(`Unknown network "${network}" in "${did}".`, {
      details: `Known networks: ${known.join(", ")}. Configure others with the \`networks\` option (name -> chain id).`,
    });
    this.did = did;
    this.network = network;
  }
}

/** A certificate chain that cannot become a verification method (bad PEM/DER, broken chain, key type). */
export class InvalidCertificateChainError extends EnsgateError {
  override name = "InvalidCertificateChainError";
  readonly reason: string;

  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(`Invalid certificate chain: ${reason}.`, {
      details:
        "Give PEM certificates, end-entity first, each issued by the next, with a P-256 or secp256k1 key.",
      cause: options.cause,
    });
    this.reason = reason;
  }
}
