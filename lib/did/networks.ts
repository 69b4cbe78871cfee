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
