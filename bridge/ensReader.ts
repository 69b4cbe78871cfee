// Reads one record of an ENS name for the DNS bridge, verified by the resolver contract itself:
// the UniversalResolver's `findResolver`, then the resolver's ENSIP-10 `resolve(name, call)`
// through viem's CCIP-Read, so the answer is what the resolver's callback accepted. The gateway's
// answer is captured on its way to the callback to read the signed record's validUntil (v2), which
// the callback's return value does not carry; it is the same bytes the callback just verified.
import {
  type Address,
  BaseError,
  type CcipRequestParameters,
  ContractFunctionRevertedError,
  ccipRequest,
  createPublicClient,
  decodeAbiParameters,
  type Hex,
  http,
  parseAbi,
  zeroAddress,
} from "viem";
import {
  decodeSignedRecordData,
  describeError,
  dnsEncodeName,
  encodeRecordCall,
  namehash,
  RESOLVE_OFFCHAIN_SELECTOR,
  type RecordRequest,
} from "../lib/index.ts";
import { BridgeError } from "./errors.ts";

/**
 * The records the bridge reads: DNS RRsets, the contenthash (for `_dnslink`) and the CA's key
 * pin (text `org.ensgate.ca.tlsa`, for `_443._tcp` TLSA).
 */
export type BridgeReadRequest = Extract<
  RecordRequest,
  { type: "dnsRecord" } | { type: "contenthash" } | { type: "text" }
>;

/** The outcome of one verified read. */
export type EnsRead =
  /** The record's `bytes` (non-empty), and the signed record's validUntil when it had one. */
  | { kind: "value"; bytes: Hex; validUntil: bigint | undefined }
  /** A text record's value (non-empty), and its validUntil. */
  | { kind: "text"; text: string; validUntil: bigint | undefined }
  /** The name exists, the record is unset. */
  | { kind: "empty" }
  /** The name does not exist in ENS: no resolver, or the resolver reverted NameNotFound / NameExpired. */
  | { kind: "notFound" };

/** Reads one record of a name; throws `BridgeError` when the answer cannot be had (SERVFAIL). */
export type EnsReader = (name: string, request: BridgeReadRequest) => Promise<EnsRead>;

const UNIVERSAL_RESOLVER_ABI = parseAbi([
  "function findResolver(bytes name) view returns (address resolver, bytes32 node, uint256 offset)",
]);
const RESOLVER_ABI = parseAbi([
  "function resolve(bytes name, bytes data) view returns (bytes)",
  // The ensgate resolver's "no such name" reverts (contracts/interfaces/IEnsgateResolver.sol).
  "error NameNotFound()",
  "error NameExpired(uint256 expiredAt)",
  "error CertificateOwnerChanged(address certifiedOwner, address currentOwner)",
]);
const NO_SUCH_NAME = new Set(["NameNotFound", "NameExpired"]);
/** A CA record issued to a previous owner: no certificate for the current one (empty, not SERVFAIL). */
const NOT_FOR_THIS_OWNER = "CertificateOwnerChanged";
/** How long a name's resolver address is reused (the bridge's negative-answer TTL). */
const RESOLVER_CACHE_MS = 60_000;

/** An `EnsReader` over JSON-RPC: `rpcUrl` and the chain's UniversalResolver (for `findResolver`). */
export function createEnsReader(options: {
  rpcUrl: string;
  universalResolver: Address;
  /** fetch of the CCIP-Read requests (default: viem's, the global fetch). */
  ccipRequest?: typeof ccipRequest | undefined;
}): EnsReader {
  const transport = http(options.rpcUrl, { batch: false, retryCount: 0 });
  const chainClient = createPublicClient({ transport });
  const request = options.ccipRequest ?? ccipRequest;
  // Which resolver a name uses, kept a short while: several RRsets of a name (and of its
  // subnames, read at their ancestors) need the same one. The records still come through it.
  const resolvers = new Map<string, { resolver: Promise<Address>; until: number }>();
  const findResolver = (name: string, dnsName: Hex): Promise<Address> => {
    const known = resolvers.get(name);
    if (known && known.until > Date.now()) return known.resolver;
    const resolver = chainClient
      .readContract({
        address: options.universalResolver,
        abi: UNIVERSAL_RESOLVER_ABI,
        functionName: "findResolver",
        args: [dnsName],
      })
      .then(([found]) => found);
    resolvers.set(name, { resolver, until: Date.now() + RESOLVER_CACHE_MS });
    if (resolvers.size > 10_000) resolvers.delete(resolvers.keys().next().value as string);
    resolver.catch(() => resolvers.delete(name));
    return resolver;
  };
  return async (name, recordRequest) => {
    const dnsName = dnsEncodeName(name);
    let resolver: Address;
    try {
      resolver = await findResolver(name, dnsName);
    } catch (error) {
      throw new BridgeError(`finding the resolver of ${name} failed: ${describeError(error)}`, {
        cause: error,
      });
    }
    if (resolver === zeroAddress) return { kind: "notFound" };
    // One client per read, so the captured CCIP-Read answer is this read's.
    let captured: Hex | undefined;
    const client = createPublicClient({
      transport,
      ccipRead: {
        async request(parameters: CcipRequestParameters) {
          const response = await request(parameters);
          if (parameters.data.startsWith(RESOLVE_OFFCHAIN_SELECTOR)) captured = response;
          return response;
        },
      },
    });
    let answer: Hex;
    try {
      answer = await client.readContract({
        address: resolver,
        abi: RESOLVER_ABI,
        functionName: "resolve",
        args: [dnsName, encodeRecordCall(namehash(name), recordRequest)],
      });
    } catch (error) {
      const revert =
        error instanceof BaseError
          ? error.walk((cause) => cause instanceof ContractFunctionRevertedError)
          : undefined;
      if (
        revert instanceof ContractFunctionRevertedError &&
        NO_SUCH_NAME.has(revert.data?.errorName ?? "")
      )
        return { kind: "notFound" };
      if (
        revert instanceof ContractFunctionRevertedError &&
        revert.data?.errorName === NOT_FOR_THIS_OWNER
      )
        return { kind: "empty" };
      throw new BridgeError(
        `reading ${recordRequest.type} of ${name} failed: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
    if (recordRequest.type === "text") {
      let text: string;
      try {
        [text] = decodeAbiParameters([{ type: "string" }], answer);
      } catch (error) {
        throw new BridgeError(`the resolver's answer for ${name} is not an ABI string`, {
          cause: error,
        });
      }
      if (text === "") return { kind: "empty" };
      return { kind: "text", text, validUntil: validUntilOf(captured) };
    }
    let bytes: Hex;
    try {
      [bytes] = decodeAbiParameters([{ type: "bytes" }], answer);
    } catch (error) {
      throw new BridgeError(`the resolver's answer for ${name} is not ABI bytes`, { cause: error });
    }
    if (bytes === "0x") return { kind: "empty" };
    return { kind: "value", bytes, validUntil: validUntilOf(captured) };
  };
}

/** validUntil of a captured signed record (v2), or undefined (v1, or answered on-chain). */
function validUntilOf(response: Hex | undefined): bigint | undefined {
  if (response === undefined || response === "0x") return undefined;
  try {
    return decodeSignedRecordData(response).validUntil;
  } catch {
    return undefined;
  }
}
