// The CLI driven as a user would, on the local stack: keygen -> approve (off-chain and on-chain)
// -> set every record type -> publish -> recordhash -> resolve, plus revocation and bad input.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { bytesToHex, type HDAccount, type Hex } from "viem";
import {
  buildRecordType,
  decodeRecordValue,
  encodeRecordValue,
  type RecordRequest,
} from "../../lib/index.ts";
import { demoRecordSet } from "../../scripts/stack/demoRecords.ts";
import { registerName } from "../../scripts/stack/ensFixtures.ts";
import { type LocalStack, startLocalStack } from "../../scripts/stack/localStack.ts";
import { assertOneLineError, assertUsageError, runCli, runCliJson } from "./runCli.ts";

/** The `ensgate set` arguments of a record: its type string (or `dns`) and value. */
function setArguments([request, value]: [RecordRequest, string]): [string, string] {
  return [request.type === "dnsRecord" ? "dns" : buildRecordType(request), value];
}

describe("ensgate CLI on the local stack", () => {
  let stack: LocalStack;
  let dataDir: string;
  let env: Record<string, string>;
  let strangerEnv: Record<string, string>;
  let chain: string[];
  const owner = () => stack.accounts[2] as HDAccount;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-cli-"));
    stack = await startLocalStack({ dataDir });
    await registerName(stack.ens.registry, "carol.eth", owner().address, {
      resolver: stack.resolver.address,
    });
    await registerName(stack.ens.registry, "dave.eth", owner().address, {
      resolver: stack.resolver.address,
    });
    const key = (account: HDAccount): Hex =>
      bytesToHex(account.getHdKey().privateKey as Uint8Array);
    env = { ENSGATE_PRIVATE_KEY: key(owner()) };
    strangerEnv = { ENSGATE_PRIVATE_KEY: key(stack.accounts[3] as HDAccount) };
    chain = [
      "--data-dir",
      dataDir,
      "--rpc",
      stack.rpcUrl,
      "--resolver",
      stack.resolver.address,
      "--registry",
      stack.ens.registry.address,
    ];
  });
  after(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("keygen derives the keys from wallet signatures and prints the IPNS name and signer", async () => {
    const keys = await runCliJson<{ ipnsName: string; signer: string; keysFile: string }>(
      [...chain, "keygen", "carol.eth"],
      env,
    );
    assert.match(keys.ipnsName, /^k51/);
    assert.match(keys.signer, /^0x[0-9a-fA-F]{40}$/);
    const again = await runCliJson<{ ipnsName: string }>([...chain, "keygen", "carol.eth"], env);
    assert.equal(again.ipnsName, keys.ipnsName, "keys are deterministic");
    assert.doesNotMatch(
      readFileSync(keys.keysFile, "utf8"),
      new RegExp(env.ENSGATE_PRIVATE_KEY?.slice(2) ?? "x"),
      "the wallet key is never stored",
    );
  });

  it("approve: off-chain (SIGN 3 file) for carol.eth and on-chain for dave.eth", async () => {
    const offchain = await runCliJson<{ onchain: boolean; epoch: string }>(
      [...chain, "approve", "carol.eth"],
      env,
    );
    assert.deepEqual([offchain.onchain, offchain.epoch], [false, "0"]);
    await runCliJson([...chain, "keygen", "dave.eth"], env);
    const onchain = await runCliJson<{ onchain: boolean }>(
      [...chain, "approve", "dave.eth", "--onchain"],
      env,
    );
    assert.equal(onchain.onchain, true);
  });

  it("set signs every record type; publish; recordhash; resolve shows each value and who signed it", async () => {
    for (const name of ["carol.eth", "dave.eth"]) {
      for (const record of demoRecordSet(name, owner().address))
        await runCliJson([...chain, "set", name, ...setArguments(record)], env);
      const { published } = await runCliJson<{ published: { uploaded: number }[] }>(
        [...chain, "publish", name],
        env,
      );
      assert.equal(published[0]?.uploaded, 12);
      await runCliJson([...chain, "recordhash", name], env);
      for (const [request, value] of demoRecordSet(name, owner().address)) {
        // A DNS RRset is looked up by its owner name and type, as a user types them.
        const typeArguments =
          request.type === "dnsRecord" ? ["dns", `www.${name}`, "A"] : [buildRecordType(request)];
        const resolved = await runCliJson<{ value: string; rule: string; version: number }>(
          [...chain, "resolve", name, ...typeArguments],
          env,
        );
        const canonical = decodeRecordValue(request, encodeRecordValue(request, value));
        assert.equal(resolved.value, canonical, `${buildRecordType(request)} of ${name}`);
        assert.equal(resolved.rule, name === "carol.eth" ? "offchainApproval" : "onchainApproval");
        assert.equal(resolved.version, 2);
      }
    }
  });

  it("republishing one changed record uploads only that file and re-signs nothing else", async () => {
    const tree = join(dataDir, "trees", "carol.eth", ".well-known", "eth", "carol");
    const before = readFileSync(join(tree, "address", "60.json"), "utf8");
    await runCliJson(
      [...chain, "set", "carol.eth", "text/avatar", "https://example.com/new.png"],
      env,
    );
    const {
      published: [result],
    } = await runCliJson<{ published: { uploaded: number; unchanged: number }[] }>(
      [...chain, "publish", "carol.eth"],
      env,
    );
    assert.deepEqual([result?.uploaded, result?.unchanged], [1, 11]);
    assert.equal(
      readFileSync(join(tree, "address", "60.json"), "utf8"),
      before,
      "unchanged files are not re-signed",
    );
    const resolved = await runCliJson<{ value: string }>(
      [...chain, "resolve", "carol.eth", "text/avatar"],
      env,
    );
    assert.equal(resolved.value, "https://example.com/new.png");
  });

  it("unset removes a record; after publish it resolves as not set", async () => {
    await runCliJson([...chain, "unset", "carol.eth", "text/url"], env);
    const {
      published: [result],
    } = await runCliJson<{ published: { removed: number }[] }>(
      [...chain, "publish", "carol.eth"],
      env,
    );
    assert.equal(result?.removed, 1);
    const resolved = await runCliJson<{ value: string | null }>(
      [...chain, "resolve", "carol.eth", "text/url"],
      env,
    );
    assert.equal(resolved.value, null);
  });

  it("revoke --epoch makes every earlier record fail, and re-signing restores it", async () => {
    await runCliJson([...chain, "revoke", "dave.eth", "--epoch"], env);
    const stale = await runCli([...chain, "resolve", "dave.eth", "text/avatar"], env);
    assertOneLineError(stale, /StaleEpoch|4xx|rejected|staleEpoch/);
    await runCliJson(
      [...chain, "set", "dave.eth", "text/avatar", "https://example.com/after-revoke.png"],
      env,
    );
    await runCliJson([...chain, "publish", "dave.eth"], env);
    const resolved = await runCliJson<{ value: string }>(
      [...chain, "resolve", "dave.eth", "text/avatar"],
      env,
    );
    assert.equal(resolved.value, "https://example.com/after-revoke.png");
  });

  it("revoke of an on-chain approval makes the signer's records fail", async () => {
    await runCliJson([...chain, "revoke", "dave.eth"], env);
    const run = await runCli([...chain, "resolve", "dave.eth", "text/avatar"], env);
    assertOneLineError(run, /UnapprovedSigner|unapprovedSigner/);
  });

  describe("bad input: one line, exit code 1, nothing half-written", () => {
    const treeFiles = () =>
      readdirSync(join(dataDir, "trees"), { recursive: true }).map(String).sort();

    it("a wrong key format", async () => {
      assertOneLineError(
        await runCli([...chain, "keygen", "carol.eth"], { ENSGATE_PRIVATE_KEY: "0x1234" }),
        /not a 32-byte hex private key/,
      );
    });

    it("no key at all", async () => {
      assertOneLineError(await runCli([...chain, "keygen", "carol.eth"], {}), /no wallet key/);
    });

    it("an unnormalizable name", async () => {
      assertOneLineError(
        await runCli([...chain, "set", "a_b.eth", "text/avatar", "x"], env),
        /label "a_b"/,
      );
    });

    it("a value of the wrong kind for the type, with nothing written", async () => {
      const before = treeFiles();
      assertOneLineError(
        await runCli([...chain, "set", "carol.eth", "address/60", "not-an-address"], env),
        /not an EVM address/,
      );
      assertOneLineError(
        await runCli([...chain, "set", "carol.eth", "address/0", "0x1234"], env),
        /not a btc address/,
      );
      assertOneLineError(
        await runCli([...chain, "set", "carol.eth", "contenthash", "https://x"], env),
        /contenthash/,
      );
      assertUsageError(
        await runCli([...chain, "set", "carol.eth", "bogus/type", "x"], env),
        /unknown record type/,
      );
      assertUsageError(
        await runCli([...chain, "resolve", "carol.eth", "bogus/type"], env),
        /unknown record type/,
      );
      assertUsageError(
        await runCli([...chain, "resolve", "carol.eth", "dns", "www.carol.eth", "NOPE"], env),
        /DNS type NOPE/,
      );
      assert.deepEqual(treeFiles(), before);
    });

    it("an unreachable node", async () => {
      const run = await runCli(
        [
          "--data-dir",
          dataDir,
          "--rpc",
          "http://127.0.0.1:9",
          "--resolver",
          stack.resolver.address,
          "--registry",
          stack.ens.registry.address,
          "recordhash",
          "carol.eth",
        ],
        env,
      );
      assertOneLineError(run, /cannot reach the chain/);
    });

    it("a name not owned by the wallet", async () => {
      assertOneLineError(
        await runCli([...chain, "keygen", "carol.eth"], strangerEnv),
        /owned by .*, not by the wallet .*pass --force/,
      );
      assertOneLineError(
        await runCli([...chain, "recordhash", "carol.eth"], strangerEnv),
        /owned by .*, not by the wallet/,
      );
      assertOneLineError(
        await runCli([...chain, "approve", "carol.eth", "--onchain"], strangerEnv),
        /owned by .*, not by the wallet/,
      );
    });

    it("a usage error exits 2", async () => {
      const run = await runCli(["set", "carol.eth"], env);
      assert.equal(run.code, 2);
    });
  });
});
