// The CA's public HTTP endpoint (`ensgate ca run --http-port`):
//
//   GET  /crl/<issuer>.crl            the issuer's CRL, DER (application/pkix-crl); named in every
//                                     certificate's CRL Distribution Points
//   GET  /renewal-info/<ARI cert id>  the certificate's renewal window (ACME ARI's JSON)
//   POST /revoke                      an owner revokes their own certificate (JSON body below)
//   GET  /log/...                     the transparency log's static files, when the CA keeps one
//
// Every error is JSON `{ "error": "..." }` with a 4xx status. The endpoint holds no secret: CRLs
// and the log are signed, and a revocation needs the owner's signature.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join, normalize, sep } from "node:path";
import {
  type Address,
  getAddress,
  type Hex,
  isAddress,
  isAddressEqual,
  type PublicClient,
  recoverMessageAddress,
} from "viem";
import { describeNameContextError, readNameContext } from "../client/chain.ts";
import {
  buildRevocationMessage,
  OWNER_REVOCATION_REASONS,
  type RevocationReason,
} from "../lib/certs/index.ts";
import type { CaFolder } from "./caFiles.ts";
import type { Renewer } from "./renewals.ts";
import type { RevocationStore, RevocationWatcher } from "./revocations.ts";
import { crlDir } from "./revocations.ts";

/** What the endpoint serves from. */
export type CaHttpOptions = {
  folder: CaFolder;
  revocations: RevocationStore;
  watcher: RevocationWatcher;
  renewer: Renewer;
  publicClient: Pick<PublicClient, "readContract">;
  resolver: Address;
  chainId: number;
  /** A folder of static transparency-log files served under `/log/`. */
  logDir?: string | undefined;
};

const MAX_BODY_BYTES = 16 * 1024;

/** A revocation request as `POST /revoke` takes it. */
export type RevocationRequest = {
  name: string;
  serialNumber: string;
  owner: Address;
  signature: Hex;
  reason?: RevocationReason;
};

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Starts the endpoint on `port` (0: any free port) on `host`. */
export async function startCaHttp(
  options: CaHttpOptions,
  { port, host = "127.0.0.1" }: { port: number; host?: string },
): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : "internal error";
      if (!(error instanceof HttpError))
        process.stderr.write(`ca http: ${(error as Error).stack}\n`);
      send(response, status, { error: message });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    server,
    url: `http://${host}:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(
  options: CaHttpOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://ca.invalid");
  const path = url.pathname;
  if (request.method === "GET" && path.startsWith("/crl/")) {
    const file = path.slice("/crl/".length);
    if (!/^[a-z0-9.-]+\.crl$/.test(file)) throw new HttpError(400, "a CRL is /crl/<issuer>.crl");
    const full = join(crlDir(options.folder.dir), file);
    if (!existsSync(full)) throw new HttpError(404, `no CRL ${file}`);
    response.writeHead(200, {
      "content-type": "application/pkix-crl",
      "cache-control": "max-age=60",
    });
    response.end(await readFile(full));
    return;
  }
  if (request.method === "GET" && path.startsWith("/renewal-info/")) {
    const id = path.slice("/renewal-info/".length);
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(id))
      throw new HttpError(400, "a renewal-info id is <base64url AKI>.<base64url serial>");
    const window = options.renewer.windowOf(id);
    if (!window) throw new HttpError(404, `no certificate ${id}`);
    response.setHeader("retry-after", "3600");
    send(response, 200, {
      suggestedWindow: { start: window.start.toISOString(), end: window.end.toISOString() },
    });
    return;
  }
  if (request.method === "POST" && path === "/revoke") {
    const body = parseRevocationRequest(await readBody(request));
    await revokeForOwner(options, body);
    send(response, 200, { revoked: body.serialNumber });
    return;
  }
  if (request.method === "GET" && path.startsWith("/log/") && options.logDir) {
    const relative = normalize(decodeURIComponent(path.slice("/log/".length)));
    if (relative.startsWith("..") || relative.includes(`${sep}..`) || relative.startsWith(sep))
      throw new HttpError(400, "bad log path");
    const full = join(options.logDir, relative);
    if (!existsSync(full)) throw new HttpError(404, `no log file ${relative}`);
    response.writeHead(200, {
      "content-type":
        relative === "checkpoint" ? "text/plain; charset=utf-8" : "application/octet-stream",
      "cache-control": relative === "checkpoint" ? "no-cache" : "max-age=31536000, immutable",
    });
    response.end(await readFile(full));
    return;
  }
  throw new HttpError(404, `no route ${request.method} ${path}`);
}

/** Checks the owner's signed request and revokes. */
async function revokeForOwner(options: CaHttpOptions, body: RevocationRequest): Promise<void> {
  const live = options.revocations.live().find((c) => c.serialNumber === body.serialNumber);
  if (!live || live.name !== body.name)
    throw new HttpError(
      404,
      `${body.name} has no live certificate with serial ${body.serialNumber}`,
    );
  const message = buildRevocationMessage({
    name: body.name,
    serialNumber: body.serialNumber,
    chainId: options.chainId,
    certificateAuthority: options.folder.identity.signer,
    owner: body.owner,
  });
  let signer: Address;
  try {
    signer = await recoverMessageAddress({ message, signature: body.signature });
  } catch {
    throw new HttpError(400, "the signature does not recover");
  }
  if (!isAddressEqual(signer, body.owner))
    throw new HttpError(403, `the request is signed by ${signer}, not by ${body.owner}`);
  let owner: Address;
  try {
    owner = (await readNameContext(options.publicClient, options.resolver, body.name)).owner;
  } catch (error) {
    const known = describeNameContextError(body.name, (error as Error).cause);
    if (known) throw new HttpError(409, known);
    throw error;
  }
  if (!isAddressEqual(owner, body.owner))
    throw new HttpError(403, `${body.owner} does not own ${body.name} (its owner is ${owner})`);
  await options.watcher.revoke(body.serialNumber, body.reason ?? "unspecified");
}

function parseRevocationRequest(text: string): RevocationRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
  const body = value as Partial<Record<keyof RevocationRequest, unknown>>;
  if (typeof value !== "object" || value === null)
    throw new HttpError(400, "the body is not a JSON object");
  if (typeof body.name !== "string" || body.name === "")
    throw new HttpError(400, '"name" is required');
  if (typeof body.serialNumber !== "string" || !/^[0-9a-f]{1,40}$/.test(body.serialNumber))
    throw new HttpError(400, '"serialNumber" must be lowercase hex');
  if (typeof body.owner !== "string" || !isAddress(body.owner, { strict: false }))
    throw new HttpError(400, '"owner" must be an address');
  if (typeof body.signature !== "string" || !/^0x[0-9a-fA-F]{130}$/.test(body.signature))
    throw new HttpError(400, '"signature" must be a 65-byte 0x-hex signature');
  if (
    body.reason !== undefined &&
    !(OWNER_REVOCATION_REASONS as readonly unknown[]).includes(body.reason)
  )
    throw new HttpError(400, `"reason" must be one of ${OWNER_REVOCATION_REASONS.join(", ")}`);
  return {
    name: body.name,
    serialNumber: body.serialNumber,
    owner: getAddress(body.owner),
    signature: body.signature as Hex,
    reason: body.reason as RevocationReason | undefined,
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { "content-type": "application/json" });
  response.end(`${JSON.stringify(body)}\n`);
}
