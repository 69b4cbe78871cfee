// The browser wallet: the EIP-1193 provider a wallet extension injects as `window.ethereum`, used
// through viem. It signs SIGN 1/2 (keygen) and SIGN 3 (approval) as EIP-191 messages and sends the
// owner's transactions; the derived keys themselves never reach it.
import {
  type Address,
  type Chain,
  createWalletClient,
  custom,
  type EIP1193Provider,
  type Transport,
  type WalletClient,
} from "viem";
import type { MessageSigner } from "../../lib/index.ts";
import type { AppConfig } from "./appConfig.ts";
import { chainOf } from "./chain.ts";

/** A connected wallet: its account, a viem client on it, and a message signer for lib. */
export type ConnectedWallet = {
  address: Address;
  client: WalletClient<Transport, Chain>;
  /** Signs EIP-191 messages with the wallet (personal_sign), as lib's MessageSigner. */
  signer: MessageSigner;
};

/** The injected provider, or undefined when no wallet is installed. */
export function injectedProvider(): EIP1193Provider | undefined {
  return (globalThis as { ethereum?: EIP1193Provider }).ethereum;
}

/** Asks the wallet for an account (eth_requestAccounts) and checks it is on the app's chain. */
export async function connectWallet(config: AppConfig): Promise<ConnectedWallet> {
  const provider = injectedProvider();
  if (!provider)
    throw new Error(
      "no browser wallet found: install one (it provides window.ethereum), then reload the page",
    );
  const chain = chainOf(config);
  const client = createWalletClient({ chain, transport: custom(provider) });
  const [address] = await client.requestAddresses();
  if (!address) throw new Error("the wallet shared no account");
  const chainId = await client.getChainId();
  if (chainId !== config.chainId)
    throw new Error(
      `the wallet is on chain ${chainId}, but this app works on chain ${config.chainId}: switch networks in the wallet`,
    );
  const signer = {
    address,
    signMessage: ({ message }) => client.signMessage({ account: address, message }),
  } as MessageSigner;
  return { address, client, signer };
}
