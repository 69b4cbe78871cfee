import { EnsgateError } from "../lib/index.ts";
import {
  type ContentRoot,
  formatIpnsName,
  parseContentRoot,
  parseIpnsName,
} from "./contentRoot.ts";
import type { IpfsReader } from "./embeddedIpfs.ts";
import {
  InvalidContentRootError,
  InvalidIpfsPathError,
  IpfsBlockNotFoundError,
  IpfsNotAFileError,
  IpnsNotFoundError,
} from "./errors.ts";
import { buildPathCar, CAR_CONTENT_TYPE } from "./pathCar.ts";
import { IPNS_RECORD_MEDIA_TYPE, RAW_BLOCK_MEDIA_TYPE } from "./remotePublish.ts";
import { type FetchHandler, startFetchServer } from "./serveFetch.ts";

export type { FetchHandler };

/** Options of `startPathGateway`. */
export type PathGatewayOptions = {
  /** The node whose content is served. */
  ipfs: IpfsReader;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
};

/** A running gateway: its base URL (`http://127.0.0.1:<port>`) and a `close()` freeing the port. */
export type PathGateway = {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
};

/** The media type of a raw block (trustless gateway, `?format=raw`). */
export const RAW_BLOCK_CONTENT_TYPE = RAW_BLOCK_MEDIA_TYPE;
/** The media type of a signed IPNS record (trustless gateway and delegated routing). */
export const IPNS_RECORD_CONTENT_TYPE = IPNS_RECORD_MEDIA_TYPE;

const CONTENT_TYPES: Record<string, string> = {
  json: "application/json",
  txt: "text/plain; charset=utf-8",
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type, Range, User-Agent, X-Requested-With",
  "Access-Control-Expose-Headers": "Content-Length, Content-Type, X-Ipfs-Path, X-Ipfs-Roots, Etag",
};

type Format = "file" | "raw" | "car" | "ipns-record";

/** The request's target: an IPFS/IPNS root and a path inside it, or a delegated-routing lookup. */
type Target =
  | { kind: "content"; root: ContentRoot; rootText: string; path: string[] }
  | { kind: "routing-ipns"; name: string };

class HttpError extends EnsgateError {
  override name = "HttpError";
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function contentTypeOf(path: string[]): string {
  const file = path.at(-1) ?? "";
  const dot = file.lastIndexOf(".");
  return (
    (dot >= 0 && CONTENT_TYPES[file.slice(dot + 1).toLowerCase()]) || "application/octet-stream"
  );
}

function decodeSegments(pathname: string): string[] {
  const segments = pathname.split("/").filter((segment) => segment !== "");
  try {
    return segments.map((segment) => decodeURIComponent(segment));
  } catch {
    throw new HttpError(400, `Bad percent-encoding in ${pathname}`);
  }
}

/** Reads the target from the Host header (subdomain style) or else from the path (path style). */
function parseTarget(url: URL): Target {
  const segments = decodeSegments(url.pathname);
  const subdomain = /^([^.]+)\.(ipfs|ipns)\.[^.]/.exec(url.hostname);
  if (subdomain) {
    const [, rootText, namespace] = subdomain as unknown as [string, string, "ipfs" | "ipns"];
    return { kind: "content", root: parseRoot(namespace, rootText), rootText, path: segments };
  }
  const [first, second, third, fourth, ...rest] = segments;
  if (first === "routing" && second === "v1" && third === "ipns" && fourth && rest.length === 0) {
    return { kind: "routing-ipns", name: fourth };
  }
  if ((first === "ipfs" || first === "ipns") && second) {
    const path = [third, fourth, ...rest].filter((segment) => segment !== undefined);
    return { kind: "content", root: parseRoot(first, second), rootText: second, path };
  }
  throw new HttpError(
    404,
    "Not found: use /ipfs/<cid>/<path>, /ipns/<name>/<path> or /routing/v1/ipns/<name>",
  );
}

function parseRoot(namespace: "ipfs" | "ipns", text: string): ContentRoot {
  const root = parseContentRoot(`/${namespace}/${text}`);
  if (namespace === "ipns" && root.kind !== "ipns")
    throw new InvalidContentRootError(text, "IPNS name");
  return root;
}

/** The representation asked for by `?format=` (which wins) or the Accept header. */
function requestedFormat(request: Request, url: URL): Format {
  const format = url.searchParams.get("format");
  if (format !== null) {
    if (format === "raw") return "raw";
    if (format === "ipns-record") return "ipns-record";
    if (format === "car") return "car";
    throw new HttpError(
      400,
      `Unsupported format "${format}": this gateway serves raw, car and ipns-record`,
    );
  }
  const accept = request.headers.get("accept") ?? "";
  if (accept.includes(RAW_BLOCK_CONTENT_TYPE)) return "raw";
  if (accept.includes(IPNS_RECORD_CONTENT_TYPE)) return "ipns-record";
  if (accept.includes(CAR_CONTENT_TYPE)) return "car";
  return "file";
}

function respond(
  request: Request,
  status: number,
  body: Uint8Array | string,
  headers: Record<string, string>,
): Response {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const allHeaders = { ...CORS_HEADERS, "Content-Length": String(bytes.length), ...headers };
  const payload = request.method === "HEAD" ? null : (bytes as Uint8Array<ArrayBuffer>);
  return new Response(payload, { status, headers: allHeaders });
}

function textResponse(request: Request, status: number, message: string): Response {
  return respond(request, status, `${message}\n`, { "Content-Type": "text/plain; charset=utf-8" });
}

async function serveIpnsRecord(
  request: Request,
  ipfs: IpfsReader,
  name: string,
): Promise<Response> {
  const ipnsName = formatIpnsName(parseIpnsName(name));
  const record = await ipfs.getIpnsRecord(ipnsName);
  if (record === undefined) return textResponse(request, 404, `No IPNS record for ${ipnsName}`);
  return respond(request, 200, record, {
    "Content-Type": IPNS_RECORD_CONTENT_TYPE,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
  });
}

async function serveContent(
  request: Request,
  ipfs: IpfsReader,
  target: Extract<Target, { kind: "content" }>,
  format: Format,
): Promise<Response> {
  const { root, path } = target;
  if (format === "ipns-record") {
    if (root.kind !== "ipns" || path.length > 0)
      throw new HttpError(400, "format=ipns-record needs a bare /ipns/<name>");
    return serveIpnsRecord(request, ipfs, formatIpnsName(root.name));
  }
  if (format === "raw") {
    if (root.kind !== "ipfs" || path.length > 0)
      throw new HttpError(400, "format=raw needs a bare /ipfs/<cid>");
    const block = await ipfs.getBlock(root.cid);
    if (block === undefined)
      return textResponse(request, 404, `Block ${root.cid} is not on this node`);
    return respond(request, 200, block, {
      "Content-Type": RAW_BLOCK_CONTENT_TYPE,
      "Cache-Control": "public, max-age=29030400, immutable",
      Etag: `"${root.cid}.raw"`,
      "X-Ipfs-Path": `/ipfs/${root.cid}`,
      "X-Content-Type-Options": "nosniff",
    });
  }
  if (format === "car") {
    if (root.kind !== "ipfs") throw new HttpError(400, "format=car needs an /ipfs/<cid> path");
    const car = await buildPathCar((cid) => ipfs.getBlock(cid), root.cid, path);
    return respond(request, 200, car, {
      "Content-Type": `${CAR_CONTENT_TYPE}; version=1`,
      "Cache-Control": "public, max-age=29030400, immutable",
      "X-Ipfs-Path": ["", "ipfs", root.cid, ...path].join("/"),
      "X-Content-Type-Options": "nosniff",
    });
  }
  const namespacePath = `/${root.kind}/${root.kind === "ipfs" ? root.cid : formatIpnsName(root.name)}`;
  const rootArgument = root.kind === "ipfs" ? root.cid : formatIpnsName(root.name);
  const bytes = await ipfs.readFile(rootArgument, path.join("/"));
  const fullPath = [namespacePath, ...path].join("/");
  if (bytes === undefined) return textResponse(request, 404, `No file at ${fullPath}`);
  return respond(request, 200, bytes, {
    "Content-Type": contentTypeOf(path),
    "X-Ipfs-Path": fullPath,
    ...(root.kind === "ipfs"
      ? { "Cache-Control": "public, max-age=29030400, immutable" }
      : { "Cache-Control": "no-cache" }),
  });
}

/** Maps a failure to an HTTP status: 400 for bad input, 404 for absent content, 500 otherwise. */
function errorResponse(request: Request, error: unknown): Response {
  if (error instanceof HttpError) return textResponse(request, error.status, error.shortMessage);
  if (error instanceof InvalidContentRootError || error instanceof InvalidIpfsPathError) {
    return textResponse(request, 400, error.shortMessage);
  }
  if (
    error instanceof IpnsNotFoundError ||
    error instanceof IpfsBlockNotFoundError ||
    error instanceof IpfsNotAFileError
  ) {
    return textResponse(request, 404, error.shortMessage);
  }
  const message = error instanceof EnsgateError ? error.shortMessage : "Internal gateway error";
  return textResponse(request, 500, message);
}

/**
 * A fetch handler that behaves like a public IPFS HTTP gateway for files (path and subdomain style)
 * plus the trustless endpoints `/ipfs/<cid>?format=raw` and `/routing/v1/ipns/<name>`.
 */
export function createPathGatewayHandler(ipfs: IpfsReader): FetchHandler {
  return async (request) => {
    if (request.method === "OPTIONS")
      return new Response(null, { status: 204, headers: CORS_HEADERS });
    if (request.method !== "GET" && request.method !== "HEAD") {
      return textResponse(request, 405, `Method ${request.method} not allowed: use GET or HEAD`);
    }
    try {
      const url = new URL(request.url);
      const target = parseTarget(url);
      if (target.kind === "routing-ipns") return await serveIpnsRecord(request, ipfs, target.name);
      return await serveContent(request, ipfs, target, requestedFormat(request, url));
    } catch (error) {
      return errorResponse(request, error);
    }
  };
}

/** Starts the gateway on a free port (unless `port` is given) of 127.0.0.1 (unless `host` is given). */
export async function startPathGateway(options: PathGatewayOptions): Promise<PathGateway> {
  return startFetchServer(createPathGatewayHandler(options.ipfs), {
    port: options.port,
    host: options.host,
  });
}
