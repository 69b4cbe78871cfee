// HAMT-sharded `.well-known` directories: the embedded store's trees must be the ones Kubo makes
// for the same files (same root CID), whether built in one add or by single-file updates, and a
// one-file change must write only the blocks on its path.
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as dagPb from "@ipld/dag-pb";
import { MemoryBlockstore } from "blockstore-core/memory";
import { UnixFS } from "ipfs-unixfs";
import { importer } from "ipfs-unixfs-importer";
import { createEmbeddedIpfs, type EmbeddedIpfs } from "../../ipfs/embeddedIpfs.ts";
import { makeTempDirectory } from "./helpers.ts";

/**
 * Kubo's sharding parameters (boxo `HAMTShardingSize`, `linksize` estimation): a directory becomes
 * a HAMT when the sum of its links' name bytes + CID bytes exceeds 256 KiB; fanout 256 (8 bits),
 * murmur3-x64-64 for the bucket hash; CIDv1 with raw leaves as `ipfs add --cid-version 1`.
 */
const KUBO_SHARDING = {
  cidVersion: 1,
  rawLeaves: true,
  shardSplitThresholdBytes: 256 * 1024,
  shardSplitStrategy: "links-bytes",
  shardFanoutBits: 8,
} as const;

/** The root CID ipfs-unixfs-importer computes for `files` with Kubo's parameters. */
async function kuboRoot(files: Record<string, string>): Promise<string> {
  let root: string | undefined;
  const entries = Object.entries(files).map(([path, content]) => ({
    path,
    content: new TextEncoder().encode(content),
  }));
  for await (const entry of importer(entries, new MemoryBlockstore(), {
    ...KUBO_SHARDING,
    wrapWithDirectory: true,
  }))
    root = entry.cid.toString();
  return root as string;
}

/** The UnixFS type of the directory block at `path` ("directory" or "hamt-sharded-directory"). */
async function directoryType(ipfs: EmbeddedIpfs, root: string, path: string): Promise<string> {
  const cid = await ipfs.resolvePath(root, path);
  assert.ok(cid, `nothing at ${path}`);
  const block = await ipfs.getBlock(cid);
  assert.ok(block);
  return UnixFS.unmarshal(dagPb.decode(block).Data as Uint8Array).type;
}

const DIRECTORY = ".well-known/eth/bench/text";
// Long names make the threshold cross with few files: each link is about 36 + 210 bytes.
const fileName = (index: number) => `key${String(index).padStart(5, "0")}-${"n".repeat(200)}.json`;
const recordFiles = (from: number, to: number) =>
  Object.fromEntries(
    Array.from({ length: to - from }, (_, offset) => [
      `${DIRECTORY}/${fileName(from + offset)}`,
      JSON.stringify({ index: from + offset }),
    ]),
  );
/** How many such links fit in 256 KiB (name bytes + 36 CID bytes each). */
const LINKS_AT_THRESHOLD = Math.floor((256 * 1024) / (fileName(0).length + 36));

describe("HAMT-sharded directories", () => {
  it("a directory past 256 KiB of links is a HAMT with the root CID Kubo's parameters give", async () => {
    const temp = await makeTempDirectory();
    const ipfs = await createEmbeddedIpfs({ directory: temp.path });
    try {
      const below = recordFiles(0, LINKS_AT_THRESHOLD);
      const above = recordFiles(0, LINKS_AT_THRESHOLD + 1);
      const flatRoot = (await ipfs.addDirectory(below)).toString();
      const shardedRoot = (await ipfs.addDirectory(above)).toString();
      assert.equal(await directoryType(ipfs, flatRoot, DIRECTORY), "directory");
      assert.equal(await directoryType(ipfs, shardedRoot, DIRECTORY), "hamt-sharded-directory");
      assert.equal(flatRoot, await kuboRoot(below));
      assert.equal(shardedRoot, await kuboRoot(above));
      // Files read back through the shard.
      const last = `${DIRECTORY}/${fileName(LINKS_AT_THRESHOLD)}`;
      assert.deepEqual(
        JSON.parse(new TextDecoder().decode(await ipfs.readFile(shardedRoot, last))),
        { index: LINKS_AT_THRESHOLD },
      );
      assert.equal(await ipfs.readFile(shardedRoot, `${DIRECTORY}/missing.json`), undefined);
    } finally {
      await ipfs.stop();
      await temp.remove();
    }
  });

  it("single-file updates cross the threshold both ways and match a fresh import", async () => {
    const temp = await makeTempDirectory();
    const ipfs = await createEmbeddedIpfs({ directory: temp.path });
    try {
      const files = recordFiles(0, LINKS_AT_THRESHOLD - 2);
      let root = (await ipfs.addDirectory(files)).toString();
      assert.equal(await directoryType(ipfs, root, DIRECTORY), "directory");
      // Grow past the threshold one file at a time: the update that crosses it shards.
      for (let index = LINKS_AT_THRESHOLD - 2; index < LINKS_AT_THRESHOLD + 2; index++) {
        const path = `${DIRECTORY}/${fileName(index)}`;
        files[path] = JSON.stringify({ index });
        root = (await ipfs.updateDirectory(root, { [path]: files[path] as string })).toString();
        assert.equal(root, await kuboRoot(files), `after adding file ${index}`);
      }
      assert.equal(await directoryType(ipfs, root, DIRECTORY), "hamt-sharded-directory");
      // Shrink below it again: the HAMT turns back into a plain directory, as Kubo's MFS does.
      for (let index = LINKS_AT_THRESHOLD + 1; index >= LINKS_AT_THRESHOLD - 1; index--) {
        const path = `${DIRECTORY}/${fileName(index)}`;
        delete files[path];
        root = (await ipfs.updateDirectory(root, { [path]: null })).toString();
        assert.equal(root, await kuboRoot(files), `after removing file ${index}`);
      }
      assert.equal(await directoryType(ipfs, root, DIRECTORY), "directory");
    } finally {
      await ipfs.stop();
      await temp.remove();
    }
  });

  it("a one-file change in a 8,000-file HAMT writes only the blocks on its path", async () => {
    const temp = await makeTempDirectory();
    const ipfs = await createEmbeddedIpfs({ directory: temp.path });
    try {
      const files: Record<string, string> = {};
      for (let index = 0; index < 8000; index++)
        files[`${DIRECTORY}/key${index}.json`] = JSON.stringify({ index });
      const root = (await ipfs.addDirectory(files)).toString();
      assert.equal(await directoryType(ipfs, root, DIRECTORY), "hamt-sharded-directory");
      const countBlocks = async () =>
        (await readdir(join(temp.path, "blocks"), { recursive: true })).filter((file) =>
          file.endsWith(".data"),
        ).length;
      const before = await countBlocks();
      const changed = `${DIRECTORY}/key7.json`;
      const updated = (await ipfs.updateDirectory(root, { [changed]: "changed" })).toString();
      // The leaf, the sub-shard and root shard of text/, then bench/, eth/, .well-known/ and the
      // root: 7 blocks, whatever the directory's size.
      assert.equal((await countBlocks()) - before, 7);
      files[changed] = "changed";
      assert.equal(updated, await kuboRoot(files));
    } finally {
      await ipfs.stop();
      await temp.remove();
    }
  });
});
