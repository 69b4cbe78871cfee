import { type Hex, isHex } from "viem";
import { InvalidRecordPathError, InvalidRecordValueError } from "../errors/record.ts";
import { buildWellKnownPath } from "../names/wellKnownPath.ts";
import type { RecordRequest } from "./recordRequest.ts";

const ETH_COIN_TYPE = 60n;
const MAX_UINT256 = 2n ** 256n - 1n;
const JSON_EXTENSION = ".json";
/** The ABI content types ENSIP-4 defines: 1 JSON, 2 zlib-compressed JSON, 4 CBOR, 8 URI. */
export const DEFINED_ABI_CONTENT_TYPES = 15n;

/**
 * The record type string of a request: its file path without `.json` (`text/avatar`, `address/60`,
 * `contenthash`, ...). This exact string is what SIGN 4 signs as `Record Type`.
 * An `ABI` request must name one content type; use `buildRecordTypeCandidates` for a bitmask.
 */
export function buildRecordType(request: RecordRequest): string {
  const candidates = buildRecordTypeCandidates(request);
  if (candidates.length !== 1)
    throw new InvalidRecordValueError({
      recordType: "ABI",
      reason: `content types ${request.type === "abi" ? request.contentTypes : ""} name several files; ask for one content type`,
    });
  return candidates[0] as string;
}

/** Every record type a request may be answered from, in preference order (several only for an `ABI` bitmask). */
export function buildRecordTypeCandidates(request: RecordRequest): string[] {
  switch (request.type) {
    case "text":
      assertTextKeyIsFileName(request.key);
      return [`text/${request.key}`];
    case "addr":
      return [`address/${ETH_COIN_TYPE}`];
    case "multicoinAddr":
      return [`address/${request.coinType}`];
    case "contenthash":
      return ["contenthash"];
    case "pubkey":
      return ["pubkey"];
    case "name":
      return ["name"];
    case "interfaceImplementer":
      if (!isHex(request.interfaceId, { strict: true }) || request.interfaceId.length !== 10)
        throw new InvalidRecordValueError({
          recordType: "interfaceImplementer",
          reason: `interface id ${request.interfaceId} is not 4 bytes of hex`,
        });
      return [`interface/${request.interfaceId.toLowerCase()}`];
    case "abi": {
      if (request.contentTypes <= 0n || request.contentTypes > MAX_UINT256)
        throw new InvalidRecordValueError({
          recordType: "ABI",
          reason: "content types must be a non-zero uint256 bitmask",
        });
      // Only the content types ENS defines (1 JSON, 2 zlib JSON, 4 CBOR, 8 URI) name a file: any
      // other bit is never read, so one lookup is at most four reads (contract: same mask).
      const types: string[] = [];
      for (let bit = 1n; bit <= DEFINED_ABI_CONTENT_TYPES; bit <<= 1n)
        if ((request.contentTypes & bit) !== 0n) types.push(`abi/${bit}`);
      return types;
    }
    case "zonehash":
      return ["dns/zonehash"];
    case "dnsRecord":
      if (!isHex(request.nameHash, { strict: true }) || request.nameHash.length !== 66)
        throw new InvalidRecordValueError({
          recordType: "dnsRecord",
          reason: "owner name hash must be 32 bytes of hex",
        });
      if (!Number.isInteger(request.resource) || request.resource < 0 || request.resource > 0xffff)
        throw new InvalidRecordValueError({
          recordType: "dnsRecord",
          reason: `resource type ${request.resource} is not a uint16`,
        });
      return [`dns/${request.nameHash.toLowerCase()}/${request.resource}`];
  }
}

/** The record file of a request, relative to the name's folder: `text/avatar.json`. */
export function buildRecordFileName(request: RecordRequest): string {
  return `${buildRecordType(request)}${JSON_EXTENSION}`;
}

/** The full path of a name's record file: `.well-known/eth/domain/sub/text/avatar.json`. */
export function buildRecordFilePath(name: string, request: RecordRequest): string {
  return `${buildWellKnownPath(name)}${buildRecordFileName(request)}`;
}

/**
 * Inverse of `buildRecordType`: `text/avatar` -> `{ type: "text", key: "avatar" }`.
 * `address/60` is the `addr(node)` record (coin type 60 is stored in its encoding).
 */
export function parseRecordType(recordType: string): RecordRequest {
  const fail = (reason: string): never => {
    throw new InvalidRecordPathError({ path: recordType, reason });
  };
  const [head, ...rest] = recordType.split("/");
  if (rest.length === 0) {
    if (head === "contenthash" || head === "pubkey" || head === "name") return { type: head };
    return fail("not a record type");
  }
  if (head === "text") {
    const key = rest.join("/");
    if (rest.length !== 1) fail("a text key cannot contain '/'");
    assertTextKeyIsFileName(key);
    return { type: "text", key };
  }
  if (head === "dns" && rest.length === 1 && rest[0] === "zonehash") return { type: "zonehash" };
  if (head === "dns" && rest.length === 2) {
    const [nameHash, resource] = rest as [string, string];
    if (!/^0x[0-9a-f]{64}$/.test(nameHash))
      fail("DNS owner name hash must be lowercase 0x + 64 hex");
    const request: RecordRequest = {
      type: "dnsRecord",
      nameHash: nameHash as Hex,
      resource: Number(parseCanonicalDecimal(resource, fail, "resource type")),
    };
    buildRecordTypeCandidates(request);
    return request;
  }
  if (rest.length !== 1) return fail("too many path segments");
  const segment = rest[0] as string;
  switch (head) {
    case "address": {
      const coinType = parseCanonicalDecimal(segment, fail, "coin type");
      return coinType === ETH_COIN_TYPE ? { type: "addr" } : { type: "multicoinAddr", coinType };
    }
    case "interface":
      if (!/^0x[0-9a-f]{8}$/.test(segment)) fail("interface id must be lowercase 0x + 8 hex");
      return { type: "interfaceImplementer", interfaceId: segment as Hex };
    case "abi": {
      const contentType = parseCanonicalDecimal(segment, fail, "content type");
      if (contentType === 0n || (contentType & (contentType - 1n)) !== 0n)
        fail("ABI content type must be a single bit (1, 2, 4, 8, ...)");
      return { type: "abi", contentTypes: contentType };
    }
    default:
      return fail("not a record type");
  }
}

/** Inverse of `buildRecordFileName`: `text/avatar.json` -> `{ type: "text", key: "avatar" }`. */
export function parseRecordFileName(fileName: string): RecordRequest {
  if (!fileName.endsWith(JSON_EXTENSION))
    throw new InvalidRecordPathError({ path: fileName, reason: "record files end in .json" });
  return parseRecordType(fileName.slice(0, -JSON_EXTENSION.length));
}

/**
 * Inverse of `buildRecordFilePath` for a known name. The name is needed: in the NameSys layout
 * `.well-known/eth/alice/text/name.json` is both `alice.eth`'s text `name` and `text.alice.eth`'s name.
 */
export function parseRecordFilePath(path: string, name: string): RecordRequest {
  const folder = buildWellKnownPath(name);
  const relative = path.replace(/^\/+/, "");
  if (!relative.startsWith(folder))
    throw new InvalidRecordPathError({ path, reason: `not under ${folder}` });
  return parseRecordFileName(relative.slice(folder.length));
}

/** Throws unless a text key can be a single file name (NameSys stores `text/<key>.json` verbatim). */
function assertTextKeyIsFileName(key: string): void {
  const reason =
    key === ""
      ? "the key is empty"
      : key === "." || key === ".."
        ? `the key "${key}" is a relative path`
        : key.includes("/")
          ? "the key contains '/'"
          : // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we reject
            /[\u0000-\u001f\u007f]/.test(key)
            ? "the key contains a control character"
            : undefined;
  if (reason) throw new InvalidRecordValueError({ recordType: "text key", reason });
}

/** Parses a decimal uint256 without sign, leading zeros or spaces (so each value has one path). */
function parseCanonicalDecimal(
  value: string,
  fail: (reason: string) => never,
  what: string,
): bigint {
  if (!/^(0|[1-9][0-9]*)$/.test(value)) fail(`${what} "${value}" is not a canonical decimal`);
  const parsed = BigInt(value);
  if (parsed > MAX_UINT256) fail(`${what} is over uint256`);
  return parsed;
}
