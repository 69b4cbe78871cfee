// The HTTP endpoints a publisher without a daemon needs, in front of one block and record store:
// - Delegated Routing V1: `GET /routing/v1/ipns/{name}` and `PUT /routing/v1/ipns/{name}`. A PUT
//   must carry a record that verifies for the name (signature, EOL) and whose sequence is above
//   the stored one; anything else gets the protocol's 400 with a JSON reason.
// - Trustless gateway reads: `GET /ipfs/{cid}?format=raw` (or `Accept: application/vnd.ipld.raw`)
//   and `GET /ipns/{name}?format=ipns-record`.
// - A pinning service: `POST /car` (a CARv1; every block must hash to its CID) and the IPFS
//   Pinning Service API `POST /pins` + `GET /pins/{requestid}` (a pin fails when a block under
//   the root is in neither the store nor an upload), with an optional bearer token.
// Every answer carries open CORS headers: a web app publishes from the browser. The devnet
// (`ensgate dev`) serves it over its embedded store; the tests serve it over in-memory maps.
import { CarBlockIterator } from "@ipld/car";
import * as dagPb from "@ipld/dag-pb";
import { unmarshalIPNSRecord } from "ipns";
import { CID } from "multiformats/cid";
import { describeError } from "../lib/errors/base.ts";
import { parseCid, parseIpnsName } from "./contentRoot.ts";
import { verifyIpnsRecord } from "./ipnsRecords.ts";
import { CAR_MEDIA_TYPE, IPNS_RECORD_MEDIA_TYPE, RAW_BLOCK_MEDIA_TYPE } from "./remotePublish.ts";
import { type FetchHandler, type FetchServer, startFetchServer } from "./serveFetch.ts";
import { checkBlock } from "./verifyBlock.ts";

/** An IPNS record may not exceed 10 KiB (IPNS spec). */
const MAX_IPNS_RECORD_BYTES = 10 * 1024;

/** What the endpoints read and write. */
export type PublishEndpointsStore = {
  getIpnsRecord(name: string): Promise<Uint8Array | undefined>;
  /** Stores a record the endpoints verified (signature, EOL, sequence above the stored one). */
  putIpnsRecord(name: string, record: Uint8Array): Promise<void>;
  getBlock(cid: CID): Promise<Uint8Array | undefined>;
  /** Stores a block the endpoints checked against its CID. */
  putBlock(cid: CID, bytes: Uint8Array): Promise<void>;
};

/** Options of the endpoints. */
export type PublishEndpointsOptions = {
  /** Bearer token the pinning endpoints require; none when undefined (the devnet). */
  pinToken?: string;
};

/** A pin request and its outcome. */
export type PinRequest = {
  cid: string;
  name: string | undefined;
  status: "pinned" | "failed";
  details?: string;
};

/** The handler and what it has seen (the tests look at both). */
export type PublishEndpoints = {
  fetch: FetchHandler;
  /** Pin requests by request id. */
  pins: Map<string, PinRequest>;
  /** How many CAR uploads were accepted. */
  readonly uploads: number;
};

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, PUT, POST, OPTIONS",
  "access-control-allow-headers": "authorization, content-type, accept",
  "access-control-expose-headers": "etag, cache-control",
};

const json = (status: number, body: unknown) =>
  Response.json(body, { status, headers: CORS_HEADERS });
/** A Pinning Service API error (`{"error":{"reason","details"}}`). */
const pinError = (status: number, reason: string, details?: string) =>
  json(status, { error: details === undefined ? { reason } : { reason, details } });

const accepts = (request: Request, mediaType: string) => {
  const accept = request.headers.get("accept");
  return accept === null || accept.includes(mediaType) || accept.includes("*/*");
};

/** Builds the endpoints over `store`. */
export function createPublishEndpoints(
  store: PublishEndpointsStore,
  options: PublishEndpointsOptions = {},
): PublishEndpoints {
  const pins = new Map<string, PinRequest>();
  const state = { uploads: 0, pinCounter: 0 };

  /** Up to `limit` CIDs under `root` that the store does not hold. */
  const missingUnder = async (root: CID, limit = 10): Promise<string[]> => {
    const missing: string[] = [];
    const seen = new Set<string>();
    const pending = [root];
    while (pending.length > 0 && missing.length < limit) {
      const cid = pending.pop() as CID;
      const key = cid.toString();
      if (seen.has(key)) continue;
      seen.add(key);
      const bytes = await store.getBlock(cid);
      if (bytes === undefined) {
        missing.push(key);
        continue;
      }
      if (cid.code === dagPb.code)
        for (const link of dagPb.decode(bytes).Links) pending.push(link.Hash);
    }
    return missing;
  };

  const routingGet = async (request: Request, name: string) => {
    if (!accepts(request, IPNS_RECORD_MEDIA_TYPE))
      return json(406, { error: `retry with Accept: ${IPNS_RECORD_MEDIA_TYPE}` });
    const record = await store.getIpnsRecord(name);
    if (record === undefined) return json(404, { error: `no IPNS record for ${name}` });
    const ttlSeconds = Number((unmarshalIPNSRecord(record).ttl ?? 0n) / 1_000_000_000n);
    const digest = await crypto.subtle.digest("SHA-256", record as Uint8Array<ArrayBuffer>);
    const etag = `"${[...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("")}"`;
    return new Response(request.method === "HEAD" ? null : (record as Uint8Array<ArrayBuffer>), {
      headers: {
        ...CORS_HEADERS,
        "content-type": IPNS_RECORD_MEDIA_TYPE,
        "cache-control": `max-age=${ttlSeconds > 0 ? ttlSeconds : 60}`,
        etag,
      },
    });
  };

  /** PUTs of one name run one at a time: the sequence check and the store are one step. */
  const routingLocks = new Map<string, Promise<unknown>>();
  const routingPutInTurn = (request: Request, name: string): Promise<Response> => {
    const previous = routingLocks.get(name) ?? Promise.resolve();
    const turn = previous.then(() => routingPut(request, name));
    const settled = turn.catch(() => {});
    routingLocks.set(name, settled);
    void settled.then(() => {
      if (routingLocks.get(name) === settled) routingLocks.delete(name);
    });
    return turn;
  };

  const routingPut = async (request: Request, name: string) => {
    if (request.headers.get("content-type") !== IPNS_RECORD_MEDIA_TYPE)
      return json(406, { error: `retry with Content-Type: ${IPNS_RECORD_MEDIA_TYPE}` });
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.length > MAX_IPNS_RECORD_BYTES)
      return json(400, { error: `IPNS record of ${bytes.length} bytes is over 10 KiB` });
    let sequence: bigint;
    try {
      sequence = (await verifyIpnsRecord(name, bytes)).sequence;
    } catch (error) {
      return json(400, { error: `invalid IPNS record: ${describeError(error)}` });
    }
    const stored = await store.getIpnsRecord(name);
    if (stored !== undefined) {
      const held = unmarshalIPNSRecord(stored).sequence;
      if (sequence <= held)
        return json(400, {
          error: `IPNS record sequence ${sequence} is not above the stored sequence ${held}`,
        });
    }
    await store.putIpnsRecord(name, bytes);
    return new Response(null, { status: 200, headers: CORS_HEADERS });
  };

  const rawBlock = async (request: Request, cidText: string) => {
    let cid: CID;
    try {
      cid = parseCid(cidText);
    } catch (error) {
      return json(400, { error: describeError(error) });
    }
    const bytes = await store.getBlock(cid);
    if (bytes === undefined) return json(404, { error: `block ${cid} is not held here` });
    return new Response(request.method === "HEAD" ? null : (bytes as Uint8Array<ArrayBuffer>), {
      headers: {
        ...CORS_HEADERS,
        "content-type": RAW_BLOCK_MEDIA_TYPE,
        "cache-control": "public, max-age=29030400, immutable",
      },
    });
  };

  const uploadCar = async (request: Request) => {
    if (request.headers.get("content-type") !== CAR_MEDIA_TYPE)
      return pinError(415, "BAD_CONTENT_TYPE", `send Content-Type: ${CAR_MEDIA_TYPE}`);
    const uploaded: { cid: CID; bytes: Uint8Array }[] = [];
    try {
      for await (const block of await CarBlockIterator.fromBytes(
        new Uint8Array(await request.arrayBuffer()),
      )) {
        const cid = CID.asCID(block.cid) ?? CID.decode(block.cid.bytes);
        if ((await checkBlock(cid, block.bytes)) !== "match")
          return pinError(400, "BAD_BLOCK", `${cid} does not match its CID`);
        uploaded.push({ cid, bytes: block.bytes.slice() });
      }
    } catch (error) {
      return pinError(400, "BAD_CAR", describeError(error));
    }
    // Stored only once the whole CAR checked out: a bad upload leaves nothing behind.
    for (const { cid, bytes } of uploaded) await store.putBlock(cid, bytes);
    state.uploads++;
    return json(200, { blocks: uploaded.length });
  };

  const addPin = async (request: Request) => {
    let body: { cid?: unknown; name?: unknown };
    try {
      body = (await request.json()) as typeof body;
    } catch {
      return pinError(400, "BAD_REQUEST", "the body is not JSON");
    }
    let root: CID;
    try {
      root = parseCid(typeof body.cid === "string" ? body.cid : "");
    } catch {
      return pinError(400, "BAD_CID", `"${String(body.cid)}" is not a CID`);
    }
    const missing = await missingUnder(root);
    const requestid = `r${++state.pinCounter}`;
    const name = typeof body.name === "string" ? body.name : undefined;
    pins.set(
      requestid,
      missing.length === 0
        ? { cid: root.toString(), name, status: "pinned" }
        : {
            cid: root.toString(),
            name,
            status: "failed",
            details: `blocks not uploaded: ${missing.join(", ")}`,
          },
    );
    // Queued first: the client polls the status, as with a real service.
    return json(202, {
      requestid,
      status: "queued",
      created: new Date().toISOString(),
      pin: { cid: root.toString(), name },
      delegates: [],
    });
  };

  const pinStatus = (requestid: string) => {
    const pin = pins.get(requestid);
    if (pin === undefined) return pinError(404, "NOT_FOUND", `no pin request ${requestid}`);
    return json(200, {
      requestid,
      status: pin.status,
      created: new Date().toISOString(),
      pin: { cid: pin.cid, name: pin.name },
      delegates: [],
      ...(pin.details === undefined ? {} : { info: { status_details: pin.details } }),
    });
  };

  const handle = async (request: Request): Promise<Response> => {
    if (request.method === "OPTIONS")
      return new Response(null, { status: 204, headers: CORS_HEADERS });
    const url = new URL(request.url);
    const { pathname } = url;
    const routing = /^\/routing\/v1\/ipns\/([^/]+)$/.exec(pathname);
    if (routing) {
      const name = decodeURIComponent(routing[1] as string);
      try {
        parseIpnsName(name);
      } catch (error) {
        return json(400, { error: describeError(error) });
      }
      if (request.method === "GET" || request.method === "HEAD") return routingGet(request, name);
      if (request.method === "PUT") return routingPutInTurn(request, name);
      return json(501, { error: `${request.method} is not supported here` });
    }
    const ipns = /^\/ipns\/([^/]+)\/?$/.exec(pathname);
    if (ipns && (request.method === "GET" || request.method === "HEAD")) {
      if (
        url.searchParams.get("format") !== "ipns-record" &&
        !request.headers.get("accept")?.includes(IPNS_RECORD_MEDIA_TYPE)
      )
        return json(400, { error: "only ?format=ipns-record is served here" });
      try {
        parseIpnsName(decodeURIComponent(ipns[1] as string));
      } catch (error) {
        return json(400, { error: describeError(error) });
      }
      return routingGet(request, decodeURIComponent(ipns[1] as string));
    }
    const block = /^\/ipfs\/([^/]+)\/?$/.exec(pathname);
    if (block && (request.method === "GET" || request.method === "HEAD")) {
      if (
        url.searchParams.get("format") !== "raw" &&
        !request.headers.get("accept")?.includes(RAW_BLOCK_MEDIA_TYPE)
      )
        return json(400, { error: "only ?format=raw blocks are served here" });
      return rawBlock(request, decodeURIComponent(block[1] as string));
    }
    const pinning = pathname === "/car" || pathname === "/pins" || pathname.startsWith("/pins/");
    if (!pinning) return json(404, { error: `no endpoint ${request.method} ${pathname}` });
    if (
      options.pinToken !== undefined &&
      request.headers.get("authorization") !== `Bearer ${options.pinToken}`
    )
      return pinError(401, "UNAUTHORIZED");
    if (request.method === "POST" && pathname === "/car") return uploadCar(request);
    if (request.method === "POST" && pathname === "/pins") return addPin(request);
    const status = /^\/pins\/([^/]+)$/.exec(pathname);
    if (request.method === "GET" && status)
      return pinStatus(decodeURIComponent(status[1] as string));
    return pinError(404, "NOT_FOUND", `no endpoint ${request.method} ${pathname}`);
  };

  return {
    fetch: async (request) => {
      try {
        return await handle(request);
      } catch (error) {
        return json(500, { error: describeError(error) });
      }
    },
    pins,
    get uploads() {
      return state.uploads;
    },
  };
}

/** Serves the endpoints on 127.0.0.1 (a free port unless `port` is given). */
export async function startPublishEndpoints(
  options: PublishEndpointsOptions & { store: PublishEndpointsStore; port?: number; host?: string },
): Promise<FetchServer & Omit<PublishEndpoints, "fetch">> {
  const endpoints = createPublishEndpoints(options.store, options);
  const server = await startFetchServer(endpoints.fetch, {
    port: options.port,
    host: options.host,
  });
  return {
    ...server,
    pins: endpoints.pins,
    get uploads() {
      return endpoints.uploads;
    },
  };
}
