// Shared fixture of the resolver tests and the gas bench: the local ENS fixtures of
// scripts/stack/ensFixtures.ts (the real ENSRegistry bytecode of @ensdomains/ens 0.6.2 and the
// NameWrapper stand-in) and the EnsgateResolver, plus helpers to catch the OffchainLookup revert
// and the callback's custom errors.
import assert from "node:assert/strict";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import type { WalletClient as Wallet } from "@nomicfoundation/hardhat-viem/types";
import { network } from "hardhat";
import {
  type Address,
  BaseError,
  bytesToHex,
  ContractFunctionRevertedError,
  decodeAbiParameters,
  decodeErrorResult,
  type Hex,
  hexToBytes,
  parseAbi,
  parseAbiParameters,
  slice,
} from "viem";
import { ipnsPrivateKeyFromSeed, type MessageSigner } from "../../lib/index.ts";
import {
  asAccount,
  deployBaseRegistrarStandIn,
  deployEnsRegistry,
  deployNameWrapperStandIn,
  registerName,
} from "../../scripts/stack/ensFixtures.ts";

export const IPFS_GATEWAYS = ["https://ipfs.example", "https://dweb.example"];
export const GATEWAY_SERVICES = ["https://gw.example/{sender}/{data}.json"];

/** The ABI of the lookup `callData` (contracts/interfaces/IEnsgateGateway.sol). */
export const GATEWAY_ABI = parseAbi([
  "function resolveOffchain(bytes name, bytes data, bytes recordhash, address owner, uint256 chainId, uint64 epoch) view returns (bytes)",
]);

/** The ABI of `extraData` after its 32-byte check hash (the resolver's `Lookup` struct). */
export const LOOKUP_PARAMETERS = parseAbiParameters(
  "(uint256 deadline, uint256 kind, address owner, address nameOwner, uint256 epoch, uint256 contentTypes, bytes name, bytes recordType, bytes32[] nodes)",
);

/** A test IPNS key: its 32-byte public key (the short recordhash) and its CIDv1 in base32. */
export async function makeIpnsKey(seedByte: number): Promise<{ key: Hex; cid: string }> {
  const privateKey = await ipnsPrivateKeyFromSeed(
    `0x${seedByte.toString(16).padStart(2, "0").repeat(32)}`,
  );
  return {
    key: bytesToHex(privateKey.publicKey.raw),
    cid: peerIdFromPrivateKey(privateKey).toCID().toString(),
  };
}

/** The five test wallets: the admin (deployer, owns the registry root), alice, bob, carol, dave. */
function fiveWallets(wallets: readonly Wallet[]): [Wallet, Wallet, Wallet, Wallet, Wallet] {
  const [admin, alice, bob, carol, dave] = wallets;
  if (!admin || !alice || !bob || !carol || !dave) throw new Error("need five accounts");
  return [admin, alice, bob, carol, dave];
}

/**
 * Deploys the registry (the admin owns the root and `eth`), the NameWrapper and base registrar
 * stand-ins and the resolver on a fresh in-process chain.
 */
export async function deployFixture() {
  const connection = await network.create();
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const lookupClient = await viem.getPublicClient({ ccipRead: false });
  const testClient = await viem.getTestClient();
  const [admin, alice, bob, carol, dave] = fiveWallets(await viem.getWalletClients());
  const chainId = await publicClient.getChainId();

  const ens = await deployEnsRegistry({ publicClient, walletClient: admin });
  const wrapper = await deployNameWrapperStandIn(ens);
  const registrar = await deployBaseRegistrarStandIn({ publicClient, walletClient: admin });
  const resolver = await viem.deployContract("EnsgateResolver", [
    ens.address,
    wrapper.address,
    registrar.address,
    admin.account.address,
    IPFS_GATEWAYS,
    GATEWAY_SERVICES,
  ]);
  await registerName(ens, "eth", admin.account.address);

  /** Registers `name` to `owner`; `from` (default admin) must own its closest existing ancestor. */
  async function register(name: string, owner: Address, from: Wallet = admin) {
    await registerName(asAccount(ens, from), name, owner);
  }

  return {
    connection,
    viem,
    publicClient,
    lookupClient,
    testClient,
    chainId,
    ens,
    wrapper,
    registrar,
    resolver,
    register,
    admin,
    alice,
    bob,
    carol,
    dave,
  };
}

export type Fixture = Awaited<ReturnType<typeof deployFixture>>;

/** A lib `MessageSigner` backed by a Hardhat wallet client (personal_sign on the node). */
export function walletSigner(wallet: Wallet): MessageSigner {
  return {
    address: wallet.account.address,
    signMessage: ({ message }) => wallet.signMessage({ account: wallet.account, message }),
  };
}

/** The decoded `OffchainLookup` revert of `resolve(name, data)`. */
export type Lookup = {
  sender: Address;
  urls: readonly string[];
  callData: Hex;
  callbackFunction: Hex;
  extraData: Hex;
};

/** Finds the custom error a viem call failed with. */
export function revertOf(error: unknown): ContractFunctionRevertedError {
  if (error instanceof BaseError) {
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) return revert;
  }
  throw error;
}

/** Calls `resolve(dnsName, data)` without CCIP-Read and returns its OffchainLookup. */
export async function lookupOf(fixture: Fixture, dnsName: Hex, data: Hex): Promise<Lookup> {
  try {
    await fixture.lookupClient.readContract({
      address: fixture.resolver.address,
      abi: fixture.resolver.abi,
      functionName: "resolve",
      args: [dnsName, data],
    });
  } catch (error) {
    const { raw } = revertOf(error);
    if (raw === undefined) throw error;
    const revert = decodeErrorResult({ abi: fixture.resolver.abi, data: raw });
    if (revert.errorName !== "OffchainLookup")
      assert.fail(`expected OffchainLookup, got ${revert.errorName}`);
    const [sender, urls, callData, callbackFunction, extraData] = revert.args;
    return { sender, urls, callData, callbackFunction, extraData };
  }
  throw new Error("resolve() did not revert");
}

/** Asserts `promise` reverts with the custom error `errorName`; returns its args. */
export async function expectError(
  promise: Promise<unknown>,
  errorName: string,
): Promise<readonly unknown[]> {
  try {
    await promise;
  } catch (error) {
    const revert = revertOf(error);
    assert.equal(
      revert.data?.errorName,
      errorName,
      `expected ${errorName}, got ${revert.data?.errorName ?? revert.shortMessage}`,
    );
    return revert.data?.args ?? [];
  }
  assert.fail(`expected ${errorName}, the call succeeded`);
}

/** Decodes a lookup's extraData: its check hash and `Lookup` struct. */
export function decodeExtraData(extraData: Hex) {
  const [lookup] = decodeAbiParameters(LOOKUP_PARAMETERS, slice(extraData, 32));
  return { checkHash: slice(extraData, 0, 32), lookup };
}

/** `hex` with the bits of `mask` flipped in its byte at `index` (to tamper with encoded data). */
export function flipByte(hex: Hex, index: number, mask = 1): Hex {
  const bytes = hexToBytes(hex);
  const byte = bytes[index];
  if (byte === undefined) throw new RangeError(`byte ${index} is outside ${bytes.length} bytes`);
  bytes[index] = byte ^ mask;
  return bytesToHex(bytes);
}
