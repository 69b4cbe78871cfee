// Publishing a records tree to IPFS + IPNS, incrementally: only files that changed since the
// last publish are uploaded (unchanged ones are neither re-signed nor re-sent).
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Hex } from "viem";
import type { DirectoryChanges, IpfsWriter } from "../ipfs/index.ts";
import { writeFileAtomic } from "./files.ts";

/** What was last published for a key set (kept in <dataDir>/published/<key name>.json). */
export type PublishState = {
  target: string;
  root: string;
  ipnsName: string;
  /** sha256 of each published file's content. */
  files: Record<string, string>;
};

/** The outcome of one publish. */
export type PublishResult = {
  root: string;
  ipnsName: string;
  uploaded: number;
  removed: number;
  unchanged: number;
};

const sha256 = (content: string) => createHash("sha256").update(content).digest("hex");

/** The file holding a key set's publish state. */
export function publishStatePath(dataDir: string, keyName: string): string {
  return join(dataDir, "published", `${keyName}.json`);
}

/** Loads the last publish state, or undefined. */
export async function loadPublishState(
  dataDir: string,
  keyName: string,
): Promise<PublishState | undefined> {
  try {
    return JSON.parse(await readFile(publishStatePath(dataDir, keyName), "utf8")) as PublishState;
  } catch {
    return undefined;
  }
}

/**
 * Publishes `files` under the IPNS key of `seed`: the whole tree the first time (or on a new
 * target), else only the changes since the last publish. The state is saved only after the IPNS
 * record is published, so a failure leaves the previous state (and publish) in force.
 */
export async function publishTree(parameters: {
  ipfs: IpfsWriter;
  target: string;
  dataDir: string;
  keyName: string;
  seed: Hex;
  files: Record<string, string>;
}): Promise<PublishResult> {
  const { ipfs, target, dataDir, keyName, seed, files } = parameters;
  const previous = await loadPublishState(dataDir, keyName);
  const hashes = Object.fromEntries(
    Object.entries(files).map(([path, content]) => [path, sha256(content)]),
  );
  let root: string;
  let uploaded = 0;
  let removed = 0;
  if (previous && previous.target === target) {
    const changes: DirectoryChanges = {};
    for (const [path, hash] of Object.entries(hashes))
      if (previous.files[path] !== hash) {
        changes[path] = files[path] as string;
        uploaded++;
      }
    for (const path of Object.keys(previous.files))
      if (!(path in hashes)) {
        changes[path] = null;
        removed++;
      }
    if (uploaded + removed === 0) root = previous.root;
    else
      try {
        root = (await ipfs.updateDirectory(previous.root, changes)).toString();
      } catch {
        // The previous root is gone from this node (e.g. a wiped store): upload the whole tree.
        root = (await ipfs.addDirectory(files)).toString();
        uploaded = Object.keys(files).length;
        removed = 0;
      }
  } else {
    root = (await ipfs.addDirectory(files)).toString();
    uploaded = Object.keys(files).length;
  }
  const ipnsName = await ipfs.publishName(seed, root);
  const state: PublishState = { target, root, ipnsName, files: hashes };
  await writeFileAtomic(publishStatePath(dataDir, keyName), `${JSON.stringify(state, null, 2)}\n`);
  return { root, ipnsName, uploaded, removed, unchanged: Object.keys(files).length - uploaded };
}
