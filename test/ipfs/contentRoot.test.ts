import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import {
  formatIpnsName,
  InvalidContentRootError,
  InvalidIpfsPathError,
  parseCid,
  parseContentRoot,
  parseIpnsName,
  splitIpfsPath,
} from "../../ipfs/index.ts";

import { deriveIpnsName, ipnsPrivateKeyFromSeed } from "../../lib/index.ts";

const CID_V1 = "bafybeicbdw4iik7ow5m4f6skvlbi3id37ofq5m4xpu7cnvdgbrol2k2aea";
const CID_V0 = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";

describe("content roots", () => {
  it("parses IPNS names in k51, base32 and peer-ID spellings to the same key", async () => {
    const name = await deriveIpnsName(`0x${"11".repeat(32)}`);
    const key = parseIpnsName(name);
    assert.equal(formatIpnsName(key), name);
    assert.ok(parseIpnsName(key.toString()).equals(key));
    const seed = `0x${"11".repeat(32)}` as const;
    const peerId = peerIdFromPrivateKey(await ipnsPrivateKeyFromSeed(seed)).toString();
    assert.match(peerId, /^12D3KooW/);
    assert.ok(parseIpnsName(peerId).equals(key));
    assert.deepEqual(parseContentRoot(peerId), { kind: "ipns", name: key });
    assert.deepEqual(parseContentRoot(`/ipns/${name}`), { kind: "ipns", name: key });
    assert.deepEqual(parseContentRoot(name), { kind: "ipns", name: key });
    assert.deepEqual(parseContentRoot(key), { kind: "ipns", name: key });
  });

  it("parses CIDs, /ipfs/ paths and CIDv0", () => {
    const root = parseContentRoot(`/ipfs/${CID_V1}/`);
    assert.equal(root.kind, "ipfs");
    assert.equal(root.kind === "ipfs" && root.cid.toString(), CID_V1);
    assert.equal(parseCid(CID_V0).version, 0);
    assert.equal(parseContentRoot(CID_V1).kind, "ipfs");
  });

  it("rejects garbage and content CIDs used as IPNS names", () => {
    for (const bad of ["", "not-a-cid", "k51xyz", `/ipfs/${CID_V1}/sub/path`, "/ipns/"]) {
      assert.throws(() => parseContentRoot(bad), InvalidContentRootError, bad);
    }
    assert.throws(() => parseIpnsName(CID_V1), InvalidContentRootError);
    assert.throws(() => parseIpnsName("12D3KooWgarbage"), InvalidContentRootError);
  });

  it("splits paths and rejects empty, . and .. segments", () => {
    assert.deepEqual(splitIpfsPath("/.well-known/eth/alice/"), [".well-known", "eth", "alice"]);
    assert.deepEqual(splitIpfsPath(""), []);
    assert.deepEqual(splitIpfsPath("/"), []);
    for (const bad of ["a//b", "a/./b", "../a", "a/.."]) {
      assert.throws(() => splitIpfsPath(bad), InvalidIpfsPathError, bad);
    }
  });
});
