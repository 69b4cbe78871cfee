// Publishing names on the local stack for end-to-end tests and benchmarks, the way an owner would: keys from
// wallet signatures (KEYGEN), records signed by the derived signer with an off-chain approval,
// the tree added to the embedded IPFS store, the IPNS name published and set as recordhash.
import type { Account, Address, Hex, LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  buildIpnsKeygenMessage,
  buildRecordhash,
  buildSignerKeygenMessage,
  deriveIpnsKeySeed,
  deriveSignerPrivateKey,
  formatCaip10,
  namehash,
  type RecordRequest,
  signApproval,
  signRecordTree,
} from "../../lib/index.ts";
import { registerName } from "./ensFixtures.ts";
import type { LocalStack } from "./localStack.ts";

export const VALID_FOR_A_DAY = () => ({
  validUntil: BigInt(Math.floor(Date.now() / 1000) + 86_400),
  epoch: 0n,
});

/** The owner's NameSys keys for `keyName`: the IPNS seed (SIGN 1) and the records signer (SIGN 2). */
export async function deriveOwnerKeys(owner: LocalAccount, keyName: string, chainId: number) {
  const parameters = { origin: keyName, chainId, wallet: owner.address };
  const caip10 = formatCaip10(chainId, owner.address);
  const ipnsSignature = await owner.signMessage({ message: buildIpnsKeygenMessage(parameters) });
  const signerSignature = await owner.signMessage({
    message: buildSignerKeygenMessage(parameters),
  });
  return {
    ipnsSeed: deriveIpnsKeySeed({ username: keyName, caip10, signature: ipnsSignature }),
    signer: privateKeyToAccount(
      deriveSignerPrivateKey({ username: keyName, caip10, signature: signerSignature }),
    ),
  };
}

/** Sends an owner transaction to the resolver and waits for it. */
export async function writeResolver(
  stack: LocalStack,
  from: Account,
  functionName: string,
  args: readonly unknown[],
) {
  const hash = await stack.walletClient(from).writeContract({
    address: stack.resolver.address,
    abi: stack.resolver.abi,
    functionName,
    args,
  });
  const receipt = await stack.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
}

/**
 * Publishes `names` (with their records) in one IPNS tree keyed by `keyName`, signed by the
 * owner's derived signer with a v2 SIGN 3 approval per name. `files` may replace file contents
 * (tampering tests). Returns the recordhash to set.
 */
export async function publishTree(
  stack: LocalStack,
  owner: LocalAccount,
  keyName: string,
  names: Record<string, [RecordRequest, string][]>,
  { overrides = {} as Record<string, string> } = {},
): Promise<Hex> {
  const chainId = stack.chain.id;
  const { ipnsSeed, signer } = await deriveOwnerKeys(owner, keyName, chainId);
  const files: Record<string, string> = {};
  for (const [name, records] of Object.entries(names)) {
    const approvalSignature = await signApproval({
      name,
      signer: signer.address,
      owner,
      chainId,
      epoch: 0n,
      resolver: stack.resolver.address,
    });
    Object.assign(
      files,
      await signRecordTree({
        name,
        records,
        signer,
        owner: owner.address,
        chainId,
        approvalSignature,
        freshness: VALID_FOR_A_DAY(),
        resolver: stack.resolver.address,
      }),
    );
  }
  Object.assign(files, overrides);
  const root = await stack.ipfs.addDirectory(files);
  const ipnsName = await stack.ipfs.publishName(ipnsSeed, root);
  return buildRecordhash({ protocol: "ipns", name: ipnsName });
}

/** Registers `name` to `owner` with the ensgate resolver. */
export async function registerWithResolver(stack: LocalStack, name: string, owner: Address) {
  await registerName(stack.ens.registry, name, owner, { resolver: stack.resolver.address });
  return namehash(name);
}
