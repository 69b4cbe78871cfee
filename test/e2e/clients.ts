// The real clients of the end-to-end tests: viem through the UniversalResolver fixture, ensjs 4.x
// through its `resolve(bytes,bytes)`, and ethers v6 walking the registry itself, all with
// CCIP-Read on.
import assert from "node:assert/strict";
import { Contract, EnsPlugin, JsonRpcProvider, Network } from "ethers";
import {
  type Chain,
  createPublicClient,
  type Hex,
  http,
  type PublicClient,
  type Transport,
} from "viem";
import { dnsEncodeName, encodeRecordCall, namehash, type RecordRequest } from "../../lib/index.ts";
import { LOCAL_BATCH_GATEWAY_URL, universalResolverAbi } from "../../scripts/stack/ensFixtures.ts";
import type { LocalStack } from "../../scripts/stack/localStack.ts";

/** An ethers provider for the local stack, with its ENS registry. */
export function createEthersProvider(stack: LocalStack): JsonRpcProvider {
  const network = new Network("ensgate-local", stack.chain.id);
  network.attachPlugin(new EnsPlugin(stack.ens.registry.address, stack.chain.id));
  return new JsonRpcProvider(stack.rpcUrl, network, { staticNetwork: network });
}

/** A record of `name` through viem and the UniversalResolver: the raw answer bytes. */
export async function viemAnswer(
  stack: LocalStack,
  name: string,
  request: RecordRequest,
): Promise<Hex> {
  const [answer] = await stack.publicClient.readContract({
    address: stack.ens.universalResolver.address,
    abi: universalResolverAbi,
    functionName: "resolveWithGateways",
    args: [
      dnsEncodeName(name),
      encodeRecordCall(namehash(name), request),
      [LOCAL_BATCH_GATEWAY_URL],
    ],
  });
  return answer;
}

/** A record of `name` through ethers: the resolver's `resolve` with CCIP-Read on. */
export async function ethersAnswer(
  provider: JsonRpcProvider,
  name: string,
  request: RecordRequest,
): Promise<Hex> {
  const resolver = await provider.getResolver(name);
  assert.ok(resolver, `ethers found no resolver for ${name}`);
  const contract = new Contract(
    resolver.address,
    ["function resolve(bytes name, bytes data) view returns (bytes)"],
    provider,
  );
  return (await contract
    .getFunction("resolve")
    .staticCall(dnsEncodeName(name), encodeRecordCall(namehash(name), request), {
      enableCcipRead: true,
    })) as Hex;
}

/**
 * An ensjs 4.x client for the local stack: a custom chain carrying the devnet's ENS contracts
 * (ensjs's `addEnsContracts` only knows mainnet and Sepolia). ensjs reads `ensUniversalResolver`
 * (and `ensRegistry`) from `chain.contracts`; with no `gatewayUrls` it calls the
 * UniversalResolver's `resolve(bytes,bytes)`, whose default batch gateway is
 * `x-batch-gateway:true` (viem runs the batch in-process).
 */
export function createEnsjsClient(stack: LocalStack): PublicClient<Transport, Chain> {
  const chain: Chain = {
    ...stack.chain,
    contracts: {
      ...stack.chain.contracts,
      ensRegistry: { address: stack.ens.registry.address },
      ensUniversalResolver: { address: stack.ens.universalResolver.address },
    },
  };
  return createPublicClient({ chain, transport: http(stack.rpcUrl) });
}
