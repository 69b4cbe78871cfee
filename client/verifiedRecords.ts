// Reading records through the verifying resolver for DANE and site serving: one record of a name,
// ABI-decoded, with the resolver's rejection of a bad record file told apart from a failed read.
// The DNS records (A, AAAA, TLSA) are ENS `dnsRecord` RRsets in wire format, decoded with dns-packet.
import dnsPacket from "dns-packet";
import {
  type Address,
  BaseError,
  type Chain,
  ContractFunctionRevertedError,
  type Hex,
  hexToBytes,
  type PublicClient,
  type Transport,
} from "viem";
import {
  buildRecordType,
  DNS_RESOURCE_TYPES,
  describeError,
  EnsgateError,
  hashDnsOwnerName,
  namePath,
  type RecordRequest,
} from "../lib/index.ts";
import { RecordReadError, RecordRejectedError } from "./daneErrors.ts";
import { describeRevert, resolveRecord } from "./resolveRecord.ts";

/**
 * Reads one record of `name` through the resolver, verified on-chain by its callback; returns the
 * ABI-decoded answer (`0x` bytes / "" when unset). Throws RecordRejectedError when the callback
 * refused the served file, RecordReadError when the record could not be read.
 */
export type VerifiedRecordReader = (name: string, request: RecordRequest) => Promise<unknown>;

/** A reader resolving through the registry's resolver with CCIP-Read (client/resolveRecord.ts). */
export function createVerifiedRecordReader(options: {
  chain: Chain;
  rpcUrl: string;
  publicClient: PublicClient<Transport, Chain>;
  registry: Address;
}): VerifiedRecordReader {
  return async (name, request) => {
    const what = `${describeRequest(request)} record of ${name}`;
    try {
      return (await resolveRecord({ ...options, name, request })).values;
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      if (isRevert(error))
        throw new RecordRejectedError(
          what,
          describeRevert(cause).replace(/^the resolver reverted with /, ""),
          { cause: error },
        );
      throw new RecordReadError(`cannot read the ${what}: ${describeError(error)}`, {
        cause: error,
      });
    }
  };
}

/** Whether the failure is the resolver's revert (its callback refused the answer). */
function isRevert(error: unknown): boolean {
  const found = (
    error instanceof EnsgateError || error instanceof BaseError
      ? error.walk((cause) => cause instanceof ContractFunctionRevertedError)
      : null
  ) as unknown;
  return found instanceof ContractFunctionRevertedError;
}

function describeRequest(request: RecordRequest): string {
  if (request.type !== "dnsRecord") return buildRecordType(request);
  const type = Object.entries(DNS_RESOURCE_TYPES).find(([, number]) => number === request.resource);
  return `${type?.[0] ?? `type ${request.resource}`} (dnsRecord${request.name ? ` ${request.name}` : ""})`;
}

/** One RR of an RRset, as dns-packet decodes it. */
export type DnsAnswer = { name: string; type: string; ttl?: number; data: unknown };

/** dns-packet's single-RR decoder (present at runtime, missing from @types/dns-packet). */
const answerDecoder = (
  dnsPacket as unknown as {
    answer: { decode: ((buffer: Buffer, offset: number) => DnsAnswer) & { bytes: number } };
  }
).answer.decode;

/** Decodes an RRset in wire format (RRs concatenated, as ENS's `dnsRecord` returns it). */
export function decodeDnsRecordSet(wire: Hex): DnsAnswer[] {
  const bytes = Buffer.from(hexToBytes(wire));
  const answers: DnsAnswer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    answers.push(answerDecoder(bytes, offset));
    offset += answerDecoder.bytes;
  }
  return answers;
}

/**
 * The RRset of `owner` and `resource`, read from the ENS name `owner` itself, then from each of
 * its ancestors down to the second level (`www.alice.eth`, then `alice.eth`): an owner publishes
 * its zone's records either on each name or on the zone's name (`ensgate set alice.eth dns
 * 'www.alice.eth. …'`). The first non-empty RRset wins.
 */
export async function readDnsRecordSet(
  reader: VerifiedRecordReader,
  ensName: string,
  owner: string,
  resource: number,
): Promise<DnsAnswer[]> {
  const request: RecordRequest = {
    type: "dnsRecord",
    nameHash: hashDnsOwnerName(owner),
    resource,
    name: owner,
  };
  const candidates = namePath(ensName).slice(0, -1);
  for (const name of candidates) {
    const wire = (await reader(name, request)) as Hex;
    if (typeof wire === "string" && wire !== "0x") {
      const answers = decodeDnsRecordSet(wire).filter(
        (answer) => answer.name.toLowerCase().replace(/\.$/, "") === owner.toLowerCase(),
      );
      if (answers.length > 0) return answers;
    }
  }
  return [];
}
