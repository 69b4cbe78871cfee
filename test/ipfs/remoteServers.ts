// Real HTTP servers on 127.0.0.1 speaking the protocols `ensgate publish --routing/--pin` use, and
// validating what they receive:
// - Delegated Routing V1 (`PUT|GET /routing/v1/ipns/<name>`): the record must pass the `ipns`
//   validator for that name (signature, EOL) and not lower the stored sequence.
// - A pinning service: `POST /car` (every block must hash to its CID), then the IPFS Pinning
//   Service API `POST /pins` + `GET /pins/<requestid>` (the root's whole DAG must have been
//   uploaded; bearer token required).
import { CarBlockIterator } from "@ipld/car";
import * as dagPb from "@ipld/dag-pb";
import { multihashToIPNSRoutingKey, unmarshalIPNSRecord } from "ipns";
import { ipnsValidator } from "ipns/validator";
import type { MultihashDigest } from "multiformats";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { parseIpnsName } from "../../ipfs/contentRoot.ts";
import { type FetchServer, serveFetch } from "./fetchServer.ts";

const json = (status: number, body: unknown) => Response.json(body, { status });

/** A delegated routing server; `records` holds what it accepted. */
export async function startRoutingServer(): Promise<
  FetchServer & { records: Map<string, Uint8Array> }
> {
  const records = new Map<string, Uint8Array>();
  const server = await serveFetch(async (request) => {
    const match = /^\/routing\/v1\/ipns\/([^/]+)$/.exec(new URL(request.url).pathname);
    if (!match) return json(404, { error: "not found" });
    const name = match[1] as string;
    if (request.method === "GET") {
      const record = records.get(name);
      return record
        ? new Response(record as Uint8Array<ArrayBuffer>, {
            headers: { "content-type": "application/vnd.ipfs.ipns-record" },
          })
        : json(404, { error: "no record" });
    }
    if (request.method !== "PUT") return json(405, { error: "method" });
    if (request.headers.get("content-type") !== "application/vnd.ipfs.ipns-record")
      return json(415, { error: "content-type must be application/vnd.ipfs.ipns-record" });
    const record = new Uint8Array(await request.arrayBuffer());
    try {
      const key = parseIpnsName(name);
      await ipnsValidator(
        multihashToIPNSRoutingKey(key.multihash as MultihashDigest<0x00 | 0x12>),
        record,
      );
    } catch (error) {
      return json(400, { error: `invalid IPNS record: ${(error as Error).message}` });
    }
    const previous = records.get(name);
    if (previous && unmarshalIPNSRecord(previous).sequence > unmarshalIPNSRecord(record).sequence)
      return json(409, { error: "sequence lower than the stored record" });
    records.set(name, record);
    return new Response(null, { status: 200 });
  });
  return { ...server, records };
}

/** A pinning service with a CAR upload endpoint; `blocks` holds the verified uploads. */
export async function startPinningServer(
  token: string,
): Promise<
  FetchServer & { blocks: Map<string, Uint8Array>; pins: Map<string, string>; uploads: number }
> {
  const blocks = new Map<string, Uint8Array>();
  const pins = new Map<string, string>(); // requestid -> cid
  const state = { uploads: 0 };
  /** The CIDs under `root` that were never uploaded. */
  const missingUnder = (root: CID): string[] => {
    const missing: string[] = [];
    const pending = [root];
    while (pending.length > 0) {
      const cid = pending.pop() as CID;
      const bytes = blocks.get(cid.toString());
      if (!bytes) {
        missing.push(cid.toString());
        continue;
      }
      if (cid.code === dagPb.code)
        for (const link of dagPb.decode(bytes).Links) pending.push(link.Hash);
    }
    return missing;
  };
  const server = await serveFetch(async (request) => {
    if (request.headers.get("authorization") !== `Bearer ${token}`)
      return json(401, { error: { reason: "UNAUTHORIZED" } });
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/car") {
      if (request.headers.get("content-type") !== "application/vnd.ipld.car")
        return json(415, { error: { reason: "BAD_CONTENT_TYPE" } });
      const uploaded = new Map<string, Uint8Array>();
      try {
        for await (const block of await CarBlockIterator.fromBytes(
          new Uint8Array(await request.arrayBuffer()),
        )) {
          const digest = await sha256.digest(block.bytes);
          if (digest.bytes.some((byte, index) => byte !== block.cid.multihash.bytes[index]))
            return json(400, { error: { reason: "BAD_BLOCK", details: `${block.cid}` } });
          uploaded.set(block.cid.toString(), block.bytes);
        }
      } catch (error) {
        return json(400, { error: { reason: "BAD_CAR", details: (error as Error).message } });
      }
      for (const [cid, bytes] of uploaded) blocks.set(cid, bytes);
      state.uploads++;
      return json(200, { blocks: uploaded.size });
    }
    if (request.method === "POST" && pathname === "/pins") {
      const body = (await request.json()) as { cid?: string; name?: string };
      let root: CID;
      try {
        root = CID.parse(body.cid ?? "");
      } catch {
        return json(400, { error: { reason: "BAD_CID" } });
      }
      const missing = missingUnder(root);
      const requestid = `r${pins.size + 1}`;
      pins.set(requestid, missing.length === 0 ? root.toString() : "");
      // Queued first: the client must poll the status, as with a real service.
      return json(202, {
        requestid,
        status: "queued",
        created: new Date().toISOString(),
        pin: { cid: root.toString(), name: body.name },
        delegates: [],
      });
    }
    const status = /^\/pins\/([^/]+)$/.exec(pathname);
    if (request.method === "GET" && status) {
      const cid = pins.get(status[1] as string);
      if (cid === undefined) return json(404, { error: { reason: "NOT_FOUND" } });
      return json(200, {
        requestid: status[1],
        status: cid === "" ? "failed" : "pinned",
        created: new Date().toISOString(),
        pin: { cid },
        delegates: [],
      });
    }
    return json(404, { error: { reason: "NOT_FOUND" } });
  });
  return {
    ...server,
    blocks,
    pins,
    get uploads() {
      return state.uploads;
    },
  };
}
