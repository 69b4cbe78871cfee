// The local records tree of one key set: <dataDir>/trees/<key name>/.well-known/... — exactly
// the files that `publish` puts on IPFS.
import { appendFile, mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { writeFileAtomic } from "./files.ts";

/** The folder of a key set's records tree. */
export function treeDir(dataDir: string, keyName: string): string {
  return join(dataDir, "trees", keyName);
}

/**
 * The tree's change journal: one relative path per line, appended after every write or removal,
 * so that `publish` re-reads only the files changed since the last publish instead of the whole
 * tree. It is not a `.json` file, so it is never part of the published tree.
 */
export const CHANGE_JOURNAL = ".ensgate-changes";

/** Appends `path` to the tree's change journal. */
async function journalChange(tree: string, path: string): Promise<void> {
  await mkdir(tree, { recursive: true });
  await appendFile(join(tree, CHANGE_JOURNAL), `${path}\n`);
}

/** Writes one record file (atomically) and journals the change. */
export async function writeTreeFile(tree: string, path: string, content: string): Promise<void> {
  await writeFileAtomic(join(tree, path), content);
  await journalChange(tree, path);
}

/** Removes one record file; false when it was not there. */
export async function removeTreeFile(tree: string, path: string): Promise<boolean> {
  try {
    await readFile(join(tree, path));
  } catch {
    return false;
  }
  await rm(join(tree, path));
  await journalChange(tree, path);
  return true;
}

/**
 * The paths journaled since the journal was last trimmed, and the journal's byte length they were
 * read at (pass it to `trimChangeJournal` once they are published).
 */
export async function readChangeJournal(
  tree: string,
): Promise<{ paths: string[]; length: number }> {
  let text: string;
  try {
    text = await readFile(join(tree, CHANGE_JOURNAL), "utf8");
  } catch {
    return { paths: [], length: 0 };
  }
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  const paths = [...new Set(complete.split("\n").filter((line) => line !== ""))];
  return { paths, length: Buffer.byteLength(complete) };
}

/**
 * Drops the first `length` bytes of the journal (the changes just published), keeping any
 * change journaled while the publish ran.
 */
export async function trimChangeJournal(tree: string, length: number): Promise<void> {
  const path = join(tree, CHANGE_JOURNAL);
  let rest: Buffer;
  try {
    rest = (await readFile(path)).subarray(length);
  } catch {
    return;
  }
  if (rest.length === 0) await rm(path, { force: true });
  else await writeFileAtomic(path, rest.toString("utf8"));
}

/** One file of the tree, or `null` when it is not there. */
export async function readTreeFile(tree: string, path: string): Promise<string | null> {
  try {
    return await readFile(join(tree, path), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Every file of the tree: relative path (with `/`) -> content. */
export async function readTree(tree: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  let entries: string[];
  try {
    entries = await readdir(tree, { recursive: true });
  } catch {
    return files;
  }
  for (const entry of entries) {
    if (!entry.endsWith(".json") || entry.endsWith(".tmp")) continue;
    const path = join(tree, entry);
    try {
      files[relative(tree, path).split(sep).join("/")] = await readFile(path, "utf8");
    } catch {
      // a folder named *.json: skip
    }
  }
  return files;
}
