// Publishing without a local daemon: the signed IPNS record goes to a Delegated Routing V1 HTTP
// endpoint (`PUT /routing/v1/ipns/<name>`), and the tree's blocks to a pinning service as a CAR.
//
// How the blocks reach a pinning service: the IPFS Pinning Service API (`POST /pins`) pins by CID
// and expects the service to fetch the blocks from the network (`origins` are libp2p multiaddrs
// of peers that have them). This process has no libp2p node, so the blocks are uploaded first as
// one CARv1 to `POST <service>/car` (`Content-Type: application/vnd.ipld.car`, the CAR upload
// endpoint common pinning providers offer next to the Pinning Service API), and then pinned with
// a standard `POST <service>/pins` for the root, polled with `GET /pins/<requestid>` until the
// service reports `pinned` (or `failed`). Both requests carry the bearer token.
import { CarWriter } from "@ipld/car";
import * as dagPb from "@ipld/dag-pb";
import type { CID } from "multiformats/cid";
import { describeError } from "../lib/errors/base.ts";
import { concatBytes } from "./bytes.ts";
import {
  BlockMismatchError,
  IpfsBlockNotFoundError,
  PinRejectedError,
  RemotePublishError,
} from "./errors.ts";
import { sendIpnsRecord, verifyIpnsRecord } from "./ipnsRecords.ts";
import { checkBlock } from "./verifyBlock.ts";

export const IPNS_RECORD_MEDIA_TYPE = "application/vnd.ipfs.ipns-record";
export const CAR_MEDIA_TYPE = "application/vnd.ipld.car";
export const RAW_BLOCK_MEDIA_TYPE = "application/vnd.ipld.raw";

/**
 * A CARv1 of every block of the DAG under `root` (depth first, each block once). With `held`, a
 * block the receiver already holds (the unchanged part of an edited tree) is neither written nor
 * descended into: the CAR carries only what changed.
 */
export async function exportDagCar(
  getBlock: (cid: CID) => Promise<Uint8Array | undefined>,
  root: CID,
  options: { held?: (cid: CID) => boolean } = {},
): Promise<{ car: Uint8Array; blocks: number }> {
  const { writer, out } = CarWriter.create([root]);
  const chunks: Uint8Array[] = [];
  const collected = (async () => {
    for await (const chunk of out) chunks.push(chunk);
  })();
  const seen = new Set<string>();
  const pending: CID[] = [root];
  while (pending.length > 0) {
    const cid = pending.pop() as CID;
    const key = cid.toString();
    if (seen.has(key) || options.held?.(cid)) continue;
    seen.add(key);
    const bytes = await getBlock(cid);
    if (bytes === undefined) throw new IpfsBlockNotFoundError(`block ${cid}`);
    await writer.put({ cid, bytes });
    if (cid.code === dagPb.code)
      for (const link of dagPb.decode(bytes).Links) pending.push(link.Hash);
  }
  await writer.close();
  await collected;
  const car = concatBytes(chunks);
  return { car, blocks: seen.size };
}

type Fetch = typeof fetch;

/** A service's refusal: its status and the start of its body. */
type Refusal = { status: number; body: string };

async function send(
  doFetch: Fetch,
  what: string,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  refused: (message: string, refusal: Refusal) => Error = (message, { status }) =>
    new RemotePublishError(message, { status }),
): Promise<Response> {
  let response: Response;
  try {
    response = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new RemotePublishError(`${what}: ${url} is unreachable (${describeError(error)})`, {
      cause: error,
    });
  }
  if (!response.ok) {
    const body = (await response.text().catch(() => "")).slice(0, 300).trim();
    throw refused(`${what}: ${url} answered HTTP ${response.status}${body ? ` (${body})` : ""}`, {
      status: response.status,
      body,
    });
  }
  return response;
}

/** The reason in a Pinning Service API error body (`{"error":{"reason","details"}}`), else the body. */
function pinningReason(body: string): string {
  try {
    const error = (JSON.parse(body) as { error?: { reason?: unknown; details?: unknown } }).error;
    if (typeof error?.reason === "string")
      return typeof error.details === "string" && error.details !== ""
        ? `${error.reason}: ${error.details}`
        : error.reason;
  } catch {}
  return body === "" ? "no reason given" : body;
}

const pinRefused = (message: string, { status, body }: Refusal) =>
  new PinRejectedError(message, pinningReason(body), { status });

/** Sends a signed IPNS record through the Delegated Routing V1 HTTP API. */
export async function putIpnsRecord(parameters: {
  routingUrl: string;
  name: string;
  record: Uint8Array;
  fetch?: Fetch;
  timeoutMs?: number;
}): Promise<void> {
  const url = new URL(`/routing/v1/ipns/${parameters.name}`, parameters.routingUrl).href;
  const response = await send(
    parameters.fetch ?? fetch,
    "IPNS record",
    url,
    {
      method: "PUT",
      headers: { "content-type": IPNS_RECORD_MEDIA_TYPE },
      body: parameters.record as Uint8Array<ArrayBuffer>,
    },
    parameters.timeoutMs ?? 30_000,
  );
  await response.body?.cancel();
}

/**
 * The record a Delegated Routing V1 endpoint holds for `name` (`GET /routing/v1/ipns/<name>`),
 * verified for the name; undefined when it answers 404 (no record yet).
 */
export async function fetchIpnsRecord(parameters: {
  routingUrl: string;
  name: string;
  fetch?: Fetch;
  timeoutMs?: number;
}): Promise<{ bytes: Uint8Array; sequence: bigint; value: string } | undefined> {
  const url = new URL(`/routing/v1/ipns/${parameters.name}`, parameters.routingUrl).href;
  let response: Response;
  try {
    response = await send(
      parameters.fetch ?? fetch,
      "IPNS record",
      url,
      // no-store: a cached record would sign the next sequence from a stale one.
      { headers: { accept: IPNS_RECORD_MEDIA_TYPE }, cache: "no-store" },
      parameters.timeoutMs ?? 30_000,
    );
  } catch (error) {
    if (error instanceof RemotePublishError && error.status === 404) return undefined;
    throw error;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const record = await verifyIpnsRecord(parameters.name, bytes);
  return { bytes, sequence: record.sequence, value: record.value };
}

/**
 * One block from a trustless gateway (`GET /ipfs/<cid>?format=raw`), checked against its CID:
 * a block that does not hash to it throws `BlockMismatchError`, one the gateway lacks
 * `IpfsBlockNotFoundError`.
 */
export async function fetchRawBlock(parameters: {
  gatewayUrl: string;
  cid: CID;
  fetch?: Fetch;
  timeoutMs?: number;
}): Promise<Uint8Array> {
  const url = new URL(`/ipfs/${parameters.cid}?format=raw`, parameters.gatewayUrl).href;
  let response: Response;
  try {
    response = await send(
      parameters.fetch ?? fetch,
      "block",
      url,
      { headers: { accept: RAW_BLOCK_MEDIA_TYPE } },
      parameters.timeoutMs ?? 30_000,
    );
  } catch (error) {
    if (error instanceof RemotePublishError && error.status === 404)
      throw new IpfsBlockNotFoundError(`block ${parameters.cid} (at ${parameters.gatewayUrl})`);
    throw error;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const check = await checkBlock(parameters.cid, bytes);
  if (check !== "match") throw new BlockMismatchError(parameters.cid.toString(), url);
  return bytes;
}

/**
 * Sends a record of `sequence` through `putIpnsRecord`; when the service refuses it and holds a
 * record at or above that sequence (another publish came in between), throws
 * `IpnsSequenceConflictError` instead of the bare refusal.
 */
export async function putIpnsRecordChecked(parameters: {
  routingUrl: string;
  name: string;
  record: Uint8Array;
  sequence: bigint;
  fetch?: Fetch;
  timeoutMs?: number;
}): Promise<void> {
  await sendIpnsRecord({
    name: parameters.name,
    sequence: parameters.sequence,
    put: () => putIpnsRecord(parameters),
    readHeld: () => fetchIpnsRecord(parameters),
  });
}

/** A pin request's status (IPFS Pinning Service API `PinStatus`). */
type PinStatus = {
  requestid: string;
  status: "queued" | "pinning" | "pinned" | "failed";
  info?: Record<string, string>;
};

/** Uploads a tree as a CAR to a pinning service, pins its root and waits until it is pinned. */
export async function pinCar(parameters: {
  serviceUrl: string;
  /** Bearer token; none is sent when undefined (a devnet service needs none). */
  token?: string;
  root: CID;
  car: Uint8Array;
  name: string;
  fetch?: Fetch;
  timeoutMs?: number;
  pollMs?: number;
}): Promise<{ requestid: string }> {
  const doFetch = parameters.fetch ?? fetch;
  const timeoutMs = parameters.timeoutMs ?? 120_000;
  const authorization: Record<string, string> =
    parameters.token === undefined ? {} : { authorization: `Bearer ${parameters.token}` };
  const base = parameters.serviceUrl.endsWith("/")
    ? parameters.serviceUrl
    : `${parameters.serviceUrl}/`;
  const upload = await send(
    doFetch,
    "CAR upload",
    new URL("car", base).href,
    {
      method: "POST",
      headers: { ...authorization, "content-type": CAR_MEDIA_TYPE },
      body: parameters.car as Uint8Array<ArrayBuffer>,
    },
    timeoutMs,
    pinRefused,
  );
  await upload.body?.cancel();
  const pinned = await send(
    doFetch,
    "pin request",
    new URL("pins", base).href,
    {
      method: "POST",
      headers: { ...authorization, "content-type": "application/json" },
      body: JSON.stringify({ cid: parameters.root.toString(), name: parameters.name }),
    },
    timeoutMs,
    pinRefused,
  );
  let status = (await pinned.json()) as PinStatus;
  const deadline = Date.now() + timeoutMs;
  while (status.status !== "pinned") {
    if (status.status === "failed") {
      const reason = status.info?.status_details ?? "the service reported the pin failed";
      throw new PinRejectedError(
        `pin request: ${base} failed to pin ${parameters.root} (${reason})`,
        reason,
      );
    }
    if (Date.now() > deadline)
      throw new RemotePublishError(
        `pin request: ${parameters.root} still ${status.status} after ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, parameters.pollMs ?? 250));
    const polled = await send(
      doFetch,
      "pin status",
      new URL(`pins/${encodeURIComponent(status.requestid)}`, base).href,
      { headers: authorization },
      timeoutMs,
      pinRefused,
    );
    status = (await polled.json()) as PinStatus;
  }
  return { requestid: status.requestid };
}
