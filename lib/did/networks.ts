import type { Address } from "viem";

/** A map from did:ens network name to EVM chain id. */
export type EnsDidNetworks = Readonly<Record<string, number>>;

/** The networks every did:ens parser knows: ENS's public deployments (configure others, e.g. `{ localhost: 31337 }`). */
export const ENS_DID_NETWORKS: EnsDidNetworks = Object.freeze({
  mainnet: 1,
  sepolia: 11155111,
  holesky: 17000,
  goerli: 5,
});

/** The network a did:ens DID without a network segment refers to. */
export const DEFAULT_ENS_DID_NETWORK = "mainnet";

/** The built-in networks overlaid with the configured ones (a configured name wins). */
export function resolveEnsDidNetworks(configured: EnsDidNetworks = {}): EnsDidNetworks {
  return { ...ENS_DID_NETWORKS, ...configured };
}

/** The ENS registry address shared by mainnet, sepolia, holesky and goerli. */
export const ENS_REGISTRY_ADDRESS: Address = "0x00000000000C2E074eC69A0dFb2997BA6C7d2e1e";

/** NameWrapper addresses by chain id (mainnet, sepolia); configure others. */
export const NAME_WRAPPER_ADDRESSES: Readonly<Record<number, Address>> = Object.freeze({
  1: "0xD4416b13d2b3a9aBae7AcD5D6C2BbDBE25686401",
  11155111: "0x0635513f179D50A207757E05759CbD106d7dFcE8",
});
