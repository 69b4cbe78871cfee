import { isAddressEqual } from "viem";
import { loadResolverAbi, type NameContext } from "../../client/chain.ts";
import { requireSettings } from "../../client/config.ts";
import { findKeysFor, loadKeys } from "../../client/keyStore.ts";
import { buildRecordhash, namehash } from "../../lib/index.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { parseNameArgument } from "../names.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";

/** The options of `ensgate recordhash`, declared once (their type: OptionsOf). */
export const RECORDHASH_OPTIONS = {
  "--owner": "set the wallet-wide recordhash (fallback for all the wallet's names)",
} as const satisfies OptionSpecs;

/** `ensgate recordhash <name>` (or `--owner`): points the name (or the wallet) at its IPNS records. */
export async function recordhashCommand(
  context: CommandContext,
  nameArgument: string | undefined,
  options: OptionsOf<typeof RECORDHASH_OPTIONS>,
): Promise<void> {
  const { resolver } = requireSettings(context.config, "resolver", "rpcUrl");
  const wallet = await context.wallet();
  const connection = await context.chain();
  const abi = loadResolverAbi();
  if (options.owner) {
    const keys = await loadKeys(context.config.dataDir, `eth:${wallet.address}`);
    if (!keys) throw new CliError("no wallet-wide keys: run `ensgate keygen --wallet-wide` first");
    const recordhash = buildRecordhash({ protocol: "ipns", name: keys.ipnsName });
    context.output.step(`setting the wallet-wide recordhash of ${wallet.address}`);
    const hash = await connection.write(wallet, {
      address: resolver,
      abi,
      functionName: "setOwnerRecordhash",
      args: [recordhash],
    });
    context.output.result(
      [`wallet-wide recordhash of ${wallet.address}: ipns://${keys.ipnsName} (tx ${hash})`],
      { owner: wallet.address, ipnsName: keys.ipnsName, recordhash, tx: hash },
    );
    return;
  }
  const name = parseNameArgument(nameArgument ?? "");
  const { owner } = (await context.nameContext(name)) as NameContext;
  if (!isAddressEqual(owner, wallet.address))
    throw new CliError(`${name} is owned by ${owner}, not by the wallet ${wallet.address}`);
  const keys = await findKeysFor(context.config.dataDir, name, wallet.address);
  const recordhash = buildRecordhash({ protocol: "ipns", name: keys.ipnsName });
  context.output.step(`setting the recordhash of ${name}`);
  const hash = await connection.write(wallet, {
    address: resolver,
    abi,
    functionName: "setRecordhash",
    args: [namehash(name), recordhash],
  });
  context.output.result([`recordhash of ${name}: ipns://${keys.ipnsName} (tx ${hash})`], {
    name,
    ipnsName: keys.ipnsName,
    recordhash,
    tx: hash,
  });
}
