// The chain the gas bench measures on: the local ENS fixtures of scripts/stack/ensFixtures.ts (the
// real ENSRegistry bytecode, the NameWrapper and base registrar stand-ins) and the EnsgateResolver
// on a fresh in-process Hardhat chain, plus the GasHarness. Bench code only: it imports no test.
import { readFileSync } from "node:fs";
import type { WalletClient } from "@nomicfoundation/hardhat-viem/types";
import { network } from "hardhat";
import { type Address, BaseError, bytesToHex, ContractFunctionRevertedError, type Hex } from "viem";
import { ipnsPrivateKeyFromSeed, type MessageSigner } from "../../lib/index.ts";
import {
  asAccount,
  deployBaseRegistrarStandIn,
  deployEnsRegistry,
  deployNameWrapperStandIn,
  registerName,
} from "../stack/ensFixtures.ts";

export const IPFS_GATEWAYS = ["https://ipfs.example", "https://dweb.example"];
export const GATEWAY_SERVICES = ["https://gw.example/{sender}/{data}.json"];

/**
 * Deploys the registry (the admin owns the root and `eth`), the stand-ins, the resolver and the
 * GasHarness. `resolverBytecodeFile` (a JSON file with `{"bytecode"}`) deploys another build of the
 * same source (e.g. compiled with viaIR) in place of the Hardhat artifact.
 */
export async function deployGasFixture(resolverBytecodeFile?: string) {
  const connection = await network.create();
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const lookupClient = await viem.getPublicClient({ ccipRead: false });
  const [admin, alice] = await viem.getWalletClients();
  if (!admin || !alice) throw new Error("need two accounts");
  const chainId = await publicClient.getChainId();

  const ens = await deployEnsRegistry({ publicClient, walletClient: admin });
  const wrapper = await deployNameWrapperStandIn(ens);
  const registrar = await deployBaseRegistrarStandIn({ publicClient, walletClient: admin });
  const args = [
    ens.address,
    wrapper.address,
    registrar.address,
    admin.account.address,
    IPFS_GATEWAYS,
    GATEWAY_SERVICES,
  ] as const;
  let resolver = await viem.deployContract("EnsgateResolver", args);
  if (resolverBytecodeFile) {
    const { bytecode } = JSON.parse(readFileSync(resolverBytecodeFile, "utf8")) as {
      bytecode: Hex;
    };
    const hash = await admin.deployContract({ abi: resolver.abi, bytecode, args });
    const { contractAddress } = await publicClient.waitForTransactionReceipt({ hash });
    if (!contractAddress) throw new Error(`deployment of ${resolverBytecodeFile} failed`);
    resolver = await viem.getContractAt("EnsgateResolver", contractAddress);
  }
  const harness = await viem.deployContract("GasHarness");
  await registerName(ens, "eth", admin.account.address);

  /** Registers `name` to `owner` (the admin must own its closest existing ancestor). */
  const register = (name: string, owner: Address) =>
    registerName(asAccount(ens, admin), name, owner);

  /** Gas of `payload` sent to the (warm) resolver through the harness, cold storage. */
  async function measure(payload: Hex): Promise<{ gas: number; reverted: boolean }> {
    const [gas, reverted] = await harness.read.measure([resolver.address, payload]);
    return { gas: Number(gas), reverted };
  }

  /** The `extraData` of the OffchainLookup `resolve(dnsName, data)` reverts with. */
  async function lookupExtraData(dnsName: Hex, data: Hex): Promise<Hex> {
    try {
      await lookupClient.readContract({
        address: resolver.address,
        abi: resolver.abi,
        functionName: "resolve",
        args: [dnsName, data],
      });
    } catch (error) {
      const revert =
        error instanceof BaseError
          ? error.walk((e) => e instanceof ContractFunctionRevertedError)
          : undefined;
      if (
        revert instanceof ContractFunctionRevertedError &&
        revert.data?.errorName === "OffchainLookup"
      )
        return revert.data.args?.[4] as Hex;
      throw error;
    }
    throw new Error("resolve() did not revert with OffchainLookup");
  }

  return {
    connection,
    publicClient,
    chainId,
    resolver,
    admin,
    alice,
    register,
    measure,
    lookupExtraData,
  };
}

/** A lib `MessageSigner` backed by a Hardhat wallet client (personal_sign on the node). */
export function walletSigner(wallet: WalletClient): MessageSigner {
  return {
    address: wallet.account.address,
    signMessage: ({ message }) => wallet.signMessage({ account: wallet.account, message }),
  };
}

/** A deterministic IPNS key's 32-byte public key (the short recordhash). */
export async function ipnsKey(seedByte: number): Promise<Hex> {
  const privateKey = await ipnsPrivateKeyFromSeed(
    `0x${seedByte.toString(16).padStart(2, "0").repeat(32)}`,
  );
  return bytesToHex(privateKey.publicKey.raw);
}
