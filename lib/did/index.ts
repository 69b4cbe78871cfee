// did:ens: DID documents from ENS names (spec: docs/did.md). Pure: parsing, documents, text
// records, certificate methods. Reading the chain and the HTTP driver are in the top-level did/ module.

export {
  type BuildDidDocumentParameters,
  buildDidDocument,
  type DidDocumentIssue,
  ENS_DID_CONTEXT,
  type EnsDidDefaultMethod,
  type EnsDidDocument,
  type EnsDidProfileService,
} from "./buildDidDocument.ts";
export {
  buildCertificateMethod,
  type CertificateJwk,
  type CertificateMethodBuild,
  type CertificateVerificationMethod,
  JWS_2020_CONTEXT,
  parsePemCertificates,
} from "./certificateMethod.ts";
export {
  defaultDidIds,
  formatLowercaseCaip10,
  resolveDidFragmentId,
  sha256Hex,
} from "./didIds.ts";
export {
  CERTIFICATE_CHAIN_TEXT_KEYS,
  DID_SERVICE_TEXT_KEY,
  DID_TEXT_KEYS,
  DID_VERIFICATION_METHOD_TEXT_KEY,
  DID_VERIFICATION_RELATIONSHIP_TEXT_KEY,
  DID_VERIFICATION_RELATIONSHIPS,
  type DidRecordIssue,
  type DidVerificationRelationship,
  TLS_CHAIN_TEXT_KEY,
} from "./didTextRecords.ts";
export {
  type EnsDidErrorCode,
  InvalidCertificateChainError,
  InvalidDidError,
  UnknownNetworkError,
  UnsupportedDidMethodError,
} from "./errors.ts";
export {
  DEFAULT_ENS_DID_NETWORK,
  ENS_DID_NETWORKS,
  ENS_REGISTRY_ADDRESS,
  type EnsDidNetworks,
  NAME_WRAPPER_ADDRESSES,
  resolveEnsDidNetworks,
} from "./networks.ts";
export {
  encodeDidName,
  type ParsedEnsDid,
  type ParseEnsDidOptions,
  parseEnsDid,
} from "./parseEnsDid.ts";
export {
  DID_LD_JSON,
  type EnsDidReader,
  type EnsDidResolutionResult,
  type EnsDidResolverOptions,
  getResolver,
  resolveEnsDid,
} from "./resolveEnsDid.ts";
