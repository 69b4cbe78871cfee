// The fast path reader (ipfs/unixfsPath.ts) against its reference, ipfs-unixfs-exporter: on random
// trees built by ipfs-unixfs-importer (plain directories, HAMT shards of several fanouts and
// depths, files of one block and of many, raw and dag-pb leaves), every path must name the same
// thing and read the same bytes, and every missing name must be missing in both.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as dagPb from "@ipld/dag-pb";
import { MemoryBlockstore } from "blockstore-core/memory";
import { UnixFS } from "ipfs-unixfs";
import { exporter } from "ipfs-unixfs-exporter";
import { importer } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import type { CID } from "multiformats/cid";
import { createUnixfsPathReader, hamtIndex, type UnixfsPathEntry } from "../../ipfs/unixfsPath.ts";

/** A deterministic pseudo-random generator (xorshift32), so a failure reproduces. */
function random(seed: number) {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const DIRECTORIES = [".well-known/eth/a", ".well-known/eth/a/text", ".well-known/eth/b", "x"];

type Tree = { root: CID; store: MemoryBlockstore; files: Map<string, Uint8Array> };

async function buildTree(
  seed: number,
  options: { files: number; fanoutBits: number; shardBytes: number; rawLeaves: boolean },
): Promise<Tree> {
  const next = random(seed);
  const files = new Map<string, Uint8Array>();
  for (let index = 0; index < options.files; index++) {
    const directory = DIRECTORIES[Math.floor(next() * DIRECTORIES.length)] as string;
    const name = `n${index}-${Math.floor(next() * 1e9).toString(36)}.json`;
    // Mostly small record files; a few span several 512-byte chunks.
    const size = next() < 0.1 ? 600 + Math.floor(next() * 3000) : Math.floor(next() * 200);
    files.set(
      `${directory}/${name}`,
      Uint8Array.from({ length: size }, () => Math.floor(next() * 256)),
    );
  }
  const store = new MemoryBlockstore();
  let root: CID | undefined;
  for await (const entry of importer(
    [...files].map(([path, content]) => ({ path, content })),
    store,
    {
      cidVersion: 1,
      rawLeaves: options.rawLeaves,
      wrapWithDirectory: true,
      shardSplitThresholdBytes: options.shardBytes,
      shardSplitStrategy: "links-bytes",
      shardFanoutBits: options.fanoutBits,
      chunker: fixedSize({ chunkSize: 512 }),
    },
  ))
    root = entry.cid;
  return { root: root as CID, store, files };
}

/** One block's bytes (the blockstore streams them in chunks). */
async function blockBytes(store: MemoryBlockstore, cid: CID): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of store.get(cid)) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The reference answer for a path, from the exporter. */
async function exporterEntry(tree: Tree, path: string): Promise<UnixfsPathEntry> {
  try {
    const entry = await exporter(`${tree.root}/${path}`, tree.store);
    if (entry.type === "directory") return { kind: "directory", cid: entry.cid };
    return { kind: "file", cid: entry.cid };
  } catch (error) {
    if ((error as Error).name === "NotFoundError") return { kind: "missing" };
    throw error;
  }
}

async function exporterBytes(tree: Tree, path: string): Promise<Uint8Array> {
  const entry = await exporter(`${tree.root}/${path}`, tree.store);
  if (entry.type !== "file" && entry.type !== "raw") throw new Error(`${path} is ${entry.type}`);
  const chunks: Uint8Array[] = [];
  for await (const chunk of entry.content()) chunks.push(chunk as Uint8Array);
  return new Uint8Array(Buffer.concat(chunks));
}

const describeEntry = (entry: UnixfsPathEntry) =>
  entry.kind === "missing" ? "missing" : `${entry.kind} ${entry.cid}`;

const shapes = [
  { files: 40, fanoutBits: 8, shardBytes: 256 * 1024, rawLeaves: true }, // plain directories
  { files: 400, fanoutBits: 8, shardBytes: 2000, rawLeaves: true }, // one-level shards
  { files: 400, fanoutBits: 2, shardBytes: 500, rawLeaves: false }, // deep shards, dag-pb leaves
  { files: 300, fanoutBits: 4, shardBytes: 1000, rawLeaves: true }, // sub-shards at fanout 16
];

describe("UnixFS path reader (differential against ipfs-unixfs-exporter)", () => {
  for (const [index, shape] of shapes.entries()) {
    it(`tree ${index}: ${shape.files} files, fanout 2^${shape.fanoutBits}, shard past ${shape.shardBytes} B`, async () => {
      const tree = await buildTree(1000 + index, shape);
      const reader = createUnixfsPathReader({ cacheBytes: 64 * 1024 });
      let fetched = 0;
      const getBlock = async (cid: CID) => {
        fetched++;
        return blockBytes(tree.store, cid);
      };
      const paths = [
        ...tree.files.keys(),
        ".well-known/eth/a",
        ".well-known",
        "",
        ...[...tree.files.keys()].slice(0, 60).map((path) => `${path}.missing`),
        ".well-known/eth/nobody/addr/60.json",
        "x/absent",
      ];
      // Below a file nothing exists (the exporter's answers there vary by leaf type, so no reference).
      for (const path of [...tree.files.keys()].slice(0, 20))
        assert.deepEqual(await reader.resolve(tree.root, `${path}/below`, getBlock), {
          kind: "missing",
        });
      let sharded = false;
      for (const path of paths) {
        const expected = await exporterEntry(tree, path);
        const actual = await reader.resolve(tree.root, path, getBlock);
        assert.equal(describeEntry(actual), describeEntry(expected), path);
        if (actual.kind === "file") {
          const bytes = await reader.readFile(actual.cid, getBlock);
          assert.deepEqual(bytes, await exporterBytes(tree, path), path);
          assert.deepEqual(bytes, tree.files.get(path), path);
        }
      }
      for (const directory of DIRECTORIES) {
        const entry = await reader.resolve(tree.root, directory, getBlock);
        assert.equal(entry.kind, "directory", directory);
        if (entry.kind !== "directory") continue;
        const node = dagPb.decode(await blockBytes(tree.store, entry.cid));
        if (UnixFS.unmarshal(node.Data as Uint8Array).type === "hamt-sharded-directory")
          sharded = true;
      }
      assert.equal(sharded, shape.shardBytes < 256 * 1024, "shape shards as intended");
      assert.ok(fetched > 0);
    });
  }

  it("reads each directory block once while it stays cached", async () => {
    const tree = await buildTree(7, {
      files: 400,
      fanoutBits: 8,
      shardBytes: 2000,
      rawLeaves: true,
    });
    const reader = createUnixfsPathReader();
    const requested = new Map<string, number>();
    const getBlock = async (cid: CID) => {
      requested.set(cid.toString(), (requested.get(cid.toString()) ?? 0) + 1);
      return blockBytes(tree.store, cid);
    };
    for (let round = 0; round < 3; round++)
      for (const path of tree.files.keys()) await reader.resolve(tree.root, path, getBlock);
    // Files are read per lookup; directory and shard blocks only once.
    const directoriesFetchedTwice: string[] = [];
    for (const [cid, count] of requested) {
      const entry = await exporter(cid, tree.store);
      if (count > 1 && entry.type === "directory") directoriesFetchedTwice.push(cid);
    }
    assert.ok(requested.size > 10);
    assert.deepEqual(directoriesFetchedTwice, [], "a block was fetched twice");
  });

  it("refuses a file read past its size limit and a non-UnixFS block", async () => {
    const tree = await buildTree(9, {
      files: 40,
      fanoutBits: 8,
      shardBytes: 256 * 1024,
      rawLeaves: true,
    });
    const reader = createUnixfsPathReader();
    const getBlock = async (cid: CID) => blockBytes(tree.store, cid);
    const [path, content] = [...tree.files].find(([, bytes]) => bytes.length > 600) as [
      string,
      Uint8Array,
    ];
    const entry = await reader.resolve(tree.root, path, getBlock);
    assert.equal(entry.kind, "file");
    if (entry.kind !== "file") return;
    await assert.rejects(reader.readFile(entry.cid, getBlock, content.length - 1), {
      name: "UnixfsFormatError",
      message: `file ${entry.cid} is over ${content.length - 1} bytes`,
    });
    const garbage = async () => Uint8Array.of(0xff, 0xff, 0xff);
    await assert.rejects(createUnixfsPathReader().resolve(tree.root, "x/y", garbage), {
      name: "UnixfsFormatError",
      message: new RegExp(`^block ${tree.root} is not dag-pb UnixFS: `),
    });
  });

  it("takes the HAMT index from the hash's bits, most significant first", () => {
    const hash = Uint8Array.of(0b1010_0101, 0b1111_0000, 0, 0, 0, 0, 0, 0x01);
    assert.equal(hamtIndex(hash, 0, 8), 0b1010_0101);
    assert.equal(hamtIndex(hash, 1, 8), 0b1111_0000);
    assert.equal(hamtIndex(hash, 0, 4), 0b1010);
    assert.equal(hamtIndex(hash, 1, 4), 0b0101);
    assert.equal(hamtIndex(hash, 2, 2), 0b01);
    assert.equal(hamtIndex(hash, 4, 2), 0b11);
    assert.equal(hamtIndex(hash, 31, 2), 0b01);
    assert.throws(() => hamtIndex(hash, 8, 8), { name: "UnixfsShardTooDeepError" });
  });
});
