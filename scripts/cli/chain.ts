// The chain, as the CLI sees it: viem clients for the configured RPC, the resolver's ABI from
// Hardhat's artifacts, and the owner/epoch lookups the commands need.
import { readFileSync } from "node:fs";
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type PublicClient,
  parseAbi,
  type Transport,
  zeroAddress,
} from "viem";
import { namehash } from "../../lib/index.ts";
import { CliError, describeError } from "./errors.ts";
import { parentName } from "./names.ts";

/** The registry functions the CLI reads. */
const REGISTRY_ABI = parseAbi(["function owner(bytes32 node) view returns (address)"]);

/** The compiled resolver ABI (Hardhat artifacts; scripts/setup.sh builds them). */
export function loadResolverAbi(): Abi {
  const path = new URL(
    "../../artifacts/contracts/EnsgateResolver.sol/EnsgateResolver.json",
    import.meta.url,
  );
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { abi: Abi }).abi;
  } catch {
    throw new CliError(
      "the resolver ABI is missing: run `bash scripts/setup.sh` (it compiles the contracts)",
    );
  }
}

/** A connection to the configured chain. */
export type ChainConnection = {
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  /** Sends a contract write from `account`, waits for it, and throws a one-line error on revert. */
  write: (
    account: Account,
    call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[] },
  ) => Promise<Hex>;
};

/** Connects to `rpcUrl` (the chain id is read from the node); a one-line error when unreachable. */
export async function connectChain(rpcUrl: string): Promise<ChainConnection> {
  const probe = createPublicClient({ transport: http(rpcUrl, { retryCount: 0, timeout: 10_000 }) });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch {
    throw new CliError(`cannot reach the chain at ${rpcUrl}`);
  }
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl, { retryCount: 0 }) });
  return {
    chain,
    publicClient,
    async write(account, { address, abi, functionName, args }) {
      try {
        // Simulate first: a revert surfaces as the contract's custom error, before any gas is spent.
        await publicClient.simulateContract({ address, abi, functionName, args, account });
      } catch (error) {
        throw new CliError(`${functionName} would revert: ${describeError(error)}`);
      }
      const walletClient = createWalletClient({ chain, account, transport: http(rpcUrl) });
      const hash = await walletClient.writeContract({
        address,
        abi,
        functionName,
        args,
        account,
        chain,
      });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success")
        throw new CliError(`${functionName} transaction ${hash} reverted`);
      return hash;
    },
  };
}

/** The closest existing ancestor of `name` (itself included) in the registry, and its node. */
export async function findOwnerNode(
  connection: ChainConnection,
  registry: Address,
  name: string,
): Promise<{ name: string; node: Hex; registryOwner: Address }> {
  for (let candidate: string | undefined = name; candidate; candidate = parentName(candidate)) {
    const node = namehash(candidate);
    const registryOwner = await connection.publicClient.readContract({
      address: registry,
      abi: REGISTRY_ABI,
      functionName: "owner",
      args: [node],
    });
    if (registryOwner !== zeroAddress) return { name: candidate, node, registryOwner };
  }
  throw new CliError(`${name} is not registered (no ancestor has an owner in the ENS registry)`);
}

/** The owner whose signature counts for `name` (the resolver applies the NameWrapper rule). */
export async function readEffectiveOwner(
  connection: ChainConnection,
  resolver: Address,
  registry: Address,
  name: string,
): Promise<{ owner: Address; node: Hex; ownerName: string; epoch: bigint }> {
  const { node, name: ownerName } = await findOwnerNode(connection, registry, name);
  const abi = loadResolverAbi();
  const owner = (await connection.publicClient.readContract({
    address: resolver,
    abi,
    functionName: "nodeOwner",
    args: [node],
  })) as Address;
  const epoch = (await connection.publicClient.readContract({
    address: resolver,
    abi,
    functionName: "epochOf",
    args: [node],
  })) as bigint;
  return { owner, node, ownerName, epoch };
}
