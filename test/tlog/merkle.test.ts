// RFC 6962 hashing and proofs: the reference vectors of the 8-leaf tree, then every tree size
// from 1 to 1,000 built through the tiles (partial tiles included): the root at each size is
// MTH by the definition, and inclusion and consistency proofs read from the tiles verify and
// equal the reference proofs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import {
  consistencyProof,
  EMPTY_TREE_ROOT,
  inclusionProof,
  leafHash,
  TileReader,
  TlogInclusionProofError,
  TlogInconsistentError,
  verifyConsistency,
  verifyInclusion,
} from "../../lib/tlog/index.ts";
import { MemoryLog, referenceTree, testEntry } from "./memoryLog.ts";

const hex = (hashes: readonly Uint8Array[]) => hashes.map(bytesToHex);

// The RFC 6962 reference test tree: 8 leaves, and its roots at sizes 1-8.
const LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map(hexToBytes);
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const INCLUSION = [
  {
    index: 0,
    size: 8,
    path: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { index: 2, size: 3, path: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  {
    index: 1,
    size: 5,
    path: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];
const CONSISTENCY = [
  {
    old: 1,
    size: 8,
    path: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    old: 6,
    size: 8,
    path: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    old: 2,
    size: 5,
    path: [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];

describe("RFC 6962 reference tree", () => {
  const log = new MemoryLog();
  for (const leaf of LEAVES) log.append([leaf]);
  const reader = (size: number) =>
    new TileReader(log.source(), { size, root: log.roots[size] as Uint8Array });

  it("the empty tree's root is SHA-256 of nothing", () => {
    assert.equal(
      bytesToHex(EMPTY_TREE_ROOT),
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    assert.equal(bytesToHex(log.roots[0] as Uint8Array), bytesToHex(EMPTY_TREE_ROOT));
  });

  it("roots at sizes 1 to 8", () => {
    assert.deepEqual(hex(log.roots.slice(1)), ROOTS);
  });

  it("inclusion proofs (from the tiles) and their verification", async () => {
    for (const { index, size, path } of INCLUSION) {
      const proof = await reader(size).inclusionProof(index);
      assert.deepEqual(hex(proof), path, `leaf ${index} of ${size}`);
      verifyInclusion(
        index,
        size,
        leafHash(LEAVES[index] as Uint8Array),
        proof,
        hexToBytes(ROOTS[size - 1] as string),
      );
    }
  });

  it("consistency proofs (from the tiles) and their verification", async () => {
    for (const { old, size, path } of CONSISTENCY) {
      const proof = await reader(size).consistencyProof(old);
      assert.deepEqual(hex(proof), path, `${old} -> ${size}`);
      verifyConsistency(
        old,
        size,
        hexToBytes(ROOTS[old - 1] as string),
        hexToBytes(ROOTS[size - 1] as string),
        proof,
      );
    }
  });

  it("a wrong sibling, index, size or root fails the inclusion check", () => {
    const { index, size, path } = INCLUSION[1] as (typeof INCLUSION)[number];
    const proof = path.map(hexToBytes);
    const leaf = leafHash(LEAVES[index] as Uint8Array);
    const root = hexToBytes(ROOTS[size - 1] as string);
    const flipped = proof.map((hash, position) =>
      position === 1 ? Uint8Array.from(hash, (byte, at) => (at === 0 ? byte ^ 1 : byte)) : hash,
    );
    assert.throws(() => verifyInclusion(index, size, leaf, flipped, root), TlogInclusionProofError);
    assert.throws(
      () => verifyInclusion(index + 1, size, leaf, proof, root),
      TlogInclusionProofError,
    );
    assert.throws(
      () => verifyInclusion(index, size + 1, leaf, proof, root),
      TlogInclusionProofError,
    );
    assert.throws(
      () => verifyInclusion(index, size, leaf, proof.slice(0, 2), root),
      TlogInclusionProofError,
    );
    assert.throws(
      () => verifyInclusion(index, size, leaf, [...proof, root], root),
      TlogInclusionProofError,
    );
    assert.throws(() => verifyInclusion(size, size, leaf, proof, root), TlogInclusionProofError);
    assert.throws(
      () => verifyInclusion(index, size, leaf, proof, hexToBytes(ROOTS[0] as string)),
      TlogInclusionProofError,
    );
  });

  it("a wrong proof, old root or new root fails the consistency check", () => {
    const { old, size, path } = CONSISTENCY[1] as (typeof CONSISTENCY)[number];
    const proof = path.map(hexToBytes);
    const oldRoot = hexToBytes(ROOTS[old - 1] as string);
    const newRoot = hexToBytes(ROOTS[size - 1] as string);
    assert.throws(
      () => verifyConsistency(old, size, newRoot, newRoot, proof),
      TlogInconsistentError,
    );
    assert.throws(
      () => verifyConsistency(old, size, oldRoot, oldRoot, proof),
      TlogInconsistentError,
    );
    assert.throws(
      () => verifyConsistency(old, size, oldRoot, newRoot, proof.slice(1)),
      TlogInconsistentError,
    );
    assert.throws(() => verifyConsistency(old, size, oldRoot, newRoot, []), TlogInconsistentError);
    assert.throws(
      () => verifyConsistency(old - 1, size, oldRoot, newRoot, proof),
      TlogInconsistentError,
    );
    assert.throws(() => verifyConsistency(size, old, newRoot, oldRoot, proof), /shrank/);
    assert.throws(() => verifyConsistency(old, old, oldRoot, newRoot, []), /two different roots/);
  });
});

describe("every tree size from 1 to 1,000, through the tiles", () => {
  const MAX = 1000;
  const log = new MemoryLog();
  // One entry per publication, so every size has its own checkpoint and partial tiles.
  for (let index = 0; index < MAX; index++) log.append([testEntry(index)]);
  const reference = referenceTree(log.entries);
  /** Sizes at which every consistency pair (m, n) is checked. */
  const ALL_PAIRS_SIZES = new Set([
    ...Array.from({ length: 40 }, (_, n) => n + 1),
    255,
    256,
    257,
    511,
    512,
    513,
    768,
    1000,
  ]);

  it("the root at each size is MTH by the definition", () => {
    for (let size = 1; size <= MAX; size++)
      assert.equal(
        bytesToHex(log.roots[size] as Uint8Array),
        bytesToHex(reference.mth(0, size)),
        `size ${size}`,
      );
  });

  it("a log appended in uneven batches has the same roots and the same tiles", () => {
    const batched = new MemoryLog();
    for (let start = 0, step = 1; start < MAX; start += step, step = (step * 7 + 3) % 300) {
      const end = Math.min(MAX, start + step);
      batched.append(log.entries.slice(start, end));
      assert.equal(
        bytesToHex(batched.roots[end] as Uint8Array),
        bytesToHex(log.roots[end] as Uint8Array),
        `size ${end}`,
      );
    }
    for (const [path, bytes] of batched.files) assert.deepEqual(bytes, log.files.get(path), path);
  });

  it("inclusion and consistency proofs read from the tiles verify at every size", async () => {
    let inclusions = 0;
    let pairs = 0;
    for (let size = 1; size <= MAX; size++) {
      const root = log.roots[size] as Uint8Array;
      // One reader per size: it trusts only that size's root and checks every tile it reads.
      const reader = new TileReader(log.source(), { size, root });
      // Inclusion: first, last, middle and tile-edge leaves, and one that moves with the size.
      const indexes = [0, size - 1, Math.floor(size / 2), (size * 37) % size, 255, 256];
      for (const index of new Set(indexes.filter((index) => index < size))) {
        const proof = await reader.inclusionProof(index);
        const expected = await inclusionProof(index, size, async (a, b) => reference.mth(a, b));
        assert.deepEqual(hex(proof), hex(expected), `leaf ${index} of ${size}`);
        verifyInclusion(index, size, reference.leaves[index] as Uint8Array, proof, root);
        inclusions++;
      }
      assert.deepEqual(await reader.entry(size - 1), log.entries[size - 1]);
      // Consistency: every old size m for small and tile-edge sizes, a sample for the others.
      const olds = ALL_PAIRS_SIZES.has(size)
        ? Array.from({ length: size + 1 }, (_, m) => m)
        : [0, 1, size - 1, size, Math.floor(size / 2), (size * 131) % size, 255, 256, 257];
      for (const old of new Set(olds.filter((m) => m <= size))) {
        const proof = await reader.consistencyProof(old);
        const expected = await consistencyProof(old, size, async (a, b) => reference.mth(a, b));
        assert.deepEqual(hex(proof), hex(expected), `${old} -> ${size}`);
        verifyConsistency(old, size, log.roots[old] as Uint8Array, root, proof);
        if (old > 0 && old < size)
          assert.throws(
            () => verifyConsistency(old, size, log.roots[old - 1] as Uint8Array, root, proof),
            TlogInconsistentError,
          );
        pairs++;
      }
    }
    assert.ok(inclusions > 4 * MAX, `${inclusions} inclusion proofs`);
    assert.ok(pairs > 10_000, `${pairs} consistency pairs`);
  });
});
