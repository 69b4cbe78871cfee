import type { DIDResolutionResult, DIDResolver } from "did-resolver";
import {
  buildDidDocument,
  type DidDocumentIssue,
  type EnsDidDocument,
} from "./buildDidDocument.ts";
import { DID_TEXT_KEYS } from "./didTextRecords.ts";
import { type EnsDidErrorCode, InvalidDidError, UnknownNetworkError } from "./errors.ts";
import type { EnsDidNetworks } from "./networks.ts";
import { parseEnsDid } from "./parseEnsDid.ts";

/** Where resolution reads a name's owner, text records and certificates (injected, so it is testable). */
export type EnsDidReader = {
  /** The owner (registry owner, or NameWrapper owner when wrapped); `null` when the name is unregistered. */
  readonly readOwner: (name: string, network: string) => Promise<string | null>;
  /** A text record through the name's resolver (verified); `null` when unset. */
  readonly readText: (name: string, key: string, network: string) => Promise<string | null>;
  /** The name's issued certificate chains (PEM, end-entity first). */
  readonly readCertificates?: (name: string, network: string) => Promise<readonly string[]>;
};

/** Options of `resolveEnsDid` and `getResolver`: a reader plus networks beyond the built-in ones. */
export type EnsDidResolverOptions = EnsDidReader & {
  readonly networks?: EnsDidNetworks | undefined;
  /** Called for every text record, entry or certificate left out of a document. */
  readonly onIssue?: (issue: DidDocumentIssue, did: string) => void;
};

/** The media type of a did:ens document (JSON-LD). */
export const DID_LD_JSON = "application/did+ld+json";

/** A DID resolution result for did:ens (W3C DID Core §7.1). */
export type EnsDidResolutionResult = DIDResolutionResult & { didDocument: EnsDidDocument | null };

const ZERO_ADDRESS = /^0x0{40}$/i;

/**
 * Resolves a did:ens DID: parse, read owner, text records and certificates, build the document.
 * Errors are results, never throws: `invalidDid` (syntax, name), `methodNotSupported` (another
 * method, or a network that is not configured), `notFound` (no owner), `internalError` (a read failed).
 */
export async function resolveEnsDid(
  did: string,
  options: EnsDidResolverOptions,
): Promise<EnsDidResolutionResult> {
  let parsed: ReturnType<typeof parseEnsDid>;
  try {
    parsed = parseEnsDid(did, { networks: options.networks });
  } catch (error) {
    if (error instanceof InvalidDidError || error instanceof UnknownNetworkError)
      return errorResult(error.code, error.shortMessage);
    throw error;
  }
  const { name, network } = parsed;
  try {
    const [owner, texts, certificates] = await Promise.all([
      options.readOwner(name, network),
      Promise.all(DID_TEXT_KEYS.map((key) => options.readText(name, key, network))),
      options.readCertificates?.(name, network) ?? [],
    ]);
    if (owner == null || ZERO_ADDRESS.test(owner))
      return errorResult("notFound", `"${name}" has no owner on ${network}.`);
    const didDocument = buildDidDocument({
      parsed,
      owner,
      textRecords: Object.fromEntries(DID_TEXT_KEYS.map((key, index) => [key, texts[index]])),
      certificates,
      onIssue: options.onIssue && ((issue) => options.onIssue?.(issue, did)),
    });
    return {
      didResolutionMetadata: { contentType: DID_LD_JSON },
      didDocument,
      didDocumentMetadata: { canonicalId: parsed.canonicalDid },
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return errorResult("internalError", `Reading "${name}" on ${network} failed: ${reason}`);
  }
}

/** A did-resolver plugin: `new Resolver(getResolver(options))` resolves `did:ens:…`. */
export function getResolver(options: EnsDidResolverOptions): { ens: DIDResolver } {
  const ens: DIDResolver = (_did, parsed) => resolveEnsDid(parsed.did, options);
  return { ens };
}

function errorResult(error: EnsDidErrorCode, message: string): EnsDidResolutionResult {
  return { didResolutionMetadata: { error, message }, didDocument: null, didDocumentMetadata: {} };
}
