import type { LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { removeTreeFile, treeDir, writeTreeFile } from "../../client/recordsTree.ts";
import {
  buildRecordFilePath,
  buildRecordType,
  encodeRecordValue,
  serializeRecordFile,
  signRecord,
} from "../../lib/index.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { parseNameArgument } from "../names.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";
import { parseTypeArgument, readValueArgument } from "../recordArguments.ts";
import {
  approvalFor,
  currentEpoch,
  ownerAndKeys,
  signingResolver,
  validUntilFor,
} from "../signing.ts";

/** The options of `ensgate set`, declared once (their type: OptionsOf). */
export const SET_OPTIONS = {
  "--v1": "a NameSys v1 record (no expiry, no epoch)",
  "--valid-for <duration>": "v2 validity: 30d, 12h, 90m or seconds (default 30d)",
  "--epoch <n>": "epoch to sign under (default: the chain's, or 0 offline)",
  "--sign-with <who>": '"derived" (the keygen signer, default) or "owner" (the wallet itself)',
} as const satisfies OptionSpecs;

/** `ensgate set <name> <type> <value>`: signs one record into the local records tree. */
export async function setCommand(
  context: CommandContext,
  nameArgument: string,
  typeArgument: string,
  valueArgument: string,
  options: OptionsOf<typeof SET_OPTIONS>,
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
  const resolver = epoch === undefined ? undefined : signingResolver(context);
  const freshness =
    epoch === undefined ? undefined : { validUntil: validUntilFor(options.validFor), epoch };

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
    approvalSignature = (
      await approvalFor(context, {
        name,
        signer: signer.address,
        owner,
        chainId,
        epoch,
        resolver,
      })
    ).signature;
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
    resolver,
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
