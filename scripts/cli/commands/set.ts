import type { Address, LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  buildRecordFilePath,
  buildRecordType,
  encodeRecordValue,
  serializeRecordFile,
  signRecord,
} from "../../../lib/index.ts";
import { createApproval, findApproval } from "../approvals.ts";
import { loadResolverAbi, readEffectiveOwner } from "../chain.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { findKeysFor, type StoredKeys } from "../keyStore.ts";
import { parseNameArgument } from "../names.ts";
import { parseTypeArgument, readValueArgument } from "../recordArguments.ts";
import { removeTreeFile, treeDir, writeTreeFile } from "../recordsTree.ts";
import { currentEpoch } from "./approve.ts";

const DEFAULT_VALIDITY_SECONDS = 30 * 86_400;

/** Parses `30d`, `12h`, `90m`, `3600s` or plain seconds. */
export function parseDuration(text: string): number {
  const match = /^([1-9][0-9]*)([smhd]?)$/.exec(text);
  if (!match) throw new CliError(`"${text}" is not a duration like 30d, 12h, 90m or 3600s`);
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as "" | "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

/** `ensgate set <name> <type> <value>`: signs one record into the local records tree. */
export async function setCommand(
  context: CommandContext,
  nameArgument: string,
  typeArgument: string,
  valueArgument: string,
  options: { v1?: boolean; validFor?: string; epoch?: string; signWith?: string },
): Promise<void> {
  const name = parseNameArgument(nameArgument);
  const value = readValueArgument(valueArgument);
  const request = parseTypeArgument(typeArgument, value);
  // Parse and validate the value before anything is signed or written.
  const result = encodeRecordValue(request, value);
  const { config, output } = context;
  const chainId = await context.chainId();
  const { owner, keys } = await ownerAndKeys(context, name);
  const epoch = options.v1 ? undefined : await currentEpoch(context, name, options.epoch);
  const freshness =
    epoch === undefined
      ? undefined
      : {
          validUntil: BigInt(
            Math.floor(Date.now() / 1000) +
              parseDuration(options.validFor ?? `${DEFAULT_VALIDITY_SECONDS}`),
          ),
          epoch,
        };

  let signer: LocalAccount;
  let approvalSignature: `0x${string}` | undefined;
  if (options.signWith === "owner") {
    signer = await context.wallet();
    if (signer.address !== owner)
      throw new CliError(`the wallet ${signer.address} is not the owner ${owner} of ${name}`);
  } else {
    if (options.signWith !== undefined && options.signWith !== "derived")
      throw new CliError(`--sign-with "${options.signWith}" is not "derived" or "owner"`);
    signer = privateKeyToAccount(keys.signerPrivateKey);
    // A signer the owner approved on-chain needs no SIGN 3; otherwise attach (or create) one.
    if (!(await isApprovedOnChain(context, name, owner, signer.address)))
      approvalSignature = await approvalFor(context, {
        name,
        signer: signer.address,
        owner,
        chainId,
        epoch,
      });
  }
  const file = await signRecord({
    name,
    request,
    result,
    signer,
    owner,
    chainId,
    approvalSignature,
    freshness,
  });
  const path = buildRecordFilePath(name, request);
  await writeTreeFile(treeDir(config.dataDir, keys.keyName), path, serializeRecordFile(file));
  output.result(
    [
      `signed ${buildRecordType(request)} of ${name} (${freshness ? `v2, valid until ${new Date(Number(freshness.validUntil) * 1000).toISOString()}, epoch ${freshness.epoch}` : "v1"})`,
      `  ${path} in the tree of ${keys.keyName}`,
      "  run `ensgate publish` to put it on IPNS",
    ],
    {
      name,
      recordType: buildRecordType(request),
      path,
      tree: keys.keyName,
      signer: signer.address,
      version: freshness ? 2 : 1,
      validUntil: freshness?.validUntil.toString(),
      epoch: freshness?.epoch.toString(),
    },
  );
}

/** `ensgate unset <name> <type>`: removes one record file from the local tree. */
export async function unsetCommand(
  context: CommandContext,
  nameArgument: string,
  typeArgument: string,
): Promise<void> {
  const name = parseNameArgument(nameArgument);
  if (typeArgument === "dns")
    throw new CliError("unset a DNS RRset by its record type: dns/<0x owner name hash>/<resource>");
  const request = parseTypeArgument(typeArgument);
  const { keys } = await ownerAndKeys(context, name);
  const path = buildRecordFilePath(name, request);
  if (!(await removeTreeFile(treeDir(context.config.dataDir, keys.keyName), path)))
    throw new CliError(
      `${buildRecordType(request)} of ${name} is not set in the tree of ${keys.keyName}`,
    );
  context.output.result([`removed ${path}; run \`ensgate publish\``], {
    name,
    path,
    tree: keys.keyName,
  });
}

/** The owner whose approval counts (on-chain when configured, else the keys' wallet) and the key set. */
async function ownerAndKeys(
  context: CommandContext,
  name: string,
): Promise<{ owner: Address; keys: StoredKeys }> {
  const { resolver, registry, rpcUrl, dataDir } = context.config;
  if (resolver && registry && rpcUrl) {
    const { owner } = await readEffectiveOwner(await context.chain(), resolver, registry, name);
    return { owner, keys: await findKeysFor(dataDir, name, owner) };
  }
  const keys = await findKeysFor(dataDir, name);
  return { owner: keys.owner, keys };
}

/** Whether the owner approved `signer` on-chain for the name's owner node (false offline). */
async function isApprovedOnChain(
  context: CommandContext,
  name: string,
  owner: Address,
  signer: Address,
): Promise<boolean> {
  const { resolver, registry, rpcUrl } = context.config;
  if (!resolver || !registry || !rpcUrl) return false;
  const { node } = await readEffectiveOwner(await context.chain(), resolver, registry, name);
  return (await (
    await context.chain()
  ).publicClient.readContract({
    address: resolver,
    abi: loadResolverAbi(),
    functionName: "isApprovedSigner",
    args: [owner, node, signer],
  })) as boolean;
}

/** The stored SIGN 3 approval for this signer, or a new one signed by the owner's wallet. */
async function approvalFor(
  context: CommandContext,
  match: {
    name: string;
    signer: Address;
    owner: Address;
    chainId: number;
    epoch?: bigint | undefined;
  },
): Promise<`0x${string}`> {
  const stored = await findApproval(context.config.dataDir, match);
  if (stored) return stored.signature;
  let wallet: LocalAccount;
  try {
    wallet = await context.wallet();
  } catch {
    throw new CliError(
      `no approval of ${match.signer} for ${match.name}: run \`ensgate approve ${match.name}\` with the owner's wallet`,
    );
  }
  if (wallet.address !== match.owner)
    throw new CliError(
      `the wallet ${wallet.address} is not the owner ${match.owner} of ${match.name}`,
    );
  context.output.step(`signing SIGN 3: the owner approves ${match.signer} for ${match.name}`);
  return (await createApproval(context.config.dataDir, { ...match, owner: wallet })).signature;
}
