// ENSIP-10 resolution as a wallet does it, returning the verified record: the resolver is found
// in the registry (the closest ancestor's), `resolve(name, call)` is read with CCIP-Read, the
// gateway's answer is captured on its way to the callback and checked again with lib's
// verifyRecord, which names the signer and the rule (or, when the callback refused it, lib's
// reason). No Node API: `ensgate resolve`, `ensgate cert` (through resolveRecord.ts, which adds
// the resolver's errors from Hardhat's artifacts) and the web app share it.
import {
  type Abi,
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
  type RecordRejection,
  type RecordRequest,
  verifyRecord,
} from "../lib/index.ts";
import { ClientError } from "./errors.ts";
import { isApprovedOnPath } from "./nameContext.ts";

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
  /** The epoch a v2 record was signed under. */
  epoch?: bigint | undefined;
  /** Certificate records: the owner the certificate authority issued the record to. */
  certifiedOwner?: Address | undefined;
};

/**
 * The resolver's callback refused the gateway's answer: `revert` is the custom error it reverted
 * with (`StaleEpoch(0, 1)`), `rejection` lib's reason for the same answer when one was captured.
 */
export class RecordRejectedByResolverError extends ClientError {
  override name = "RecordRejectedByResolverError";
  readonly revert: string;
  /** The custom error, decoded (undefined when the revert data matched no error of the ABI). */
  readonly decoded: DecodedRevert | undefined;
  readonly rejection: { reason: RecordRejection; message: string } | undefined;
  readonly lookup: CapturedLookup | undefined;
  constructor(
    message: string,
    fields: {
      revert: string;
      decoded: DecodedRevert | undefined;
      rejection: { reason: RecordRejection; message: string } | undefined;
      lookup: CapturedLookup | undefined;
      cause: unknown;
    },
  ) {
    super(message, { cause: fields.cause });
    this.revert = fields.revert;
    this.decoded = fields.decoded;
    this.rejection = fields.rejection;
    this.lookup = fields.lookup;
  }
}

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
export async function resolveVerifiedRecord(options: {
  chain: Chain;
  rpcUrl: string;
  publicClient: PublicClient<Transport, Chain>;
  registry: Address;
  name: string;
  request: RecordRequest;
  /** The resolver's custom errors (its ABI), to name a revert. */
  resolverErrors: Abi;
}): Promise<Resolution> {
  const { chain, rpcUrl, publicClient, registry, name, request, resolverErrors } = options;
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
      abi: [...EXTENDED_RESOLVER_ABI, ...resolverErrors.filter((item) => item.type === "error")],
      functionName: "resolve",
      args: [dnsEncodeName(name), encodeRecordCall(namehash(name), request)],
    });
  } catch (error) {
    const message = `resolving ${buildRecordType(request)} of ${name} failed: ${describeRevert(error, resolverErrors)}`;
    const lookup = lookups.at(-1);
    if (!isRevert(error)) throw new ClientError(message, { cause: error });
    // lib's reason for the answer the callback refused (undefined when nothing was captured).
    const checked = lookup ? await checkLookup(lookup, publicClient, resolver) : undefined;
    throw new RecordRejectedByResolverError(message, {
      revert: describeRevert(error, resolverErrors).replace(/^the resolver reverted with /, ""),
      decoded: decodeRevert(error, resolverErrors),
      rejection:
        checked && !checked.verification.valid
          ? { reason: checked.verification.reason, message: checked.verification.message }
          : undefined,
      lookup,
      cause: error,
    });
  }
  const values = decodeFunctionResult({ abi: [getRecordFunction(request.type)], data: answer });
  const lookup = lookups.at(-1);
  const verified =
    lookup && lookup.response !== "0x"
      ? await verifyLookup(lookup, publicClient, resolver)
      : undefined;
  return { resolver, values, lookup, verified };
}

/**
 * Runs the core verification on a captured answer, for each content type it may hold (lib's
 * candidates: one file per content type of an ABI bitmask, lowest bit first): the first that
 * verifies, else the last outcome (lib's reason for the rejection).
 */
export async function checkLookup(
  lookup: CapturedLookup,
  publicClient: Pick<PublicClient, "readContract">,
  resolver: Address,
): Promise<{ fileRequest: RecordRequest; verification: Awaited<ReturnType<typeof verifyRecord>> }> {
  const call = decodeResolveOffchainCall(lookup.callData);
  const name = dnsDecodeName(call.dnsName);
  const { request } = decodeRecordCall(call.data);
  let outcome:
    | { fileRequest: RecordRequest; verification: Awaited<ReturnType<typeof verifyRecord>> }
    | undefined;
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
    outcome = { fileRequest, verification };
    if (verification.valid) break;
  }
  return outcome as NonNullable<typeof outcome>;
}

/** Re-runs the core verification on an answer the callback accepted, to name the signer and rule. */
async function verifyLookup(
  lookup: CapturedLookup,
  publicClient: Pick<PublicClient, "readContract">,
  resolver: Address,
): Promise<VerifiedRecord> {
  const { fileRequest, verification } = await checkLookup(lookup, publicClient, resolver);
  if (verification.valid)
    return {
      fileRequest,
      value: decodeRecordValue(fileRequest, verification.result),
      signer: verification.signer,
      rule: verification.rule,
      version: verification.version,
      validUntil: verification.validUntil,
      epoch: verification.epoch,
      certifiedOwner: verification.certifiedOwner,
    };
  const name = dnsDecodeName(decodeResolveOffchainCall(lookup.callData).dnsName);
  throw new ClientError(
    `the answer for ${name} verified on-chain but not with the core library: report this`,
  );
}

/** Whether the failure is a contract revert (the resolver's callback refused the answer). */
export function isRevert(error: unknown): boolean {
  return (
    error instanceof BaseError &&
    error.walk((cause) => cause instanceof ContractFunctionRevertedError) instanceof
      ContractFunctionRevertedError
  );
}

/** A decoded custom error: its name and arguments. */
export type DecodedRevert = { errorName: string; args: readonly unknown[] };

/** The contract's custom error of a revert, decoded with `resolverErrors`; undefined otherwise. */
export function decodeRevert(error: unknown, resolverErrors: Abi): DecodedRevert | undefined {
  const revert =
    error instanceof BaseError
      ? error.walk((cause) => cause instanceof ContractFunctionRevertedError)
      : undefined;
  if (!(revert instanceof ContractFunctionRevertedError)) return undefined;
  if (revert.data) return { errorName: revert.data.errorName, args: revert.data.args ?? [] };
  if (!revert.raw) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: resolverErrors, data: revert.raw });
    return { errorName: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
}

/** Names the contract's custom error when the failure is a revert (e.g. `StaleEpoch(0, 1)`). */
export function describeRevert(error: unknown, resolverErrors: Abi): string {
  const decoded = decodeRevert(error, resolverErrors);
  if (decoded) return `the resolver reverted with ${decoded.errorName}(${decoded.args.join(", ")})`;
  const revert =
    error instanceof BaseError
      ? error.walk((cause) => cause instanceof ContractFunctionRevertedError)
      : undefined;
  if (revert instanceof ContractFunctionRevertedError && revert.raw)
    return `the resolver reverted with ${revert.raw}`;
  return describeError(error);
}
