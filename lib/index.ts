// The ensgate core library: every protocol rule lives here, once. The gateway, the CLI, the
// contracts' tests and the certificate service import it; see docs/protocol.md.

// did:ens (docs/did.md). The did module's `InvalidCertificateChainError` is exported as
// `InvalidDidCertificateChainError`: lib/certs has its own class of that name.
export {
  type BuildDidDocumentParameters,
  buildCertificateMethod,
  buildDidDocument,
  CERTIFICATE_CHAIN_TEXT_KEYS,
  type CertificateJwk,
  type CertificateMethodBuild,
  type CertificateVerificationMethod,
  DEFAULT_ENS_DID_NETWORK,
  DID_LD_JSON,
  DID_SERVICE_TEXT_KEY,
  DID_TEXT_KEYS,
  DID_VERIFICATION_METHOD_TEXT_KEY,
  DID_VERIFICATION_RELATIONSHIP_TEXT_KEY,
  DID_VERIFICATION_RELATIONSHIPS,
  type DidDocumentIssue,
  type DidRecordIssue,
  type DidVerificationRelationship,
  defaultDidIds,
  ENS_DID_CONTEXT,
  ENS_DID_NETWORKS,
  ENS_REGISTRY_ADDRESS,
  type EnsDidDefaultMethod,
  type EnsDidDocument,
  type EnsDidErrorCode,
  type EnsDidNetworks,
  type EnsDidProfileService,
  type EnsDidReader,
  type EnsDidResolutionResult,
  type EnsDidResolverOptions,
  encodeDidName,
  formatLowercaseCaip10,
  getResolver,
  InvalidCertificateChainError as InvalidDidCertificateChainError,
  InvalidDidError,
  JWS_2020_CONTEXT,
  NAME_WRAPPER_ADDRESSES,
  type ParsedEnsDid,
  type ParseEnsDidOptions,
  parseEnsDid,
  parsePemCertificates,
  resolveDidFragmentId,
  resolveEnsDid,
  resolveEnsDidNetworks,
  sha256Hex,
  TLS_CHAIN_TEXT_KEY,
  UnknownNetworkError,
  UnsupportedDidMethodError,
} from "./did/index.ts";
export {
  BRIDGE_DNS_TYPES,
  type BridgeQueryName,
  type BridgeRecord,
  bridgeOwnerName,
  bridgeRRset,
  canonicalDnsName,
  certificatePinRecord,
  clampTtl,
  DEFAULT_DNS_BRIDGE_ZONE,
  DNSLINK_LABEL,
  dnslinkFromContenthash,
  dnslinkRecord,
  dnslinkTarget,
  type Freshness,
  MAX_BRIDGE_TTL,
  nsRecords,
  parseBridgeQueryName,
  soaRecord,
  type ZoneApex,
} from "./dns/index.ts";
export { describeError, EnsgateError, type EnsgateErrorOptions } from "./errors/base.ts";
export { KeygenInputError } from "./errors/keys.ts";
export { MissingResolverError } from "./errors/message.ts";
export { DnsDecodingError, DnsEncodingError, InvalidNameError } from "./errors/name.ts";
export {
  InvalidRecordCallError,
  InvalidRecordPathError,
  InvalidRecordValueError,
  UnknownRecordTypeError,
} from "./errors/record.ts";
export {
  InvalidSignatureFormatError,
  MalformedRecordError,
  RecordVerificationError,
} from "./errors/recordFile.ts";
export { deriveIpnsKeySeed } from "./keys/deriveIpnsKey.ts";
export {
  deriveKeygenHashKey,
  KEYGEN_HASH_KEY_LENGTH,
  type KeygenParameters,
} from "./keys/deriveKeygenHashKey.ts";
export { deriveSignerPrivateKey } from "./keys/deriveSignerKey.ts";
export { deriveIpnsName, ipnsPrivateKeyFromSeed } from "./keys/ipnsName.ts";
export {
  decodeResolveOffchainCall,
  encodeResolveOffchainCall,
  RESOLVE_OFFCHAIN_SELECTOR,
  RESOLVE_OFFCHAIN_SIGNATURE,
  type ResolveOffchainCall,
} from "./lookup/resolveOffchainCall.ts";
export {
  type ApprovalMessageParameters,
  buildApprovalMessage,
} from "./messages/approvalMessage.ts";
export { formatCaip10 } from "./messages/caip10.ts";
export {
  buildIpnsKeygenMessage,
  buildKeygenExtradata,
  buildKeygenOrigin,
  buildSignerKeygenMessage,
  type KeygenMessageParameters,
} from "./messages/keygenMessages.ts";
export {
  buildRecordMessage,
  type RecordFreshness,
  type RecordMessageParameters,
} from "./messages/recordMessage.ts";
export { ancestorWithNode, namePath, parentName } from "./names/ancestors.ts";
export { dnsDecodeLabels, dnsDecodeName } from "./names/dnsDecodeName.ts";
export { dnsEncodeName, MAX_DNS_LABEL_LENGTH, MAX_DNS_NAME_LENGTH } from "./names/dnsEncodeName.ts";
export { effectiveOwner } from "./names/effectiveOwner.ts";
export { labelhash, namehash } from "./names/namehash.ts";
export { isNormalizedName, normalizeName } from "./names/normalizeName.ts";
export { buildWellKnownPath, parseWellKnownPath, WELL_KNOWN_ROOT } from "./names/wellKnownPath.ts";
export {
  parseRecordFile,
  type RecordFile,
  type RecordFileV1,
  type RecordFileV2,
  serializeRecordFile,
} from "./recordFile/recordFile.ts";
export { assertCanonicalSignature } from "./recordFile/signatureFormat.ts";
export {
  decodeSignedRecordData,
  encodeSignedRecordData,
  SIGNED_CERTIFICATE_RECORD_SELECTOR,
  SIGNED_CERTIFICATE_RECORD_SIGNATURE,
  SIGNED_RECORD_V1_SELECTOR,
  SIGNED_RECORD_V1_SIGNATURE,
  SIGNED_RECORD_V2_SELECTOR,
  SIGNED_RECORD_V2_SIGNATURE,
  type SignedRecordData,
} from "./recordFile/signedRecordData.ts";
export {
  type MessageSigner,
  type SignApprovalParameters,
  type SignRecordParameters,
  signApproval,
  signRecord,
} from "./recordFile/signRecord.ts";
export { type SignRecordTreeParameters, signRecordTree } from "./recordFile/signRecordTree.ts";
export {
  assertRecordValid,
  type RecordRejection,
  type RecordVerification,
  type RecordVerificationContext,
  type SignerRule,
  verifyRecord,
} from "./recordFile/verifyRecord.ts";
export {
  CERTIFICATE_TEXT_KEY_PREFIX,
  isCertificateRecordRequest,
} from "./records/certificateRecordKeys.ts";
export { normalizeHexBytes } from "./records/hexBytes.ts";
export { decodeRecordCall, encodeRecordCall, type RecordCall } from "./records/recordCall.ts";
export {
  buildRecordhash,
  expandRecordhash,
  IPNS_ED25519_RECORDHASH_PREFIX,
  parseRecordhash,
  type RecordhashTarget,
} from "./records/recordhash.ts";
export {
  buildRecordFileName,
  buildRecordFilePath,
  buildRecordType,
  buildRecordTypeCandidates,
  parseRecordFileName,
  parseRecordFilePath,
  parseRecordType,
} from "./records/recordPath.ts";
export type * from "./records/recordRequest.ts";
export {
  DNS_RECORD_BYTES_SIGNATURE,
  getRecordFunction,
  getRecordSelector,
  RECORD_KINDS,
  RECORD_TYPES,
  type RecordTypeRow,
} from "./records/recordTypes.ts";
export {
  buildAnswer,
  buildEmptyAnswer,
  decodeRecordValue,
  decodeStoredResult,
  encodeRecordValue,
  getAnswerParameters,
  getStoredResultParameters,
} from "./records/recordValue.ts";
export { ABI_CONTENT_TYPES } from "./records/values/abiContentValue.ts";
export { formatCoinAddress, parseCoinAddress } from "./records/values/coinAddressValue.ts";
export { formatContenthash, parseContenthash } from "./records/values/contenthashValue.ts";
export {
  DNS_RESOURCE_TYPES,
  type DnsRecordEntry,
  decodeDnsRRset,
  formatDnsZone,
  getDnsResourceType,
  hashDnsOwnerName,
  parseDnsZone,
} from "./records/values/dnsZoneValue.ts";
export { formatPubkey, type PubkeyCoordinates, parsePubkey } from "./records/values/pubkeyValue.ts";
