// Certificates for ENS names: CSR checks, the root -> per-domain intermediate -> end-entity chain,
// and the records the CA publishes (see docs/certificates.md). Importing this module installs
// @peculiar/webcrypto as @peculiar/x509's crypto provider (needed for secp256k1).

export {
  assertBridgeDomain,
  assertCertificateName,
  bridgeName,
  ENS_TLD,
  ensNameFromBridgeName,
} from "./bridgeName.ts";
export {
  buildCertificateRecords,
  type CertificateRecordsParameters,
} from "./certificateRecords.ts";
export {
  CERTIFICATE_CHAIN_TEXT_KEY,
  CERTIFICATE_TEXT_KEY_PREFIX,
  CERTIFICATE_TLSA_TEXT_KEY,
  certificateRecordRequests,
  isCertificateRecordRequest,
  ownerTlsaRecordRequest,
  parseTlsaPin,
  type TlsaPin,
  tlsaOwnerName,
} from "./certificateRecordTypes.ts";
export {
  buildPemChain,
  buildTlsaPin,
  buildTlsaZoneLine,
  certificateCoversName,
  certificateDnsNames,
  computeTlsaSpkiSha256,
  DEFAULT_TLSA_TTL,
  parsePemChain,
  verifyCertificateChainLinks,
} from "./chain.ts";
export {
  buildCrlDistributionPointsExtension,
  crlToPem,
  type IssueCrlParameters,
  issueCrl,
  OWNER_REVOCATION_REASONS,
  type RevocationReason,
  type RevokedCertificate,
} from "./crl.ts";
export { certCrypto, x509 } from "./cryptoProvider.ts";
export {
  assertCsrNames,
  type CertificateRequestInfo,
  type CsrNameScope,
  checkCertificateRequest,
  decodeCsrBytes,
  MAX_CSR_BYTES,
  parseCertificateRequest,
} from "./csr.ts";
export {
  CertificateIssueError,
  CommonNameNotInSansError,
  CsrRejectedError,
  type CsrRejectionReason,
  CsrSignatureError,
  CsrTooLargeError,
  InvalidCertificateChainError,
  InvalidCertificateNameError,
  MalformedCsrError,
  MissingSanError,
  SanOutsideSubtreeError,
  UnsupportedKeyTypeError,
} from "./errors.ts";
export {
  buildNameConstraintsExtension,
  type CertificateAuthority,
  type CreateRootCaParameters,
  createRootCa,
  DEFAULT_END_ENTITY_VALIDITY_HOURS,
  DEFAULT_INTERMEDIATE_VALIDITY_DAYS,
  DEFAULT_ROOT_VALIDITY_DAYS,
  type IssueEndEntityParameters,
  type IssueIntermediateCaParameters,
  issueEndEntity,
  issueIntermediateCa,
  MAX_END_ENTITY_VALIDITY_DAYS,
  randomSerialNumber,
  type SubjectPublicKey,
  type ValidityOptions,
} from "./issue.ts";
export {
  type CertificateKeyType,
  ECDSA_SHA256,
  exportPrivateKeyPem,
  generateCertificateKeyPair,
  importPrivateKeyPem,
  keyAlgorithmOf,
  keyTypeOf,
} from "./keys.ts";
export {
  CERTIFICATE_ORDER_KINDS,
  type CertificateOrderKind,
  certificateRecordsName,
  DEFAULT_BRIDGE_DOMAIN,
  orderKindFromByte,
} from "./orderKind.ts";
export {
  buildRevocationMessage,
  type RevocationMessageParameters,
} from "./revocationMessage.ts";
export { certificateSubtrees, isWithinSubtree, isWithinSubtrees } from "./subtree.ts";
