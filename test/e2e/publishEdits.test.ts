// The web app's publish path on the local stack: an owner's tree published the CLI's way, then
// edited with publishEdits through the stack's publish endpoints (`publishUrl`, what `ensgate dev`
// prints), is what the ensgate gateway serves next: viem through CCIP-Read and `ensgate resolve`
// (a separate CLI process) read the new record, verified on-chain.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { bytesToHex, type HDAccount, type Hex, type LocalAccount } from "viem";
import { publishEdits } from "../../ipfs/publishEdits.ts";
import { parseRecordhash, signApproval, signRecordTree } from "../../lib/index.ts";
import { demoRecordSet } from "../../scripts/stack/demoRecords.ts";
import { type LocalStack, startLocalStack } from "../../scripts/stack/localStack.ts";
import {
  deriveOwnerKeys,
  publishTree,
  registerWithResolver,
  VALID_FOR_A_DAY,
  writeResolver,
} from "../../scripts/stack/names.ts";
import { runCliJson } from "../cli/runCli.ts";

const NAME = "alice.eth";
const NEW_AVATAR = "https://example.com/edited-in-the-browser.png";

describe("publishEdits on the local stack", () => {
  let stack: LocalStack;
  let dataDir: string;
  let owner: LocalAccount;
  let ipnsName: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-publish-edits-"));
    stack = await startLocalStack({ dataDir: join(dataDir, "stack") });
    owner = stack.accounts[1] as LocalAccount;
    const node = await registerWithResolver(stack, NAME, owner.address);
    const recordhash = await publishTree(stack, owner, NAME, {
      [NAME]: demoRecordSet(NAME, owner.address),
    });
    const target = parseRecordhash(recordhash);
    assert.equal(target.protocol, "ipns");
    ipnsName = target.name;
    await writeResolver(stack, owner, "setRecordhash", [node, recordhash]);
  });
  after(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const getAvatar = () =>
    stack.publicClient.getEnsText({
      name: NAME,
      key: "avatar",
      universalResolverAddress: stack.ens.universalResolver.address,
    });

  it("a signed record edited through publishUrl is what viem and ensgate resolve read", async () => {
    assert.equal(await getAvatar(), `https://ens.example/${NAME}.png`);

    const chainId = stack.chain.id;
    const { ipnsSeed, signer } = await deriveOwnerKeys(owner, NAME, chainId);
    const approvalSignature = await signApproval({
      name: NAME,
      signer: signer.address,
      owner,
      chainId,
      epoch: 0n,
      resolver: stack.resolver.address,
    });
    const files = await signRecordTree({
      name: NAME,
      records: [[{ type: "text", key: "avatar" }, NEW_AVATAR]],
      signer,
      owner: owner.address,
      chainId,
      approvalSignature,
      freshness: VALID_FOR_A_DAY(),
      resolver: stack.resolver.address,
    });
    const result = await publishEdits({
      ipnsKeySeed: ipnsSeed,
      edits: Object.entries(files).map(([path, content]) => ({ path, content })),
      target: {
        kind: "remote",
        routingUrl: stack.publishUrl,
        pinUrl: stack.publishUrl,
        trustlessGatewayUrl: stack.publishUrl,
      },
    });
    // The name the recordhash points to: the browser signs with the key the CLI derives.
    assert.equal(result.ipnsName, ipnsName);
    assert.equal(result.sequence, 2n);

    assert.equal(await getAvatar(), NEW_AVATAR);
    const resolved = await runCliJson<{ value: string }>([
      "--data-dir",
      join(dataDir, "cli"),
      "--rpc",
      stack.rpcUrl,
      "--resolver",
      stack.resolver.address,
      "--registry",
      stack.ens.registry.address,
      "resolve",
      NAME,
      "text/avatar",
    ]);
    assert.equal(resolved.value, NEW_AVATAR);
  });

  it("the CLI's keygen derives the same IPNS name from the owner's wallet", async () => {
    const key: Hex = bytesToHex((owner as HDAccount).getHdKey().privateKey as Uint8Array);
    const keys = await runCliJson<{ ipnsName: string }>(
      ["--data-dir", join(dataDir, "cli"), "--rpc", stack.rpcUrl, "keygen", NAME],
      { ENSGATE_PRIVATE_KEY: key },
    );
    assert.equal(keys.ipnsName, ipnsName);
  });
});
