import { CERTIFICATE_CHAIN_TEXT_KEY } from "../certs/certificateRecordTypes.ts";
import { resolveDidFragmentId } from "./didIds.ts";
import type { ParsedEnsDid } from "./parseEnsDid.ts";

/** Text record: a JSON array of DID Core services. */
export const DID_SERVICE_TEXT_KEY = "org.w3c.did.service";
/** Text record: a JSON array of verification methods (ids relative, e.g. `#key-1`). */
export const DID_VERIFICATION_METHOD_TEXT_KEY = "org.w3c.did.verificationMethod";
/** Text record: a JSON map from verification relationship to an array of method ids. */
export const DID_VERIFICATION_RELATIONSHIP_TEXT_KEY = "org.w3c.did.verificationRelationship";
/** The three did:ens text record keys, in the order a resolver reads them. */
export const DID_TEXT_KEYS = [
  DID_SERVICE_TEXT_KEY,
  DID_VERIFICATION_METHOD_TEXT_KEY,
  DID_VERIFICATION_RELATIONSHIP_TEXT_KEY,
] as const;

/** The verification relationships the relationship record may name, in document order. */
export const DID_VERIFICATION_RELATIONSHIPS = [
  "authentication",
  "assertionMethod",
  "capabilityInvocation",
  "capabilityDelegation",
  "keyAgreement",
] as const;
/** One of DID Core's five verification relationships. */
export type DidVerificationRelationship = (typeof DID_VERIFICATION_RELATIONSHIPS)[number];

/** A JSON object as a did:ens document carries it. */
export type JsonObject = { [key: string]: unknown };
/** A verification method from the record, id absolute, controller filled in. */
export type DidRecordVerificationMethod = JsonObject & {
  id: string;
  type: string;
  controller: string;
};
/** A service from the record, id absolute (given or generated). */
export type DidRecordService = JsonObject & {
  id: string;
  type: string | string[];
  serviceEndpoint: unknown;
};
/** The relationship record: absolute method ids per relationship (not yet checked against methods). */
export type DidRecordRelationships = Partial<Record<DidVerificationRelationship, string[]>>;

/** Why a record or one of its entries was left out of the document. */
export type DidRecordIssue = {
  readonly key: string;
  /** `record`: the whole record was ignored; `entry`: only the entry at `index`. */
  readonly scope: "record" | "entry";
  readonly index?: number;
  readonly reason: string;
};

/** A parsed record: `undefined` entries when absent or malformed (then `issue` says why). */
export type DidRecordParse<entries> = { entries: entries | undefined; issues: DidRecordIssue[] };

/** Thrown inside the parsers to reject a whole record. */
class Malformed extends Error {}

function parseJson(
  key: string,
  value: string | null | undefined,
): { json?: unknown; issue?: DidRecordIssue } {
  if (value == null || value.trim() === "") return {};
  try {
    return { json: JSON.parse(value) };
  } catch {
    return { issue: { key, scope: "record", reason: "not valid JSON" } };
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Copies `entry` with `first` properties in order, then the rest (prototype-safe). */
function ordered(first: [string, unknown][], entry: JsonObject): JsonObject {
  const firstKeys = new Set(first.map(([key]) => key));
  return Object.fromEntries([
    ...first,
    ...Object.entries(entry).filter(([key]) => !firstKeys.has(key)),
  ]);
}

function ownId(parsed: ParsedEnsDid, id: unknown, what: string): string {
  if (typeof id !== "string") throw new Malformed(`${what} "id" is not a string`);
  const resolved = resolveDidFragmentId(parsed, id);
  if (resolved === undefined)
    throw new Malformed(`${what} id ${JSON.stringify(id)} is not "#<fragment>" of this DID`);
  return resolved;
}

/**
 * Parses `org.w3c.did.verificationMethod`. A bad entry rejects the whole record; an entry whose id
 * is in `takenIds` (the default ids, certificate ids, earlier entries) is dropped alone.
 */
export function parseVerificationMethodRecord(
  parsed: ParsedEnsDid,
  value: string | null | undefined,
  takenIds: ReadonlySet<string>,
): DidRecordParse<DidRecordVerificationMethod[]> {
  const key = DID_VERIFICATION_METHOD_TEXT_KEY;
  const { json, issue } = parseJson(key, value);
  if (json === undefined) return { entries: undefined, issues: issue ? [issue] : [] };
  try {
    if (!Array.isArray(json)) throw new Malformed("not a JSON array");
    const methods = json.map((entry, index) => {
      const at = `entry ${index}:`;
      if (!isObject(entry)) throw new Malformed(`${at} not an object`);
      const id = ownId(parsed, entry.id, at);
      if (typeof entry.type !== "string" || entry.type === "")
        throw new Malformed(`${at} "type" is not a non-empty string`);
      const controller = entry.controller ?? parsed.canonicalDid;
      if (typeof controller !== "string" || controller === "")
        throw new Malformed(`${at} "controller" is not a non-empty string`);
      return ordered(
        [
          ["id", id],
          ["type", entry.type],
          ["controller", controller],
        ],
        entry,
      ) as DidRecordVerificationMethod;
    });
    return keepFreshIds(key, methods, takenIds);
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    return { entries: undefined, issues: [{ key, scope: "record", reason: error.message }] };
  }
}

/**
 * Parses `org.w3c.did.service`. An entry without `id` gets `<canonical DID>#service-<index>` (its
 * 0-based position in the array). A bad entry rejects the whole record; an entry whose id is taken
 * is dropped alone.
 */
export function parseServiceRecord(
  parsed: ParsedEnsDid,
  value: string | null | undefined,
  takenIds: ReadonlySet<string>,
): DidRecordParse<DidRecordService[]> {
  const key = DID_SERVICE_TEXT_KEY;
  const { json, issue } = parseJson(key, value);
  if (json === undefined) return { entries: undefined, issues: issue ? [issue] : [] };
  try {
    if (!Array.isArray(json)) throw new Malformed("not a JSON array");
    const services = json.map((entry, index) => {
      const at = `entry ${index}:`;
      if (!isObject(entry)) throw new Malformed(`${at} not an object`);
      const id =
        entry.id === undefined
          ? `${parsed.canonicalDid}#service-${index}`
          : ownId(parsed, entry.id, at);
      if (!isServiceType(entry.type))
        throw new Malformed(`${at} "type" is not a string or an array of strings`);
      if (!isServiceEndpoint(entry.serviceEndpoint))
        throw new Malformed(
          `${at} "serviceEndpoint" is not a URI string, a map or an array of them`,
        );
      return ordered(
        [
          ["id", id],
          ["type", entry.type],
          ["serviceEndpoint", entry.serviceEndpoint],
        ],
        entry,
      ) as DidRecordService;
    });
    return keepFreshIds(key, services, takenIds);
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    return { entries: undefined, issues: [{ key, scope: "record", reason: error.message }] };
  }
}

/**
 * Parses `org.w3c.did.verificationRelationship` into absolute method ids. Unknown relationship
 * names, non-arrays or non-string ids reject the whole record.
 */
export function parseVerificationRelationshipRecord(
  parsed: ParsedEnsDid,
  value: string | null | undefined,
): DidRecordParse<DidRecordRelationships> {
  const key = DID_VERIFICATION_RELATIONSHIP_TEXT_KEY;
  const { json, issue } = parseJson(key, value);
  if (json === undefined) return { entries: undefined, issues: issue ? [issue] : [] };
  try {
    if (!isObject(json)) throw new Malformed("not a JSON object");
    const relationships: DidRecordRelationships = {};
    const issues: DidRecordIssue[] = [];
    for (const [relationship, ids] of Object.entries(json)) {
      if (!(DID_VERIFICATION_RELATIONSHIPS as readonly string[]).includes(relationship))
        throw new Malformed(`unknown verification relationship "${relationship}"`);
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string"))
        throw new Malformed(`"${relationship}" is not an array of method ids`);
      relationships[relationship as DidVerificationRelationship] = (ids as string[]).flatMap(
        (id, index) => {
          const resolved = resolveDidFragmentId(parsed, id);
          if (resolved !== undefined) return [resolved];
          issues.push({
            key,
            scope: "entry",
            index,
            reason: `"${relationship}" id ${JSON.stringify(id)} is not a method of this DID`,
          });
          return [];
        },
      );
    }
    return { entries: relationships, issues };
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    return { entries: undefined, issues: [{ key, scope: "record", reason: error.message }] };
  }
}

function keepFreshIds<entry extends { id: string }>(
  key: string,
  entries: entry[],
  takenIds: ReadonlySet<string>,
): DidRecordParse<entry[]> {
  const seen = new Set(takenIds);
  const issues: DidRecordIssue[] = [];
  const kept = entries.filter((entry, index) => {
    if (!seen.has(entry.id)) {
      seen.add(entry.id);
      return true;
    }
    issues.push({ key, scope: "entry", index, reason: `id "${entry.id}" is already in use` });
    return false;
  });
  return { entries: kept, issues };
}

function isServiceType(type: unknown): type is string | string[] {
  if (typeof type === "string") return type !== "";
  return (
    Array.isArray(type) &&
    type.length > 0 &&
    type.every((item) => typeof item === "string" && item !== "")
  );
}

function isServiceEndpoint(endpoint: unknown): boolean {
  const single = (item: unknown) => (typeof item === "string" && item !== "") || isObject(item);
  return (
    single(endpoint) || (Array.isArray(endpoint) && endpoint.length > 0 && endpoint.every(single))
  );
}

/** Text record key of a certificate chain the name's owner publishes (PEM, end-entity first). */
export const TLS_CHAIN_TEXT_KEY = "org.ensgate.tls.chain";

/**
 * Where a name's certificate chains are read from, in document order: the ensgate certificate
 * authority's chain (`org.ensgate.ca.chain`, bound to the owner it was issued to) and the owner's
 * own (`org.ensgate.tls.chain`).
 */
export const CERTIFICATE_CHAIN_TEXT_KEYS = [
  CERTIFICATE_CHAIN_TEXT_KEY,
  TLS_CHAIN_TEXT_KEY,
] as const;
