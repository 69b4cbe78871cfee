import type { Address, Hex } from "viem";
import {
  buildRecordFilePath,
  buildRecordTypeCandidates,
  decodeRecordCall,
  dnsDecodeName,
  parseRecordFile,
  parseRecordhash,
  parseRecordType,
  type RecordRequest,
  type ResolveOffchainCall,
  verifyRecord,
} from "../lib/index.ts";
import { buildRecordCacheKey, type CachedRecord, type RecordCache } from "./cache/recordCache.ts";
import { BadRequestError, GatewayHttpError, readField } from "./errors.ts";
import { type ReadBudget, type ReadOutcome, readFromSources } from "./sources/readFromSources.ts";
import type { RecordSource } from "./sources/recordSource.ts";

/** What the resolution handler needs: where to read, how long to wait, where to cache. */
export type ResolveOffchainOptions = {
  sources: readonly RecordSource[];
  cache: RecordCache;
  budget: ReadBudget;
  /** Longest time a verified record is cached, in seconds (also bounded by its validUntil). */
  cacheTtlSeconds: number;
  /** How long "file does not exist" is cached, in seconds. */
  missingTtlSeconds: number;
  /**
   * Checks the resolver's on-chain approvals (needs an RPC): whether `owner` approved `signer` for
   * `name` (or an ancestor) on the resolver deployment `resolver`, the lookup's sender (settings
   * are per deployment). Without it, a signer that is neither the owner nor approved off-chain is
   * passed through: the contract still checks it, so at worst the callback reverts, which is no
   * worse than withholding the record.
   */
  isApprovedOnChain?: ((query: OnchainApprovalQuery) => Promise<boolean>) | undefined;
  /**
   * The gateway's one clock, in unix seconds: record verification, cache freshness and the
   * cache-hit path all read it (tests pin it). Default: the system clock.
   */
  now?: (() => bigint) | undefined;
  /**
   * The reads in flight, by record cache key (one map per gateway: per process on Node, per
   * isolate on Workers). Identical concurrent lookups await the same read; an entry is removed
   * once its read settles (failures included: they are never kept). Without it, no coalescing.
   */
  inFlight?: Map<string, Promise<ReadOutcome<VerifiedFile>>> | undefined;
};

/** The system clock in unix seconds (the default `now`). */
export const systemNow = (): bigint => BigInt(Math.floor(Date.now() / 1000));

/** What `isApprovedOnChain` is asked: one signer, for one name, of one owner, on one deployment. */
export type OnchainApprovalQuery = {
  resolver: Address;
  name: string;
  owner: Address;
  signer: Address;
};

/** A file that passed verification (or, `deferred`, whose on-chain approval only the contract can check). */
export type VerifiedFile = { data: Hex; validUntil: bigint | undefined; deferred: boolean };

/** The verified response a lookup is answered with: a record file's `data`, or `0x` when not set. */
export type LookupAnswer = {
  data: Hex;
  source: string;
  cached: boolean;
  /** How long this answer may be served again for the same lookup (0: never). */
  ttlSeconds: number;
  validUntil?: bigint | undefined;
};

/**
 * Answers one `resolveOffchain` lookup from resolver `sender` (the EIP-3668 sender): finds the
 * record file with the core library's path rules, reads it from the sources, verifies it with the
 * same rules as the contract (v2 records must be bound to `sender`), and caches it under
 * everything it was verified for (`buildRecordCacheKey`).
 * Throws `GatewayHttpError` 422 when every copy found fails verification and 502 when no source answers.
 */
export async function answerResolveOffchain(
  sender: Address,
  call: ResolveOffchainCall,
  options: ResolveOffchainOptions,
): Promise<LookupAnswer> {
  // Each field is read before any source is asked: a malformed one is a 400 naming it.
  const name = readField("name", () => dnsDecodeName(call.dnsName));
  const { request } = readField("data", () => decodeRecordCall(call.data));
  const candidates = readField("data", () => buildRecordTypeCandidates(request));
  const target = readField("recordhash", () => parseRecordhash(call.recordhash));
  if (call.chainId === 0n)
    throw new BadRequestError("chainId: must be a positive EIP-155 chain id", 400, "chainId");
  const now = (options.now ?? systemNow)();
  const { isApprovedOnChain } = options;

  // An ABI bitmask may be answered by any of its content types' files, lowest first.
  for (const recordType of candidates) {
    const fileRequest: RecordRequest =
      request.type === "abi" ? parseRecordType(recordType) : request;
    const path = buildRecordFilePath(name, fileRequest);
    checkRecordPathSize(path);
    const key = buildRecordCacheKey({
      resolver: sender,
      chainId: call.chainId,
      recordhash: call.recordhash,
      name,
      recordType,
      owner: call.owner,
      epoch: call.epoch,
    });

    const cached = await options.cache.get(key);
    if (cached && isFresh(cached, now)) {
      if (cached.data !== null) {
        const validUntil = cached.validUntil === undefined ? undefined : BigInt(cached.validUntil);
        const ttlSeconds = cacheTtl(options.cacheTtlSeconds, validUntil, now);
        return { data: cached.data, source: "cache", cached: true, ttlSeconds, validUntil };
      }
      continue;
    }

    // Identical concurrent lookups share one read (and one cache put): keyed like the cache.
    const outcome = await coalesce(options.inFlight, key, async () => {
      const outcome = await readFromSources<VerifiedFile>(
        options.sources,
        { target, path },
        async (body) => {
          let data: Hex;
          try {
            data = parseRecordFile(new TextDecoder().decode(body)).data;
          } catch (error) {
            return { ok: false, reason: (error as Error).message };
          }
          const verification = await verifyRecord(data, {
            name,
            request: fileRequest,
            chainId: call.chainId,
            resolver: sender,
            owner: call.owner,
            epoch: call.epoch,
            now,
            isApprovedOnChain: isApprovedOnChain
              ? (signer) => isApprovedOnChain({ resolver: sender, name, owner: call.owner, signer })
              : undefined,
          });
          if (verification.valid)
            return {
              ok: true,
              value: { data, validUntil: verification.validUntil, deferred: false },
            };
          if (verification.reason === "unapprovedSigner" && !options.isApprovedOnChain)
            return { ok: true, value: { data, validUntil: undefined, deferred: true } };
          return { ok: false, reason: verification.reason };
        },
        options.budget,
      );
      if (outcome.status === "valid" && !outcome.value.deferred) {
        // A record whose on-chain approval could not be checked is served but never cached.
        const ttl = cacheTtl(options.cacheTtlSeconds, outcome.value.validUntil, now);
        if (ttl > 0)
          await options.cache.put(
            key,
            { data: outcome.value.data, validUntil: outcome.value.validUntil?.toString() },
            ttl,
          );
      }
      if (outcome.status === "missing")
        await options.cache.put(key, { data: null }, options.missingTtlSeconds);
      return outcome;
    });

    switch (outcome.status) {
      case "valid": {
        const { data, validUntil, deferred } = outcome.value;
        const ttlSeconds = deferred ? 0 : cacheTtl(options.cacheTtlSeconds, validUntil, now);
        return { data, source: outcome.source, cached: false, ttlSeconds, validUntil };
      }
      case "missing":
        continue;

      case "rejected":
        throw new GatewayHttpError(
          422,
          `record ${path} rejected: ${outcome.rejections.map((r) => `${r.reason} from ${r.source}`).join("; ")}`,
        );
      case "unavailable":
        throw new GatewayHttpError(
          502,
          `no source answered for ${path}: ${outcome.errors.map((e) => `${e.source}: ${e.reason}`).join("; ")}`,
        );
    }
  }
  return { data: "0x", source: "none", cached: false, ttlSeconds: options.missingTtlSeconds };
}

/**
 * Longest record file path a lookup may ask for, percent-encoded as sources put it in a URL. A
 * longer one (a text key of thousands of characters) is bad input: no HTTP gateway would take
 * its URL (8 KiB is a common limit), and its refusal would otherwise be a 502.
 */
export const MAX_RECORD_PATH_BYTES = 4096;

/** Throws a 400 naming `data` when `path` is over `MAX_RECORD_PATH_BYTES` percent-encoded. */
function checkRecordPathSize(path: string): void {
  const size = path.split("/").map(encodeURIComponent).join("/").length;
  if (size > MAX_RECORD_PATH_BYTES)
    throw new BadRequestError(
      `data: the record file path is ${size} bytes percent-encoded, over the ${MAX_RECORD_PATH_BYTES} the gateway reads`,
      400,
      "data",
    );
}

/** A cache entry (found under the key of what it was verified for) is served until its validUntil. */
export function isFresh(cached: CachedRecord, now: bigint): boolean {
  return cached.validUntil === undefined || BigInt(cached.validUntil) >= now;
}

/** Cache lifetime of a verified record: the configured TTL, cut short by the record's validUntil. */
function cacheTtl(ttlSeconds: number, validUntil: bigint | undefined, now: bigint): number {
  if (validUntil === undefined) return ttlSeconds;
  const remaining = validUntil - now;
  return remaining <= 0n ? 0 : Math.min(ttlSeconds, Number(remaining));
}

/** Runs `read` once per `key` at a time: callers arriving while it runs get the same promise. */
function coalesce<T>(
  inFlight: Map<string, Promise<T>> | undefined,
  key: string,
  read: () => Promise<T>,
): Promise<T> {
  if (!inFlight) return read();
  const running = inFlight.get(key);
  if (running) return running;
  const promise = read().finally(() => inFlight.delete(key));
  inFlight.set(key, promise);
  return promise;
}
