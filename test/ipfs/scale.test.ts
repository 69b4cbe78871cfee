import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { it } from "node:test";
import { createEmbeddedIpfs } from "../../ipfs/embeddedIpfs.ts";
import { deriveTestIpnsSeed, makeTempDirectory } from "./helpers.ts";

const FILES = 1_000;

it(`adds ${FILES} record files, publishes, then updates one file and republishes`, async (t) => {
  const temp = await makeTempDirectory();
  const ipfs = await createEmbeddedIpfs({ directory: temp.path });
  try {
    const seed = await deriveTestIpnsSeed("scale.eth");
    const files: Record<string, string> = {};
    for (let i = 0; i < FILES; i++) {
      files[`.well-known/eth/user${i % 100}/text/key${i}.json`] = JSON.stringify({
        i,
        v: "x".repeat(200),
      });
    }
    const countBlocks = async () =>
      (await readdir(join(temp.path, "blocks"), { recursive: true })).filter((f) =>
        f.endsWith(".data"),
      ).length;

    let start = performance.now();
    const root = await ipfs.addDirectory(files);
    const addMs = performance.now() - start;
    start = performance.now();
    const name = await ipfs.publishName(seed, root);
    const publishMs = performance.now() - start;

    const blocksBefore = await countBlocks();
    const changed = ".well-known/eth/user7/text/key7.json";
    start = performance.now();
    const updated = await ipfs.updateDirectory(root, { [changed]: "changed" });
    const updateMs = performance.now() - start;
    start = performance.now();
    await ipfs.publishName(seed, updated);
    const republishMs = performance.now() - start;

    // Leaf + root, .well-known, eth, user7, text: nothing else is written again.
    assert.equal((await countBlocks()) - blocksBefore, 6);
    assert.equal(new TextDecoder().decode(await ipfs.readFile(name, changed)), "changed");
    t.diagnostic(
      `add ${FILES} files ${addMs.toFixed(0)} ms, publish ${publishMs.toFixed(0)} ms, ` +
        `update 1 file ${updateMs.toFixed(0)} ms, republish ${republishMs.toFixed(0)} ms`,
    );
  } finally {
    await ipfs.stop();
    await temp.remove();
  }
});
