// Publishing a records tree to IPFS + IPNS, incrementally: only files that changed since the
// last publish are uploaded (unchanged ones are neither re-signed nor re-sent). With a change
// journal (client/recordsTree.ts) and a writer that can resolve paths (the embedded store), a
// republish reads only the journaled files, so its cost does not grow with the tree.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CID } from "multiformats/cid";
import { sha256 as sha256Hasher } from "multiformats/hashes/sha2";
import type { Hex } from "viem";
import type { DirectoryChanges, IpfsWriter } from "../ipfs/index.ts";
import { writeFileAtomic } from "./files.ts";
import { readChangeJournal, readTree, readTreeFile, trimChangeJournal } from "./recordsTree.ts";

/** What was last published for a key set (kept in <dataDir>/published/<key name>.json). */
export type PublishState = {
  target: string;
  root: string;
  ipnsName: string;
  /** How many files the published tree holds. */
  fileCount?: number;
  /**
   * sha256 of each published file's content: kept only by a full-diff publish (a writer without
   * `resolvePath`, such as Kubo); a journaled publish diffs against the published tree instead.
   */
  files?: Record<string, string>;
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
const textEncoder = new TextEncoder();
const RAW_CODEC = 0x55;

/** The CID a small file gets as one raw leaf (CIDv1, raw, sha2-256): how the writers store it. */
async function rawLeafCid(content: string): Promise<string> {
  const digest = await sha256Hasher.digest(textEncoder.encode(content));
  return CID.createV1(RAW_CODEC, digest).toString();
}

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

type PublishParameters = {
  ipfs: IpfsWriter;
  target: string;
  dataDir: string;
  keyName: string;
  seed: Hex;
} & (
  | {
      /** The whole tree: relative path -> content (diffed by content hash). */
      files: Record<string, string>;
      tree?: undefined;
    }
  | {
      /** The tree's folder (client/recordsTree.ts): its change journal drives a republish. */
      tree: string;
      files?: undefined;
    }
);

/** A tree change set and the counts it stands for. */
type Diff = { changes: DirectoryChanges; uploaded: number; removed: number; fileCount: number };

/**
 * Publishes a records tree under the IPNS key of `seed`: the whole tree the first time (or on a
 * new target), else only the changes since the last publish. The state is saved only after the
 * IPNS record is published, so a failure leaves the previous state (and publish) in force.
 */
export async function publishTree(parameters: PublishParameters): Promise<PublishResult> {
  const { ipfs, target, dataDir, keyName, seed } = parameters;
  const previous = await loadPublishState(dataDir, keyName);
  const journal =
    parameters.tree === undefined ? undefined : await readChangeJournal(parameters.tree);
  const samePlace = previous !== undefined && previous.target === target;
  let files: Record<string, string> | undefined;
  let hashes: Record<string, string> | undefined;
  let diff: Diff | undefined;
  if (
    samePlace &&
    parameters.tree !== undefined &&
    journal !== undefined &&
    ipfs.resolvePath !== undefined &&
    previous.fileCount !== undefined
  ) {
    diff = await journalDiff(ipfs, previous, parameters.tree, journal.paths);
  } else {
    files = parameters.files ?? (await readTree(parameters.tree as string));
    const current = files;
    hashes = Object.fromEntries(
      Object.entries(current).map(([path, content]) => [path, sha256(content)]),
    );
    if (samePlace && previous.files !== undefined) diff = hashDiff(previous.files, current, hashes);
  }

  let root: string;
  let uploaded: number;
  let removed: number;
  let fileCount: number;
  if (diff !== undefined && previous !== undefined) {
    ({ uploaded, removed, fileCount } = diff);
    if (uploaded + removed === 0) root = previous.root;
    else
      try {
        root = (await ipfs.updateDirectory(previous.root, diff.changes)).toString();
      } catch {
        // The previous root is gone from this node (e.g. a wiped store): upload the whole tree.
        files ??= await readTree(parameters.tree as string);
        root = (await ipfs.addDirectory(files)).toString();
        uploaded = fileCount = Object.keys(files).length;
        removed = 0;
      }
  } else {
    files ??= await readTree(parameters.tree as string);
    root = (await ipfs.addDirectory(files)).toString();
    uploaded = fileCount = Object.keys(files).length;
    removed = 0;
  }
  const ipnsName = await ipfs.publishName(seed, root);
  // A writer that can resolve paths needs no hash list: the next publish diffs the journal
  // against the published tree itself (a 100,000-file hash list costs more than the publish).
  const state: PublishState = {
    target,
    root,
    ipnsName,
    fileCount,
    ...((ipfs.resolvePath === undefined || parameters.tree === undefined) && hashes !== undefined
      ? { files: hashes }
      : {}),
  };
  await writeFileAtomic(publishStatePath(dataDir, keyName), `${JSON.stringify(state, null, 2)}\n`);
  if (parameters.tree !== undefined && journal !== undefined)
    await trimChangeJournal(parameters.tree, journal.length);
  return { root, ipnsName, uploaded, removed, unchanged: fileCount - uploaded };
}

/** The changes of a whole tree against the hashes last published. */
function hashDiff(
  previous: Record<string, string>,
  files: Record<string, string>,
  hashes: Record<string, string>,
): Diff {
  const changes: DirectoryChanges = {};
  let uploaded = 0;
  let removed = 0;
  for (const [path, hash] of Object.entries(hashes))
    if (previous[path] !== hash) {
      changes[path] = files[path] as string;
      uploaded++;
    }
  for (const path of Object.keys(previous))
    if (!(path in hashes)) {
      changes[path] = null;
      removed++;
    }
  return { changes, uploaded, removed, fileCount: Object.keys(files).length };
}

/**
 * The changes of the journaled paths only: each is read from disk and compared with what the
 * published tree holds at that path (by CID), so a rewrite with the same content uploads nothing.
 */
async function journalDiff(
  ipfs: IpfsWriter,
  previous: PublishState,
  tree: string,
  paths: string[],
): Promise<Diff> {
  const resolvePath = ipfs.resolvePath as NonNullable<IpfsWriter["resolvePath"]>;
  const changes: DirectoryChanges = {};
  let uploaded = 0;
  let removed = 0;
  let fileCount = previous.fileCount as number;
  for (const path of paths) {
    const [content, published] = await Promise.all([
      readTreeFile(tree, path),
      resolvePath(previous.root, path).then((cid) => cid?.toString()),
    ]);
    if (content === null) {
      if (published === undefined) continue;
      changes[path] = null;
      removed++;
      fileCount--;
    } else {
      if (published === (await rawLeafCid(content))) continue;
      changes[path] = content;
      uploaded++;
      if (published === undefined) fileCount++;
    }
  }
  return { changes, uploaded, removed, fileCount };
}
