// The chain, as the CLI sees it: viem clients for the configured RPC and the resolver's ABI from
// Hardhat's artifacts. The one read of a name's on-chain context (`nameContext`: owner, owner
// node, epoch, recordhash, exactly as `resolve()` reads them) is in nameContext.ts, re-exported.
import { readFileSync } from "node:fs";
import type { ArtifactMap } from "hardhat/types/artifacts";
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
  type Transport,
} from "viem";
import { describeError } from "../lib/index.ts";
import { ClientError } from "./errors.ts";

// The name's on-chain context lives in nameContext.ts (browser-safe); re-exported for the CLI and CA.
export {
  describeNameContextError,
  describeRecordhash,
  isApprovedOnPath,
  NAME_CONTEXT_ABI,
  type NameContext,
  readNameContext,
  readOwnerRecordhash,
} from "./nameContext.ts";

/** The resolver ABI with its literal types (Hardhat's generated artifact types). */
export type ResolverAbi = ArtifactMap["EnsgateResolver"]["abi"];

/** The compiled resolver ABI (Hardhat artifacts; scripts/setup.sh builds them), typed. */
export function loadResolverAbi(): ResolverAbi {
  const path = new URL(
    "../artifacts/contracts/EnsgateResolver.sol/EnsgateResolver.json",
    import.meta.url,
  );
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { abi: ResolverAbi }).abi;
  } catch {
    throw new ClientError(
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
    throw new ClientError(`cannot reach the chain at ${rpcUrl}`);
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
        throw new ClientError(`${functionName} would revert: ${describeError(error)}`);
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
        throw new ClientError(`${functionName} transaction ${hash} reverted`);
      return hash;
    },
  };
}
