import { buildKeygenOrigin } from "../../../lib/index.ts";
import type { CommandContext } from "../context.ts";
import { deriveStoredKeys } from "../deriveKeys.ts";
import { saveKeys } from "../keyStore.ts";
import { parseNameArgument } from "../names.ts";

/** `ensgate keygen [name]`: SIGN 1 + SIGN 2 with the owner's wallet, then the NameSys keys. */
export async function keygenCommand(
  context: CommandContext,
  nameArgument: string | undefined,
  options: { walletWide?: boolean; password?: string },
): Promise<void> {
  const { output, config } = context;
  const wallet = await context.wallet();
  const chainId = await context.chainId();
  const name = options.walletWide ? undefined : parseNameArgument(nameArgument ?? "");
  const keyName = buildKeygenOrigin({ name, wallet: wallet.address });
  output.step("signing SIGN 1 (IPNS key) and SIGN 2 (records signer) with the wallet");
  const keys = await deriveStoredKeys(wallet, keyName, chainId, options.password);
  const path = await saveKeys(config.dataDir, keys);
  output.result(
    [
      `keys for ${keyName}`,
      `  owner    ${wallet.address}`,
      `  ipns     ipns://${keys.ipnsName}`,
      `  signer   ${keys.signer}`,
      `  saved    ${path} (mode 600)`,
    ],
    {
      keyName,
      owner: wallet.address,
      chainId,
      ipnsName: keys.ipnsName,
      signer: keys.signer,
      keysFile: path,
    },
  );
}
