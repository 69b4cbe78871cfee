// Deploys the EnsgateResolver to a Hardhat network, and on a local chain the ENS fixtures too.
//
//   npx hardhat run scripts/deploy.ts --network <name>      (a network of hardhat.config.ts)
//   node scripts/deploy.ts [--json]                          (Hardhat's in-process chain)
//
// Environment (lists are comma-separated):
//   ENSGATE_REGISTRY        ENS registry address. Unset: deploy the local fixtures (local chains only):
//                           ENSRegistry (@ensdomains/ens 0.6.2), NameWrapperStandIn, UniversalResolver.
//   ENSGATE_NAME_WRAPPER    NameWrapper address (optional; zero without one; the stand-in locally).
//   ENSGATE_ADMIN           Admin of the default gateway lists (default: the deploying account).
//   ENSGATE_IPFS_GATEWAYS   Default IPFS gateway URL prefixes, path style, no trailing "/".
//   ENSGATE_GATEWAY_URLS    Gateway-service URL templates (EIP-3668 {sender}/{data}).
// Prints the addresses, or one JSON object with --json. See docs/resolver.md.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, getAddress, isAddress, zeroAddress } from "viem";
import {
  deployEnsRegistry,
  deployNameWrapperStandIn,
  deployUniversalResolver,
  registerName,
} from "./stack/ensFixtures.ts";

/** What `deployEnsgate` deploys with (see the environment variables above). */
export interface DeployOptions {
  readonly registry?: Address;
  readonly nameWrapper?: Address;
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
  readonly admin: Address;
  readonly fixtures?: { readonly universalResolver: Address; readonly nameWrapperStandIn: Address };
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
  connection: NetworkConnection,
  options: DeployOptions,
): Promise<Deployment> {
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const [walletClient] = await viem.getWalletClients();
  if (!walletClient)
    throw new Error(`network ${connection.networkName} has no account to deploy from`);
  const chainId = await publicClient.getChainId();
  const admin = getAddress(options.admin ?? walletClient.account.address);

  let registry = options.registry;
  let nameWrapper = options.nameWrapper ?? zeroAddress;
  let fixtures: Deployment["fixtures"];
  if (registry === undefined) {
    if (!LOCAL_CHAIN_IDS.has(chainId))
      throw new Error(
        `set ENSGATE_REGISTRY: the ENS fixtures are for local chains, not ${chainId}`,
      );
    const clients = { publicClient, walletClient };
    const ens = await deployEnsRegistry(clients);
    await registerName(ens, "eth", walletClient.account.address);
    const wrapper = await deployNameWrapperStandIn(ens);
    const universalResolver = await deployUniversalResolver(ens);
    registry = ens.address;
    if (options.nameWrapper === undefined) nameWrapper = wrapper.address;
    fixtures = {
      universalResolver: universalResolver.address,
      nameWrapperStandIn: wrapper.address,
    };
  }

  const resolver = await viem.deployContract("EnsgateResolver", [
    registry,
    nameWrapper,
    admin,
    [...options.ipfsGateways],
    [...options.gatewayServices],
  ]);
  return {
    chainId,
    resolver: getAddress(resolver.address),
    registry,
    nameWrapper,
    admin,
    fixtures,
  };
}

function print(deployment: Deployment, networkName: string): void {
  console.log(`ensgate on ${networkName} (chain ${deployment.chainId})`);
  console.log(`  EnsgateResolver     ${deployment.resolver}`);
  console.log(`  ENS registry        ${deployment.registry}`);
  console.log(`  NameWrapper         ${deployment.nameWrapper}`);
  console.log(`  admin               ${deployment.admin}`);
  if (deployment.fixtures) {
    console.log(`  UniversalResolver   ${deployment.fixtures.universalResolver} (fixture)`);
    console.log(`  NameWrapperStandIn  ${deployment.fixtures.nameWrapperStandIn} (fixture)`);
  }
}

async function main(): Promise<void> {
  const connection = await network.create();
  const options = optionsFromEnv();
  if (options.ipfsGateways.length === 0 && options.gatewayServices.length === 0)
    console.warn("warning: no ENSGATE_IPFS_GATEWAYS nor ENSGATE_GATEWAY_URLS: lookups get no URL");
  const deployment = await deployEnsgate(connection, options);
  if (process.argv.includes("--json")) console.log(JSON.stringify(deployment));
  else print(deployment, connection.networkName);
  await connection.close();
}

// Run when executed (`node scripts/deploy.ts`, or `hardhat run scripts/deploy.ts`, where the
// script is an argument of the Hardhat CLI), not when a test imports it.
const self = fileURLToPath(import.meta.url);
if (process.argv.slice(1).some((argument) => resolve(argument) === self)) await main();
