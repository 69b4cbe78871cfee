// The DIF Universal Resolver driver API over fetch `Request`/`Response`: what the gateway mounts
// on `GET /1.0/identifiers/{did}`. It reads no chain itself: it calls a `DidResolve`
// (did/resolveOnChain.ts when networks are configured, `resolveWithoutNetworks` otherwise).
import type { DIDResolutionResult } from "did-resolver";
import { type EnsDidResolutionResult, resolveEnsDid } from "../lib/index.ts";

/** The path prefix of the DIF Universal Resolver driver API. */
export const DID_DRIVER_PATH_PREFIX = "/1.0/identifiers/";
/** Media type of a full resolution result (DID Resolution). */
export const DID_RESOLUTION_MEDIA_TYPE = "application/did-resolution";
/** Media type the DIF Universal Resolver and its drivers use for a full resolution result. */
export const DID_RESOLUTION_LD_JSON =
  'application/ld+json;profile="https://w3id.org/did-resolution";charset=utf-8';

/** HTTP statuses of DID Resolution error codes (DID Resolution, HTTP(S) binding). */
export const DID_ERROR_HTTP_STATUS: Readonly<Record<string, number>> = Object.freeze({
  invalidDid: 400,
  notFound: 404,
  representationNotSupported: 406,
  deactivated: 410,
  internalError: 500,
  methodNotSupported: 501,
});

/** Resolves one DID to a resolution result (e.g. `(did) => resolveEnsDid(did, options)`). */
export type DidResolve = (did: string) => Promise<DIDResolutionResult>;

/** The message of `resolveWithoutNetworks`' `methodNotSupported` answers. */
const NO_NETWORK_MESSAGE = "No did:ens network is configured (ENSGATE_DID_NETWORKS).";
const NO_READS = async (): Promise<never> => {
  throw new Error(NO_NETWORK_MESSAGE);
};

/**
 * The resolve function of a driver with no network configured, which reads nothing: a DID that
 * does not parse is `invalidDid` (400), any well-formed one `methodNotSupported` (501).
 */
export async function resolveWithoutNetworks(did: string): Promise<EnsDidResolutionResult> {
  const result = await resolveEnsDid(did, { readOwner: NO_READS, readText: NO_READS });
  if (result.didResolutionMetadata.error !== "internalError") return result;
  return {
    didResolutionMetadata: { error: "methodNotSupported", message: NO_NETWORK_MESSAGE },
    didDocument: null,
    didDocumentMetadata: {},
  };
}

/**
 * Serves `GET /1.0/identifiers/{did}` (DIF Universal Resolver driver API) from any fetch handler:
 * 200 with the resolution result, or the error's status (400 invalidDid, 404 notFound,
 * 501 methodNotSupported, 500 internalError). `Accept: application/did+ld+json` (or
 * `application/did+json`) without `application/did-resolution` returns the document alone.
 * The path may sit under a mount prefix; other paths get 404, other methods 405.
 */
export async function handleDidRequest(request: Request, resolve: DidResolve): Promise<Response> {
  const { pathname } = new URL(request.url);
  const at = pathname.indexOf(DID_DRIVER_PATH_PREFIX);
  if (at < 0)
    return result(request, 404, failure("notFound", "Not found: use GET /1.0/identifiers/{did}."));
  if (request.method !== "GET" && request.method !== "HEAD")
    return result(request, 405, failure("methodNotAllowed", "Method not allowed: use GET."), {
      allow: "GET, HEAD",
    });

  let did: string;
  try {
    did = decodeURIComponent(pathname.slice(at + DID_DRIVER_PATH_PREFIX.length));
  } catch {
    return result(
      request,
      400,
      failure("invalidDid", "The DID in the path is not valid percent-encoding."),
    );
  }
  if (did === "") return result(request, 400, failure("invalidDid", "The path has no DID."));

  let resolution: DIDResolutionResult;
  try {
    resolution = await resolve(did);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return result(request, 500, failure("internalError", `Resolution failed: ${reason}`));
  }
  const error = resolution.didResolutionMetadata.error;
  const status = error === undefined ? 200 : (DID_ERROR_HTTP_STATUS[error] ?? 500);
  return result(request, status, resolution);
}

function failure(error: string, message: string): DIDResolutionResult {
  return { didResolutionMetadata: { error, message }, didDocument: null, didDocumentMetadata: {} };
}

/**
 * A resolution result as JSON, in the DID resolution media types (every answer of this driver,
 * errors such as 404 and 405 included, is a DID resolution result).
 */
function result(
  request: Request,
  status: number,
  resolution: DIDResolutionResult,
  headers: Record<string, string> = {},
): Response {
  const accept = request.headers.get("accept") ?? "";
  const wantsResult =
    accept.includes(DID_RESOLUTION_MEDIA_TYPE) || accept.includes("did-resolution");
  const documentType = ["application/did+ld+json", "application/did+json"].find((type) =>
    accept.includes(type),
  );
  let body: unknown = {
    didDocument: resolution.didDocument,
    didResolutionMetadata: resolution.didResolutionMetadata,
    didDocumentMetadata: resolution.didDocumentMetadata,
  };
  let contentType = accept.includes(DID_RESOLUTION_MEDIA_TYPE)
    ? DID_RESOLUTION_MEDIA_TYPE
    : DID_RESOLUTION_LD_JSON;
  if (status === 200 && documentType && !wantsResult) {
    body = resolution.didDocument;
    contentType = documentType;
  }
  return new Response(request.method === "HEAD" ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": contentType, ...headers },
  });
}
