// The local records tree of one key set: <dataDir>/trees/<key name>/.well-known/... — exactly
// the files that `publish` puts on IPFS.
import { readdir, readFile, rm } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { writeFileAtomic } from "./files.ts";

/** The folder of a key set's records tree. */
export function treeDir(dataDir: string, keyName: string): string {
  return join(dataDir, "trees", keyName);
}

/** Writes one record file (atomically). */
export async function writeTreeFile(tree: string, path: string, content: string): Promise<void> {
  await writeFileAtomic(join(tree, path), content);
}

/** Removes one record file; false when it was not there. */
export async function removeTreeFile(tree: string, path: string): Promise<boolean> {
  try {
    await readFile(join(tree, path));
  } catch {
    return false;
  }
  await rm(join(tree, path));
  return true;
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
