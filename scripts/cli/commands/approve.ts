import { type Address, getAddress, isAddress } from "viem";
import { createApproval } from "../approvals.ts";
import { loadResolverAbi, readEffectiveOwner } from "../chain.ts";
import { requireSettings } from "../config.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { findKeysFor } from "../keyStore.ts";
import { parseNameArgument } from "../names.ts";

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

/** `ensgate approve <name>`: an off-chain SIGN 3 approval file (default) or an on-chain `approve`. */
export async function approveCommand(
  context: CommandContext,
  nameArgument: string,
  options: { signer?: string; onchain?: boolean; v1?: boolean; epoch?: string },
): Promise<void> {
  const name = parseNameArgument(nameArgument);
  const wallet = await context.wallet();
  const signer = await resolveSigner(context, name, options.signer);
  if (options.onchain) {
    const { resolver, registry } = requireSettings(context.config, "resolver", "registry");
    const connection = await context.chain();
    const { node, owner, ownerName } = await readEffectiveOwner(
      connection,
      resolver,
      registry,
      name,
    );
    if (owner !== wallet.address)
      throw new CliError(`${ownerName} is owned by ${owner}, not by the wallet ${wallet.address}`);
    context.output.step(`approving ${signer} on-chain for ${ownerName} and its subnames`);
    const hash = await connection.write(wallet, {
      address: resolver,
      abi: loadResolverAbi(),
      functionName: "approve",
      args: [node, signer, true],
    });
    context.output.result([`approved ${signer} for ${ownerName} on-chain (tx ${hash})`], {
      name: ownerName,
      signer,
      onchain: true,
      tx: hash,
    });
    return;
  }
  const chainId = await context.chainId();
  const epoch = options.v1 ? undefined : await currentEpoch(context, name, options.epoch);
  const approval = await createApproval(context.config.dataDir, {
    name,
    signer,
    owner: wallet,
    chainId,
    epoch,
  });
  context.output.result(
    [
      `approved ${signer} for ${name} off-chain (SIGN 3${epoch === undefined ? ", v1" : `, epoch ${epoch}`})`,
    ],
    { ...approval, onchain: false },
  );
}

/** `ensgate revoke <name>`: revoke an on-chain approval, or (--epoch) raise the epoch to revoke every earlier signature. */
export async function revokeCommand(
  context: CommandContext,
  nameArgument: string,
  options: { signer?: string; epoch?: boolean },
): Promise<void> {
  const name = parseNameArgument(nameArgument);
  const wallet = await context.wallet();
  const { resolver, registry } = requireSettings(context.config, "resolver", "registry");
  const connection = await context.chain();
  const { node, owner, ownerName, epoch } = await readEffectiveOwner(
    connection,
    resolver,
    registry,
    name,
  );
  if (owner !== wallet.address)
    throw new CliError(`${ownerName} is owned by ${owner}, not by the wallet ${wallet.address}`);
  if (options.epoch) {
    context.output.step(`raising the epoch of ${ownerName} (${epoch} -> ${epoch + 1n})`);
    const hash = await connection.write(wallet, {
      address: resolver,
      abi: loadResolverAbi(),
      functionName: "bumpEpoch",
      args: [node],
    });
    context.output.result(
      [
        `epoch of ${ownerName} is now ${epoch + 1n}: every earlier record and off-chain approval is revoked (tx ${hash})`,
      ],
      { name: ownerName, epoch: (epoch + 1n).toString(), tx: hash },
    );
    return;
  }
  const signer = await resolveSigner(context, name, options.signer);
  const hash = await connection.write(wallet, {
    address: resolver,
    abi: loadResolverAbi(),
    functionName: "approve",
    args: [node, signer, false],
  });
  context.output.result(
    [`revoked the on-chain approval of ${signer} for ${ownerName} (tx ${hash})`],
    { name: ownerName, signer, tx: hash },
  );
}

/** The owner node's epoch: --epoch, else the chain's (0 offline). */
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
  const { resolver, registry, rpcUrl } = context.config;
  if (!resolver || !registry || !rpcUrl) return 0n;
  return (await readEffectiveOwner(await context.chain(), resolver, registry, name)).epoch;
}
