import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type IPNS, IPNSEntry, ipns } from "@helia/ipns";
import { type UnixFS, unixfs } from "@helia/unixfs";
import { privateKeyToProtobuf } from "@libp2p/crypto/keys";
import { Libp2pRecord } from "@libp2p/record";
import { FsBlockstore } from "blockstore-fs";
import { FsDatastore } from "datastore-fs";
import { createHeliaLight, type Helia, type Keychain, type PrivateKey } from "helia";
import { Key } from "interface-datastore";
import { base32 } from "multiformats/bases/base32";
import type { CID } from "multiformats/cid";
import type { Hex } from "viem";
import { ipnsPrivateKeyFromSeed } from "../lib/index.ts";
import { collectBytes } from "./bytes.ts";
import { cacheBlocks } from "./cachedBlockstore.ts";
import { formatIpnsName, parseContentRoot, parseIpnsName, splitIpfsPath } from "./contentRoot.ts";
import {
  IpfsBlockNotFoundError,
  IpfsNotAFileError,
  IpfsReadError,
  IpfsWriteError,
  IpnsNotFoundError,
  IpnsPublishError,
} from "./errors.ts";
import {
  DEFAULT_IPNS_LIFETIME_MS,
  DEFAULT_IPNS_TTL_MS,
  ipnsRoutingKey,
  verifyIpnsRecord,
} from "./ipnsRecords.ts";
import {
  createTreeEditor,
  type DirectoryChanges,
  NOT_FOUND_ERRORS,
  type TreeEditor,
} from "./treeEdits.ts";
import { createUnixfsPathReader } from "./unixfsPath.ts";

/** File contents keyed by relative path inside the tree (`.well-known/eth/alice/text/avatar.json`). */
export type DirectoryFiles = Record<string, Uint8Array | string>;

export type { DirectoryChanges };

/** Options of an IPNS publish. */
export type PublishNameOptions = {
  /** How long the signed record stays valid (its EOL); default 48 hours, as Kubo. */
  lifetimeMs?: number;
  /** How long resolvers may cache the record; default 5 minutes. */
  ttlMs?: number;
};

/** The read side of an IPFS node: what the path gateway and the gateway's sources need. */
export type IpfsReader = {
  /** The CID an IPNS name points to. */
  resolveName(name: string): Promise<CID>;
  /** The bytes of the file at `path` under a CID or IPNS name; `undefined` when there is none. */
  readFile(cidOrName: string | CID, path: string): Promise<Uint8Array | undefined>;
  /** The CID of the file or directory at `path` under a CID or IPNS name; `undefined` when none. */
  resolvePath(cidOrName: string | CID, path: string): Promise<CID | undefined>;
  /** The raw bytes of one block; `undefined` when this node does not hold it. */
  getBlock(cid: string | CID): Promise<Uint8Array | undefined>;
  /** The signed, protobuf-encoded IPNS record of a name; `undefined` when there is none. */
  getIpnsRecord(name: string): Promise<Uint8Array | undefined>;
};

/** An in-process IPFS node (Helia, no networking) persisting blocks and IPNS records on disk. */
export type EmbeddedIpfs = IpfsReader & {
  /** The directory holding `blocks/` and `datastore/`. */
  readonly directory: string;
  /** Adds a UnixFS directory of the given files (CIDv1, raw leaves); returns the root CID. */
  addDirectory(files: DirectoryFiles): Promise<CID>;
  /** Writes or deletes files in an existing tree, reusing every unchanged block; returns the new root. */
  updateDirectory(root: string | CID, changes: DirectoryChanges): Promise<CID>;
  /** Publishes `/ipfs/<cid>` under the IPNS key of `seedHex`; returns the `k51…` name. */
  publishName(seedHex: Hex, cid: string | CID, options?: PublishNameOptions): Promise<string>;
  /**
   * Stores a record signed elsewhere (publishEdits through the devnet's routing endpoint) as the
   * name's record, after verifying it for the name; the caller checks the sequence.
   */
  putIpnsRecord(name: string, record: Uint8Array): Promise<void>;
  /** Stores one block (the caller checked it against its CID). */
  putBlock(cid: CID, bytes: Uint8Array): Promise<void>;
  /** Stops the node and closes its stores. */
  stop(): Promise<void>;
};

/** Options of `createEmbeddedIpfs`. */
export type EmbeddedIpfsOptions = {
  /** Filesystem directory for the block and data stores (created if missing). */
  directory: string;
  /** Bytes of blocks kept in memory (an LRU in front of the block files); default 64 MiB. */
  blockCacheBytes?: number;
};

/** A name's resolution as last verified, and the stored record bytes it was verified from. */
type ResolvedName = { record: Uint8Array; value: string; validUntilMs: number };

const textEncoder = new TextEncoder();

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function toBytes(content: Uint8Array | string): Uint8Array {
  return typeof content === "string" ? textEncoder.encode(content) : content;
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * A keychain that hands the IPNS publisher in-memory signing keys and delegates everything else to
 * Helia's datastore keychain, so that private keys are never written to disk.
 */
function signingKeychain(base: Keychain, keys: Map<string, PrivateKey>): Keychain {
  return {
    generateKey: (name, options) => base.generateKey(name, options),
    importKey: (name, key, options) => base.importKey(name, key, options),
    exportKey: async (name, options) => keys.get(name) ?? base.exportKey(name, options),
    removeKey: (name, options) => base.removeKey(name, options),
    renameKey: (oldName, newName, options) => base.renameKey(oldName, newName, options),
    listKeys: (options) => base.listKeys(options),
    rotateKeychainPass: (password, options) => base.rotateKeychainPass(password, options),
    loadPublicKeyFromProtobuf: (buf, options) => base.loadPublicKeyFromProtobuf(buf, options),
  };
}

class EmbeddedIpfsNode implements EmbeddedIpfs {
  readonly directory: string;
  readonly #helia: Helia;
  readonly #fs: UnixFS;
  readonly #ipns: IPNS;
  readonly #signingKeys: Map<string, PrivateKey>;
  readonly #stores: { close(): Promise<void> }[];
  readonly #editor: TreeEditor;
  readonly #resolved = new Map<string, ResolvedName>();
  // Reads walk paths with decoded directories cached (ipfs/unixfsPath.ts), not the exporter.
  readonly #paths = createUnixfsPathReader();
  readonly #localBlock = (cid: CID): Promise<Uint8Array> =>
    collectBytes(this.#helia.blockstore.get(cid, { offline: true }));

  constructor(directory: string, helia: Helia, stores: { close(): Promise<void> }[]) {
    this.directory = directory;
    this.#helia = helia;
    this.#stores = stores;
    this.#fs = unixfs(helia);
    this.#editor = createTreeEditor(helia.blockstore);
    this.#signingKeys = new Map();
    // Created after helia.start(): the republisher (a timer, and a key-holding background
    // writer) never starts; publishing is explicit.
    this.#ipns = ipns({
      datastore: helia.datastore,
      routing: helia.routing,
      logger: helia.logger,
      events: helia.events,
      keychain: signingKeychain(helia.keychain, this.#signingKeys),
    });
  }

  async addDirectory(files: DirectoryFiles): Promise<CID> {
    const entries = Object.entries(files).map(([path, content]) => ({
      path: splitIpfsPath(path).join("/"),
      content: toBytes(content),
    }));
    if (entries.length === 0) return this.#getEmptyDirectory();
    try {
      let root: CID | undefined;
      for await (const entry of this.#fs.addAll(entries, { wrapWithDirectory: true })) {
        if (entry.path === "") root = entry.cid;
      }
      if (root === undefined) throw new Error("the importer yielded no root directory");
      return root;
    } catch (error) {
      throw new IpfsWriteError(`a directory of ${entries.length} files`, error);
    }
  }

  async updateDirectory(root: string | CID, changes: DirectoryChanges): Promise<CID> {
    return this.#editor.applyChanges(this.#toCid(root), changes);
  }

  async #getEmptyDirectory(): Promise<CID> {
    return this.#editor.emptyDirectory();
  }

  async publishName(
    seedHex: Hex,
    cid: string | CID,
    options: PublishNameOptions = {},
  ): Promise<string> {
    const value = this.#toCid(cid);
    const libp2pKey = await ipnsPrivateKeyFromSeed(seedHex);
    const crypto = await this.#helia.getCrypto("Ed25519");
    const key = await crypto.privateKeyFromProtobuf(privateKeyToProtobuf(libp2pKey));
    const name = formatIpnsName(key.publicKey.toCID() as unknown as CID);
    const keyName = `ensgate-ipns-${name}`;
    this.#signingKeys.set(keyName, key);
    try {
      const result = await this.#ipns.publish(keyName, value, {
        offline: true,
        lifetime: options.lifetimeMs ?? DEFAULT_IPNS_LIFETIME_MS,
        ttl: options.ttlMs ?? DEFAULT_IPNS_TTL_MS,
      });
      return formatIpnsName(result.publicKey.toCID() as unknown as CID);
    } catch (error) {
      throw new IpnsPublishError(`cannot publish ${value} under ${name}`, error);
    } finally {
      this.#signingKeys.delete(keyName);
    }
  }

  async putIpnsRecord(name: string, record: Uint8Array): Promise<void> {
    await verifyIpnsRecord(name, record);
    const routingKey = ipnsRoutingKey(name);
    // The datastore entry @helia/ipns reads: a libp2p DHT record wrapping the IPNS record.
    await this.#helia.datastore.put(
      new Key(`/dht/record/${base32.baseEncode(routingKey)}`, false),
      new Libp2pRecord(routingKey, record, new Date()).serialize(),
    );
  }

  async putBlock(cid: CID, bytes: Uint8Array): Promise<void> {
    await this.#helia.blockstore.put(cid, bytes);
  }

  async resolveName(name: string): Promise<CID> {
    const value = await this.#resolveValue(name);
    const root = /^\/ipfs\/([^/]+)\/?$/.exec(value);
    if (!root) throw new IpfsReadError(`the IPNS value "${value}" of ${name} (not an /ipfs/<cid>)`);
    const content = parseContentRoot(`/ipfs/${root[1]}`);
    if (content.kind !== "ipfs") throw new IpfsReadError(`the IPNS value of ${name}`);
    return content.cid;
  }

  /**
   * The final `/ipfs/…` value of a name, following `/ipns/` chains, offline. The stored record
   * is read on every call (one small file), but verified only when its bytes differ from the ones
   * last verified: a lookup costs no signature check, and a publish by another process is seen
   * at once.
   */
  async #resolveValue(name: string): Promise<string> {
    const key = parseIpnsName(name);
    const stored = await this.#storedRecord(key);
    const known = this.#resolved.get(name);
    if (
      stored !== undefined &&
      known !== undefined &&
      known.validUntilMs > Date.now() &&
      bytesEqual(known.record, stored)
    )
      return known.value;
    const { value, validUntilMs } = await this.#verifyValue(name, key);
    if (stored !== undefined) this.#resolved.set(name, { record: stored, value, validUntilMs });
    else this.#resolved.delete(name);
    return value;
  }

  /** The raw datastore entry holding a name's record (as @helia/ipns stores it), or undefined. */
  async #storedRecord(key: CID): Promise<Uint8Array | undefined> {
    const routingKey = ipnsRoutingKey(key);
    const datastoreKey = new Key(`/dht/record/${base32.baseEncode(routingKey)}`, false);
    try {
      return await this.#helia.datastore.get(datastoreKey);
    } catch {
      return undefined;
    }
  }

  /** Resolves and verifies a name through @helia/ipns (offline). */
  async #verifyValue(name: string, key: CID): Promise<{ value: string; validUntilMs: number }> {
    let value: string | undefined;
    let validUntilMs = Number.POSITIVE_INFINITY;
    let hops = 0;
    try {
      for await (const hop of this.#ipns.resolve(key, { offline: true })) {
        value = hop.value;
        const validity: unknown = hop.record.validity;
        validUntilMs = Math.min(
          validUntilMs,
          typeof validity === "string" ? Date.parse(validity) : 0,
        );
        hops++;
      }
    } catch (error) {
      throw new IpnsNotFoundError(name, error);
    }
    if (value === undefined) throw new IpnsNotFoundError(name);
    // A chain of names (/ipns/ -> /ipns/) is not kept: the first record alone does not pin it.
    return { value, validUntilMs: hops === 1 ? validUntilMs : 0 };
  }

  async getIpnsRecord(name: string): Promise<Uint8Array | undefined> {
    const key = parseIpnsName(name);
    try {
      for await (const hop of this.#ipns.resolve(key, { offline: true })) {
        return IPNSEntry.encode(hop.record);
      }
    } catch (error) {
      if (errorName(error) === "RecordNotFoundError") return undefined;
      throw new IpfsReadError(`the IPNS record of ${name}`, error);
    }
    return undefined;
  }

  async resolvePath(cidOrName: string | CID, path: string): Promise<CID | undefined> {
    const { root, segments, where } = await this.#locate(cidOrName, path);
    try {
      const entry = await this.#paths.resolve(root, segments.join("/"), this.#localBlock);
      return entry.kind === "missing" ? undefined : entry.cid;
    } catch (error) {
      return this.#readError(error, where);
    }
  }

  /** The root CID (IPNS resolved), the path segments and a `/ipfs|ipns/<root>/<path>` label. */
  async #locate(
    cidOrName: string | CID,
    path: string,
  ): Promise<{ root: CID; segments: string[]; where: string }> {
    const content = parseContentRoot(cidOrName);
    const segments = splitIpfsPath(path);
    if (content.kind === "ipfs") {
      return {
        root: content.cid,
        segments,
        where: ["", "ipfs", content.cid, ...segments].join("/"),
      };
    }
    const name = formatIpnsName(content.name);
    return {
      root: await this.resolveName(name),
      segments,
      where: ["", "ipns", name, ...segments].join("/"),
    };
  }

  /** Maps a UnixFS read failure: `undefined` for "not found", else a typed error. */
  #readError(error: unknown, where: string): undefined | never {
    const name = errorName(error);
    if (name !== undefined && NOT_FOUND_ERRORS.has(name)) return undefined;
    if (name === "NotAFileError") throw new IpfsNotAFileError(where);
    if (name === "BlockNotFoundWhileOfflineError") throw new IpfsBlockNotFoundError(where, error);
    throw new IpfsReadError(where, error);
  }

  async readFile(cidOrName: string | CID, path: string): Promise<Uint8Array | undefined> {
    const { root, segments, where } = await this.#locate(cidOrName, path);
    try {
      const entry = await this.#paths.resolve(root, segments.join("/"), this.#localBlock);
      if (entry.kind === "missing") return undefined;
      if (entry.kind === "directory") throw new IpfsNotAFileError(where);
      return await this.#paths.readFile(entry.cid, this.#localBlock);
    } catch (error) {
      if (error instanceof IpfsNotAFileError) throw error;
      return this.#readError(error, where);
    }
  }

  async getBlock(cid: string | CID): Promise<Uint8Array | undefined> {
    const key = this.#toCid(cid);
    try {
      if (!(await this.#helia.blockstore.has(key))) return undefined;
      return await collectBytes(this.#helia.blockstore.get(key, { offline: true }));
    } catch (error) {
      throw new IpfsReadError(`block ${key}`, error);
    }
  }

  async stop(): Promise<void> {
    await this.#helia.stop();
    for (const store of this.#stores) await store.close();
  }

  #toCid(input: string | CID): CID {
    const content = parseContentRoot(input);
    if (content.kind !== "ipfs") throw new IpfsReadError(`${input} (an IPNS name, expected a CID)`);
    return content.cid;
  }
}

/** Opens (creating if needed) an offline Helia node whose stores live under `directory`. */
export async function createEmbeddedIpfs(options: EmbeddedIpfsOptions): Promise<EmbeddedIpfs> {
  const blocks = join(options.directory, "blocks");
  const data = join(options.directory, "datastore");
  await mkdir(options.directory, { recursive: true });
  const blockstore = new FsBlockstore(blocks);
  const datastore = new FsDatastore(data);
  await blockstore.open();
  await datastore.open();
  const helia = createHeliaLight({
    blockstore: cacheBlocks(blockstore, options.blockCacheBytes),
    datastore,
  });
  await helia.start();
  return new EmbeddedIpfsNode(options.directory, helia, [blockstore, datastore]);
}
