// The DNS bridge's answering engine, shared by the UDP/TCP server (bridge/udpTcpServer.ts) and
// the gateway's DNS-over-HTTPS route: one DNS query message in, one response message out (or
// nothing, for what must not be answered). Every RRset comes from a verified ENS read
// (bridge/ensReader.ts); verified answers are cached within their TTLs.
import dnsPacket, { type Answer, type DecodedPacket, type Question } from "dns-packet";
import { certificateRecordRequests, parseTlsaPin } from "../lib/certs/certificateRecordTypes.ts";
import {
  BRIDGE_DNS_TYPES,
  type BridgeQueryName,
  type BridgeRecord,
  bridgeRRset,
  certificatePinRecord,
  dnslinkFromContenthash,
  dnslinkRecord,
  dnslinkTarget,
  hashDnsOwnerName,
  nsRecords,
  parentName,
  parseBridgeQueryName,
  soaRecord,
  type ZoneApex,
} from "../lib/index.ts";
import type { EnsRead, EnsReader } from "./ensReader.ts";

/** TTL of the CA's pin record (the CA re-issues for the same key, so the pin changes rarely). */
const CERTIFICATE_PIN_TTL = 3600;

/** How a query arrived: UDP answers are size-limited (truncation), TCP and HTTPS are not. */
export type DnsTransport = "udp" | "tcp" | "https";

/** Response codes the engine sends (RFC 1035, 6891). */
export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

/** EDNS(0) payload size the bridge advertises and the largest UDP answer it sends (DNS flag day 2020). */
export const BRIDGE_UDP_PAYLOAD_SIZE = 1232;
/** UDP answer size without EDNS (RFC 1035). */
const CLASSIC_UDP_SIZE = 512;
const HEADER_BYTES = 12;
const QR = 0x8000;
const AA = dnsPacket.AUTHORITATIVE_ANSWER;
const TC = dnsPacket.TRUNCATED_RESPONSE;
const RD = dnsPacket.RECURSION_DESIRED;
/** TXT TTL of `_dnslink` answers (contenthash has no TTL of its own). */
const DNSLINK_TTL = 300;

/** Options of `createBridgeAnswerer`. */
export type BridgeAnswererOptions = {
  apex: ZoneApex;
  read: EnsReader;
  /** Unix seconds (default: the system clock). */
  now?: (() => bigint) | undefined;
  /** Answers kept in the cache (default 10,000). */
  cacheEntries?: number | undefined;
  /** Told about every read that failed (answered SERVFAIL), for logs. */
  onReadError?: ((error: unknown) => void) | undefined;
};

/** A cached answer: everything but the query's id, flags and question. */
type CachedAnswer = {
  rcode: number;
  answers: BridgeRecord[];
  authorities: BridgeRecord[];
  /** Unix milliseconds after which it is read again. */
  expiresAt: number;
};

/** What `answer` needs to know about the transport. */
export type AnswerContext = { transport: DnsTransport };

const systemNow = () => BigInt(Math.floor(Date.now() / 1000));

/** The bridge's answering engine for one zone. */
export function createBridgeAnswerer(options: BridgeAnswererOptions) {
  const { apex, read } = options;
  const now = options.now ?? systemNow;
  const cacheEntries = options.cacheEntries ?? 10_000;
  const cache = new Map<string, CachedAnswer>();
  const inFlight = new Map<string, Promise<CachedAnswer>>();

  /** The answer to one question, from the cache or from verified reads (coalesced). */
  const lookup = (ensName: string, type: string, typeNumber: number): Promise<CachedAnswer> => {
    const key = `${ensName} ${typeNumber}`;
    const hit = cache.get(key);
    if (hit && hit.expiresAt > Date.now()) return Promise.resolve(hit);
    const pending = inFlight.get(key);
    if (pending) return pending;
    const started = resolveQuestion(ensName, type, typeNumber)
      .then((answer) => {
        if (answer.expiresAt > Date.now()) {
          cache.delete(key);
          cache.set(key, answer);
          // Evict the oldest entry (Map keeps insertion order).
          if (cache.size > cacheEntries) cache.delete(cache.keys().next().value as string);
        }
        return answer;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };

  /** Reads what answers `type` at `ensName` and builds the answer (not cached here). */
  const resolveQuestion = async (
    ensName: string,
    type: string,
    typeNumber: number,
  ): Promise<CachedAnswer> => {
    const clock = now();
    // `_dnslink.<name>` TXT comes from the name's contenthash, as eth.limo answers it.
    const linked = type === "TXT" ? dnslinkTarget(ensName) : undefined;
    if (linked !== undefined) {
      const contenthash = await read(linked, { type: "contenthash" });
      if (contenthash.kind === "value") {
        const value = dnslinkFromContenthash(contenthash.bytes);
        if (value !== undefined)
          return positive([
            dnslinkRecord(ensName, value, {
              zone: apex.zone,
              ttl: DNSLINK_TTL,
              validUntil: contenthash.validUntil,
              now: clock,
            }),
          ]);
      }
    }
    // Without an RRset of that type, a CNAME at the name answers instead (RFC 1034 §4.3.2); it is
    // read at the same time, so a cold NODATA answer costs one round of reads, not two.
    const aliasRead =
      type !== "CNAME" && BRIDGE_DNS_TYPES[type] !== undefined
        ? readRRset(ensName, "CNAME", BRIDGE_DNS_TYPES.CNAME as number, clock)
        : undefined;
    // The alias read's failure matters only when its answer is used.
    aliasRead?.catch(() => {});
    const rrset = await readRRset(ensName, type, typeNumber, clock);
    if (rrset === "notFound") return negative(RCODE.NXDOMAIN);
    if (rrset.length > 0) return positive(rrset);
    const alias = aliasRead ? await aliasRead : [];
    if (alias !== "notFound" && alias.length > 0) return positive(alias);
    return negative(RCODE.NOERROR);
  };

  /**
   * The RRset of `type` owned by `ensOwner`, read with `dnsRecord(node, keccak256(owner), type)`
   * from the name itself and each ancestor down to the second level (an owner may keep a whole
   * zone's RRsets in its own name's tree, as `ensgate set demo.eth dns/…` does); the deepest one
   * that has it wins. TLSA goes through `readTlsaRRset`.
   */
  const readRRset = async (
    ensOwner: string,
    type: string,
    typeNumber: number,
    clock: bigint,
  ): Promise<BridgeRecord[] | "notFound"> => {
    if (typeNumber === BRIDGE_DNS_TYPES.TLSA) return readTlsaRRset(ensOwner, clock);
    return readDnsRecord(ensOwner, type, typeNumber, clock);
  };

  /**
   * The one place TLSA is read: the owner's own RRset (`dnsRecord(_<port>._tcp.<name>, 52)`), and
   * for `_443._tcp.<name>` the ensgate CA's pin of the certificate it issued to the name's current
   * owner (text `org.ensgate.ca.tlsa` of `<name>`, docs/protocol.md §6a), as one more record.
   */
  const readTlsaRRset = async (
    ensOwner: string,
    clock: bigint,
  ): Promise<BridgeRecord[] | "notFound"> => {
    const service = /^_443\._tcp\.(.+)$/.exec(ensOwner)?.[1];
    const [owned, pin] = await Promise.all([
      readDnsRecord(ensOwner, "TLSA", BRIDGE_DNS_TYPES.TLSA as number, clock),
      service
        ? read(service, certificateRecordRequests().tlsa)
        : Promise.resolve({ kind: "empty" } as EnsRead),
    ]);
    if (owned === "notFound" || pin.kind !== "text") return owned;
    let parsed: ReturnType<typeof parseTlsaPin>;
    try {
      parsed = parseTlsaPin(pin.text);
    } catch {
      return owned; // a verified pin that is not TLSA data is no pin
    }
    return [
      ...owned,
      certificatePinRecord(ensOwner, parsed, {
        zone: apex.zone,
        ttl: CERTIFICATE_PIN_TTL,
        validUntil: pin.validUntil,
        now: clock,
      }),
    ];
  };

  const readDnsRecord = async (
    ensOwner: string,
    type: string,
    typeNumber: number,
    clock: bigint,
  ): Promise<BridgeRecord[] | "notFound"> => {
    const nameHash = hashDnsOwnerName(ensOwner);
    const holders = recordHolders(ensOwner);
    const reads: EnsRead[] = await Promise.all(
      holders.map((holder) => read(holder, { type: "dnsRecord", nameHash, resource: typeNumber })),
    );
    if (reads[0]?.kind === "notFound") return "notFound";
    for (const found of reads) {
      if (found.kind !== "value") continue;
      const records = bridgeRRset(found.bytes, {
        ensOwner,
        type,
        zone: apex.zone,
        validUntil: found.validUntil,
        now: clock,
      });
      if (records.length > 0) return records;
    }
    return [];
  };

  const positive = (answers: BridgeRecord[]): CachedAnswer => {
    const ttl = Math.min(...answers.map((answer) => answer.ttl));
    return { rcode: RCODE.NOERROR, answers, authorities: [], expiresAt: Date.now() + ttl * 1000 };
  };
  const negative = (rcode: number): CachedAnswer => ({
    rcode,
    answers: [],
    authorities: [negativeSoa()],
    expiresAt: Date.now() + apex.negativeTtl * 1000,
  });
  /** The SOA of a negative answer: its TTL is the negative-caching time (RFC 2308 §3). */
  const negativeSoa = (): BridgeRecord => {
    const soa = soaRecord(apex);
    return { ...soa, ttl: Math.min(soa.ttl, apex.negativeTtl) };
  };

  // Response bytes of recent queries, by query bytes (after the ID) and transport: see `answer`.
  const responses = new Map<string, { bytes: Uint8Array; second: number }>();
  const remember = (key: string, bytes: Uint8Array, second: number) => {
    responses.delete(key);
    responses.set(key, { bytes, second });
    if (responses.size > cacheEntries) responses.delete(responses.keys().next().value as string);
  };

  // Query names seen recently and where they fall: ENSIP-15 normalization is the most expensive
  // step of a cached answer, and the same names come back again and again.
  const classified = new Map<string, BridgeQueryName>();
  const classify = (name: string): BridgeQueryName => {
    let where = classified.get(name);
    if (where === undefined) {
      where = parseBridgeQueryName(name, apex.zone);
      classified.set(name, where);
      if (classified.size > cacheEntries)
        classified.delete(classified.keys().next().value as string);
    }
    return where;
  };

  /** The answer at the zone apex: SOA, NS, else NODATA. */
  const apexAnswer = (type: string): CachedAnswer => {
    if (type === "SOA") return { ...positive([soaRecord(apex)]), expiresAt: 0 };
    if (type === "NS") return { ...positive(nsRecords(apex)), expiresAt: 0 };
    return negative(RCODE.NOERROR);
  };

  return {
    /**
     * Answers one DNS message (RFC 1035 wire format). `undefined` means "send nothing": shorter
     * than a header, or itself a response (answering responses would let two servers loop).
     */
    async answer(message: Uint8Array, context: AnswerContext): Promise<Uint8Array | undefined> {
      if (message.length < HEADER_BYTES) return undefined;
      const buffer = Buffer.from(message.buffer, message.byteOffset, message.length);
      const id = buffer.readUInt16BE(0);
      const flags = buffer.readUInt16BE(2);
      if (flags & QR) return undefined;
      const opcodeBits = flags & 0x7800;
      // Only standard queries (opcode 0): NOTIFY, UPDATE, IQUERY... are not implemented.
      if (opcodeBits !== 0) return headerOnly(id, opcodeBits | (flags & RD) | RCODE.NOTIMP);
      // Fast path: the same query bytes (after the ID) answered within the same second get the
      // same response bytes (TTLs count down in whole seconds), with this query's ID.
      const second = Math.floor(Date.now() / 1000);
      const wireKey = `${context.transport}${buffer.toString("latin1", 2)}`;
      const known = responses.get(wireKey);
      if (known !== undefined && known.second === second) {
        const copy = Buffer.from(known.bytes);
        copy.writeUInt16BE(id, 0);
        return copy;
      }
      let query: DecodedPacket;
      try {
        query = dnsPacket.decode(buffer);
      } catch {
        return headerOnly(id, (flags & RD) | RCODE.FORMERR);
      }
      const question = query.questions?.[0];
      const opts = (query.additionals ?? []).filter((record) => record.type === "OPT");
      if (query.questions?.length !== 1 || !question || opts.length > 1)
        return headerOnly(id, (flags & RD) | RCODE.FORMERR);
      const opt = opts[0] as (Answer & { udpPayloadSize: number; ednsVersion: number }) | undefined;
      const reply = (rcode: number, answer: Omit<CachedAnswer, "rcode" | "expiresAt">, aa = true) =>
        encodeReply({
          id,
          flags: (flags & RD) | (aa ? AA : 0) | rcode,
          question,
          answer,
          opt,
          limit: udpLimit(context.transport, opt),
        });
      const empty = { answers: [], authorities: [] };
      // EDNS versions above 0 get BADVERS (RFC 6891 §6.1.3).
      if (opt && opt.ednsVersion !== 0)
        return encodeReply({
          id,
          flags: flags & RD,
          question,
          answer: empty,
          opt,
          extendedRcode: 1,
          limit: udpLimit(context.transport, opt),
        });
      if (question.class !== "IN") return reply(RCODE.REFUSED, empty, false);
      const where = classify(question.name);
      if (where.kind === "outside") {
        const refused = reply(RCODE.REFUSED, empty, false);
        remember(wireKey, refused, second);
        return refused;
      }
      const type = String(question.type);
      // Zone transfers are not offered; ANY gets NOTIMP (RFC 8482 lets a server refuse to enumerate).
      if (type === "AXFR" || type === "IXFR") return reply(RCODE.REFUSED, empty, false);
      if (type === "ANY") return reply(RCODE.NOTIMP, empty, false);
      const typeNumber = typeNumberOf(buffer);
      if (where.kind === "apex") {
        const answer = apexAnswer(type);
        return reply(answer.rcode, answer);
      }
      if (where.kind === "invalid") return reply(RCODE.NXDOMAIN, negative(RCODE.NXDOMAIN));
      let answer: CachedAnswer;
      try {
        answer = await lookup(where.ensName, type, typeNumber);
      } catch (error) {
        options.onReadError?.(error);
        return reply(RCODE.SERVFAIL, empty, false);
      }
      const response = reply(answer.rcode, countDown(answer));
      remember(wireKey, response, second);
      return response;
    },
    /** Drops every cached answer (tests; a republished record is otherwise seen after its TTL). */
    clearCache() {
      cache.clear();
      responses.clear();
    },
  };
}

/**
 * A cached answer with its TTLs counted down to the time left in the cache, so that a resolver
 * never keeps a record past the cache's expiry (which is never past the record's validUntil).
 */
function countDown(answer: CachedAnswer): CachedAnswer {
  const left = Math.max(0, Math.floor((answer.expiresAt - Date.now()) / 1000));
  const cut = (record: BridgeRecord) => (record.ttl > left ? { ...record, ttl: left } : record);
  return { ...answer, answers: answer.answers.map(cut), authorities: answer.authorities.map(cut) };
}

/** `name` and its ancestors down to the second level (`a.b.demo.eth` -> a.b.demo.eth, b.demo.eth, demo.eth). */
function recordHolders(name: string): string[] {
  const holders = [name];
  for (let parent = parentName(name); parent?.includes("."); parent = parentName(parent))
    holders.push(parent);
  return holders;
}

/** The QTYPE number of the first question of a message that dns-packet decoded. */
function typeNumberOf(buffer: Buffer): number {
  let offset = HEADER_BYTES;
  while (offset < buffer.length) {
    const length = buffer[offset] as number;
    if (length === 0) return buffer.readUInt16BE(offset + 1);
    // A compression pointer ends the name (2 bytes).
    if ((length & 0xc0) === 0xc0) return buffer.readUInt16BE(offset + 2);
    offset += length + 1;
  }
  return 0;
}

/** Largest UDP answer for this query: the client's EDNS size within [512, 1232], else 512. */
function udpLimit(transport: DnsTransport, opt: { udpPayloadSize: number } | undefined): number {
  if (transport !== "udp") return 65_535;
  if (!opt) return CLASSIC_UDP_SIZE;
  return Math.min(Math.max(opt.udpPayloadSize, CLASSIC_UDP_SIZE), BRIDGE_UDP_PAYLOAD_SIZE);
}

/** A response of just a header (no question): for messages whose question cannot be trusted. */
function headerOnly(id: number, flags: number): Uint8Array {
  const buffer = Buffer.alloc(HEADER_BYTES);
  buffer.writeUInt16BE(id, 0);
  buffer.writeUInt16BE(QR | flags, 2);
  return buffer;
}

/** Encodes a response; over the size limit, the answer is cut to a truncated (TC) empty one. */
function encodeReply(reply: {
  id: number;
  flags: number;
  question: Question;
  answer: Omit<CachedAnswer, "rcode" | "expiresAt">;
  opt: { udpPayloadSize: number } | undefined;
  extendedRcode?: number;
  limit: number;
}): Uint8Array {
  const additionals: Answer[] = reply.opt
    ? [
        {
          name: ".",
          type: "OPT",
          udpPayloadSize: BRIDGE_UDP_PAYLOAD_SIZE,
          extendedRcode: reply.extendedRcode ?? 0,
          ednsVersion: 0,
          flags: 0,
          flag_do: false,
          options: [],
        } as Answer,
      ]
    : [];
  const packet = {
    id: reply.id,
    type: "response" as const,
    flags: reply.flags,
    questions: [reply.question],
    answers: reply.answer.answers as Answer[],
    authorities: reply.answer.authorities as Answer[],
    additionals,
  };
  const encoded = dnsPacket.encode(packet);
  if (encoded.length <= reply.limit) return encoded;
  return dnsPacket.encode({ ...packet, flags: reply.flags | TC, answers: [], authorities: [] });
}
