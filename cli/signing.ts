// What `set` and `resign` share: whose records a name's are (the on-chain owner, checked against
// the keys and approvals stored here), its epoch and validity, and the signer's authorization
// (an on-chain approval, or a SIGN 3 approval stored here or signed now by the owner's wallet).
import { type Address, getAddress, type Hex, isAddressEqual, type LocalAccount } from "viem";
import { isApprovedOnPath, type NameContext } from "../client/chain.ts";
import { requireSettings } from "../client/config.ts";
import { findKeysFor, type StoredKeys } from "../client/keyStore.ts";
import { createApproval, findApproval, loadApproval } from "./approvals.ts";
import type { CommandContext } from "./context.ts";
import { CliError } from "./errors.ts";

/** The default validity of a v2 record. */
export const DEFAULT_VALIDITY_SECONDS = 30 * 86_400;

/** Parses `30d`, `12h`, `90m`, `3600s` or plain seconds. */
export function parseDuration(text: string): number {
  const match = /^([1-9][0-9]*)([smhd]?)$/.exec(text);
  if (!match) throw new CliError(`"${text}" is not a duration like 30d, 12h, 90m or 3600s`);
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as "" | "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

/** The v2 `validUntil` for `--valid-for` (default 30 days from now). */
export function validUntilFor(validFor: string | undefined): bigint {
  return BigInt(
    Math.floor(Date.now() / 1000) + parseDuration(validFor ?? `${DEFAULT_VALIDITY_SECONDS}`),
  );
}

/** The `keygen` command that derives a key set (a name's, or the wallet-wide one). */
export function keygenHint(keyName: string): string {
  return keyName.startsWith("eth:")
    ? "`ensgate keygen --wallet-wide`"
    : `\`ensgate keygen ${keyName}\``;
}

/**
 * Refuses keys derived by another wallet than the name's on-chain owner: records (and IPNS
 * updates) they sign would not be the owner's.
 */
export function assertKeysOfOwner(name: string, owner: Address, keys: StoredKeys): void {
  if (!isAddressEqual(keys.owner, owner))
    throw new CliError(
      `${name} is owned by ${owner} on-chain, but the keys of ${keys.keyName} were derived by ${getAddress(keys.owner)}: derive new ones with ${keygenHint(keys.keyName)} from the owner's wallet`,
    );
}

/**
 * The owner whose signature counts for `name` (on-chain when the chain is configured, else the
 * keys' wallet), the key set whose tree holds its records, and the on-chain context.
 */
export async function ownerAndKeys(
  context: CommandContext,
  name: string,
): Promise<{ owner: Address; keys: StoredKeys; onchain: NameContext | undefined }> {
  const onchain = await context.nameContext(name);
  const keys = await findKeysFor(context.config.dataDir, name, onchain?.owner);
  if (!onchain) return { owner: keys.owner, keys, onchain };
  assertKeysOfOwner(name, onchain.owner, keys);
  return { owner: onchain.owner, keys, onchain };
}

/** The name's epoch: --epoch, else the chain's (0 offline). */
export async function currentEpoch(
  context: CommandContext,
  name: string,
  given: string | undefined,
): Promise<bigint> {
  if (given !== undefined) {
    if (!/^(0|[1-9][0-9]*)$/.test(given))
      throw new CliError(`--epoch "${given}" is not a non-negative integer`);
    return BigInt(given);
  }
  return (await context.nameContext(name))?.epoch ?? 0n;
}

/** The resolver v2 records and approvals are bound to (the configured one; required). */
export function signingResolver(context: CommandContext): Address {
  return requireSettings(context.config, "resolver").resolver;
}

/** Whether the owner approved `signer` on-chain for `name` (false offline). */
export async function isApprovedOnChain(
  context: CommandContext,
  name: string,
  owner: Address,
  signer: Address,
): Promise<boolean> {
  if (!context.online) return false;
  const { resolver } = requireSettings(context.config, "resolver");
  return isApprovedOnPath((await context.chain()).publicClient, resolver, owner, name, signer);
}

/**
 * The SIGN 3 approval a derived signer's record carries: none when the owner approved it
 * on-chain, else the stored approval for this owner, chain, epoch and resolver, else a new one
 * signed by the owner's wallet. A stored approval from another owner is refused when the wallet
 * cannot sign a new one.
 */
export async function approvalFor(
  context: CommandContext,
  match: {
    name: string;
    signer: Address;
    owner: Address;
    chainId: number;
    epoch?: bigint | undefined;
    resolver?: Address | undefined;
  },
): Promise<{ signature: Hex | undefined; kind: "onchain" | "stored" | "created" }> {
  if (await isApprovedOnChain(context, match.name, match.owner, match.signer))
    return { signature: undefined, kind: "onchain" };
  const { dataDir } = context.config;
  const stored = await findApproval(dataDir, match);
  if (stored) return { signature: stored.signature, kind: "stored" };
  let wallet: LocalAccount | undefined;
  try {
    wallet = await context.wallet();
  } catch {
    wallet = undefined;
  }
  if (!wallet || !isAddressEqual(wallet.address, match.owner)) {
    const previous = await loadApproval(dataDir, match.name);
    if (previous && !isAddressEqual(previous.owner, match.owner))
      throw new CliError(
        `the stored approval of ${match.name} was signed by ${getAddress(previous.owner)}, but ${match.name} is owned by ${match.owner} on-chain: run \`ensgate approve ${match.name}\` with the owner's wallet`,
      );
    if (!wallet)
      throw new CliError(
        `no approval of ${match.signer} for ${match.name}${match.epoch === undefined ? "" : ` under epoch ${match.epoch}`}: run \`ensgate approve ${match.name}\` with the owner's wallet`,
      );
    throw new CliError(
      `the wallet ${wallet.address} is not the owner ${match.owner} of ${match.name}`,
    );
  }
  context.output.step(`signing SIGN 3: the owner approves ${match.signer} for ${match.name}`);
  const created = await createApproval(dataDir, { ...match, owner: wallet });
  return { signature: created.signature, kind: "created" };
}
