// The deterministic keys a wallet derived with `ensgate keygen` (NameSys KEYGEN), kept in
// <dataDir>/keys/<key name>.json with mode 0600: they sign records and IPNS updates.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Address, getAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { parentName } from "../lib/index.ts";
import { ClientError } from "./errors.ts";
import { writeFileAtomic } from "./files.ts";

/** One key set: what SIGN 1 and SIGN 2 of `owner` derived for `keyName`. */
export type StoredKeys = {
  version: 1;
  /** The name the keys were derived for (SIGN 1/2 Origin), or `eth:<owner>` for wallet-wide keys. */
  keyName: string;
  owner: Address;
  chainId: number;
  ipnsName: string;
  ipnsSeed: Hex;
  signer: Address;
  signerPrivateKey: Hex;
};

/** The file of a key set (key names are ENS names or `eth:0x…`, both safe as file names). */
export function keysPath(dataDir: string, keyName: string): string {
  return join(dataDir, "keys", `${keyName}.json`);
}

/** Saves a key set readable by the current user only. */
export async function saveKeys(dataDir: string, keys: StoredKeys): Promise<string> {
  const path = keysPath(dataDir, keys.keyName);
  await writeFileAtomic(path, `${JSON.stringify(keys, null, 2)}\n`, 0o600);
  return path;
}

/** Loads a key set, or undefined when `keygen` never ran for it. */
export async function loadKeys(dataDir: string, keyName: string): Promise<StoredKeys | undefined> {
  let text: string;
  try {
    text = await readFile(keysPath(dataDir, keyName), "utf8");
  } catch {
    return undefined;
  }
  const keys = JSON.parse(text) as StoredKeys;
  if (getAddress(privateKeyToAccount(keys.signerPrivateKey).address) !== getAddress(keys.signer))
    throw new ClientError(
      `keys file of ${keyName} is corrupt: its signer key does not match its address`,
    );
  return keys;
}

/**
 * The key set whose tree holds `name`'s records: the name's own, else its closest ancestor's
 * (wildcard subnames live in the parent's tree), else the wallet-wide `eth:<owner>` set.
 */
export async function findKeysFor(
  dataDir: string,
  name: string,
  owner?: Address,
): Promise<StoredKeys> {
  for (let candidate: string | undefined = name; candidate; candidate = parentName(candidate)) {
    const keys = await loadKeys(dataDir, candidate);
    if (keys) return keys;
  }
  if (owner) {
    const walletWide = await loadKeys(dataDir, `eth:${owner}`);
    if (walletWide) return walletWide;
  }
  throw new ClientError(`no keys for ${name}: run \`ensgate keygen ${name}\` first`);
}
