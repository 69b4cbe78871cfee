// did:ens: DID documents from ENS names (spec: ../../docs/did.md).

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
  DID_SERVICE_TEXT_KEY,
  DID_TEXT_KEYS,
  DID_VERIFICATION_METHOD_TEXT_KEY,
  DID_VERIFICATION_RELATIONSHIP_TEXT_KEY,
  DID_VERIFICATION_RELATIONSHIPS,
  type DidRecordIssue,
  type DidVerificationRelationship,
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
  type EnsDidNetworks,
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
export {
  DID_DRIVER_PATH_PREFIX,
  DID_ERROR_HTTP_STATUS,
  DID_RESOLUTION_LD_JSON,
  DID_RESOLUTION_MEDIA_TYPE,
  type DidResolve,
  handleDidRequest,
} from "./universalResolverDriver.ts";
export {
  createViemEnsReader,
  ENS_REGISTRY_ADDRESS,
  NAME_WRAPPER_ADDRESSES,
  TLS_CHAIN_TEXT_KEY,
  type ViemEnsReaderOptions,
} from "./viemEnsReader.ts";
