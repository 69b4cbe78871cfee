import { type Address, type Hex, zeroAddress } from "viem";
import { describeRecordhash, readNameContext } from "../../client/chain.ts";
import { requireSettings } from "../../client/config.ts";
import { resolveRecord } from "../../client/resolveRecord.ts";
import {
  buildRecordType,
  decodeResolveOffchainCall,
  expandRecordhash,
  parseRecordhash,
} from "../../lib/index.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { parseNameArgument } from "../names.ts";
import { parseLookupArguments } from "../recordArguments.ts";

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
  const { resolver, values, lookup, verified } = await resolveRecord({
    chain: connection.chain,
    rpcUrl,
    publicClient: connection.publicClient,
    registry,
    name,
    request,
  });
  if (!verified) {
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
  const explanation = verified;
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
