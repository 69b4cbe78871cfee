// What publishing a records tree needs from an IPFS node: the embedded store and Kubo both provide
// it (openIpfsWriter opens either).
import type { CID } from "multiformats/cid";
import type { Hex } from "viem";
import type { DirectoryChanges, DirectoryFiles } from "./embeddedIpfs.ts";

/** Adds and updates UnixFS directories and publishes an IPNS name. */
export type IpfsWriter = {
  addDirectory(files: DirectoryFiles): Promise<{ toString(): string }>;
  updateDirectory(root: string, changes: DirectoryChanges): Promise<{ toString(): string }>;
  publishName(seedHex: Hex, cid: string): Promise<string>;
  /**
   * The CID at `path` under `root`, `undefined` when nothing is there. Optional: with it, a
   * republish diffs only the journaled paths against the published tree (see client/publishTree).
   */
  resolvePath?(root: string, path: string): Promise<{ toString(): string } | undefined>;
  /**
   * Optional (the embedded store): the raw blocks and signed IPNS records, which
   * `publish --pin/--routing` send to remote services (ipfs/remotePublish.ts).
   */
  getBlock?(cid: CID): Promise<Uint8Array | undefined>;
  getIpnsRecord?(name: string): Promise<Uint8Array | undefined>;
};
