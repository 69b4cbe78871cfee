import { type IRequest, json, Router, type RouterOptions } from "itty-router";
import {
  type AbiFunction,
  type Address,
  decodeFunctionData,
  encodeFunctionResult,
  type Hex,
  isAddress,
  parseAbiItem,
  toFunctionSelector,
} from "viem";
import { EnsgateError, normalizeHexBytes } from "../lib/index.ts";
import { BadRequestError, GatewayHttpError } from "./errors.ts";

/**
 * An EIP-3668 request: the contract that reverted (`sender`) and the `callData` it asked for.
 * Handlers get `data` lower-cased (hex is read in any case).
 */
export type CcipReadRequest = { to: Address; data: Hex };
/** What a request produced: the HTTP status and the JSON body (`{ data }` or `{ message }`). */
export type CcipReadResponse = { status: number; body: { data: Hex } | { message: string } };

/** A handler gets the decoded arguments and returns the ABI values of the outputs, or raw hex. */
export type CcipReadHandler = (
  args: readonly unknown[],
  request: CcipReadRequest,
) => Promise<readonly unknown[] | Hex> | readonly unknown[] | Hex;

/** Options of `createCcipReadRouter`: itty-router's hooks plus the request body limit. */
export type CcipReadRouterOptions = Pick<RouterOptions, "base" | "before" | "finally"> & {
  /** Largest accepted POST body or GET calldata, in bytes of hex text (default 64 KiB). */
  maxBodyBytes?: number;
};

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * An EIP-3668 gateway router on itty-router, with the interface of `@ensdomains/ccip-read-router`
 * (`add({ type, handle })`, `call({ to, data })`, `fetch`), which the registry here lacks.
 * Serves `GET /:sender/:data` (an optional `.json` suffix is ignored) and `POST /` with
 * `{ sender, data }`. Bad input is a 4xx `{ message }`; only an unexpected failure is a 500.
 */
export function createCcipReadRouter(options: CcipReadRouterOptions = {}) {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const handlers = new Map<Hex, { fn: AbiFunction; handle: CcipReadHandler }>();
  const router = Router<IRequest, [], Response>({
    base: options.base,
    before: options.before,
    finally: options.finally,
    catch: (error) => errorResponse(error),
  });

  /** Registers a handler for a function signature, e.g. `function text(bytes32,string) view returns (string)`. */
  const add = ({ type, handle }: { type: string; handle: CcipReadHandler }) => {
    const fn = parseAbiItem(
      type.startsWith("function ") ? type : `function ${type}`,
    ) as AbiFunction;
    const selector = toFunctionSelector(fn);
    if (handlers.has(selector)) throw new Error(`A handler for ${selector} already exists`);
    handlers.set(selector, { fn, handle });
  };

  /** Answers one request without HTTP (what `fetch` calls after parsing). */
  const call = async ({ to, data: rawData }: CcipReadRequest): Promise<CcipReadResponse> => {
    try {
      if (!isAddress(to, { strict: false }))
        throw new BadRequestError(`sender ${String(to)} is not an address`);
      // One hex grammar (lib `normalizeHexBytes`): any case, whole bytes; handlers see lower case.
      const data = normalizeHexBytes(rawData);
      if (data === undefined || data.length < 10)
        throw new BadRequestError("data must be 0x-hex of at least 4 bytes");
      const selector = data.slice(0, 10) as Hex;
      const handler = handlers.get(selector);
      if (!handler) throw new BadRequestError(`no handler for function selector ${selector}`, 404);
      let args: readonly unknown[];
      try {
        args = decodeFunctionData({ abi: [handler.fn], data }).args ?? [];
      } catch {
        throw new BadRequestError(`arguments of ${handler.fn.name} do not decode`);
      }
      const result = await handler.handle(args, { to, data });
      const encoded =
        typeof result === "string"
          ? result
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

  const handleRequest = async (request: IRequest) => {
    let to: unknown;
    let data: unknown;
    if (request.method === "GET") {
      to = request.params.sender;
      data = String(request.params.data ?? "").replace(/\.json$/, "");
      if ((data as string).length > maxBodyBytes)
        throw new BadRequestError("calldata is too large", 413);
    } else {
      const text = await readBodyWithLimit(request, maxBodyBytes);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new BadRequestError("body must be JSON {sender, data}");
      }
      if (typeof body !== "object" || body === null)
        throw new BadRequestError("body must be JSON {sender, data}");
      ({ sender: to, data } = body as { sender?: unknown; data?: unknown });
    }
    if (typeof to !== "string" || typeof data !== "string")
      throw new BadRequestError("sender and data are required");
    const response = await call({ to: to as Address, data: data as Hex });
    return json(response.body, { status: response.status });
  };

  router.get("/:sender/:data", handleRequest);
  router.post("/", handleRequest);
  router.all("*", () =>
    json({ message: "not found: use GET /:sender/:data or POST / (EIP-3668)" }, { status: 404 }),
  );
  return { add, call, fetch: router.fetch, router };
}

/** Reads a request body as text, refusing more than `limit` bytes (413). */
async function readBodyWithLimit(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw new BadRequestError("request body is too large", 413);
  const text = await request.text();
  if (text.length > limit) throw new BadRequestError("request body is too large", 413);
  return text;
}

/** Maps any thrown value to a JSON error: 4xx for our typed errors, 500 for anything else. */
function toErrorResponse(error: unknown): CcipReadResponse {
  if (error instanceof GatewayHttpError)
    return { status: error.status, body: { message: error.shortMessage } };
  if (error instanceof EnsgateError) return { status: 400, body: { message: error.shortMessage } };
  // A real internal failure: log it for the operator, never leak its details to the client.
  console.error("ensgate gateway: internal error", error);
  return { status: 500, body: { message: "internal error" } };
}

/** `toErrorResponse` as an HTTP response (used by the router's catch hook). */
export function errorResponse(error: unknown): Response {
  const { status, body } = toErrorResponse(error);
  return json(body, { status });
}
