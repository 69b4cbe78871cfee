import { isAddressEqual } from "viem";
import { deriveStoredKeys } from "../../client/keygen.ts";
import { loadKeys, saveKeys } from "../../client/keyStore.ts";
import { buildKeygenOrigin } from "../../lib/index.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { parseNameArgument } from "../names.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";

/** The options of `ensgate keygen`, declared once (their type: OptionsOf). */
export const KEYGEN_OPTIONS = {
  "--wallet-wide": "keys for the wallet's own records tree (eth:<address>) instead of one name",
  "--password <password>": "optional password mixed into the keys, as in NameSys",
  "--force":
    "derive even when the wallet does not own the name (e.g. before a transfer), and replace existing keys of that name",
} as const satisfies OptionSpecs;

/**
 * `ensgate keygen [name]`: SIGN 1 + SIGN 2 with the owner's wallet, then the NameSys keys.
 * With the chain configured, the wallet must own the name (`nameContext`); existing keys of the
 * same key name are never replaced by different ones. `--force` lifts both checks.
 */
export async function keygenCommand(
  context: CommandContext,
  nameArgument: string | undefined,
  options: OptionsOf<typeof KEYGEN_OPTIONS>,
): Promise<void> {
  const { output, config } = context;
  const wallet = await context.wallet();
  const chainId = await context.chainId();
  const name = options.walletWide ? undefined : parseNameArgument(nameArgument ?? "");
  if (name !== undefined && !options.force) {
    const onchain = await context.nameContext(name);
    if (onchain && !isAddressEqual(onchain.owner, wallet.address))
      throw new CliError(
        `${name} is owned by ${onchain.owner}, not by the wallet ${wallet.address}: pass --force to derive its keys anyway (e.g. before a transfer)`,
      );
  }
  const keyName = buildKeygenOrigin({ name, wallet: wallet.address });
  const existing = await loadKeys(config.dataDir, keyName);
  const keys = await deriveStoredKeys(wallet, keyName, chainId, options.password);
  const same =
    existing !== undefined &&
    existing.ipnsName === keys.ipnsName &&
    isAddressEqual(existing.signer, keys.signer) &&
    isAddressEqual(existing.owner, keys.owner);
  if (existing && !same && !options.force)
    throw new CliError(
      `keys of ${keyName} already exist (derived by ${existing.owner}, ipns://${existing.ipnsName}) and differ from these: pass --force to replace them`,
    );
  output.step("signed SIGN 1 (IPNS key) and SIGN 2 (records signer) with the wallet");
  const path = await saveKeys(config.dataDir, keys);
  output.result(
    [
      `keys for ${keyName}`,
      `  owner    ${wallet.address}`,
      `  ipns     ipns://${keys.ipnsName}`,
      `  signer   ${keys.signer}`,
      `  saved    ${path} (mode 600)${existing && !same ? ", replacing the previous keys" : ""}`,
    ],
    {
      keyName,
      owner: wallet.address,
      chainId,
      ipnsName: keys.ipnsName,
      signer: keys.signer,
      keysFile: path,
      replaced: existing !== undefined && !same,
    },
  );
}
