import dnsPacket from "dns-packet";
import { bytesToHex, concatBytes, type Hex, hexToBytes, keccak256 } from "viem";
import { InvalidRecordValueError } from "../../errors/record.ts";
import { dnsEncodeName } from "../../names/dnsEncodeName.ts";

/** One resource record as dns-packet's RR codec reads and writes it. */
export type DnsPacketAnswer = {
  name: string;
  type: string;
  ttl?: number;
  class?: string;
  data: unknown;
};
/** dns-packet's single-RR codec (present at runtime, missing from @types/dns-packet). */
const answerCodec = (
  dnsPacket as unknown as {
    answer: {
      encode(answer: DnsPacketAnswer): Uint8Array;
      decode: ((buffer: Uint8Array, offset: number) => DnsPacketAnswer) & { bytes: number };
    };
  }
).answer;

/** DNS resource types a zone fragment may hold, by mnemonic (RFC 1035, 3596, 2782, 6698, 8659). */
export const DNS_RESOURCE_TYPES = {
  A: 1,
  NS: 2,
  CNAME: 5,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  TLSA: 52,
  CAA: 257,
} as const;
type DnsTypeName = keyof typeof DNS_RESOURCE_TYPES;

/** One resource record of an RRset. */
export type DnsRecordEntry = { name: string; ttl: number; type: DnsTypeName; rdata: string };

/** keccak256 of a DNS owner name in wire format: the `name` argument of ENS's `dnsRecord`. */
export function hashDnsOwnerName(name: string): Hex {
  return keccak256(dnsEncodeName(name.replace(/\.$/, "")));
}

/** The resource type number of a mnemonic (`TLSA` -> 52). */
export function getDnsResourceType(typeName: string): number {
  const resource = DNS_RESOURCE_TYPES[typeName.toUpperCase() as DnsTypeName];
  if (resource === undefined)
    throw new InvalidRecordValueError({
      recordType: "dnsRecord",
      reason: `DNS type ${typeName} is not one of ${Object.keys(DNS_RESOURCE_TYPES).join(", ")}`,
    });
  return resource;
}

/**
 * Parses a zone fragment (`<name> <ttl> IN <type> <rdata>`, one RR a line, `;` comments) into the
 * RRset's wire format (RRs concatenated, as ENS's DNS resolver stores them). Every RR must have the
 * same owner name and type, and they must match `nameHash` / `resource` when given.
 */
export function parseDnsZone(
  value: string,
  expected?: { nameHash: Hex; resource: number },
): { wire: Hex; name: string; resource: number } {
  const fail = (reason: string): never => {
    throw new InvalidRecordValueError({ recordType: "dnsRecord", reason });
  };
  const lines = value
    .split("\n")
    .map((line) => line.replace(/;.*$/, "").trim())
    .filter((line) => line !== "");
  if (lines.length === 0) fail("the zone fragment holds no record");
  const encoded: Uint8Array[] = [];
  let owner: string | undefined;
  let resource: number | undefined;
  for (const line of lines) {
    const match = /^(\S+)\s+(\d+)\s+IN\s+([A-Za-z]+)\s+(.+)$/.exec(line);
    if (!match) fail(`"${line}" is not "<name> <ttl> IN <type> <rdata>"`);
    const [, rawName, ttl, typeName, rdata] = match as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    const name = rawName.replace(/\.$/, "").toLowerCase();
    const type = typeName.toUpperCase() as DnsTypeName;
    const typeNumber = getDnsResourceType(type);
    if (owner !== undefined && (owner !== name || resource !== typeNumber))
      fail("an RRset holds one owner name and one type; put other records in their own file");
    owner = name;
    resource = typeNumber;
    try {
      encoded.push(
        answerCodec.encode({
          name,
          ttl: Number(ttl),
          class: "IN",
          type,
          data: parseRdata(type, rdata),
        }),
      );
    } catch (error) {
      fail(`"${line}": ${(error as Error).message}`);
    }
  }
  const result = {
    wire: bytesToHex(concatBytes(encoded)),
    name: owner as string,
    resource: resource as number,
  };
  if (expected) {
    if (hashDnsOwnerName(result.name) !== expected.nameHash.toLowerCase())
      fail(`owner name ${result.name} does not match the requested name hash`);
    if (result.resource !== expected.resource)
      fail(`type ${result.resource} does not match the requested type ${expected.resource}`);
  }
  return result;
}

/** Decodes an RRset's wire format into dns-packet's RR objects; throws on malformed bytes. */
export function decodeDnsRRset(wire: Hex): DnsPacketAnswer[] {
  const bytes = Buffer.from(hexToBytes(wire));
  const answers: DnsPacketAnswer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    answers.push(answerCodec.decode(bytes, offset));
    offset += answerCodec.decode.bytes;
  }
  if (offset !== bytes.length) throw new Error("the RRset's last record runs past its end");
  return answers;
}

/** Formats an RRset's wire format back into zone-file lines. */
export function formatDnsZone(wire: Hex): string {
  const bytes = hexToBytes(wire);
  const lines: string[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const answer = answerCodec.decode(Buffer.from(bytes), offset);
    offset += answerCodec.decode.bytes;
    lines.push(`${answer.name}. ${answer.ttl ?? 0} IN ${answer.type} ${formatRdata(answer)}`);
  }
  return lines.join("\n");
}

/** Parses the RDATA text of one supported type into dns-packet's data object. */
function parseRdata(type: DnsTypeName, rdata: string): unknown {
  const fields = rdata.trim().split(/\s+/);
  switch (type) {
    case "A":
    case "AAAA":
      return fields[0];
    case "NS":
    case "CNAME":
      return (fields[0] as string).replace(/\.$/, "");
    case "MX":
      return { preference: Number(fields[0]), exchange: (fields[1] ?? "").replace(/\.$/, "") };
    case "SRV":
      return {
        priority: Number(fields[0]),
        weight: Number(fields[1]),
        port: Number(fields[2]),
        target: (fields[3] ?? "").replace(/\.$/, ""),
      };
    case "TLSA":
      if (fields.length !== 4 || !/^[0-9a-fA-F]+$/.test(fields[3] as string))
        throw new Error("TLSA rdata is <usage> <selector> <matching type> <hex>");
      return {
        usage: Number(fields[0]),
        selector: Number(fields[1]),
        matchingType: Number(fields[2]),
        certificate: Buffer.from(fields[3] as string, "hex"),
      };
    case "CAA": {
      const caa = /^(\d+)\s+([A-Za-z0-9]+)\s+"((?:[^"\\]|\\.)*)"$/.exec(rdata.trim());
      if (!caa) throw new Error('CAA rdata is <flags> <tag> "<value>"');
      return {
        flags: Number(caa[1]),
        tag: (caa[2] as string).toLowerCase(),
        value: (caa[3] as string).replace(/\\(.)/g, "$1"),
      };
    }
    case "TXT": {
      const strings = [...rdata.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) =>
        (m[1] as string).replace(/\\(.)/g, "$1"),
      );
      if (strings.length === 0) throw new Error('TXT rdata is one or more "quoted strings"');
      return strings;
    }
  }
}

/** Formats dns-packet's data object of one RR as RDATA text. */
function formatRdata(answer: DnsPacketAnswer): string {
  const data = answer.data as unknown;
  switch (answer.type) {
    case "NS":
    case "CNAME":
      return `${data as string}.`;
    case "MX": {
      const mx = data as { preference: number; exchange: string };
      return `${mx.preference} ${mx.exchange}.`;
    }
    case "SRV": {
      const srv = data as { priority: number; weight: number; port: number; target: string };
      return `${srv.priority} ${srv.weight} ${srv.port} ${srv.target}.`;
    }
    case "TLSA": {
      const tlsa = data as {
        usage: number;
        selector: number;
        matchingType: number;
        certificate: Uint8Array;
      };
      return `${tlsa.usage} ${tlsa.selector} ${tlsa.matchingType} ${Buffer.from(tlsa.certificate).toString("hex")}`;
    }
    case "CAA": {
      const caa = data as { flags: number; tag: string; value: string };
      return `${caa.flags} ${caa.tag} "${caa.value.replace(/(["\\])/g, "\\$1")}"`;
    }
    case "TXT":
      return (data as Uint8Array[])
        .map(
          (part) =>
            `"${Buffer.from(part)
              .toString()
              .replace(/(["\\])/g, "\\$1")}"`,
        )
        .join(" ");
    default:
      return String(data);
  }
}
