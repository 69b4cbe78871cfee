import type { Service, VerificationMethod } from "did-resolver";
import { buildCertificateMethod, JWS_2020_CONTEXT } from "./certificateMethod.ts";
import { defaultDidIds } from "./didIds.ts";
import {
  DID_SERVICE_TEXT_KEY,
  DID_VERIFICATION_METHOD_TEXT_KEY,
  DID_VERIFICATION_RELATIONSHIP_TEXT_KEY,
  type DidRecordIssue,
  type DidRecordService,
  type DidRecordVerificationMethod,
  type DidVerificationRelationship,
  parseServiceRecord,
  parseVerificationMethodRecord,
  parseVerificationRelationshipRecord,
} from "./didTextRecords.ts";
import { InvalidCertificateChainError } from "./errors.ts";
import type { ParsedEnsDid } from "./parseEnsDid.ts";

/** The `@context` of every did:ens document, in the spec's order. */
export const ENS_DID_CONTEXT = [
  "https://www.w3.org/ns/did/v1",
  "https://w3id.org/ens/v1",
  "https://w3id.org/casa/profile-services/v1",
] as const;

/** The owner's default verification method. */
export type EnsDidDefaultMethod = {
  id: string;
  type: "EcdsaSecp256k1RecoveryMethod2020";
  controller: string;
  blockchainAccountId: string;
};

/** The default `Web3PublicProfile` service. */
export type EnsDidProfileService = {
  id: string;
  type: "Web3PublicProfile";
  serviceEndpoint: { profileService: "ENS"; ensName: string; network: string };
};

/** A did:ens DID document (compatible with did-resolver's `DIDDocument`). */
export type EnsDidDocument = {
  "@context": string[];
  id: string;
  canonicalId: string;
  verificationMethod: VerificationMethod[];
  /** DID Core allows a service `type` to be a set of strings; did-resolver types it as a string. */
  service: Service[];
  authentication: string[];
  assertionMethod: string[];
  capabilityInvocation: string[];
  capabilityDelegation: string[];
  keyAgreement?: string[];
};

/** A part of the records or certificates left out of the document, and why. */
export type DidDocumentIssue =
  | DidRecordIssue
  | { key: "certificate"; index: number; reason: string };

/** Inputs of `buildDidDocument`. */
export type BuildDidDocumentParameters = {
  readonly parsed: ParsedEnsDid;
  /** The name's owner (registry owner, or NameWrapper owner for wrapped names). */
  readonly owner: string;
  /** The did:ens text records by key; `null`, `undefined` or blank means absent. */
  readonly textRecords?: Readonly<Record<string, string | null | undefined>>;
  /** Issued certificate chains, each PEM with the end-entity first. */
  readonly certificates?: readonly string[];
  /** Called for every record, entry or certificate left out of the document. */
  readonly onIssue?: (issue: DidDocumentIssue) => void;
};

/** Relationships a certificate method joins: end-entity keys authenticate and assert; CA keys only assert. */
const CERTIFICATE_RELATIONSHIPS = {
  endEntity: ["authentication", "assertionMethod"],
  certificateAuthority: ["assertionMethod"],
} as const satisfies Record<string, readonly DidVerificationRelationship[]>;

/**
 * Builds the did:ens document: the spec's defaults (owner method, profile service, four
 * relationships), then the text-record methods, services and relationships, then one
 * `JsonWebKey2020` method per certificate chain.
 */
export function buildDidDocument(parameters: BuildDidDocumentParameters): EnsDidDocument {
  const { parsed, owner, textRecords = {}, certificates = [] } = parameters;
  const report = parameters.onIssue ?? (() => {});
  const defaults = defaultDidIds(parsed, owner);

  const defaultMethod: EnsDidDefaultMethod = {
    id: defaults.methodId,
    type: "EcdsaSecp256k1RecoveryMethod2020",
    controller: parsed.canonicalDid,
    blockchainAccountId: defaults.blockchainAccountId,
  };
  const profileService: EnsDidProfileService = {
    id: defaults.serviceId,
    type: "Web3PublicProfile",
    serviceEndpoint: { profileService: "ENS", ensName: parsed.name, network: parsed.network },
  };

  const certificateMethods = certificates.flatMap((pem, index) => {
    try {
      return [buildCertificateMethod(parsed, pem)];
    } catch (error) {
      if (!(error instanceof InvalidCertificateChainError)) throw error;
      report({ key: "certificate", index, reason: error.reason });
      return [];
    }
  });
  const takenIds = new Set<string>([defaults.methodId, defaults.serviceId]);
  const uniqueCertificates = certificateMethods.filter(({ method }, index) => {
    if (!takenIds.has(method.id)) return takenIds.add(method.id);
    report({ key: "certificate", index, reason: `duplicate of an earlier chain (${method.id})` });
    return false;
  });

  const methods = parseVerificationMethodRecord(
    parsed,
    textRecords[DID_VERIFICATION_METHOD_TEXT_KEY],
    takenIds,
  );
  const recordMethods: DidRecordVerificationMethod[] = methods.entries ?? [];
  for (const method of recordMethods) takenIds.add(method.id);
  const services = parseServiceRecord(parsed, textRecords[DID_SERVICE_TEXT_KEY], takenIds);
  const recordServices: DidRecordService[] = services.entries ?? [];
  const relationships = parseVerificationRelationshipRecord(
    parsed,
    textRecords[DID_VERIFICATION_RELATIONSHIP_TEXT_KEY],
  );
  for (const issue of [...methods.issues, ...services.issues, ...relationships.issues])
    report(issue);

  const verificationMethod = [
    defaultMethod,
    ...recordMethods,
    ...uniqueCertificates.map(({ method }) => method),
  ];
  const methodIds = new Set(verificationMethod.map((method) => method.id));
  const relationship = (name: DidVerificationRelationship): string[] => {
    const ids: string[] = name === "keyAgreement" ? [] : [defaults.methodId];
    for (const id of relationships.entries?.[name] ?? []) {
      if (!methodIds.has(id))
        report({
          key: DID_VERIFICATION_RELATIONSHIP_TEXT_KEY,
          scope: "entry",
          reason: `"${name}" references ${id}, which is not a verification method of the document`,
        });
      else if (!ids.includes(id)) ids.push(id);
    }
    for (const { method, isCertificateAuthority } of uniqueCertificates) {
      const joins: readonly DidVerificationRelationship[] = isCertificateAuthority
        ? CERTIFICATE_RELATIONSHIPS.certificateAuthority
        : CERTIFICATE_RELATIONSHIPS.endEntity;
      if (joins.includes(name) && !ids.includes(method.id)) ids.push(method.id);
    }
    return ids;
  };

  const keyAgreement = relationship("keyAgreement");
  return {
    "@context": [...ENS_DID_CONTEXT, ...(uniqueCertificates.length > 0 ? [JWS_2020_CONTEXT] : [])],
    id: parsed.did,
    canonicalId: parsed.canonicalDid,
    verificationMethod: verificationMethod as VerificationMethod[],
    service: [profileService, ...recordServices] as Service[],
    authentication: relationship("authentication"),
    assertionMethod: relationship("assertionMethod"),
    capabilityInvocation: relationship("capabilityInvocation"),
    capabilityDelegation: relationship("capabilityDelegation"),
    ...(keyAgreement.length > 0 ? { keyAgreement } : {}),
  };
}
