// Off-chain approvals (SIGN 3) the owner signed, kept in <dataDir>/approvals/<name>.json.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Address, getAddress, type Hex, type LocalAccount } from "viem";
import { signApproval } from "../../lib/index.ts";
import { writeFileAtomic } from "./files.ts";

/** One stored approval: `owner` approved `signer` for `name` on `chainId` (v2: under `epoch`). */
export type StoredApproval = {
  name: string;
  signer: Address;
  owner: Address;
  chainId: number;
  /** Decimal string; absent for a NameSys v1 approval. */
  epoch?: string | undefined;
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
  },
): Promise<StoredApproval> {
  const signature = await signApproval(parameters);
  const approval: StoredApproval = {
    name: parameters.name,
    signer: getAddress(parameters.signer),
    owner: parameters.owner.address,
    chainId: parameters.chainId,
    epoch: parameters.epoch?.toString(),
    signature,
  };
  await writeFileAtomic(
    approvalPath(dataDir, parameters.name),
    `${JSON.stringify(approval, null, 2)}\n`,
  );
  return approval;
}

/** The stored approval of `name` when it matches the signer, owner, chain and epoch; else undefined. */
export async function findApproval(
  dataDir: string,
  match: {
    name: string;
    signer: Address;
    owner: Address;
    chainId: number;
    epoch?: bigint | undefined;
  },
): Promise<StoredApproval | undefined> {
  let approval: StoredApproval;
  try {
    approval = JSON.parse(
      await readFile(approvalPath(dataDir, match.name), "utf8"),
    ) as StoredApproval;
  } catch {
    return undefined;
  }
  const same =
    getAddress(approval.signer) === getAddress(match.signer) &&
    getAddress(approval.owner) === getAddress(match.owner) &&
    approval.chainId === match.chainId &&
    approval.epoch === match.epoch?.toString();
  return same ? approval : undefined;
}
