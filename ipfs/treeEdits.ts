// Editing a UnixFS records tree path by path, with Kubo's directory sharding rule: the one
// implementation behind the embedded store's `updateDirectory` (`ensgate publish`) and
// `publishEdits` (a browser editing a tree it reads from a trustless gateway). It works on any
// blockstore with get/put/has, reads only the blocks on the edited paths (plus the shards of a
// HAMT that may shrink back to a plain directory), and writes only the new ones.
// Browser-safe: no Node imports.
import { type UnixFS, unixfs } from "@helia/unixfs";
import * as dagPb from "@ipld/dag-pb";
import type { Blockstore } from "interface-blockstore";
import { UnixFS as UnixFSData } from "ipfs-unixfs";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { EnsgateError } from "../lib/errors/base.ts";
import { collectBytes } from "./bytes.ts";
import { splitIpfsPath } from "./contentRoot.ts";
import { IpfsBlockNotFoundError, IpfsWriteError } from "./errors.ts";

/** The blockstore calls the editor makes. */
export type TreeBlockstore = Pick<Blockstore, "get" | "put" | "has">;

/** Changes to a tree keyed by relative path: new contents, or `null` to delete the file. */
export type DirectoryChanges = Record<string, Uint8Array | string | null>;

/**
 * Kubo's directory sharding rule (boxo `HAMTShardingSize`, "links" size estimation): a directory
 * is a HAMT while the sum of its links' name bytes + CID bytes exceeds 256 KiB, and a plain
 * directory otherwise. Helia's `cp` applies it when a directory grows; shrinking is handled here.
 */
export const HAMT_SHARDING_THRESHOLD_BYTES = 256 * 1024;
/** HAMT fanout 256: each shard link name starts with a two-hex-digit bucket index. */
const HAMT_PREFIX_LENGTH = 2;

/** Errors of Helia/UnixFS that mean "nothing at that path". */
export const NOT_FOUND_ERRORS = new Set(["NotFoundError", "DoesNotExistError"]);

const textEncoder = new TextEncoder();

const toBytes = (content: Uint8Array | string): Uint8Array =>
  typeof content === "string" ? textEncoder.encode(content) : content;

const errorName = (error: unknown): string | undefined =>
  error instanceof Error ? error.name : undefined;

/** Applies changes to trees held in (or reachable through) one blockstore. */
export type TreeEditor = {
  /** Writes or deletes each path in turn; returns the new root (the empty directory when empty). */
  applyChanges(root: CID, changes: DirectoryChanges): Promise<CID>;
  /** The CID of an empty UnixFS directory (written to the blockstore). */
  emptyDirectory(): Promise<CID>;
};

/** A tree editor over `blockstore`. */
export function createTreeEditor(blockstore: TreeBlockstore): TreeEditor {
  const fs: UnixFS = unixfs({ blockstore });
  let empty: CID | undefined;

  const emptyDirectory = async (): Promise<CID> => {
    empty ??= await fs.addDirectory();
    return empty;
  };

  const readBlock = (cid: CID): Promise<Uint8Array> =>
    collectBytes(blockstore.get(cid, { offline: true } as never));

  const requireBlock = async (cid: CID): Promise<Uint8Array> => {
    try {
      return await readBlock(cid);
    } catch (error) {
      if (errorName(error)?.includes("NotFound"))
        throw new IpfsBlockNotFoundError(`block ${cid}`, error);
      throw error;
    }
  };

  const isEmpty = async (directory: CID): Promise<boolean> => {
    for await (const _entry of fs.ls(directory, { offline: true, length: 1 })) return false;
    return true;
  };

  const child = async (
    directory: CID,
    name: string,
  ): Promise<{ cid: CID; type: string } | undefined> => {
    try {
      const stats = await fs.stat(directory, { path: name, offline: true });
      return { cid: stats.cid, type: stats.type };
    } catch (error) {
      if (NOT_FOUND_ERRORS.has(errorName(error) ?? "")) return undefined;
      throw error;
    }
  };

  /**
   * A HAMT whose links would fit a plain directory (by Kubo's estimate) becomes that plain
   * directory, with the same links and sizes, as Kubo's MFS does after a removal; anything else
   * is returned as is. It stops reading shards as soon as the estimate passes the threshold.
   */
  const unshardIfSmall = async (directory: CID): Promise<CID> => {
    const node = dagPb.decode(await requireBlock(directory));
    const data = node.Data === undefined ? undefined : UnixFSData.unmarshal(node.Data);
    if (data?.type !== "hamt-sharded-directory") return directory;
    const links: dagPb.PBLink[] = [];
    let estimate = 0;
    const collect = async (shard: dagPb.PBNode): Promise<boolean> => {
      for (const link of shard.Links) {
        const name = link.Name ?? "";
        if (name.length === HAMT_PREFIX_LENGTH) {
          if (!(await collect(dagPb.decode(await requireBlock(link.Hash))))) return false;
          continue;
        }
        const entry = name.slice(HAMT_PREFIX_LENGTH);
        estimate += textEncoder.encode(entry).length + link.Hash.bytes.length;
        if (estimate > HAMT_SHARDING_THRESHOLD_BYTES) return false;
        links.push({ Name: entry, Hash: link.Hash, Tsize: link.Tsize });
      }
      return true;
    };
    if (!(await collect(node))) return directory;
    const flat = dagPb.encode(
      dagPb.prepare({
        Data: new UnixFSData({ type: "directory", mode: data.mode, mtime: data.mtime }).marshal(),
        Links: links,
      }),
    );
    const digest = await sha256.digest(flat);
    const cid = directory.version === 0 ? CID.createV0(digest) : CID.createV1(dagPb.code, digest);
    await blockstore.put(cid, flat);
    return cid;
  };

  /**
   * Sets (or with `null` removes) the link at `segments` under `directory`, creating missing
   * directories and pruning emptied ones; returns the new directory, `undefined` when now empty.
   */
  const setPath = async (
    directory: CID,
    segments: string[],
    file: CID | null,
  ): Promise<CID | undefined> => {
    const [head, ...rest] = segments as [string, ...string[]];
    const current = await child(directory, head);
    let next: CID | undefined; // the new child; undefined removes the link
    if (rest.length === 0) {
      if (current?.type === "directory") throw new IpfsWriteError(`"${head}" (it is a directory)`);
      next = file ?? undefined;
    } else {
      if (current !== undefined && current.type !== "directory") {
        throw new IpfsWriteError(`a path under "${head}" (it is a file)`);
      }
      if (current === undefined && file === null) return directory;
      next = await setPath(current?.cid ?? (await emptyDirectory()), rest, file);
    }
    if (next === undefined) {
      if (current === undefined) return directory;
      // Helia's own shrink check over-counts nested shards and rebuilds the links' sizes from
      // the blocks, so it is switched off (threshold 0) and Kubo's rule applied instead.
      const pruned = await unshardIfSmall(
        await fs.rm(directory, head, { offline: true, shardSplitThresholdBytes: 0 }),
      );
      return (await isEmpty(pruned)) ? undefined : pruned;
    }
    return fs.cp(next, directory, head, { force: true, offline: true });
  };

  return {
    emptyDirectory,
    async applyChanges(root, changes) {
      let current = root;
      for (const [path, content] of Object.entries(changes)) {
        const segments = splitIpfsPath(path);
        if (segments.length === 0) throw new IpfsWriteError(`"${path}" (not a file path)`);
        try {
          const file = content === null ? null : await fs.addBytes(toBytes(content));
          current = (await setPath(current, segments, file)) ?? (await emptyDirectory());
        } catch (error) {
          // The editor's own refusals, and the blockstore's (a block that does not match its
          // CID, a service that cannot be reached), keep their class.
          if (error instanceof EnsgateError) throw error;
          throw new IpfsWriteError(`"${path}"`, error);
        }
      }
      return current;
    },
  };
}
