// Publishing edits of an owner's records tree without a local store: what the web app does in a
// browser, and what runs on Workers. It reads the name's current record and the blocks on the
// edited paths from the target (each block checked against its CID), applies the edits with the
// tree editor `ensgate publish` uses on an in-memory overlay, sends only the new blocks, and
// signs the next record with the IPNS key the CLI derives from the same seed.
//
// Browser-safe: no Node imports, no file system; every request goes through `fetch`. Import this
// file directly (ipfs/index.ts also pulls in the Node-only embedded store).
import type { CID } from "multiformats/cid";
import type { Hex } from "viem";
import { describeError } from "../lib/errors/base.ts";
import { ipnsPrivateKeyFromSeed } from "../lib/keys/ipnsName.ts";
import { collectBytes } from "./bytes.ts";
import { formatIpnsName, splitIpfsPath } from "./contentRoot.ts";
import { InvalidEditError } from "./errors.ts";
import { ipnsRecordRoot, nextIpnsSequence, sendIpnsRecord, signIpnsRecord } from "./ipnsRecords.ts";
import { kuboGetBlock, kuboGetIpnsRecord, kuboImportCar, kuboPutIpnsRecord } from "./kuboFetch.ts";
import {
  exportDagCar,
  fetchIpnsRecord,
  fetchRawBlock,
  pinCar,
  putIpnsRecord,
} from "./remotePublish.ts";
import { createTreeEditor, type DirectoryChanges, type TreeBlockstore } from "./treeEdits.ts";

/** One change: new contents for `path`, or `undefined` to delete the file. */
export type PublishEdit = { path: string; content: Uint8Array | string | undefined };

/**
 * Services reached over HTTP: the record through a Delegated Routing V1 endpoint, the current
 * blocks through a trustless gateway (`?format=raw`), the new blocks to a pinning service (a CAR
 * upload to `<pinUrl>/car`, then the Pinning Service API's `POST <pinUrl>/pins`).
 */
export type RemotePublishTarget = {
  kind: "remote";
  routingUrl: string;
  pinUrl: string;
  /** The pinning service's bearer token; none is sent when undefined (the devnet needs none). */
  pinToken?: string;
  trustlessGatewayUrl: string;
};

/** A Kubo daemon's RPC API (`routing/get|put`, `block/get`, `dag/import`). */
export type KuboPublishTarget = { kind: "kubo"; rpcUrl: string };

export type PublishEditsTarget = RemotePublishTarget | KuboPublishTarget;

/** Parameters of `publishEdits`. */
export type PublishEditsParameters = {
  /** The 32-byte IPNS key seed of the key set (the `ipnsSeed` `ensgate keygen` stores). */
  ipnsKeySeed: Hex;
  /** Applied in order; a path may appear once. An empty list republishes the current tree. */
  edits: PublishEdit[];
  target: PublishEditsTarget;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /**
   * The highest sequence already seen for the name (e.g. the last result's `sequence`): a routing
   * answer below it is a rollback and is refused (`IpnsRecordRollbackError`).
   */
  seenSequence?: bigint;
  /** Per-request timeout (default 30 s; the pin waits up to 120 s). */
  timeoutMs?: number;
};

/** What was published. */
export type PublishEditsResult = {
  /** The new root CID (CIDv1, base32). */
  root: string;
  /** The `k51…` IPNS name. */
  ipnsName: string;
  /** The sequence of the record just published. */
  sequence: bigint;
};

/** How publishEdits reaches one kind of target. */
type TargetAccess = {
  /** The name's current record, verified; undefined when there is none. */
  readRecord(name: string): Promise<{ sequence: bigint; value: string } | undefined>;
  getBlock(cid: CID): Promise<Uint8Array>;
  /** Stores and pins the tree under `root`, given a CAR of its new blocks. */
  storeTree(root: CID, car: Uint8Array, ipnsName: string): Promise<void>;
  putRecord(name: string, record: Uint8Array): Promise<void>;
};

function targetAccess(parameters: PublishEditsParameters): TargetAccess {
  const { target } = parameters;
  const fetch = parameters.fetch;
  const timeoutMs = parameters.timeoutMs;
  if (target.kind === "kubo") {
    const kubo = { rpcUrl: target.rpcUrl, fetch, timeoutMs };
    return {
      readRecord: (name) => kuboGetIpnsRecord(kubo, name),
      getBlock: (cid) => kuboGetBlock(kubo, cid),
      storeTree: (_root, car) => kuboImportCar(kubo, car),
      putRecord: (name, record) => kuboPutIpnsRecord(kubo, name, record),
    };
  }
  return {
    readRecord: (name) =>
      fetchIpnsRecord({ routingUrl: target.routingUrl, name, fetch, timeoutMs }),
    getBlock: (cid) =>
      fetchRawBlock({ gatewayUrl: target.trustlessGatewayUrl, cid, fetch, timeoutMs }),
    storeTree: async (root, car, ipnsName) => {
      await pinCar({
        serviceUrl: target.pinUrl,
        token: target.pinToken,
        root,
        car,
        name: ipnsName,
        fetch,
      });
    },
    putRecord: (name, record) =>
      putIpnsRecord({ routingUrl: target.routingUrl, name, record, fetch, timeoutMs }),
  };
}

/**
 * A blockstore that reads through `read` (each block once) and keeps what the editor writes in
 * memory: `written` is the new blocks, the only ones sent.
 */
function overlayBlockstore(
  read: (cid: CID) => Promise<Uint8Array>,
): TreeBlockstore & { written: Map<string, Uint8Array> } {
  const written = new Map<string, Uint8Array>();
  const fetched = new Map<string, Promise<Uint8Array>>();
  const load = (cid: CID): Promise<Uint8Array> => {
    const key = cid.toString();
    const known = written.get(key);
    if (known !== undefined) return Promise.resolve(known);
    let pending = fetched.get(key);
    if (pending === undefined) {
      pending = read(cid);
      fetched.set(key, pending);
      // A failed read is not remembered: the error reaches the caller once.
      pending.catch(() => fetched.delete(key));
    }
    return pending;
  };
  return {
    written,
    async *get(cid: CID) {
      yield await load(cid);
    },
    async put(cid: CID, value) {
      const bytes = value instanceof Uint8Array ? value : await collectBytes(value);
      written.set(cid.toString(), bytes);
      return cid;
    },
    has: async (cid: CID) => written.has(cid.toString()) || fetched.has(cid.toString()),
  } as TreeBlockstore & { written: Map<string, Uint8Array> };
}

/** The edit list as the tree editor's changes; throws `InvalidEditError` for a bad or repeated path. */
function toChanges(edits: PublishEdit[]): DirectoryChanges {
  const changes: DirectoryChanges = {};
  const seen = new Set<string>();
  for (const edit of edits) {
    let normalized: string;
    try {
      normalized = splitIpfsPath(edit.path).join("/");
    } catch (error) {
      throw new InvalidEditError(edit.path, describeError(error), error);
    }
    if (normalized === "") throw new InvalidEditError(edit.path, "it names no file");
    if (seen.has(normalized)) throw new InvalidEditError(edit.path, "the path is edited twice");
    seen.add(normalized);
    changes[normalized] = edit.content ?? null;
  }
  return changes;
}

/**
 * Applies `edits` to the tree the seed's IPNS name points to and publishes the result: the new
 * blocks to the target's store (pinned), then a record of the next sequence. Throws, with nothing
 * published: `InvalidEditError` (bad edit list), `BlockMismatchError` (a block that does not hash
 * to its CID), `InvalidIpnsRecordError` (a current record that does not verify),
 * `IpnsRecordRollbackError` (a record below `seenSequence`), `IpnsSequenceConflictError` (another
 * publish came in between: read again and retry), `RemotePublishError`/`PinRejectedError`/
 * `KuboRpcError` (a service refused or could not be reached).
 */
export async function publishEdits(
  parameters: PublishEditsParameters,
): Promise<PublishEditsResult> {
  const changes = toChanges(parameters.edits);
  const privateKey = await ipnsPrivateKeyFromSeed(parameters.ipnsKeySeed);
  const ipnsName = formatIpnsName(privateKey.publicKey.toCID() as unknown as CID);
  const access = targetAccess(parameters);

  const current = await access.readRecord(ipnsName);
  const sequence = nextIpnsSequence(ipnsName, current?.sequence, parameters.seenSequence);
  const blockstore = overlayBlockstore((cid) => access.getBlock(cid));
  const editor = createTreeEditor(blockstore);
  const base =
    current === undefined ? await editor.emptyDirectory() : ipnsRecordRoot(ipnsName, current);
  const root = await editor.applyChanges(base, changes);

  // The blocks the editor did not write came from the target, which holds them already.
  const { car } = await exportDagCar(async (cid) => blockstore.written.get(cid.toString()), root, {
    held: (cid) => !blockstore.written.has(cid.toString()),
  });
  await access.storeTree(root, car, ipnsName);

  const record = await signIpnsRecord(privateKey, root, sequence);
  await sendIpnsRecord({
    name: ipnsName,
    sequence,
    put: () => access.putRecord(ipnsName, record),
    readHeld: () => access.readRecord(ipnsName),
  });
  return { root: root.toV1().toString(), ipnsName, sequence };
}
