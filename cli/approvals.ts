// Off-chain approvals (SIGN 3) the owner signed, kept in <dataDir>/approvals/<name>.json.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Address, getAddress, type Hex, isAddressEqual, type LocalAccount } from "viem";
import { writeFileAtomic } from "../client/files.ts";
import { signApproval } from "../lib/index.ts";

/**
 * One stored approval: `owner` approved `signer` for `name` on `chainId` (v2: under `epoch`, on
 * the resolver deployment `resolver`). `owner` is the name's owner when the approval was signed.
 */
export type StoredApproval = {
  name: string;
  signer: Address;
  owner: Address;
  chainId: number;
  /** Decimal string; absent for a NameSys v1 approval. */
  epoch?: string | undefined;
  /** The resolver a v2 approval is bound to; absent for a NameSys v1 approval. */
  resolver?: Address | undefined;
  signature: Hex;
};

const approvalPath = (dataDir: string, name: string) => join(dataDir, "approvals", `${name}.json`);

/** Signs and stores an off-chain approval of `signer` for `name` by the owner's wallet. */
export async function createApproval(
  dataDir: string,
  parameters: {
    name: string;
    signer: Address;
    owner: LocalAccount;
    chainId: number;
    epoch?: bigint | undefined;
    resolver?: Address | undefined;
  },
): Promise<StoredApproval> {
  const signature = await signApproval(parameters);
  const v2 = parameters.epoch !== undefined;
  const approval: StoredApproval = {
    name: parameters.name,
    signer: getAddress(parameters.signer),
    owner: parameters.owner.address,
    chainId: parameters.chainId,
    epoch: parameters.epoch?.toString(),
    resolver: v2 && parameters.resolver ? getAddress(parameters.resolver) : undefined,
    signature,
  };
  await writeFileAtomic(
    approvalPath(dataDir, parameters.name),
    `${JSON.stringify(approval, null, 2)}\n`,
  );
  return approval;
}

/** The stored approval of `name`, whatever it matches, or undefined when there is none. */
export async function loadApproval(
  dataDir: string,
  name: string,
): Promise<StoredApproval | undefined> {
  try {
    return JSON.parse(await readFile(approvalPath(dataDir, name), "utf8")) as StoredApproval;
  } catch {
    return undefined;
  }
}

/**
 * The stored approval of `name` when it matches the signer, owner, chain, epoch and (v2) resolver;
 * else undefined.
 */
export async function findApproval(
  dataDir: string,
  match: {
    name: string;
    signer: Address;
    owner: Address;
    chainId: number;
    epoch?: bigint | undefined;
    resolver?: Address | undefined;
  },
): Promise<StoredApproval | undefined> {
  const approval = await loadApproval(dataDir, match.name);
  if (!approval) return undefined;
  const sameResolver =
    match.epoch === undefined ||
    (approval.resolver !== undefined &&
      match.resolver !== undefined &&
      isAddressEqual(approval.resolver, match.resolver));
  const same =
    isAddressEqual(approval.signer, match.signer) &&
    isAddressEqual(approval.owner, match.owner) &&
    approval.chainId === match.chainId &&
    approval.epoch === match.epoch?.toString() &&
    sameResolver;
  return same ? approval : undefined;
}
