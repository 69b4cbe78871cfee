import { privateKeyToAccount } from "viem/accounts";
import {
  buildIpnsKeygenMessage,
  buildSignerKeygenMessage,
  deriveIpnsKeySeed,
  deriveIpnsName,
  deriveSignerPrivateKey,
  formatCaip10,
  type MessageSigner,
} from "../lib/index.ts";
import type { StoredKeys } from "./keyStore.ts";

/**
 * Signs SIGN 1 and SIGN 2 with the wallet and derives the NameSys keys of `keyName`. The wallet is
 * anything that signs EIP-191 messages: a local account (the CLI) or a browser wallet (the web app),
 * so both derive byte-identical keys.
 */
export async function deriveStoredKeys(
  wallet: MessageSigner,
  keyName: string,
  chainId: number,
  password?: string,
): Promise<StoredKeys> {
  const parameters = { origin: keyName, password, chainId, wallet: wallet.address };
  const keygen = { username: keyName, caip10: formatCaip10(chainId, wallet.address), password };
  const ipnsSignature = await wallet.signMessage({ message: buildIpnsKeygenMessage(parameters) });
  const signerSignature = await wallet.signMessage({
    message: buildSignerKeygenMessage(parameters),
  });
  const ipnsSeed = deriveIpnsKeySeed({ ...keygen, signature: ipnsSignature });
  const signerPrivateKey = deriveSignerPrivateKey({ ...keygen, signature: signerSignature });
  return {
    version: 1,
    keyName,
    owner: wallet.address,
    chainId,
    ipnsName: await deriveIpnsName(ipnsSeed),
    ipnsSeed,
    signer: privateKeyToAccount(signerPrivateKey).address,
    signerPrivateKey,
  };
}
