import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  hexToBigInt,
  type PublicClient,
  parseAbi,
  zeroAddress,
} from "viem";
import { getEnsText } from "viem/actions";
import {
  CERTIFICATE_CHAIN_TEXT_KEYS,
  ENS_REGISTRY_ADDRESS,
  type EnsDidNetworks,
  type EnsDidReader,
  effectiveOwner,
  NAME_WRAPPER_ADDRESSES,
  namehash,
} from "../lib/index.ts";

const REGISTRY_CHAINS = new Set([1, 5, 17000, 11155111]);
const registryAbi = parseAbi(["function owner(bytes32 node) view returns (address)"]);
const nameWrapperAbi = parseAbi(["function ownerOf(uint256 id) view returns (address)"]);
/** UniversalResolver errors that mean "this name has no such record" rather than a failure. */
const NO_RECORD_ERRORS = new Set([
  "ResolverNotFound",
  "ResolverNotContract",
  "UnsupportedResolverProfile",
]);

/** Options of `createViemEnsReader`; every map is keyed by did:ens network name. */
export type ViemEnsReaderOptions = {
  readonly clients: Readonly<Record<string, PublicClient>>;
  /** Defaults to the client chain's `ensUniversalResolver` contract. */
  readonly universalResolverAddresses?: Readonly<Record<string, Address>>;
  /** Defaults to `ENS_REGISTRY_ADDRESS` on mainnet, sepolia, holesky and goerli. */
  readonly registryAddresses?: Readonly<Record<string, Address>>;
  /** Defaults to `NAME_WRAPPER_ADDRESSES` by chain id; without one, wrapped names report the wrapper. */
  readonly nameWrapperAddresses?: Readonly<Record<string, Address>>;
  /** Text record keys of certificate chains; defaults to `CERTIFICATE_CHAIN_TEXT_KEYS` (the CA's, the owner's). */
  readonly certificateTextKeys?: readonly string[];
  /** CCIP-Read batch gateway URLs passed to the UniversalResolver; defaults to viem's local one. */
  readonly gatewayUrls?: string[];
};

/**
 * An `EnsDidReader` over viem clients: the owner from the ENS registry (NameWrapper `ownerOf` when
 * the registry owner is the wrapper) and text records through the UniversalResolver with CCIP-Read,
 * so off-chain records are verified by the resolver's callback. `networks` holds each client's
 * chain id, to pass on as the resolver's `networks` option.
 */
export function createViemEnsReader(
  options: ViemEnsReaderOptions,
): Required<EnsDidReader> & { networks: EnsDidNetworks } {
  const client = (network: string): PublicClient => {
    const found = options.clients[network];
    if (!found) throw new Error(`no viem client configured for network "${network}"`);
    return found;
  };
  const chainId = (network: string) => client(network).chain?.id;

  const readText = async (name: string, key: string, network: string): Promise<string | null> => {
    try {
      const value = await getEnsText(client(network), {
        name,
        key,
        strict: true,
        universalResolverAddress: options.universalResolverAddresses?.[network],
        gatewayUrls: options.gatewayUrls,
      });
      return value === "" ? null : value;
    } catch (error) {
      if (isNoRecordError(error)) return null;
      throw error;
    }
  };

  return {
    networks: Object.fromEntries(
      Object.entries(options.clients).flatMap(([network, { chain }]) =>
        chain ? [[network, chain.id]] : [],
      ),
    ),
    async readOwner(name, network) {
      const id = chainId(network);
      const registry =
        options.registryAddresses?.[network] ??
        (id !== undefined && REGISTRY_CHAINS.has(id) ? ENS_REGISTRY_ADDRESS : undefined);
      if (!registry) throw new Error(`no ENS registry address configured for network "${network}"`);
      const node = namehash(name);
      const owner = await client(network).readContract({
        address: registry,
        abi: registryAbi,
        functionName: "owner",
        args: [node],
      });
      const wrapper =
        options.nameWrapperAddresses?.[network] ??
        (id !== undefined ? NAME_WRAPPER_ADDRESSES[id] : undefined);
      const effective = await effectiveOwner(owner, wrapper, (nameWrapper) =>
        client(network).readContract({
          address: nameWrapper,
          abi: nameWrapperAbi,
          functionName: "ownerOf",
          args: [hexToBigInt(node)],
        }),
      );
      return effective === zeroAddress ? null : effective;
    },
    readText,
    async readCertificates(name, network) {
      const keys = options.certificateTextKeys ?? CERTIFICATE_CHAIN_TEXT_KEYS;
      const chains = await Promise.all(keys.map((key) => readText(name, key, network)));
      return chains.filter((chain): chain is string => Boolean(chain));
    },
  };
}

function isNoRecordError(error: unknown): boolean {
  if (!(error instanceof BaseError)) return false;
  const revert = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
  return (
    revert instanceof ContractFunctionRevertedError &&
    NO_RECORD_ERRORS.has(revert.data?.errorName ?? "")
  );
}
