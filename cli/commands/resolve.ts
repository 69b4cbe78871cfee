import {
  type Address,
  BaseError,
  type CcipRequestParameters,
  ContractFunctionRevertedError,
  ccipRequest,
  createPublicClient,
  decodeErrorResult,
  decodeFunctionResult,
  type Hex,
  http,
  parseAbi,
  zeroAddress,
} from "viem";
import {
  describeRecordhash,
  isApprovedOnPath,
  loadResolverAbi,
  readNameContext,
} from "../../client/chain.ts";
import { requireSettings } from "../../client/config.ts";
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
  expandRecordhash,
  getRecordFunction,
  namehash,
  parentName,
  parseRecordhash,
  parseRecordType,
  RESOLVE_OFFCHAIN_SELECTOR,
  type RecordRequest,
  verifyRecord,
} from "../../lib/index.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { parseNameArgument } from "../names.ts";
import { parseLookupArguments } from "../recordArguments.ts";

const REGISTRY_ABI = parseAbi(["function resolver(bytes32 node) view returns (address)"]);
const EXTENDED_RESOLVER_ABI = parseAbi([
  "function resolve(bytes name, bytes data) view returns (bytes)",
]);

/**
 * `ensgate resolve <name> [type]`: resolves through the chain with CCIP-Read, like a wallet
 * would, and shows which signer and which rule the record was verified with.
 */
export async function resolveCommand(
  context: CommandContext,
  nameArgument: string,
  typeArgument = "address/60",
  rest: string[] = [],
): Promise<void> {
  const { registry, rpcUrl } = requireSettings(context.config, "registry", "rpcUrl");
  const name = parseNameArgument(nameArgument);
  const request = parseLookupArguments(typeArgument, rest);
  const connection = await context.chain();
  const resolver = await findResolver(connection.publicClient, registry, name);

  // Capture the gateway's answer on its way to the callback, to explain who signed it.
  const lookups: { callData: Hex; response: Hex; urls: readonly string[] }[] = [];
  const client = createPublicClient({
    chain: connection.chain,
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
    throw new CliError(
      `resolving ${buildRecordType(request)} of ${name} failed: ${describeRevert(error)}`,
    );
  }
  const values = decodeFunctionResult({
    abi: [getRecordFunction(request.type)],
    data: answer,
  }) as unknown;
  const lookup = lookups.at(-1);
  if (!lookup || lookup.response === "0x") {
    const empty = isEmptyAnswer(values);
    // "Not set" only when the name's records tree was read: an unreadable tree is an error.
    if (empty)
      if (lookup) await assertTreeReadable(name, lookup);
      else await assertHasRecordhash(connection, resolver, name);
    context.output.result(
      [`${name} ${buildRecordType(request)}: ${empty ? "(not set)" : String(values)}`],
      {
        name,
        recordType: buildRecordType(request),
        value: empty ? null : values,
        resolver,
        verified: false,
      },
    );
    return;
  }
  const explanation = await explain(lookup, connection, resolver);
  context.output.result(
    [
      `${name} ${buildRecordType(explanation.fileRequest)}: ${explanation.value}`,
      `  signed by ${explanation.signer} (${explanation.rule}), record v${explanation.version}${explanation.validUntil ? `, valid until ${new Date(Number(explanation.validUntil) * 1000).toISOString()}` : ""}`,
      `  resolver ${resolver}, verified on-chain by the callback`,
    ],
    {
      name,
      recordType: buildRecordType(explanation.fileRequest),
      value: explanation.value,
      signer: explanation.signer,
      rule: explanation.rule,
      version: explanation.version,
      validUntil: explanation.validUntil?.toString(),
      resolver,
      verified: true,
    },
  );
}

/** Re-runs the core verification on the captured answer, to name the signer and the rule. */
async function explain(
  lookup: { callData: Hex; response: Hex },
  connection: Awaited<ReturnType<CommandContext["chain"]>>,
  resolver: Address,
) {
  const call = decodeResolveOffchainCall(lookup.callData);
  const name = dnsDecodeName(call.dnsName);
  const { request } = decodeRecordCall(call.data);
  // For an ABI bitmask the answering file is the one named by the signed content type.
  const verify = async (fileRequest: RecordRequest) =>
    verifyRecord(lookup.response, {
      name,
      request: fileRequest,
      chainId: call.chainId,
      // The EIP-3668 sender: the resolver v2 records are bound to.
      resolver,
      owner: call.owner,
      epoch: call.epoch,
      now: BigInt(Math.floor(Date.now() / 1000)),
      isApprovedOnChain: (signer) =>
        isApprovedOnPath(connection.publicClient, resolver, call.owner, name, signer),
    });
  // lib's candidates: one file per content type of an ABI bitmask, lowest bit first.
  const candidates = buildRecordTypeCandidates(request).map((type) => parseRecordType(type));
  for (const fileRequest of candidates) {
    const verification = await verify(fileRequest);
    if (verification.valid)
      return {
        ...verification,
        fileRequest,
        value: decodeRecordValue(fileRequest, verification.result),
      };
  }
  throw new CliError(
    `the answer for ${name} verified on-chain but not with the core library: report this`,
  );
}

/**
 * Throws when the records tree the lookup read cannot be read from any source: the IPFS gateways
 * of the lookup's URLs have no IPNS record for the recordhash (nothing published, or published to
 * a store they do not read), so an empty answer says nothing about the record.
 */
async function assertTreeReadable(
  name: string,
  lookup: { callData: Hex; urls: readonly string[] },
): Promise<void> {
  const { recordhash } = decodeResolveOffchainCall(lookup.callData);
  let target: ReturnType<typeof parseRecordhash>;
  try {
    target = parseRecordhash(expandRecordhash(recordhash));
  } catch {
    return;
  }
  // Each IPFS gateway URL is `<prefix>/ipns/<name>/.well-known/…`; the others are gateway services.
  const roots = new Map<string, string>();
  const services: string[] = [];
  for (const url of lookup.urls) {
    const match = /^(.*?)\/(ipns|ipfs)\/([^/?#]+)\/\.well-known\//.exec(url);
    if (match) roots.set(`${match[1]}/${match[2]}/${match[3]}`, `${match[1]}/${match[2]}`);
    else services.push(url);
  }
  if (roots.size === 0) return; // no IPFS gateway to ask: the gateway service's answer stands
  for (const root of roots.keys()) if (await rootExists(root, target.protocol)) return;
  const tried = [
    ...[...roots.values()].map((prefix) =>
      target.protocol === "ipns" ? `${prefix}/${target.name}` : `${prefix}/${target.cid}`,
    ),
    ...services,
  ];
  throw new CliError(
    `the records tree of ${name} cannot be read: recordhash ${describeRecordhash(expandRecordhash(recordhash))} is not found at ${tried.join(", ")}; publish it with \`ensgate publish\` to an IPFS node these read`,
  );
}

/** Whether an IPFS gateway has the tree root: its IPNS record (trustless gateway) or its root block. */
async function rootExists(root: string, protocol: "ipns" | "ipfs"): Promise<boolean> {
  const [url, accept] =
    protocol === "ipns"
      ? [`${root}?format=ipns-record`, "application/vnd.ipfs.ipns-record"]
      : [`${root}?format=raw`, "application/vnd.ipld.raw"];
  try {
    const response = await fetch(url, {
      headers: { accept },
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Throws when an ensgate resolver answered without a lookup because the name has no recordhash
 * at all; a resolver without `nameContext` (not ensgate) is left alone.
 */
async function assertHasRecordhash(
  connection: Awaited<ReturnType<CommandContext["chain"]>>,
  resolver: Address,
  name: string,
): Promise<void> {
  let onchain: Awaited<ReturnType<typeof readNameContext>>;
  try {
    onchain = await readNameContext(connection.publicClient, resolver, name);
  } catch {
    return;
  }
  if (onchain.recordhash === "0x")
    throw new CliError(
      `${name} has no records tree: neither it, an ancestor nor its owner ${onchain.owner} has a recordhash on the resolver ${resolver}; run \`ensgate recordhash ${name}\``,
    );
}

/** The ENSIP-10 resolver of a name: the closest ancestor's resolver in the registry. */
async function findResolver(
  client: Awaited<ReturnType<CommandContext["chain"]>>["publicClient"],
  registry: Address,
  name: string,
): Promise<Address> {
  for (let candidate: string | undefined = name; candidate; candidate = parentName(candidate)) {
    const resolver = await client.readContract({
      address: registry,
      abi: REGISTRY_ABI,
      functionName: "resolver",
      args: [namehash(candidate)],
    });
    if (resolver !== zeroAddress) return resolver;
  }
  throw new CliError(`${name} has no resolver`);
}

/** Names the contract's custom error when the failure is a revert (e.g. `StaleEpoch(0, 1)`). */
function describeRevert(error: unknown): string {
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

/** True for the zero value an unset record answers with. */
function isEmptyAnswer(values: unknown): boolean {
  const flat = Array.isArray(values) ? values : [values];
  return flat.every(
    (value) =>
      value === "" ||
      value === "0x" ||
      value === zeroAddress ||
      value === 0n ||
      (typeof value === "string" && /^0x0*$/.test(value)),
  );
}
