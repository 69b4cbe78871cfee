import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, zeroAddress } from "viem";
import { namehash } from "../../lib/index.ts";
import { deployEnsgate, optionsFromEnv } from "../../scripts/stack/deployEnsgate.ts";
import {
  ensRegistryAbi,
  nameWrapperStandInAbi,
  universalResolverAbi,
} from "../../scripts/stack/ensFixtures.ts";

describe("scripts/deploy.ts", () => {
  it("reads its options from ENSGATE_* variables", () => {
    const options = optionsFromEnv({
      ENSGATE_REGISTRY: "0x00000000000c2e074ec69a0dfb2997ba6c7d2e1e",
      ENSGATE_IPFS_GATEWAYS: "https://ipfs.io, https://dweb.link",
      ENSGATE_GATEWAY_URLS: "https://gw.example/{sender}/{data}.json",
    });
    assert.equal(options.registry, "0x00000000000C2E074eC69A0dFb2997BA6C7d2e1e");
    assert.equal(options.nameWrapper, undefined);
    assert.equal(options.registrar, undefined);
    assert.deepEqual(options.ipfsGateways, ["https://ipfs.io", "https://dweb.link"]);
    assert.deepEqual(options.gatewayServices, ["https://gw.example/{sender}/{data}.json"]);
    assert.throws(() => optionsFromEnv({ ENSGATE_NAME_WRAPPER: "0x1234" }), /not an address/);
    assert.equal(
      optionsFromEnv({ ENSGATE_REGISTRAR: "0x57f1887a8bf19b14fc0df6fd9b2acc9af147ea85" }).registrar,
      "0x57f1887a8BF19b14fC0dF6Fd9B2acc9Af147eA85",
    );
    assert.throws(() => optionsFromEnv({ ENSGATE_REGISTRAR: "0x1234" }), /not an address/);
  });

  it("deploys the fixtures and the resolver on a local chain, and they answer", async () => {
    const connection = await network.create();
    const ipfs = ["https://ipfs.example"];
    const services = ["https://gw.example/{sender}/{data}.json"];
    const { viem } = connection;
    const publicClient = await viem.getPublicClient();
    const [deployer] = await viem.getWalletClients();
    assert.ok(deployer);
    const deployment = await deployEnsgate(
      { publicClient, walletClient: deployer },
      { ipfsGateways: ipfs, gatewayServices: services },
    );
    assert.ok(deployment.fixtures);
    assert.equal(deployment.admin, getAddress(deployer.account.address));
    assert.equal(deployment.nameWrapper, deployment.fixtures.nameWrapperStandIn);
    assert.equal(deployment.registrar, deployment.fixtures.baseRegistrarStandIn);

    const resolver = await viem.getContractAt("EnsgateResolver", deployment.resolver);
    assert.equal(await resolver.read.ens(), deployment.registry);
    assert.equal(await resolver.read.nameWrapper(), deployment.nameWrapper);
    assert.equal(await resolver.read.registrar(), deployment.registrar);
    assert.equal(await resolver.read.owner(), deployment.admin);
    assert.deepEqual(await resolver.read.defaultGateways(), [ipfs, services]);
    assert.equal(await resolver.read.supportsInterface(["0x9061b923"]), true);
    assert.equal(await resolver.read.supportsInterface(["0x582de3e7"]), true);
    for (const [address, abi] of [
      [deployment.fixtures.universalResolver, universalResolverAbi],
      [deployment.fixtures.nameWrapperStandIn, nameWrapperStandInAbi],
    ] as const)
      assert.equal(
        await publicClient.readContract({ address, abi, functionName: "registry" }),
        deployment.registry,
      );
    // The deployer owns `eth` in the new registry.
    assert.equal(
      await publicClient.readContract({
        address: deployment.registry,
        abi: ensRegistryAbi,
        functionName: "owner",
        args: [namehash("eth")],
      }),
      getAddress(deployer.account.address),
    );
    await connection.close();
  });

  it("uses a given registry and wrapper without deploying fixtures", async () => {
    const connection = await network.create();
    const registry = getAddress("0x00000000000c2e074ec69a0dfb2997ba6c7d2e1e");
    const [walletClient] = await connection.viem.getWalletClients();
    assert.ok(walletClient);
    const publicClient = await connection.viem.getPublicClient();
    const deployment = await deployEnsgate(
      { publicClient, walletClient },
      {
        registry,
        ipfsGateways: [],
        gatewayServices: ["https://gw.example/{sender}/{data}"],
      },
    );
    assert.equal(deployment.fixtures, undefined);
    assert.equal(deployment.nameWrapper, zeroAddress);
    assert.equal(deployment.registrar, zeroAddress);
    const resolver = await connection.viem.getContractAt("EnsgateResolver", deployment.resolver);
    assert.equal(await resolver.read.ens(), registry);
    // No registrar given: no `.eth` expiry rule.
    assert.equal(await resolver.read.registrar(), zeroAddress);
    await connection.close();
  });
});
