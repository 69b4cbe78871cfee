// The CLI reads a name's on-chain context (`nameContext`: owner, epoch, recordhash) and refuses to
// sign or publish what would not verify: keygen by a wallet that does not own the name, set and
// publish with a former owner's keys or approval, names that are not registered or have expired.
// `publish` warns when the name does not read the tree it published; `resolve` fails on a tree it
// cannot read; `resign` brings a name back after `revoke --epoch`. Every refusal is one line on
// stderr, exit 1, and leaves the data folder as it was.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Address, bytesToHex, type HDAccount, type Hex } from "viem";
import { buildRecordFilePath, namehash, parseRecordFile } from "../../lib/index.ts";
import {
  baseRegistrarStandInAbi,
  ensRegistryAbi,
  registerName,
  setNameExpires,
} from "../../scripts/stack/ensFixtures.ts";
import { type LocalStack, startLocalStack } from "../../scripts/stack/localStack.ts";
import { type CliRun, runCli, runCliJson } from "./runCli.ts";

/** Every file of a folder (path -> content), except the embedded IPFS store. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true }).map(String)) {
    const path = join(dir, entry);
    if (entry === "ipfs" || entry.startsWith(`ipfs${sep}`) || !statSync(path).isFile()) continue;
    files[relative(dir, path).split(sep).join("/")] = readFileSync(path, "utf8");
  }
  return files;
}

/** Asserts a refusal: exit 1, nothing on stdout, exactly `line` on stderr. */
function assertRefused(run: CliRun, line: string): void {
  assert.equal(run.code, 1, `expected exit 1, got ${run.code}: ${run.stdout} ${run.stderr}`);
  assert.equal(run.stdout, "");
  assert.equal(run.stderr, `${line}\n`);
}

describe("ensgate CLI: names' on-chain context", () => {
  let stack: LocalStack;
  let dataDir: string;
  let otherDir: string;
  let env: Record<string, string>;
  let strangerEnv: Record<string, string>;
  let chain: string[];
  let otherChain: string[];
  const owner = () => (stack.accounts[2] as HDAccount).address;
  const stranger = () => (stack.accounts[3] as HDAccount).address;
  const ipnsNameOf = (dir: string, keyName: string) =>
    (JSON.parse(readFileSync(join(dir, "keys", `${keyName}.json`), "utf8")) as { ipnsName: string })
      .ipnsName;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-cli-context-"));
    otherDir = mkdtempSync(join(tmpdir(), "ensgate-cli-other-"));
    stack = await startLocalStack({ dataDir });
    for (const name of ["erin.eth", "frank.eth", "gina.eth", "hank.eth", "ivan.eth"])
      await registerName(stack.ens.registry, name, owner(), { resolver: stack.resolver.address });
    const key = (account: HDAccount): Hex =>
      bytesToHex(account.getHdKey().privateKey as Uint8Array);
    env = { ENSGATE_PRIVATE_KEY: key(stack.accounts[2] as HDAccount) };
    strangerEnv = { ENSGATE_PRIVATE_KEY: key(stack.accounts[3] as HDAccount) };
    const settings = [
      "--rpc",
      stack.rpcUrl,
      "--resolver",
      stack.resolver.address,
      "--registry",
      stack.ens.registry.address,
    ];
    chain = ["--data-dir", dataDir, ...settings];
    otherChain = ["--data-dir", otherDir, ...settings];
  });
  after(async () => {
    await stack?.stop();
    for (const dir of [dataDir, otherDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe("keygen", () => {
    it("refuses a wallet that does not own the name, writing nothing", async () => {
      const before = snapshot(dataDir);
      assertRefused(
        await runCli([...chain, "keygen", "frank.eth"], strangerEnv),
        `ensgate: frank.eth is owned by ${owner()}, not by the wallet ${stranger()}: pass --force to derive its keys anyway (e.g. before a transfer)`,
      );
      assert.deepEqual(snapshot(dataDir), before);
    });

    it("--force derives anyway; other keys of that name are replaced only with --force", async () => {
      const forced = await runCliJson<{ owner: string; ipnsName: string }>(
        [...chain, "keygen", "frank.eth", "--force"],
        strangerEnv,
      );
      assert.equal(forced.owner, stranger());
      const before = snapshot(dataDir);
      assertRefused(
        await runCli([...chain, "keygen", "frank.eth"], env),
        `ensgate: keys of frank.eth already exist (derived by ${stranger()}, ipns://${forced.ipnsName}) and differ from these: pass --force to replace them`,
      );
      assert.deepEqual(snapshot(dataDir), before);
      const replaced = await runCliJson<{ owner: string; replaced: boolean }>(
        [...chain, "keygen", "frank.eth", "--force"],
        env,
      );
      assert.deepEqual([replaced.owner, replaced.replaced], [owner(), true]);
      // The same keys again are no replacement: no --force needed.
      const again = await runCliJson<{ replaced: boolean }>([...chain, "keygen", "frank.eth"], env);
      assert.equal(again.replaced, false);
    });

    it("names that are not registered or have expired: one line each", async () => {
      await setNameExpires(
        {
          address: stack.deployment.registrar,
          abi: baseRegistrarStandInAbi,
          clients: stack.ens.registry.clients,
        },
        "ivan.eth",
        1n,
      );
      const before = snapshot(dataDir);
      const expiredAt = new Date((1 + 90 * 86_400) * 1000).toISOString();
      assertRefused(
        await runCli([...chain, "keygen", "ivan.eth"], env),
        `ensgate: ivan.eth has expired: its .eth registration and grace period ended at ${expiredAt}, so it has no owner`,
      );
      assertRefused(
        await runCli([...chain, "set", "nobody.eth", "text/avatar", "x"], env),
        "ensgate: nobody.eth is not registered: no name on its path below the top-level label has an owner",
      );
      assert.deepEqual(snapshot(dataDir), before);
    });
  });

  describe("publish and resolve", () => {
    it("publish warns (one line, exit 0) while the name's recordhash is not the tree it published", async () => {
      await runCliJson([...chain, "keygen", "gina.eth"], env);
      await runCliJson(
        [...chain, "set", "gina.eth", "text/avatar", "https://gina.example/a.png"],
        env,
      );
      await runCliJson(
        [...chain, "set", "gina.eth", "text/com.github", "gina", "--sign-with", "owner"],
        env,
      );
      const ipnsName = ipnsNameOf(dataDir, "gina.eth");
      const first = await runCli(["--json", ...chain, "publish", "gina.eth"], env);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(
        first.stderr,
        `ensgate: warning: the on-chain recordhash of gina.eth is not set, not ipns://${ipnsName} published now: run \`ensgate recordhash gina.eth\` to point it there\n`,
      );
      assert.equal(
        (JSON.parse(first.stdout) as { published: { ipnsName: string }[] }).published[0]?.ipnsName,
        ipnsName,
      );
      await runCliJson([...chain, "recordhash", "gina.eth"], env);
      const second = await runCli(["--json", ...chain, "publish", "gina.eth"], env);
      assert.deepEqual([second.code, second.stderr], [0, ""]);
    });

    it("resolve: a record absent from a readable tree is (not set), exit 0", async () => {
      const run = await runCli([...chain, "resolve", "gina.eth", "text/missing"], env);
      assert.deepEqual(
        [run.code, run.stdout, run.stderr],
        [0, "gina.eth text/missing: (not set)\n", ""],
      );
    });

    it("resolve: a tree published where the gateways do not read is an error naming the recordhash and the sources", async () => {
      // hank.eth is published from another data folder: its embedded store is not the stack's.
      await runCliJson([...otherChain, "keygen", "hank.eth"], env);
      await runCliJson(
        [...otherChain, "set", "hank.eth", "text/avatar", "https://hank.example"],
        env,
      );
      await runCliJson([...otherChain, "publish", "hank.eth"], env);
      await runCliJson([...otherChain, "recordhash", "hank.eth"], env);
      const ipnsName = ipnsNameOf(otherDir, "hank.eth");
      assertRefused(
        await runCli([...chain, "resolve", "hank.eth", "text/avatar"], env),
        `ensgate: the records tree of hank.eth cannot be read: recordhash ipns://${ipnsName} is not found at ${stack.ipfsGatewayUrl}/ipns/${ipnsName}, ${stack.gatewayUrl}/{sender}/{data}; publish it with \`ensgate publish\` to an IPFS node these read`,
      );
    });

    it("resolve: a name without any recordhash is an error", async () => {
      assertRefused(
        await runCli([...chain, "resolve", "frank.eth", "text/avatar"], env),
        `ensgate: frank.eth has no records tree: neither it, an ancestor nor its owner ${owner()} has a recordhash on the resolver ${stack.resolver.address}; run \`ensgate recordhash frank.eth\``,
      );
    });
  });

  describe("resign", () => {
    it("--help describes it", async () => {
      const run = await runCli(["resign", "--help"]);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^Usage: ensgate resign \[options\] <name>/);
      assert.match(run.stdout, /--valid-for <duration>/);
    });

    it("after revoke --epoch, resign + publish make the name resolve again", async () => {
      const avatar = await runCliJson<{ value: string; rule: string }>(
        [...chain, "resolve", "gina.eth", "text/avatar"],
        env,
      );
      assert.deepEqual(
        [avatar.value, avatar.rule],
        ["https://gina.example/a.png", "offchainApproval"],
      );
      const revoked = await runCliJson<{ epoch: string }>(
        [...chain, "revoke", "gina.eth", "--epoch"],
        env,
      );
      assert.equal(revoked.epoch, "1");
      const stale = await runCli([...chain, "resolve", "gina.eth", "text/avatar"], env);
      assert.equal(stale.code, 1);
      assert.match(stale.stderr, /^ensgate: .*(StaleEpoch\(0, 1\)|staleEpoch)/);

      const resigned = await runCliJson<{
        epoch: string;
        approval: string;
        resolver: string;
        records: { recordType: string; signer: string }[];
      }>([...chain, "resign", "gina.eth"], env);
      assert.deepEqual([resigned.epoch, resigned.approval], ["1", "created"]);
      assert.equal(resigned.resolver, stack.resolver.address);
      assert.deepEqual(
        resigned.records.map((record) => record.recordType),
        ["text/avatar", "text/com.github"],
      );
      assert.equal(
        resigned.records[1]?.signer,
        owner(),
        "an owner-signed record stays owner-signed",
      );
      const file = parseRecordFile(
        readFileSync(
          join(
            dataDir,
            "trees",
            "gina.eth",
            buildRecordFilePath("gina.eth", { type: "text", key: "avatar" }),
          ),
          "utf8",
        ),
      );
      assert.equal("epoch" in file ? file.epoch : undefined, "1");

      await runCliJson([...chain, "publish", "gina.eth"], env);
      for (const [type, value, rule] of [
        ["text/avatar", "https://gina.example/a.png", "offchainApproval"],
        ["text/com.github", "gina", "owner"],
      ] as const) {
        const resolved = await runCliJson<{ value: string; rule: string }>(
          [...chain, "resolve", "gina.eth", type],
          env,
        );
        assert.deepEqual([resolved.value, resolved.rule], [value, rule]);
      }
    });

    it("a name without records in its tree: one line, nothing written", async () => {
      const before = snapshot(dataDir);
      assertRefused(
        await runCli([...chain, "resign", "frank.eth"], env),
        "ensgate: no records of frank.eth in the tree of frank.eth: sign some with `ensgate set`",
      );
      assert.deepEqual(snapshot(dataDir), before);
    });
  });

  describe("a name that changed hands", () => {
    it("set, publish and resign refuse the former owner's keys; nothing is written", async () => {
      await runCliJson([...chain, "keygen", "erin.eth"], env);
      await runCliJson([...chain, "set", "erin.eth", "text/avatar", "https://erin.example"], env);
      await runCliJson([...chain, "publish", "erin.eth"], env);
      await runCliJson([...chain, "recordhash", "erin.eth"], env);
      await transfer("erin.eth", stranger());

      const before = snapshot(dataDir);
      const refusal = `ensgate: erin.eth is owned by ${stranger()} on-chain, but the keys of erin.eth were derived by ${owner()}: derive new ones with \`ensgate keygen erin.eth\` from the owner's wallet`;
      assertRefused(
        await runCli([...chain, "set", "erin.eth", "text/avatar", "https://x.example"], env),
        refusal,
      );
      assertRefused(await runCli([...chain, "publish", "erin.eth"], env), refusal);
      assertRefused(await runCli([...chain, "resign", "erin.eth"], env), refusal);
      assert.deepEqual(snapshot(dataDir), before);
    });

    it("set refuses the former owner's stored approval when no owner wallet can sign a new one", async () => {
      // The new owner derives its own keys; the approval on file is still the former owner's.
      await runCliJson([...chain, "keygen", "erin.eth", "--force"], strangerEnv);
      const before = snapshot(dataDir);
      assertRefused(
        await runCli([...chain, "set", "erin.eth", "text/avatar", "https://x.example"], {}),
        `ensgate: the stored approval of erin.eth was signed by ${owner()}, but erin.eth is owned by ${stranger()} on-chain: run \`ensgate approve erin.eth\` with the owner's wallet`,
      );
      assert.deepEqual(snapshot(dataDir), before);
      // With the new owner's wallet, set signs a new approval and the record.
      const signed = await runCliJson<{ signer: string }>(
        [...chain, "set", "erin.eth", "text/avatar", "https://new-owner.example"],
        strangerEnv,
      );
      assert.match(signed.signer, /^0x[0-9a-fA-F]{40}$/);
    });
  });

  /** Transfers a name in the registry from its owner to `to`. */
  async function transfer(name: string, to: Address): Promise<void> {
    const from = stack.accounts[2] as HDAccount;
    const hash = await stack.walletClient(from).writeContract({
      address: stack.ens.registry.address,
      abi: ensRegistryAbi,
      functionName: "setOwner",
      args: [namehash(name), to],
    });
    const receipt = await stack.publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
  }
});
