// ENSIP-10 resolution as a wallet does it, returning the verified record: the resolver is found
// in the registry (the closest ancestor's), `resolve(name, call)` is read with CCIP-Read, the
// gateway's answer is captured on its way to the callback and checked again with lib's
// verifyRecord, which names the signer and the rule. Used by `ensgate resolve` and `ensgate cert`.
import {
  type Address,
  BaseError,
  type CcipRequestParameters,
  type Chain,
  ContractFunctionRevertedError,
  ccipRequest,
  createPublicClient,
  decodeErrorResult,
  decodeFunctionResult,
  type Hex,
  http,
  type PublicClient,
  parseAbi,
  type Transport,
  zeroAddress,
} from "viem";
import {
  buildRecordType,
  buildRecordTypeCandidates,
  decodeRecordCall,
  decodeRecordValue,
  decodeResolveOffchainCall,
  describeError,
  dnsDecodeName,
  dnsEncodeName,
  encodeRecordCall,
  getRecordFunction,
  namehash,
  namePath,
  parseRecordType,
  RESOLVE_OFFCHAIN_SELECTOR,
  type RecordRequest,
  verifyRecord,
} from "../lib/index.ts";
import { isApprovedOnPath, loadResolverAbi } from "./chain.ts";
import { ClientError } from "./errors.ts";

const REGISTRY_ABI = parseAbi(["function resolver(bytes32 node) view returns (address)"]);
const EXTENDED_RESOLVER_ABI = parseAbi([
  "function resolve(bytes name, bytes data) view returns (bytes)",
]);

/** One CCIP-Read lookup the resolver asked for, with the gateway's answer. */
export type CapturedLookup = { callData: Hex; response: Hex; urls: readonly string[] };

/** The record as the resolver's callback verified it, and who signed it (lib's verifyRecord). */
export type VerifiedRecord = {
  /** The record the answering file holds (for an ABI bitmask: the content type that answered). */
  fileRequest: RecordRequest;
  /** Its human value (lib's decodeRecordValue). */
  value: string;
  signer: Address;
  rule: string;
  version: number;
  validUntil?: bigint | undefined;
  /** Certificate records: the owner the certificate authority issued the record to. */
  certifiedOwner?: Address | undefined;
};

/** A resolution: the decoded answer and, when a gateway answered, the verified record. */
export type Resolution = {
  resolver: Address;
  /** The answer's ABI-decoded values (the zero value when the record is unset). */
  values: unknown;
  /** The last CCIP-Read lookup (undefined when the resolver answered on-chain). */
  lookup: CapturedLookup | undefined;
  /** Set when a gateway's answer verified (undefined for an empty answer). */
  verified: VerifiedRecord | undefined;
};

/** The ENSIP-10 resolver of a name: the closest ancestor's resolver in the registry. */
export async function findResolver(
  client: Pick<PublicClient, "readContract">,
  registry: Address,
  name: string,
): Promise<Address> {
  for (const candidate of namePath(name)) {
    const resolver = await client.readContract({
      address: registry,
      abi: REGISTRY_ABI,
      functionName: "resolver",
      args: [namehash(candidate)],
    });
    if (resolver !== zeroAddress) return resolver;
  }
  throw new ClientError(`${name} has no resolver`);
}

/** Resolves one record of `name` through the registry and CCIP-Read, and verifies the answer. */
export async function resolveRecord(options: {
  chain: Chain;
  rpcUrl: string;
  publicClient: PublicClient<Transport, Chain>;
  registry: Address;
  name: string;
  request: RecordRequest;
}): Promise<Resolution> {
  const { chain, rpcUrl, publicClient, registry, name, request } = options;
  const resolver = await findResolver(publicClient, registry, name);
  // Capture the gateway's answer on its way to the callback, to explain who signed it.
  const lookups: CapturedLookup[] = [];
  const client = createPublicClient({
    chain,
    transport: http(rpcUrl),
    ccipRead: {
      async request(parameters: CcipRequestParameters) {
        const response = await ccipRequest(parameters);
        if (parameters.data.startsWith(RESOLVE_OFFCHAIN_SELECTOR))
          lookups.push({ callData: parameters.data, response, urls: parameters.urls });
        return response;
      },
    },
  });
  let answer: Hex;
  try {
    answer = await client.readContract({
      address: resolver,
      // The full ensgate ABI names its custom errors (StaleEpoch, UnapprovedSigner, ...).
      abi: [...EXTENDED_RESOLVER_ABI, ...loadResolverAbi().filter((item) => item.type === "error")],
      functionName: "resolve",
      args: [dnsEncodeName(name), encodeRecordCall(namehash(name), request)],
    });
  } catch (error) {
    throw new ClientError(
      `resolving ${buildRecordType(request)} of ${name} failed: ${describeRevert(error)}`,
      { cause: error },
    );
  }
  const values = decodeFunctionResult({ abi: [getRecordFunction(request.type)], data: answer });
  const lookup = lookups.at(-1);
  const verified =
    lookup && lookup.response !== "0x"
      ? await verifyLookup(lookup, publicClient, resolver)
      : undefined;
  return { resolver, values, lookup, verified };
}

/** Re-runs the core verification on a captured answer, to name the signer and the rule. */
async function verifyLookup(
  lookup: CapturedLookup,
  publicClient: Pick<PublicClient, "readContract">,
  resolver: Address,
): Promise<VerifiedRecord> {
  const call = decodeResolveOffchainCall(lookup.callData);
  const name = dnsDecodeName(call.dnsName);
  const { request } = decodeRecordCall(call.data);
  // lib's candidates: one file per content type of an ABI bitmask, lowest bit first.
  for (const type of buildRecordTypeCandidates(request)) {
    const fileRequest = parseRecordType(type);
    const verification = await verifyRecord(lookup.response, {
      name,
      request: fileRequest,
      chainId: call.chainId,
      // The EIP-3668 sender: the resolver v2 records are bound to.
      resolver,
      owner: call.owner,
      epoch: call.epoch,
      now: BigInt(Math.floor(Date.now() / 1000)),
      isApprovedOnChain: (signer) =>
        isApprovedOnPath(publicClient, resolver, call.owner, name, signer),
    });
    if (verification.valid)
      return {
        fileRequest,
        value: decodeRecordValue(fileRequest, verification.result),
        signer: verification.signer,
        rule: verification.rule,
        version: verification.version,
        validUntil: verification.validUntil,
        certifiedOwner: verification.certifiedOwner,
      };
  }
  throw new ClientError(
    `the answer for ${name} verified on-chain but not with the core library: report this`,
  );
}

/** Names the contract's custom error when the failure is a revert (e.g. `StaleEpoch(0, 1)`). */
export function describeRevert(error: unknown): string {
  const revert =
    error instanceof BaseError
      ? error.walk((cause) => cause instanceof ContractFunctionRevertedError)
      : undefined;
  if (revert instanceof ContractFunctionRevertedError) {
    if (revert.data)
      return `the resolver reverted with ${revert.data.errorName}(${(revert.data.args ?? []).join(", ")})`;
    if (revert.raw) {
      try {
        const decoded = decodeErrorResult({ abi: loadResolverAbi(), data: revert.raw });
        return `the resolver reverted with ${decoded.errorName}(${(decoded.args ?? []).join(", ")})`;
      } catch {
        return `the resolver reverted with ${revert.raw}`;
      }
    }
  }
  return describeError(error);
}
