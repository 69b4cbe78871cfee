// Deploying ensgate: the resolver over an existing ENS registry, or, on a local chain, over freshly
// deployed ENS fixtures. Used by scripts/deploy.ts (Hardhat networks), `ensgate deploy` (any RPC)
// and the local stack. Works with plain viem clients.
import { type Address, getAddress, isAddress, zeroAddress } from "viem";
import {
  deployBaseRegistrarStandIn,
  deployBytecode,
  deployEnsRegistry,
  deployNameWrapperStandIn,
  deployUniversalResolver,
  type EnsFixtureClients,
  loadResolverArtifact,
  registerName,
} from "./ensFixtures.ts";

/** What `deployEnsgate` deploys with (see the environment variables above). */
export interface DeployOptions {
  readonly registry?: Address;
  readonly nameWrapper?: Address;
  /** The `.eth` base registrar (expiries); zero/absent on a custom registry means no expiry rule. */
  readonly registrar?: Address;
  readonly admin?: Address;
  readonly ipfsGateways: readonly string[];
  readonly gatewayServices: readonly string[];
}

/** The deployed (or given) addresses. The fixtures are present only when they were deployed. */
export interface Deployment {
  readonly chainId: number;
  readonly resolver: Address;
  readonly registry: Address;
  readonly nameWrapper: Address;
  readonly registrar: Address;
  readonly admin: Address;
  readonly fixtures?: {
    readonly universalResolver: Address;
    readonly nameWrapperStandIn: Address;
    readonly baseRegistrarStandIn: Address;
  };
}

/** Chains the ENS fixtures may be deployed to: Hardhat's simulated chain and local nodes. */
const LOCAL_CHAIN_IDS = new Set([31337, 1337]);

function addressFrom(value: string | undefined, variable: string): Address | undefined {
  if (value === undefined || value === "") return undefined;
  if (!isAddress(value, { strict: false }))
    throw new Error(`${variable} is not an address: ${value}`);
  return getAddress(value);
}

function listFrom(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/** Reads `DeployOptions` from ENSGATE_* environment variables. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): DeployOptions {
  return {
    registry: addressFrom(env.ENSGATE_REGISTRY, "ENSGATE_REGISTRY"),
    nameWrapper: addressFrom(env.ENSGATE_NAME_WRAPPER, "ENSGATE_NAME_WRAPPER"),
    registrar: addressFrom(env.ENSGATE_REGISTRAR, "ENSGATE_REGISTRAR"),
    admin: addressFrom(env.ENSGATE_ADMIN, "ENSGATE_ADMIN"),
    ipfsGateways: listFrom(env.ENSGATE_IPFS_GATEWAYS),
    gatewayServices: listFrom(env.ENSGATE_GATEWAY_URLS),
  };
}

/**
 * Deploys the resolver over `options.registry`, or, without a registry and on a local chain, over
 * freshly deployed fixtures: the registry (its root and `eth` owned by the deploying account), the
 * NameWrapper stand-in (unless a wrapper is given) and the UniversalResolver.
 */
export async function deployEnsgate(
  clients: EnsFixtureClients,
  options: DeployOptions,
): Promise<Deployment> {
  const { publicClient, walletClient } = clients;
  const chainId = await publicClient.getChainId();
  const admin = getAddress(options.admin ?? walletClient.account.address);

  let registry = options.registry;
  let nameWrapper = options.nameWrapper ?? zeroAddress;
  let registrar = options.registrar ?? zeroAddress;
  let fixtures: Deployment["fixtures"];
  if (registry === undefined) {
    if (!LOCAL_CHAIN_IDS.has(chainId))
      throw new Error(
        `set ENSGATE_REGISTRY: the ENS fixtures are for local chains, not ${chainId}`,
      );
    const ens = await deployEnsRegistry(clients);
    await registerName(ens, "eth", walletClient.account.address);
    const wrapper = await deployNameWrapperStandIn(ens);
    const universalResolver = await deployUniversalResolver(ens);
    const baseRegistrar = await deployBaseRegistrarStandIn(clients);
    registry = ens.address;
    if (options.nameWrapper === undefined) nameWrapper = wrapper.address;
    if (options.registrar === undefined) registrar = baseRegistrar.address;
    fixtures = {
      universalResolver: universalResolver.address,
      nameWrapperStandIn: wrapper.address,
      baseRegistrarStandIn: baseRegistrar.address,
    };
  }

  const resolver = await deployBytecode(clients, loadResolverArtifact(), [
    registry,
    nameWrapper,
    registrar,
    admin,
    [...options.ipfsGateways],
    [...options.gatewayServices],
  ]);
  return {
    chainId,
    resolver,
    registry,
    nameWrapper,
    registrar,
    admin,
    fixtures,
  };
}
