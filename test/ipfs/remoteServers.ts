// Real HTTP servers on 127.0.0.1 speaking the protocols `ensgate publish --routing/--pin` use:
// the endpoints of ipfs/publishEndpoints.ts (the devnet's), each over its own in-memory store.
// - Delegated Routing V1 (`PUT|GET /routing/v1/ipns/<name>`): the record must pass the `ipns`
//   validator for that name (signature, EOL) and raise the stored sequence.
// - A pinning service: `POST /car` (every block must hash to its CID), then the IPFS Pinning
//   Service API `POST /pins` + `GET /pins/<requestid>` (the root's whole DAG must have been
//   uploaded; bearer token required).
import type { CID } from "multiformats/cid";
import {
  type PinRequest,
  type PublishEndpointsStore,
  startPublishEndpoints,
} from "../../ipfs/publishEndpoints.ts";
import type { FetchServer } from "./fetchServer.ts";

/** A store in memory: records by name, blocks by CID string. */
export function memoryStore(): PublishEndpointsStore & {
  records: Map<string, Uint8Array>;
  blocks: Map<string, Uint8Array>;
} {
  const records = new Map<string, Uint8Array>();
  const blocks = new Map<string, Uint8Array>();
  return {
    records,
    blocks,
    getIpnsRecord: async (name) => records.get(name),
    putIpnsRecord: async (name, record) => {
      records.set(name, record);
    },
    getBlock: async (cid: CID) => blocks.get(cid.toString()),
    putBlock: async (cid: CID, bytes) => {
      blocks.set(cid.toString(), bytes);
    },
  };
}

/** A delegated routing server; `records` holds what it accepted. */
export async function startRoutingServer(): Promise<
  FetchServer & { records: Map<string, Uint8Array> }
> {
  const store = memoryStore();
  const server = await startPublishEndpoints({ store });
  return { url: server.url, port: server.port, close: server.close, records: store.records };
}

/** A pinning service with a CAR upload endpoint; `blocks` holds the verified uploads. */
export async function startPinningServer(token: string): Promise<
  FetchServer & {
    blocks: Map<string, Uint8Array>;
    pins: Map<string, PinRequest>;
    uploads: number;
  }
> {
  const store = memoryStore();
  const server = await startPublishEndpoints({ store, pinToken: token });
  return {
    url: server.url,
    port: server.port,
    close: server.close,
    blocks: store.blocks,
    pins: server.pins,
    get uploads() {
      return server.uploads;
    },
  };
}
