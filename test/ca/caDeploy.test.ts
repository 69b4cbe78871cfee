// `ensgate ca deploy` as an operator runs it: on a chain with an ensgate resolver and no CA yet,
// it deploys CertificateOrders for the CA folder (CA_ROLE to the CA signer, the given fees) and,
// as the resolver's admin, sets the resolver's certificate authority; any other wallet is told
// the call the admin must make. Bad input is one line and exit 2.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { bytesToHex, getAddress, type HDAccount, type Hex, keccak256, parseAbi, toHex } from "viem";
import { type LocalStack, startLocalStack } from "../../scripts/stack/localStack.ts";
import { assertUsageError, runCli, runCliJson } from "../cli/runCli.ts";

const key = (account: HDAccount): Hex => bytesToHex(account.getHdKey().privateKey as Uint8Array);
const ORDERS = parseAbi([
  "function fees(uint256 kind) view returns (uint256)",
  "function hasRole(bytes32 role, address account) view returns (bool)",
]);

describe("ensgate ca deploy", () => {
  let stack: LocalStack;
  let dataDir: string;
  let caDir: string;
  let signer: Hex;
  let recordhash: Hex;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-ca-deploy-"));
    caDir = join(dataDir, "ca");
    const init = await runCliJson<{ signer: Hex; recordhash: Hex; logVerifierKey: string }>([
      "--json",
      "ca",
      "init",
      "--ca-dir",
      caDir,
    ]);
    ({ signer, recordhash } = init);
    assert.match(init.logVerifierKey, /^ensgate\/ca\/0x[0-9a-fA-F]{40}\+[0-9a-f]{8}\+/);
    stack = await startLocalStack({ dataDir });
  });
  after(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const deploy = (wallet: HDAccount, extra: string[] = []) =>
    runCliJson<{ orders: Hex; operator: Hex; authoritySet: boolean }>(
      [
        "--json",
        "--rpc",
        stack.rpcUrl,
        "--resolver",
        stack.resolver.address,
        "ca",
        "deploy",
        "--ca-dir",
        caDir,
        ...extra,
      ],
      { ENSGATE_PRIVATE_KEY: key(wallet) },
    );

  it("as the resolver's admin: deploys the order contract and sets the certificate authority", async () => {
    const result = await deploy(stack.accounts[0] as HDAccount, ["--end-entity-fee", "12345"]);
    assert.equal(result.authoritySet, true);
    assert.equal(getAddress(result.operator), getAddress(signer));
    const [caSigner, caRecordhash] = (await stack.publicClient.readContract({
      address: stack.resolver.address,
      abi: stack.resolver.abi,
      functionName: "certificateAuthority",
    })) as readonly [Hex, Hex, bigint];
    assert.equal(getAddress(caSigner), getAddress(signer));
    assert.equal(caRecordhash, recordhash);
    const read = (functionName: "fees" | "hasRole", args: readonly unknown[]) =>
      stack.publicClient.readContract({
        address: result.orders,
        abi: ORDERS,
        functionName,
        args: args as never,
      });
    assert.equal(await read("fees", [1n]), 12345n);
    assert.equal(await read("fees", [0n]), 10n ** 16n);
    assert.equal(await read("hasRole", [keccak256(toHex("CA_ROLE")), signer]), true);
  });

  it("from another wallet: deploys, and names the call the resolver's admin must make", async () => {
    const result = await deploy(stack.accounts[4] as HDAccount);
    assert.equal(result.authoritySet, false);
    const text = await runCli(
      [
        "--rpc",
        stack.rpcUrl,
        "--resolver",
        stack.resolver.address,
        "ca",
        "deploy",
        "--ca-dir",
        caDir,
      ],
      { ENSGATE_PRIVATE_KEY: key(stack.accounts[4] as HDAccount) },
    );
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout + text.stderr,
      /must call setCertificateAuthority\(0x[0-9a-fA-F]{40}, 0xe5/,
    );
  });

  it("bad input is one line and exit 2", async () => {
    const run = await runCli(
      [
        "--rpc",
        stack.rpcUrl,
        "--resolver",
        stack.resolver.address,
        "ca",
        "deploy",
        "--ca-dir",
        caDir,
        "--end-entity-fee",
        "1.5",
      ],
      { ENSGATE_PRIVATE_KEY: key(stack.accounts[0] as HDAccount) },
    );
    assertUsageError(run, /--end-entity-fee "1\.5" is not a whole number of wei/);
  });
});
