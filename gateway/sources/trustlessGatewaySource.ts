// A record source that trusts no gateway: it reads through the trustless gateway formats of any
// IPFS HTTP gateway and checks everything itself.
// - The IPNS record (`GET /ipns/<name>`, `Accept: application/vnd.ipfs.ipns-record`): signature
//   and validity with the `ipns` package's validator, and a sequence at least the highest one this
//   gateway has seen for the name (else a rollback, refused).
// - The blocks of the path (`GET /ipfs/<root>/<path>?format=car`, then single blocks with
//   `Accept: application/vnd.ipld.raw` for any block the CAR lacked): each is hashed and compared
//   with its CID before it is used, and the path is walked here (ipfs/unixfsPath.ts, HAMT shards
//   included), so a missing file is proven missing by the directory blocks, not by the gateway's word.
// Verified IPNS resolutions are kept for the record's TTL (never past its EOL), verified blocks in
// a byte-bounded LRU. Pure web APIs: it runs on Node and Workers.
import { CarBlockIterator } from "@ipld/car";
import { multihashToIPNSRoutingKey, unmarshalIPNSRecord } from "ipns";
import { ipnsValidator } from "ipns/validator";
import type { MultihashDigest } from "multiformats";
import { CID } from "multiformats/cid";
import { ByteLru } from "../../ipfs/byteLru.ts";
import { parseIpnsName } from "../../ipfs/contentRoot.ts";
import {
  createUnixfsPathReader,
  type GetVerifiedBlock,
  type UnixfsPathReader,
} from "../../ipfs/unixfsPath.ts";
import { checkBlock } from "../../ipfs/verifyBlock.ts";
import { describeError } from "../../lib/index.ts";
import { createIpnsSequenceMemory, type IpnsSequenceMemory } from "./ipnsSequences.ts";
import { MAX_RECORD_FILE_BYTES, type RecordSource } from "./recordSource.ts";
import { SourceError } from "./sourceError.ts";
import { fetchFromSource, probeSource } from "./sourceFetch.ts";

/** The trustless gateway media types. */
export const IPNS_RECORD_MEDIA_TYPE = "application/vnd.ipfs.ipns-record";
export const RAW_BLOCK_MEDIA_TYPE = "application/vnd.ipld.raw";
export const CAR_MEDIA_TYPE = "application/vnd.ipld.car";
/** An IPNS record may not exceed 10 KiB (IPNS spec). */
const MAX_IPNS_RECORD_BYTES = 10 * 1024;
/** Largest CAR accepted for one path (a few directory blocks, HAMT shards and a record file). */
const MAX_CAR_BYTES = 4 * 1024 * 1024;
/** Largest single block (the IPFS block limit). */
const MAX_BLOCK_BYTES = 2 * 1024 * 1024;

/** Options of a trustless gateway source. */
export type TrustlessGatewaySourceOptions = {
  /** Gateway origin, e.g. `https://trustless-gateway.link` or `http://127.0.0.1:8080`. */
  url: string;
  /** Shared by all of a gateway's trustless sources: refuses rollbacks across them. */
  sequences?: IpnsSequenceMemory;
  /** Shared by all of a gateway's trustless sources (default: the source's own, 32 MiB). */
  caches?: TrustlessSourceCaches;
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
  /** Clock in ms (tests pin it); default Date.now. */
  now?: () => number;
};

/**
 * What a gateway's trustless sources keep in memory: verified blocks and decoded directories.
 * Both are keyed by CID and hold only what matched its CID, so a block one source served is as
 * good as the same block from any other: one set of caches serves them all, within one budget.
 */
export type TrustlessSourceCaches = { blocks: ByteLru<Uint8Array>; paths: UnixfsPathReader };

/** The default budget of `createTrustlessSourceCaches`. */
export const DEFAULT_TRUSTLESS_CACHE_BYTES = 32 * 1024 * 1024;

/** Caches for trustless sources within `maxBytes`: half for raw blocks, half for decoded directories. */
export function createTrustlessSourceCaches(
  maxBytes = DEFAULT_TRUSTLESS_CACHE_BYTES,
): TrustlessSourceCaches {
  return {
    blocks: new ByteLru<Uint8Array>(
      Math.floor(maxBytes / 2),
      (key, block) => block.length + key.length * 2 + 200,
    ),
    paths: createUnixfsPathReader({ cacheBytes: Math.floor(maxBytes / 2) }),
  };
}

/** A source that answered an IPNS record older than one already seen for the name. */
export class IpnsRollbackError extends SourceError {
  override name = "IpnsRollbackError";
  constructor(source: string, ipnsName: string, sequence: bigint, highest: bigint) {
    super(
      source,
      `IPNS rollback refused: ${ipnsName} at sequence ${sequence}, lower than sequence ${highest} already seen`,
    );
  }
}

/** Checks that `bytes` hash to `cid` (sha2-256 or identity); returns the bytes or throws. */
async function verifyBlock(source: string, cid: CID, bytes: Uint8Array): Promise<Uint8Array> {
  const check = await checkBlock(cid, bytes);
  if (check === "unsupported-hash")
    throw new SourceError(
      source,
      `block ${cid} uses hash 0x${cid.multihash.code.toString(16)}, not sha2-256`,
    );
  if (check === "mismatch")
    throw new SourceError(source, `block ${cid} does not match its CID (tampered or corrupt)`);
  return bytes;
}

/** Reads a response body up to `limit` bytes (throws past it). */
async function readBody(response: Response, limit: number, source: string, what: string) {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > limit) {
    await response.body?.cancel();
    throw new SourceError(source, `${what} of ${declared} bytes is over the limit`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > limit) throw new SourceError(source, `${what} is over the size limit`);
  return bytes;
}

/** Percent-encodes each path segment. */
const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

/** Builds a source reading record files trustlessly from an IPFS HTTP gateway. */
export function createTrustlessGatewaySource(options: TrustlessGatewaySourceOptions): RecordSource {
  const base = new URL(options.url);
  const name = `trustless:${base.origin}`;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const sequences = options.sequences ?? createIpnsSequenceMemory();
  // Verified blocks, and decoded directories and shards: a miss fetches and decodes only the
  // blocks none of the gateway's trustless sources has seen.
  const { blocks, paths } = options.caches ?? createTrustlessSourceCaches();
  const resolved = new Map<string, { root: CID; expiresAt: number }>();

  const get = (url: string, accept: string, signal: AbortSignal) =>
    fetchFromSource(name, doFetch, url, { headers: { accept }, signal, redirect: "follow" });

  /**
   * The verified root of an IPNS name (cached for the record's TTL, never past its EOL);
   * concurrent misses of one name share one fetch.
   */
  const resolving = new Map<string, Promise<CID | undefined>>();
  const resolveName = (ipnsName: string, signal: AbortSignal): Promise<CID | undefined> => {
    const cached = resolved.get(ipnsName);
    if (cached !== undefined && cached.expiresAt > now()) return Promise.resolve(cached.root);
    const running = resolving.get(ipnsName);
    if (running) return running;
    const promise = fetchName(ipnsName, signal).finally(() => resolving.delete(ipnsName));
    resolving.set(ipnsName, promise);
    return promise;
  };

  const fetchName = async (ipnsName: string, signal: AbortSignal): Promise<CID | undefined> => {
    const response = await get(
      new URL(`/ipns/${ipnsName}?format=ipns-record`, base).href,
      IPNS_RECORD_MEDIA_TYPE,
      signal,
    );
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new SourceError(name, `answered HTTP ${response.status} for the IPNS record`);
    }
    const bytes = await readBody(response, MAX_IPNS_RECORD_BYTES, name, "IPNS record");
    let key: CID;
    try {
      key = parseIpnsName(ipnsName);
    } catch (error) {
      throw new SourceError(name, `"${ipnsName}" is not an IPNS name`, { cause: error });
    }
    try {
      await ipnsValidator(
        multihashToIPNSRoutingKey(key.multihash as MultihashDigest<0x00 | 0x12>),
        bytes,
      );
    } catch (error) {
      throw new SourceError(name, `IPNS record of ${ipnsName} refused: ${describeError(error)}`, {
        cause: error,
      });
    }
    const record = unmarshalIPNSRecord(bytes);
    const highest = sequences.highest(ipnsName);
    if (highest !== undefined && record.sequence < highest)
      throw new IpnsRollbackError(name, ipnsName, record.sequence, highest);
    sequences.saw(ipnsName, record.sequence);
    const value = /^\/ipfs\/([^/]+)\/?$/.exec(record.value);
    if (!value)
      throw new SourceError(name, `IPNS value "${record.value}" of ${ipnsName} is not /ipfs/<cid>`);
    const root = CID.parse(value[1] as string);
    const ttlMs = Number(record.ttl ?? 0n) / 1e6;
    const expiresAt = Math.min(now() + ttlMs, Date.parse(record.validity));
    if (ttlMs > 0) resolved.set(ipnsName, { root, expiresAt });
    return root;
  };

  /**
   * One verified block: from the cache; else, on a read whose root block is not cached yet, from
   * the CAR of the whole path (fetched once, the first time a block is missing); else by a raw
   * block request. Once the root is cached, so are most directory and shard blocks, and a miss
   * costs one raw request for the record file (plus one per HAMT shard not seen yet), instead of
   * a CAR that would resend the directory blocks already held.
   */
  const blockGetter = (root: CID, path: string, signal: AbortSignal): GetVerifiedBlock => {
    let fromCar: Map<string, Uint8Array> | undefined = blocks.has(root.toString())
      ? new Map()
      : undefined;
    return async (cid: CID) => {
      const key = cid.toString();
      let bytes = blocks.get(key);
      if (bytes === undefined) {
        fromCar ??= await fetchCar(root, path, signal);
        bytes = fromCar.get(key) ?? (await fetchRawBlock(cid, signal));
        blocks.set(key, bytes);
      }
      return bytes;
    };
  };

  const fetchRawBlock = async (cid: CID, signal: AbortSignal): Promise<Uint8Array> => {
    const key = cid.toString();
    const response = await get(
      new URL(`/ipfs/${key}?format=raw`, base).href,
      RAW_BLOCK_MEDIA_TYPE,
      signal,
    );
    if (!response.ok) {
      await response.body?.cancel();
      throw new SourceError(name, `answered HTTP ${response.status} for block ${key}`);
    }
    return verifyBlock(name, cid, await readBody(response, MAX_BLOCK_BYTES, name, `block ${key}`));
  };

  /** The verified blocks of the CAR for a path (empty when the gateway serves no CAR). */
  const fetchCar = async (root: CID, path: string, signal: AbortSignal) => {
    const found = new Map<string, Uint8Array>();
    const response = await get(
      new URL(`/ipfs/${root}/${encodePath(path)}?format=car&dag-scope=entity`, base).href,
      `${CAR_MEDIA_TYPE};version=1`,
      signal,
    );
    if (!response.ok) {
      await response.body?.cancel();
      return found;
    }
    const car = await readBody(response, MAX_CAR_BYTES, name, "CAR");
    let iterator: CarBlockIterator;
    try {
      iterator = await CarBlockIterator.fromBytes(car);
    } catch (error) {
      throw new SourceError(name, `CAR does not parse: ${describeError(error)}`, { cause: error });
    }
    for await (const block of iterator) {
      const cid = CID.asCID(block.cid) ?? CID.decode(block.cid.bytes);
      // A copy: the iterator's bytes are views into the whole CAR, which a cached view would keep
      // alive while the cache counts only the block's length.
      found.set(cid.toString(), await verifyBlock(name, cid, block.bytes.slice()));
    }
    return found;
  };

  return {
    name,
    async read({ target, path }, signal) {
      const root =
        target.protocol === "ipns" ? await resolveName(target.name, signal) : CID.parse(target.cid);
      if (root === undefined) return { status: "missing" };
      const getBlock = blockGetter(root, path, signal);
      try {
        const entry = await paths.resolve(root, path, getBlock);
        if (entry.kind !== "file") return { status: "missing" };
        return {
          status: "found",
          body: await paths.readFile(entry.cid, getBlock, MAX_RECORD_FILE_BYTES),
        };
      } catch (error) {
        if (error instanceof SourceError) throw error;
        throw new SourceError(name, describeError(error), { cause: error });
      }
    },
    health: (signal) => probeSource(doFetch, base, signal),
  };
}
