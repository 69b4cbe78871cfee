// Deploys the EnsgateResolver to a Hardhat network, and on a local chain the ENS fixtures too.
//
//   npx hardhat run scripts/deploy.ts --network <name>      (a network of hardhat.config.ts)
//   node scripts/deploy.ts [--json]                          (Hardhat's in-process chain)
//
// Environment (lists are comma-separated):
//   ENSGATE_REGISTRY        ENS registry address. Unset: deploy the local fixtures (local chains only):
//                           ENSRegistry (@ensdomains/ens 0.6.2), NameWrapperStandIn, UniversalResolver.
//   ENSGATE_NAME_WRAPPER    NameWrapper address (optional; zero without one; the stand-in locally).
//   ENSGATE_REGISTRAR       .eth base registrar (optional: zero without one, no expiry rule; the stand-in locally).
//   ENSGATE_ADMIN           Admin of the default gateway lists (default: the deploying account).
//   ENSGATE_IPFS_GATEWAYS   Default IPFS gateway URL prefixes, path style, no trailing "/".
//   ENSGATE_GATEWAY_URLS    Gateway-service URL templates (EIP-3668 {sender}/{data}).
// Prints the addresses, or one JSON object with --json. See docs/resolver.md.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { network } from "hardhat";
import { type Deployment, deployEnsgate, optionsFromEnv } from "./stack/deployEnsgate.ts";

function print(deployment: Deployment, networkName: string): void {
  console.log(`ensgate on ${networkName} (chain ${deployment.chainId})`);
  console.log(`  EnsgateResolver     ${deployment.resolver}`);
  console.log(`  ENS registry        ${deployment.registry}`);
  console.log(`  NameWrapper         ${deployment.nameWrapper}`);
  console.log(`  .eth registrar      ${deployment.registrar}`);
  console.log(`  admin               ${deployment.admin}`);
  if (deployment.fixtures) {
    console.log(`  UniversalResolver   ${deployment.fixtures.universalResolver} (fixture)`);
    console.log(`  NameWrapperStandIn  ${deployment.fixtures.nameWrapperStandIn} (fixture)`);
    console.log(`  BaseRegistrarStandIn ${deployment.fixtures.baseRegistrarStandIn} (fixture)`);
  }
}

async function main(): Promise<void> {
  const connection = await network.create();
  const options = optionsFromEnv();
  if (options.ipfsGateways.length === 0 && options.gatewayServices.length === 0)
    console.warn("warning: no ENSGATE_IPFS_GATEWAYS nor ENSGATE_GATEWAY_URLS: lookups get no URL");
  const publicClient = await connection.viem.getPublicClient();
  const [walletClient] = await connection.viem.getWalletClients();
  if (!walletClient)
    throw new Error(`network ${connection.networkName} has no account to deploy from`);
  const deployment = await deployEnsgate({ publicClient, walletClient }, options);
  if (process.argv.includes("--json")) console.log(JSON.stringify(deployment));
  else print(deployment, connection.networkName);
  await connection.close();
}

// Run when executed (`node scripts/deploy.ts`, or `hardhat run scripts/deploy.ts`, where the
// script is an argument of the Hardhat CLI), not when a test imports it.
const self = fileURLToPath(import.meta.url);
if (process.argv.slice(1).some((argument) => resolve(argument) === self)) await main();
