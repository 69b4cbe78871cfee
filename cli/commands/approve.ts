import { type Address, getAddress, isAddress, isAddressEqual, type LocalAccount } from "viem";
import { loadResolverAbi, NAME_CONTEXT_ABI, type NameContext } from "../../client/chain.ts";
import { requireSettings } from "../../client/config.ts";
import { findKeysFor } from "../../client/keyStore.ts";
import { namehash, namePath } from "../../lib/index.ts";
import { createApproval } from "../approvals.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { parseNameArgument } from "../names.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";
import { currentEpoch, signingResolver } from "../signing.ts";

/** The signer an approval is about: --signer, else the derived signer of the name's keys. */
async function resolveSigner(
  context: CommandContext,
  name: string,
  signer: string | undefined,
): Promise<Address> {
  if (signer !== undefined) {
    if (!isAddress(signer)) throw new CliError(`--signer "${signer}" is not an address`);
    return getAddress(signer);
  }
  return (await findKeysFor(context.config.dataDir, name, (await context.wallet()).address)).signer;
}

/** The name's on-chain context, refusing a wallet that is not its owner (settings by anyone else never apply). */
async function ownedByWallet(
  context: CommandContext,
  name: string,
  wallet: LocalAccount,
): Promise<NameContext> {
  requireSettings(context.config, "resolver", "rpcUrl");
  const onchain = (await context.nameContext(name)) as NameContext;
  if (!isAddressEqual(onchain.owner, wallet.address))
    throw new CliError(`${name} is owned by ${onchain.owner}, not by the wallet ${wallet.address}`);
  return onchain;
}

/** The options of `ensgate approve`, declared once (their type: OptionsOf). */
export const APPROVE_OPTIONS = {
  "--signer <address>": "the signer to approve (default: the name's derived signer)",
  "--onchain": "send approve(node, signer, true) instead",
  "--v1": "a NameSys v1 approval (no epoch)",
  "--epoch <n>": "epoch to approve under (default: the chain's, or 0 offline)",
} as const satisfies OptionSpecs;

/** `ensgate approve <name>`: an off-chain SIGN 3 approval file (default) or an on-chain `approve`. */
export async function approveCommand(
  context: CommandContext,
  nameArgument: string,
  options: OptionsOf<typeof APPROVE_OPTIONS>,
): Promise<void> {
  const name = parseNameArgument(nameArgument);
  const wallet = await context.wallet();
  if (options.onchain) {
    await ownedByWallet(context, name, wallet);
    const signer = await resolveSigner(context, name, options.signer);
    const { resolver } = requireSettings(context.config, "resolver");
    context.output.step(`approving ${signer} on-chain for ${name} and the names below it`);
    const hash = await (await context.chain()).write(wallet, {
      address: resolver,
      abi: loadResolverAbi(),
      functionName: "approve",
      args: [namehash(name), signer, true],
    });
    context.output.result([`approved ${signer} for ${name} on-chain (tx ${hash})`], {
      name,
      signer,
      onchain: true,
      tx: hash,
    });
    return;
  }
  // Offline, the wallet is taken to be the owner; on-chain, an approval by anyone else is useless.
  if (context.online) await ownedByWallet(context, name, wallet);
  const signer = await resolveSigner(context, name, options.signer);
  const chainId = await context.chainId();
  const epoch = options.v1 ? undefined : await currentEpoch(context, name, options.epoch);
  const resolver = epoch === undefined ? undefined : signingResolver(context);
  const approval = await createApproval(context.config.dataDir, {
    name,
    signer,
    owner: wallet,
    chainId,
    epoch,
    resolver,
  });
  context.output.result(
    [
      `approved ${signer} for ${name} off-chain (SIGN 3${epoch === undefined ? ", v1" : `, epoch ${epoch}, resolver ${resolver}`})`,
    ],
    { ...approval, onchain: false },
  );
}

/** The options of `ensgate revoke`, declared once (their type: OptionsOf). */
export const REVOKE_OPTIONS = {
  "--signer <address>": "the signer to revoke (default: the name's derived signer)",
  "--epoch":
    "bumpEpoch(node): revoke every record and off-chain approval of the name (and the names below it) signed so far; then `resign` and `publish`",
} as const satisfies OptionSpecs;

/**
 * `ensgate revoke <name>`: revoke an on-chain approval, or (--epoch) raise the name's epoch to
 * revoke every earlier signature for it and the names below it.
 */
export async function revokeCommand(
  context: CommandContext,
  nameArgument: string,
  options: OptionsOf<typeof REVOKE_OPTIONS>,
): Promise<void> {
  const name = parseNameArgument(nameArgument);
  const wallet = await context.wallet();
  const { resolver } = requireSettings(context.config, "resolver", "rpcUrl");
  const { epoch } = await ownedByWallet(context, name, wallet);
  const connection = await context.chain();
  if (options.epoch) {
    context.output.step(`raising the epoch of ${name} (${epoch} -> ${epoch + 1n})`);
    const hash = await connection.write(wallet, {
      address: resolver,
      abi: loadResolverAbi(),
      functionName: "bumpEpoch",
      args: [namehash(name)],
    });
    context.output.result(
      [
        `epoch of ${name} is now ${epoch + 1n}: every earlier record and off-chain approval is revoked (tx ${hash})`,
        `  run \`ensgate resign ${name}\` and \`ensgate publish\` to sign its records again`,
      ],
      { name, epoch: (epoch + 1n).toString(), tx: hash },
    );
    return;
  }
  const signer = await resolveSigner(context, name, options.signer);
  // The approval may sit on the name or on any ancestor: clear it wherever it applies.
  const approvedOn: string[] = [];
  for (const candidate of namePath(name))
    if (
      await connection.publicClient.readContract({
        address: resolver,
        abi: NAME_CONTEXT_ABI,
        functionName: "isApprovedSigner",
        args: [wallet.address, namehash(candidate), signer],
      })
    )
      approvedOn.push(candidate);
  if (approvedOn.length === 0)
    throw new CliError(`${signer} is not approved on-chain for ${name} by ${wallet.address}`);
  const hashes = [];
  for (const candidate of approvedOn)
    hashes.push(
      await connection.write(wallet, {
        address: resolver,
        abi: loadResolverAbi(),
        functionName: "approve",
        args: [namehash(candidate), signer, false],
      }),
    );
  context.output.result(
    [
      `revoked the on-chain approval of ${signer} for ${approvedOn.join(", ")} (tx ${hashes.join(", ")})`,
    ],
    { name, signer, nodes: approvedOn, tx: hashes[0], txs: hashes },
  );
}
