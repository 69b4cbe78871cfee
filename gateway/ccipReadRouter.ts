import {
  type AbiFunction,
  type AbiParameter,
  type AbiParameterToPrimitiveType,
  type Address,
  decodeFunctionData,
  encodeFunctionResult,
  type Hex,
  isAddress,
  type ParseAbiItem,
  parseAbiItem,
  toFunctionSelector,
} from "viem";
import { EnsgateError, normalizeHexBytes } from "../lib/index.ts";
import { findMalformedArgument } from "./callArguments.ts";
import { BadRequestError, GatewayHttpError } from "./errors.ts";

/**
 * An EIP-3668 request: the contract that reverted (`sender`) and the `callData` it asked for.
 * Handlers get `data` lower-cased (hex is read in any case) and `to` as it was sent (any case).
 */
export type CcipReadRequest = { to: Address; data: Hex };
/** What a request produced: the HTTP status and the JSON body (`{ data }` or `{ message }`). */
export type CcipReadResponse = {
  status: number;
  body: { data: Hex } | { message: string; field?: string };
};

/** The ABI function of a signature (`function f(uint256 a) view returns (bool)`, prefix optional). */
type FunctionOf<signature extends string> = ParseAbiItem<
  signature extends `function ${string}` ? signature : `function ${signature}`
>;
/** The primitive values of ABI parameters, as a tuple. */
type PrimitiveTypes<params extends readonly AbiParameter[]> = {
  readonly [K in keyof params]: params[K] extends AbiParameter
    ? AbiParameterToPrimitiveType<params[K]>
    : never;
};
/** The decoded arguments of a signature's function, typed from its inputs. */
export type CcipReadArguments<signature extends string> =
  FunctionOf<signature> extends infer fn extends AbiFunction
    ? PrimitiveTypes<fn["inputs"]>
    : readonly unknown[];

/** A handler gets the arguments, decoded once, and returns the ABI values of the outputs, or raw hex. */
export type CcipReadHandler<signature extends string = string> = (
  args: CcipReadArguments<signature>,
  request: CcipReadRequest,
) => Promise<readonly unknown[] | Hex> | readonly unknown[] | Hex;

/**
 * A handler's answer cache, asked before anything is decoded (the cache-hit path). It sees the
 * request as sent (not yet validated or lower-cased), so it must only hold answers put under
 * validated, lower-cased requests: then a hit can only be such a request.
 */
export type CcipReadCachedAnswer = (
  request: CcipReadRequest,
) => Promise<Hex | undefined> | Hex | undefined;

/** Options of `createCcipReadRouter`. */
export type CcipReadRouterOptions = {
  /** Largest accepted POST body or GET calldata, in bytes of hex text (default 64 KiB). */
  maxBodyBytes?: number | undefined;
  /** Headers added to every answer (the gateway adds CORS), besides the JSON content type. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** The Response class of answers (Node passes srvx's `FastResponse`; default: the global). */
  Response?: (new (body: string, init: ResponseInit) => Response) | undefined;
};

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const NOT_A_ROUTE = "not found: use GET /:sender/:data or POST / (EIP-3668)";

/**
 * An EIP-3668 gateway router, with the interface of `@ensdomains/ccip-read-router`
 * (`add({ type, handle })`, `call({ to, data })`, `fetch`), which the registry here lacks.
 * Serves `GET /:sender/:data` (an optional `.json` suffix is ignored) and `POST /` with
 * `{ sender, data }`. Each request is read once: its path sliced once (no URL object), its
 * callData ABI-decoded once, and the handler gets the typed arguments (as ENS's offchain-resolver
 * gateway does). Bad input is a 4xx `{ message }`; only an unexpected failure is a 500.
 */
export function createCcipReadRouter(options: CcipReadRouterOptions = {}) {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const ResponseClass = options.Response ?? Response;
  const headers = { "content-type": "application/json; charset=utf-8", ...options.headers };
  const handlers = new Map<
    string,
    {
      fn: AbiFunction;
      handle: (args: readonly unknown[], request: CcipReadRequest) => ReturnType<CcipReadHandler>;
      cached: CcipReadCachedAnswer | undefined;
    }
  >();

  /**
   * Registers a handler for a function signature, e.g. `function text(bytes32,string) view
   * returns (string)`; `cached`, if given, may answer before the callData is decoded.
   */
  const add = <const signature extends string>({
    type,
    handle,
    cached,
  }: {
    type: signature;
    handle: CcipReadHandler<signature>;
    cached?: CcipReadCachedAnswer | undefined;
  }) => {
    const fn = parseAbiItem(
      type.startsWith("function ") ? type : `function ${type}`,
    ) as AbiFunction;
    const selector = toFunctionSelector(fn);
    if (handlers.has(selector)) throw new Error(`A handler for ${selector} already exists`);
    // The arguments are decoded with `fn`, the ABI item `signature` parses to: they have its types.
    handlers.set(selector, { fn, handle: handle as never, cached });
  };

  /**
   * Answers one request without HTTP (what `fetch` calls after reading the request). A hit of a
   * synchronous `cached` hook is answered synchronously: the cache-hit path makes no promise.
   */
  const call = (request: CcipReadRequest): CcipReadResponse | Promise<CcipReadResponse> => {
    let hit: ReturnType<CcipReadCachedAnswer>;
    try {
      // A handler's cache holds only validated, lower-cased requests: a hit needs no checks.
      hit = handlers.get(request.data.slice(0, 10))?.cached?.(request);
    } catch (error) {
      return toErrorResponse(error);
    }
    if (typeof hit === "string") return { status: 200, body: { data: hit } };
    if (hit === undefined) return decodeAndHandle(request);
    return hit.then(
      (data) => (data === undefined ? decodeAndHandle(request) : { status: 200, body: { data } }),
      toErrorResponse,
    );
  };

  /** Validates the request, decodes its callData once, and runs the handler on the arguments. */
  const decodeAndHandle = async ({
    to,
    data: rawData,
  }: CcipReadRequest): Promise<CcipReadResponse> => {
    try {
      if (!isAddress(to, { strict: false }))
        throw new BadRequestError(`sender ${String(to)} is not an address`);
      // One hex grammar (lib `normalizeHexBytes`): any case, whole bytes; handlers see lower case.
      const data = normalizeHexBytes(rawData);
      if (data === undefined || data.length < 10)
        throw new BadRequestError("data must be 0x-hex of at least 4 bytes");
      const selector = data.slice(0, 10);
      const handler = handlers.get(selector);
      if (!handler) throw new BadRequestError(`no handler for function selector ${selector}`, 404);
      // A malformed argument is a 400 naming it (viem's decoder would not, or would accept it).
      const malformed = findMalformedArgument(handler.fn, data);
      if (malformed)
        throw new BadRequestError(`${malformed.field}: ${malformed.reason}`, 400, malformed.field);
      let args: readonly unknown[];
      try {
        args = decodeFunctionData({ abi: [handler.fn], data }).args ?? [];
      } catch {
        throw new BadRequestError(`arguments of ${handler.fn.name} do not decode`);
      }
      const result = await handler.handle(args, { to, data });
      const encoded: Hex =
        typeof result === "string"
          ? (result as Hex)
          : encodeFunctionResult({
              abi: [handler.fn],
              functionName: handler.fn.name,
              result: result.length === 1 ? result[0] : result,
            } as never);
      return { status: 200, body: { data: encoded } };
    } catch (error) {
      return toErrorResponse(error);
    }
  };

  /** An answer as an HTTP response; `{ data }` is written by hand (`Response.json` costs more). */
  const respond = ({ status, body }: CcipReadResponse, extraHeaders?: HeadersInit): Response =>
    new ResponseClass("data" in body ? `{"data":"${body.data}"}` : JSON.stringify(body), {
      status,
      headers: extraHeaders ? { ...headers, ...extraHeaders } : headers,
    });
  const answer = (request: CcipReadRequest): Response | Promise<Response> => {
    const response = call(request);
    return response instanceof Promise ? response.then(respond) : respond(response);
  };

  /**
   * Answers `request` when `path` (its URL path, see `pathOf`) is a CCIP-Read route, else
   * returns `undefined` (so a host app can route it elsewhere). A GET cache hit is synchronous.
   */
  const handle = (request: Request, path: string): Response | Promise<Response> | undefined => {
    if (request.method === "POST") return path === "/" ? handlePost(request) : undefined;
    if (request.method !== "GET") return undefined;
    // Exactly two non-empty segments, `/sender/data` (a trailing slash is allowed).
    const end = path.length > 1 && path.endsWith("/") ? path.length - 1 : path.length;
    const slash = path.indexOf("/", 1);
    const next = slash < 0 ? -1 : path.indexOf("/", slash + 1);
    if (slash < 2 || slash >= end - 1 || (next !== -1 && next < end)) return undefined;
    const to = path.slice(1, slash) as Address;
    let data = path.slice(slash + 1, end);
    if (data.endsWith(".json")) data = data.slice(0, -5);
    if (data.length > maxBodyBytes)
      return respond(toErrorResponse(new BadRequestError("calldata is too large", 413)));
    return answer({ to, data: data as Hex });
  };

  /** `POST /` with a JSON `{ sender, data }` body. */
  const handlePost = async (request: Request): Promise<Response> => {
    let body: unknown;
    try {
      const text = await readBodyWithLimit(request, maxBodyBytes);
      try {
        body = JSON.parse(text);
      } catch {
        throw new BadRequestError("body must be JSON {sender, data}");
      }
      if (typeof body !== "object" || body === null)
        throw new BadRequestError("body must be JSON {sender, data}");
    } catch (error) {
      // A body cut off mid-stream is never read to its end: the connection is closed after the 413.
      return respond(
        toErrorResponse(error),
        error instanceof BodyTooLargeError ? { connection: "close" } : undefined,
      );
    }
    const { sender, data } = body as { sender?: unknown; data?: unknown };
    if (typeof sender !== "string" || typeof data !== "string")
      return respond(toErrorResponse(new BadRequestError("sender and data are required")));
    return answer({ to: sender as Address, data: data as Hex });
  };

  /** The router alone as a fetch handler: CCIP-Read routes, and a JSON 404 for anything else. */
  const fetch = async (request: Request): Promise<Response> =>
    (await handle(request, pathOf(request.url))) ??
    respond({ status: 404, body: { message: NOT_A_ROUTE } });

  return { add, call, handle, fetch, respond };
}

/**
 * The path of a request URL (`/a/b` of `https://host/a/b?x`), sliced by hand: the one parse of
 * the URL on the lookup path (the URL of a fetch `Request` is always absolute).
 */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  // A query string or fragment is ignored (a fragment always follows the query).
  let end = url.indexOf("?", start);
  if (end < 0) end = url.indexOf("#", start);
  return end < 0 ? url.slice(start) : url.slice(start, end);
}

/**
 * Reads a request body as text, refusing more than `limit` bytes (413) while it streams: a
 * declared length over the limit is refused before any byte is read, and a chunked body is cut
 * off at the chunk that crosses the limit (never read to its end).
 */
async function readBodyWithLimit(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw new BodyTooLargeError();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      // The client went away mid-body: not a failure of the gateway (nobody reads the answer).
      throw new BadRequestError("request body was aborted by the client");
    }
    const { done, value } = next;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stop reading; the rest is never consumed (the 413 closes the connection).
      reader.releaseLock();
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** A body over the limit: 413, and the connection is closed after the answer (`connection: close`). */
class BodyTooLargeError extends BadRequestError {
  override name = "BodyTooLargeError";
  constructor() {
    super("request body is too large", 413);
  }
}

/** Maps any thrown value to a JSON error: 4xx for our typed errors, 500 for anything else. */
function toErrorResponse(error: unknown): CcipReadResponse {
  if (error instanceof GatewayHttpError)
    return {
      status: error.status,
      body:
        error instanceof BadRequestError && error.field !== undefined
          ? { message: error.shortMessage, field: error.field }
          : { message: error.shortMessage },
    };
  if (error instanceof EnsgateError) return { status: 400, body: { message: error.shortMessage } };
  // A real internal failure: log it for the operator, never leak its details to the client.
  console.error("ensgate gateway: internal error", error);
  return { status: 500, body: { message: "internal error" } };
}

/** `toErrorResponse` as an HTTP response (the gateway's last resort, and config errors on Workers). */
export function errorResponse(error: unknown): Response {
  const { status, body } = toErrorResponse(error);
  return Response.json(body, { status });
}
