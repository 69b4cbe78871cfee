// `ensgate publish` through a real Kubo-RPC server on 127.0.0.1, driven as a user would (spawned
// CLI processes, real files). No Kubo binary can be installed here, so the server is the js-ipfs
// daemon (npm `ipfs` 0.66, an independent implementation of the Kubo RPC API) from
// scripts/setup-js-ipfs.sh; test/cli/jsIpfsDaemon.ts starts it offline. docs/ipfs.md lists where it
// departs from Kubo. Without the install the suite is skipped, except in CI, where it fails.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Address, type Hex, isHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createEmbeddedIpfs, createKuboIpfs, type KuboIpfs } from "../../ipfs/index.ts";
import {
  decodeRecordValue,
  encodeRecordValue,
  parseRecordFile,
  parseRecordType,
  verifyRecord,
} from "../../lib/index.ts";
import { type JsIpfsDaemon, jsIpfsSkipReason, startJsIpfsDaemon } from "./jsIpfsDaemon.ts";
import { type CliRun, runCli, runCliJson } from "./runCli.ts";

/** Hardhat's first dev account. */
const OWNER_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const OWNER: Address = privateKeyToAccount(OWNER_KEY).address;
const CHAIN_ID = 31337;
/** The resolver v2 records are bound to (signing is offline: any address will do). */
const RESOLVER: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const NAME = "alice.eth";
const RECORDS: [type: string, value: string][] = [
  ["text/avatar", "https://example.com/a.png"],
  ["text/url", "https://alice.example"],
  ["text/com.github", "alice"],
  ["address/60", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"],
  ["address/0", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
  ["contenthash", "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"],
];
const filePath = (type: string) => `.well-known/eth/alice/${type}.json`;

type Published = {
  keyName: string;
  root: string;
  ipnsName: string;
  uploaded: number;
  removed: number;
  unchanged: number;
};

/** Asserts a failed run: exit code 1 and exactly one line on stderr matching `message`. */
function assertOneLineError(run: CliRun, message: RegExp) {
  assert.equal(run.code, 1, `expected exit 1, got ${run.code}: ${run.stdout} ${run.stderr}`);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one line, got: ${run.stderr}`);
  assert.match(lines[0] as string, /^ensgate: /);
  assert.match(lines[0] as string, message);
}

/** A 127.0.0.1 URL where nothing listens (a port that was just free). */
async function unusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const skip = jsIpfsSkipReason();

describe("ensgate publish through a Kubo-RPC server (js-ipfs daemon)", { skip }, () => {
  let daemon: JsIpfsDaemon;
  let kubo: KuboIpfs;
  let dataDir: string;
  let ipnsName: string;
  const env = { ENSGATE_PRIVATE_KEY: OWNER_KEY };
  const cli = (...args: string[]) => [
    "--data-dir",
    dataDir,
    "--chain-id",
    String(CHAIN_ID),
    "--resolver",
    RESOLVER,
    ...args,
  ];
  const publish = async () =>
    (await runCliJson<{ published: Published[] }>(cli("--ipfs", daemon.apiUrl, "publish"), env))
      .published[0] as Published;
  const tree = (type: string) => readFileSync(join(dataDir, "trees", NAME, filePath(type)), "utf8");
  /** The tree's root CID as the embedded Helia store computes it for the same files. */
  const heliaRoot = async (types: string[]) => {
    const directory = mkdtempSync(join(tmpdir(), "ensgate-kubo-helia-"));
    const helia = await createEmbeddedIpfs({ directory });
    try {
      const files = Object.fromEntries(types.map((type) => [filePath(type), tree(type)]));
      return (await helia.addDirectory(files)).toString();
    } finally {
      await helia.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  };

  /** Every file path under a root, listed through the daemon (`ls`). */
  const listTree = async (root: string, prefix = ""): Promise<string[]> => {
    const paths: string[] = [];
    for await (const entry of kubo.client.ls(`/ipfs/${root}${prefix ? `/${prefix}` : ""}`)) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.type === "dir") paths.push(...(await listTree(root, path)));
      else paths.push(path);
    }
    return paths.sort();
  };

  /** Reads a record through the daemon (cat /ipns/…) and checks it byte for byte and by signature. */
  const assertServed = async (type: string, value: string) => {
    const bytes = await kubo.readFile(ipnsName, filePath(type));
    assert.ok(bytes, `${filePath(type)} is served`);
    const served = new TextDecoder().decode(bytes);
    assert.equal(served, tree(type), `${type}: the daemon serves the signed file unchanged`);
    const request = parseRecordType(type);
    const { data } = parseRecordFile(served);
    assert.ok(isHex(data));
    const verification = await verifyRecord(data, {
      name: NAME,
      request,
      chainId: CHAIN_ID,
      resolver: RESOLVER,
      owner: OWNER,
      epoch: 0n,
      now: BigInt(Math.floor(Date.now() / 1000)),
    });
    if (!verification.valid)
      assert.fail(`${type}: ${verification.reason}: ${verification.message}`);
    assert.equal(verification.rule, "offchainApproval");
    assert.equal(
      decodeRecordValue(request, verification.result),
      decodeRecordValue(request, encodeRecordValue(request, value)),
    );
  };

  before(async () => {
    daemon = await startJsIpfsDaemon();
    kubo = createKuboIpfs({ url: daemon.apiUrl });
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-kubo-"));
  });
  after(async () => {
    if (daemon) {
      await daemon.stop();
      assert.throws(() => process.kill(-daemon.pid, 0), "no js-ipfs process is left running");
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("keygen, set, publish: every file is served under the IPNS name and verifies", async () => {
    const keys = await runCliJson<{ ipnsName: string }>(cli("keygen", NAME), env);
    ipnsName = keys.ipnsName;
    assert.match(ipnsName, /^k51/);
    for (const [type, value] of RECORDS) await runCliJson(cli("set", NAME, type, value), env);

    const published = await publish();
    assert.equal(published.ipnsName, ipnsName);
    assert.deepEqual(
      [published.uploaded, published.removed, published.unchanged],
      [RECORDS.length, 0, 0],
    );
    assert.equal((await kubo.resolveName(ipnsName)).toString(), published.root);
    for (const [type, value] of RECORDS) await assertServed(type, value);
    assert.equal(await kubo.readFile(ipnsName, filePath("text/missing")), undefined);
    // Two independent UnixFS implementations agree on the tree's CID.
    assert.equal(published.root, await heliaRoot(RECORDS.map(([type]) => type)));
  });

  it("republishing one changed record uploads 1 file; unchanged trees upload none", async () => {
    await runCliJson(cli("set", NAME, "text/avatar", "https://example.com/b.png"), env);
    const changed = await publish();
    assert.deepEqual(
      [changed.uploaded, changed.removed, changed.unchanged],
      [1, 0, RECORDS.length - 1],
    );
    assert.equal((await kubo.resolveName(ipnsName)).toString(), changed.root);
    await assertServed("text/avatar", "https://example.com/b.png");
    for (const [type, value] of RECORDS.slice(1)) await assertServed(type, value);
    // js-ipfs's MFS writes a small file as a dag-pb node, not a raw leaf, so the updated root is
    // not the CID a fresh add of the same files gets (docs/ipfs.md); the content is the same.
    assert.deepEqual(await listTree(changed.root), RECORDS.map(([type]) => filePath(type)).sort());

    const again = await publish();
    assert.deepEqual([again.uploaded, again.removed, again.root], [0, 0, changed.root]);
  });

  it("unset then publish removes the file from the published tree", async () => {
    await runCliJson(cli("unset", NAME, "text/com.github"), env);
    const removed = await publish();
    assert.deepEqual([removed.uploaded, removed.removed], [0, 1]);
    assert.equal(await kubo.readFile(ipnsName, filePath("text/com.github")), undefined);
    await assertServed("text/url", "https://alice.example");
    const left = RECORDS.map(([type]) => filePath(type)).filter(
      (path) => !/com\.github/.test(path),
    );
    assert.deepEqual(await listTree(removed.root), left.sort());
  });

  it("an unreachable Kubo URL: one-line error, exit 1, publish state unchanged", async () => {
    const statePath = join(dataDir, "published", `${NAME}.json`);
    const before = readFileSync(statePath, "utf8");
    await runCliJson(cli("set", NAME, "text/avatar", "https://example.com/c.png"), env);
    const run = await runCli(cli("--ipfs", await unusedUrl(), "publish"), env);
    assertOneLineError(run, /cannot reach the Kubo RPC API/);
    assert.equal(readFileSync(statePath, "utf8"), before);
  });
});
