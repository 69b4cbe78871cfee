// The demo name `ensgate dev` serves: registered to the devnet's owner account, its keys derived
// from the owner's signatures (SIGN 1/2), one record of every type signed with an off-chain
// approval (SIGN 3), published to the embedded IPFS store under IPNS, set as its recordhash.
// A function of its own so that the browser tests set up exactly what `ensgate dev` serves.
import type { Hex, LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { deriveStoredKeys } from "../client/keygen.ts";
import { type StoredKeys, saveKeys } from "../client/keyStore.ts";
import { publishTree } from "../client/publishTree.ts";
import { treeDir, writeTreeFile } from "../client/recordsTree.ts";
import { buildRecordhash, namehash, signRecordTree } from "../lib/index.ts";
import { demoRecordSet, dnsDemoRecordSet } from "../scripts/stack/demoRecords.ts";
import { registerName } from "../scripts/stack/ensFixtures.ts";
import type { LocalStack } from "../scripts/stack/localStack.ts";
import { createApproval } from "./approvals.ts";

/** The demo name `ensgate dev` registers and publishes. */
export const DEMO_NAME = "demo.eth";

/**
 * Registers, signs, publishes and points `DEMO_NAME` at its tree, as its owner (`stack.accounts[1]`)
 * would with the CLI; keys and the approval are kept in `dataDir`. Returns the recordhash set.
 */
export async function publishDemoName(
  stack: LocalStack,
  dataDir: string,
  step: (message: string) => void = () => {},
): Promise<{ recordhash: Hex; keys: StoredKeys }> {
  const owner = stack.accounts[1] as LocalAccount;
  const chainId = stack.chain.id;
  step(`registering ${DEMO_NAME} to ${owner.address}`);
  await registerName(stack.ens.registry, DEMO_NAME, owner.address, {
    resolver: stack.resolver.address,
  });

  step(`deriving the owner's keys and signing one record of every type`);
  const keys = await deriveStoredKeys(owner, DEMO_NAME, chainId);
  await saveKeys(dataDir, keys);
  const approval = await createApproval(dataDir, {
    name: DEMO_NAME,
    signer: keys.signer,
    owner,
    chainId,
    epoch: 0n,
    resolver: stack.resolver.address,
  });
  const files = await signRecordTree({
    name: DEMO_NAME,
    records: [...demoRecordSet(DEMO_NAME, owner.address), ...dnsDemoRecordSet(DEMO_NAME)],
    signer: privateKeyToAccount(keys.signerPrivateKey),
    owner: owner.address,
    chainId,
    approvalSignature: approval.signature,
    freshness: { validUntil: BigInt(Math.floor(Date.now() / 1000) + 30 * 86_400), epoch: 0n },
    resolver: stack.resolver.address,
  });
  for (const [path, content] of Object.entries(files))
    await writeTreeFile(treeDir(dataDir, DEMO_NAME), path, content);

  step("publishing the records to the embedded IPFS store (IPNS)");
  const published = await publishTree({
    ipfs: {
      addDirectory: (tree) => stack.ipfs.addDirectory(tree),
      updateDirectory: (root, changes) => stack.ipfs.updateDirectory(root, changes),
      publishName: (seed, cid) => stack.ipfs.publishName(seed, cid),
    },
    target: "embedded",
    dataDir,
    keyName: DEMO_NAME,
    seed: keys.ipnsSeed,
    files,
  });
  const recordhash = buildRecordhash({ protocol: "ipns", name: published.ipnsName });
  const hash = await stack.walletClient(owner).writeContract({
    address: stack.resolver.address,
    abi: stack.resolver.abi,
    functionName: "setRecordhash",
    args: [namehash(DEMO_NAME), recordhash],
  });
  await stack.publicClient.waitForTransactionReceipt({ hash });
  return { recordhash, keys };
}
