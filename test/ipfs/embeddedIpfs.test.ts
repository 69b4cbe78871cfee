import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { multihashToIPNSRoutingKey, unmarshalIPNSRecord } from "ipns";
import { ipnsValidator } from "ipns/validator";
import { CID } from "multiformats/cid";
import type { MultihashDigest } from "multiformats/hashes/interface";
import { parseIpnsName } from "../../ipfs/contentRoot.ts";
import { createEmbeddedIpfs, type EmbeddedIpfs } from "../../ipfs/embeddedIpfs.ts";
import {
  InvalidContentRootError,
  IpfsBlockNotFoundError,
  IpfsNotAFileError,
  IpnsNotFoundError,
} from "../../ipfs/errors.ts";
import { deriveIpnsName } from "../../lib/index.ts";
import { deriveTestIpnsSeed, makeTempDirectory, recordTree } from "./helpers.ts";

const run = promisify(execFile);
const decode = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes);
const AVATAR = ".well-known/eth/alice/text/avatar.json";
const EMBEDDED_IPFS_MODULE = new URL("../../ipfs/embeddedIpfs.ts", import.meta.url).href;

/** Number of block files in the node's blockstore directory. */
async function countBlocks(directory: string): Promise<number> {
  const entries = await readdir(join(directory, "blocks"), { recursive: true });
  return entries.filter((entry) => entry.endsWith(".data")).length;
}

/** Runs an ES module snippet in a child Node process and returns its stdout. */
async function runChild(code: string): Promise<string> {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", code], {
    timeout: 30_000,
  });
  return stdout.trim();
}

describe("embedded IPFS node", () => {
  let temp: Awaited<ReturnType<typeof makeTempDirectory>>;
  let ipfs: EmbeddedIpfs;
  let seed: `0x${string}`;

  before(async () => {
    temp = await makeTempDirectory();
    ipfs = await createEmbeddedIpfs({ directory: temp.path });
    seed = await deriveTestIpnsSeed();
  });

  after(async () => {
    await ipfs.stop();
    await temp.remove();
  });

  it("adds a record tree, publishes it under the seed's IPNS name, resolves and reads it", async () => {
    const files = recordTree();
    const root = await ipfs.addDirectory(files);
    assert.equal(root.version, 1);
    const name = await ipfs.publishName(seed, root);
    assert.equal(name, await deriveIpnsName(seed));
    assert.match(name, /^k51[0-9a-z]{59}$/);
    assert.ok((await ipfs.resolveName(name)).equals(root));
    for (const [path, content] of Object.entries(files)) {
      assert.equal(decode(await ipfs.readFile(name, path)), content);
      assert.equal(decode(await ipfs.readFile(root, path)), content);
      assert.equal(decode(await ipfs.readFile(`/ipns/${name}`, `/${path}`)), content);
      assert.equal(decode(await ipfs.readFile(root.toString(), path)), content);
    }
  });

  it("returns undefined for a missing file or directory, and throws typed errors otherwise", async () => {
    const root = await ipfs.addDirectory(recordTree());
    assert.equal(await ipfs.readFile(root, ".well-known/eth/alice/text/missing.json"), undefined);
    assert.equal(await ipfs.readFile(root, ".well-known/eth/nobody/text/avatar.json"), undefined);
    assert.equal(await ipfs.readFile(root, `${AVATAR}/below-a-file`), undefined);
    await assert.rejects(ipfs.readFile(root, ".well-known/eth"), IpfsNotAFileError);
    await assert.rejects(ipfs.readFile("not-a-cid", AVATAR), InvalidContentRootError);
    await assert.rejects(ipfs.readFile(root, "a/../b"), /Invalid IPFS path/);
    const unknown = CID.parse("bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy");
    await assert.rejects(ipfs.readFile(unknown, ""), IpfsBlockNotFoundError);
    const unpublished = await deriveIpnsName(`0x${"42".repeat(32)}`);
    await assert.rejects(ipfs.resolveName(unpublished), IpnsNotFoundError);
    await assert.rejects(ipfs.readFile(unpublished, AVATAR), IpnsNotFoundError);
    assert.equal(await ipfs.getIpnsRecord(unpublished), undefined);
    assert.equal(await ipfs.getBlock(unknown), undefined);
  });

  it("republishing bumps the sequence number and the record validates with the ipns package", async () => {
    const first = await ipfs.addDirectory({ "a.json": "1" });
    const second = await ipfs.addDirectory({ "a.json": "2" });
    const name = await ipfs.publishName(seed, first, { lifetimeMs: 60_000 });
    const before = unmarshalIPNSRecord((await ipfs.getIpnsRecord(name)) as Uint8Array);
    await ipfs.publishName(seed, second, { lifetimeMs: 60_000, ttlMs: 1_000 });
    const bytes = (await ipfs.getIpnsRecord(name)) as Uint8Array;
    const record = unmarshalIPNSRecord(bytes);
    assert.equal(record.sequence, before.sequence + 1n);
    assert.equal(record.value, `/ipfs/${second}`);
    assert.equal(record.ttl, 1_000_000_000n);
    const validity = Date.parse(record.validity) - Date.now();
    assert.ok(validity > 50_000 && validity <= 60_000, `validity ${validity} ms`);
    const digest = parseIpnsName(name).multihash as MultihashDigest<0x00>;
    await ipnsValidator(multihashToIPNSRoutingKey(digest), bytes);
    assert.equal(decode(await ipfs.readFile(name, "a.json")), "2");
  });

  it("updateDirectory rewrites only the changed path and equals a fresh build", async () => {
    const files = recordTree();
    const root = await ipfs.addDirectory(files);
    const blocksBefore = await countBlocks(temp.path);
    const changed = { ...files, [AVATAR]: JSON.stringify({ value: "changed" }) };
    const updated = await ipfs.updateDirectory(root, { [AVATAR]: changed[AVATAR] as string });
    // One new leaf plus the 5 directories on its path (root, .well-known, eth, alice, text).
    assert.equal((await countBlocks(temp.path)) - blocksBefore, 6);
    assert.ok(updated.equals(await ipfs.addDirectory(changed)));
    assert.equal(decode(await ipfs.readFile(updated, AVATAR)), changed[AVATAR]);
    assert.equal(decode(await ipfs.readFile(root, AVATAR)), files[AVATAR]);

    // Writing the same bytes again changes nothing.
    assert.ok(
      (await ipfs.updateDirectory(updated, { [AVATAR]: changed[AVATAR] as string })).equals(
        updated,
      ),
    );

    // Deleting prunes emptied directories; adding creates them: still equal to a fresh build.
    const bobPath = ".well-known/eth/alice/bob/addr/60.json";
    const after = await ipfs.updateDirectory(updated, {
      [bobPath]: null,
      "x/y/z.json": "new",
      "missing/file.json": null,
    });
    const expected: Record<string, string> = { ...changed, "x/y/z.json": "new" };
    delete expected[bobPath];
    assert.ok(after.equals(await ipfs.addDirectory(expected)));
    assert.equal(await ipfs.readFile(after, bobPath), undefined);
    await assert.rejects(ipfs.updateDirectory(after, { ".well-known/eth": "x" }), /directory/);
    await assert.rejects(ipfs.updateDirectory(after, { [`${AVATAR}/x`]: "x" }), /it is a file/);
  });

  it("keeps unchanged subtree and file CIDs across an update", async () => {
    const files = recordTree();
    const root = await ipfs.addDirectory(files);
    const updated = await ipfs.updateDirectory(root, { [AVATAR]: "other" });
    for (const path of [
      ".well-known/eth/alice/bob",
      ".well-known/eth/alice/addr",
      ".well-known/eth/alice/text/url.json",
    ]) {
      const before = await ipfs.resolvePath(root, path);
      assert.ok(before, path);
      assert.ok(before.equals(await ipfs.resolvePath(updated, path)), path);
    }
    const avatarBefore = await ipfs.resolvePath(root, AVATAR);
    assert.ok(avatarBefore && !avatarBefore.equals(await ipfs.resolvePath(updated, AVATAR)));
    assert.equal(await ipfs.resolvePath(updated, "nope"), undefined);
    assert.ok((await ipfs.resolvePath(updated, ""))?.equals(updated));
  });
});

describe("embedded IPFS persistence", () => {
  it("a second node on the same directory (sequentially) reads what the first wrote", async () => {
    const temp = await makeTempDirectory();
    try {
      const seed = await deriveTestIpnsSeed("persist.eth");
      const first = await createEmbeddedIpfs({ directory: temp.path });
      const root = await first.addDirectory(recordTree());
      const name = await first.publishName(seed, root);
      await first.stop();

      const second = await createEmbeddedIpfs({ directory: temp.path });
      try {
        assert.ok((await second.resolveName(name)).equals(root));
        assert.equal(decode(await second.readFile(name, AVATAR)), recordTree()[AVATAR]);
        // The sequence continues from the stored record.
        const before = unmarshalIPNSRecord((await second.getIpnsRecord(name)) as Uint8Array);
        await second.publishName(seed, root);
        const afterRecord = unmarshalIPNSRecord((await second.getIpnsRecord(name)) as Uint8Array);
        assert.equal(afterRecord.sequence, before.sequence + 1n);
      } finally {
        await second.stop();
      }
    } finally {
      await temp.remove();
    }
  });

  it("a child process reads what a still-running parent wrote, and vice versa", async () => {
    const temp = await makeTempDirectory();
    const parent = await createEmbeddedIpfs({ directory: temp.path });
    try {
      const seed = await deriveTestIpnsSeed("child.eth");
      const root = await parent.addDirectory(recordTree());
      const name = await parent.publishName(seed, root);
      const read = await runChild(`
        import { createEmbeddedIpfs } from ${JSON.stringify(EMBEDDED_IPFS_MODULE)};
        const ipfs = await createEmbeddedIpfs({ directory: ${JSON.stringify(temp.path)} });
        const bytes = await ipfs.readFile(${JSON.stringify(name)}, ${JSON.stringify(AVATAR)});
        const root = await ipfs.addDirectory({ "from-child.json": "child" });
        await ipfs.publishName(${JSON.stringify(seed)}, root);
        await ipfs.stop();
        console.log(new TextDecoder().decode(bytes));
      `);
      assert.equal(read, recordTree()[AVATAR]);
      // The parent sees the child's publish without a restart (no in-memory cache in the way).
      assert.equal(decode(await parent.readFile(name, "from-child.json")), "child");
    } finally {
      await parent.stop();
      await temp.remove();
    }
  });
});
