// The gateway's caches are keyed by what was verified: a copy verified for one lookup (resolver,
// chain, recordhash, name, record type, owner, epoch) is never served for another.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address, Hex } from "viem";
import { createGateway } from "../../gateway/app.ts";
import { createMemoryCache } from "../../gateway/cache/memoryCache.ts";
import {
  buildLookupCacheKey,
  buildRecordCacheKey,
  type RecordCacheKeyParameters,
} from "../../gateway/cache/recordCache.ts";
import { GatewayHttpError } from "../../gateway/errors.ts";
import { answerResolveOffchain } from "../../gateway/resolveOffchain.ts";
import type { RecordSource } from "../../gateway/sources/recordSource.ts";
import { decodeResolveOffchainCall, type RecordRequest } from "../../lib/index.ts";
import {
  buildRecordFile,
  IPNS_NAME,
  lookupCallData,
  OTHER_SENDER,
  OWNER,
  RECORDHASH,
  SENDER,
  STRANGER,
} from "./records.ts";

const TEXT_NAME: RecordRequest = { type: "text", key: "name" };
const NAME: RecordRequest = { type: "name" };
const AVATAR: RecordRequest = { type: "text", key: "avatar" };

/** An in-memory source serving `files` (urlPath -> JSON), counting reads per path. */
function memorySource(files: Map<string, string>) {
  const reads = new Map<string, number>();
  const source: RecordSource = {
    name: "memory",
    async read({ path }) {
      const urlPath = `/ipns/${IPNS_NAME}/${path}`;
      reads.set(urlPath, (reads.get(urlPath) ?? 0) + 1);
      const json = files.get(urlPath);
      return json === undefined
        ? { status: "missing" }
        : { status: "found", body: new TextEncoder().encode(json) };
    },
    health: async () => true,
  };
  return { source, reads };
}

function options(source: RecordSource) {
  return {
    sources: [source],
    cache: createMemoryCache(),
    budget: { strategy: "race", perSourceTimeoutMs: 2000, totalBudgetMs: 4000 } as const,
    cacheTtlSeconds: 300,
    missingTtlSeconds: 60,
  };
}

/** Answers a lookup, or the rejection's status and message. */
async function answer(
  sender: Address,
  callData: Hex,
  opts: ReturnType<typeof options>,
): Promise<{ data: Hex; cached: boolean } | { status: number; message: string }> {
  try {
    const { data, cached } = await answerResolveOffchain(
      sender,
      decodeResolveOffchainCall(callData),
      opts,
    );
    return { data, cached };
  } catch (error) {
    if (!(error instanceof GatewayHttpError)) throw error;
    return { status: error.status, message: error.shortMessage };
  }
}

describe("record cache keys", () => {
  const base: RecordCacheKeyParameters = {
    resolver: SENDER,
    chainId: 31337n,
    recordhash: RECORDHASH,
    name: "alice.eth",
    recordType: "text/name",
    owner: OWNER.address,
    epoch: 0n,
  };

  it("differ in every input that verification depends on", () => {
    const variants: Partial<RecordCacheKeyParameters>[] = [
      { resolver: OTHER_SENDER },
      { chainId: 1n },
      { recordhash: `0x${"11".repeat(32)}` },
      { name: "text.alice.eth", recordType: "name" },
      { recordType: "text/avatar" },
      { owner: STRANGER.address },
      { epoch: 1n },
    ];
    const keys = new Set(
      [base, ...variants.map((v) => ({ ...base, ...v }))].map(buildRecordCacheKey),
    );
    assert.equal(keys.size, variants.length + 1);
  });

  it("ignore address and recordhash spelling, and cannot be forged by a name or a text key", () => {
    assert.equal(
      buildRecordCacheKey({ ...base, resolver: SENDER.toLowerCase() as Address }),
      buildRecordCacheKey(base),
    );
    assert.equal(
      buildRecordCacheKey({
        ...base,
        recordhash: RECORDHASH.toUpperCase().replace("0X", "0x") as Hex,
      }),
      buildRecordCacheKey(base),
    );
    // A separator inside a field cannot make two different lookups share a key.
    assert.notEqual(
      buildRecordCacheKey({ ...base, name: 'a","b', recordType: "c" }),
      buildRecordCacheKey({ ...base, name: "a", recordType: 'b","c' }),
    );
  });

  it("lookup keys hold the sender, and never equal a record key", () => {
    const callData = lookupCallData("alice.eth", AVATAR);
    assert.notEqual(
      buildLookupCacheKey(SENDER, callData),
      buildLookupCacheKey(OTHER_SENDER, callData),
    );
    assert.equal(
      buildLookupCacheKey(SENDER, callData),
      buildLookupCacheKey(SENDER.toLowerCase() as Address, callData),
    );
    assert.ok(buildLookupCacheKey(SENDER, callData).startsWith("0x"));
    assert.ok(buildRecordCacheKey(base).startsWith("["));
  });
});

describe("a copy verified for one lookup is never served for another", () => {
  it("text(alice.eth, name) and name(text.alice.eth): the other is read and verified on its own", async () => {
    const file = await buildRecordFile("alice.eth", TEXT_NAME, "alice.eth");
    const { source, reads } = memorySource(new Map([[file.urlPath, file.json]]));
    const opts = options(source);
    const text = lookupCallData("alice.eth", TEXT_NAME);
    const name = lookupCallData("text.alice.eth", NAME);

    assert.deepEqual(await answer(SENDER, text, opts), { data: file.data, cached: false });
    assert.deepEqual(await answer(SENDER, text, opts), { data: file.data, cached: true });
    assert.equal(reads.get(file.urlPath), 1);
    assert.deepEqual(await answer(SENDER, name, opts), {
      status: 422,
      message:
        "record .well-known/eth/alice/text/name.json rejected: invalidRecordSignature from memory",
    });
    assert.equal(reads.get(file.urlPath), 2, "the other lookup must read the file itself");
    // And the first lookup's cached copy is untouched.
    assert.deepEqual(await answer(SENDER, text, opts), { data: file.data, cached: true });
  });

  it("the reverse: name(text.alice.eth) cached, text(alice.eth, name) rejected", async () => {
    const file = await buildRecordFile("text.alice.eth", NAME, "alice.eth");
    const { source } = memorySource(new Map([[file.urlPath, file.json]]));
    const opts = options(source);
    assert.deepEqual(await answer(SENDER, lookupCallData("text.alice.eth", NAME), opts), {
      data: file.data,
      cached: false,
    });
    const rejected = await answer(SENDER, lookupCallData("alice.eth", TEXT_NAME), opts);
    assert.deepEqual(rejected, {
      status: 422,
      message:
        "record .well-known/eth/alice/text/name.json rejected: invalidRecordSignature from memory",
    });
  });

  it("a v2 record for resolver A: accepted from A, invalidRecordSignature from B, cached or not", async () => {
    const file = await buildRecordFile("alice.eth", AVATAR, "x", { resolver: SENDER });
    const { source, reads } = memorySource(new Map([[file.urlPath, file.json]]));
    const opts = options(source);
    const callData = lookupCallData("alice.eth", AVATAR);
    const fromB = {
      status: 422,
      message:
        "record .well-known/eth/alice/text/avatar.json rejected: invalidRecordSignature from memory",
    };
    assert.deepEqual(await answer(OTHER_SENDER, callData, opts), fromB);
    assert.deepEqual(await answer(SENDER, callData, opts), { data: file.data, cached: false });
    assert.deepEqual(await answer(OTHER_SENDER, callData, opts), fromB);
    assert.equal(reads.get(file.urlPath), 3);
  });

  it("a new epoch or another owner never hits the entry cached for the old ones", async () => {
    const file = await buildRecordFile("alice.eth", AVATAR, "x");
    const { source } = memorySource(new Map([[file.urlPath, file.json]]));
    const opts = options(source);
    assert.deepEqual(await answer(SENDER, lookupCallData("alice.eth", AVATAR), opts), {
      data: file.data,
      cached: false,
    });
    const epoch1 = await answer(SENDER, lookupCallData("alice.eth", AVATAR, { epoch: 1n }), opts);
    assert.match((epoch1 as { message: string }).message, /rejected: staleEpoch from memory$/);
    // Another owner: the record is the old owner's, and a deferred answer is never cached.
    const stranger = lookupCallData("alice.eth", AVATAR, { owner: STRANGER.address });
    assert.deepEqual(await answer(SENDER, stranger, opts), { data: file.data, cached: false });
    assert.deepEqual(await answer(SENDER, stranger, opts), { data: file.data, cached: false });
  });
});

describe("the lookup cache (the GET fast path) is keyed by sender and callData", () => {
  it("an answer cached for resolver A is not served to resolver B", async () => {
    const file = await buildRecordFile("alice.eth", AVATAR, "x", { resolver: SENDER });
    const { source } = memorySource(new Map([[file.urlPath, file.json]]));
    const gateway = createGateway(options(source));
    const callData = lookupCallData("alice.eth", AVATAR);
    const get = async (sender: string) => {
      const response = await gateway.fetch(new Request(`http://gateway/${sender}/${callData}`));
      return { status: response.status, body: await response.json() };
    };
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(await get(SENDER), { status: 200, body: { data: file.data } });
      assert.deepEqual(await get(SENDER.toLowerCase()), { status: 200, body: { data: file.data } });
      const fromB = await get(OTHER_SENDER);
      assert.equal(fromB.status, 422);
      assert.match(fromB.body.message, /rejected: invalidRecordSignature from memory$/);
    }
  });

  it("reads callData in any case (one hex grammar)", async () => {
    const file = await buildRecordFile("alice.eth", AVATAR, "x");
    const { source } = memorySource(new Map([[file.urlPath, file.json]]));
    const gateway = createGateway(options(source));
    const callData = lookupCallData("alice.eth", AVATAR);
    const upper = `0x${callData.slice(2).toUpperCase()}`;
    for (const request of [
      new Request(`http://gateway/${SENDER}/${upper}`),
      new Request("http://gateway/", {
        method: "POST",
        body: JSON.stringify({ sender: SENDER, data: upper }),
      }),
    ]) {
      const response = await gateway.fetch(request);
      assert.deepEqual(
        { status: response.status, body: await response.json() },
        { status: 200, body: { data: file.data } },
      );
    }
  });
});

describe("one clock: the gateway's `now` also decides the cache-hit path", () => {
  it("a pinned clock serves the cached answer until validUntil, then re-verifies (and rejects) it", async () => {
    const validUntil = BigInt(Math.floor(Date.now() / 1000)) + 1000n;
    const file = await buildRecordFile("alice.eth", AVATAR, "x", { validUntil });
    const { source, reads } = memorySource(new Map([[file.urlPath, file.json]]));
    let now = validUntil - 50n;
    const gateway = createGateway({ ...options(source), now: () => now });
    const url = `http://gateway/${SENDER}/${lookupCallData("alice.eth", AVATAR)}`;
    const get = async () => {
      const response = await gateway.fetch(new Request(url));
      return { status: response.status, body: await response.json() };
    };
    assert.deepEqual(await get(), { status: 200, body: { data: file.data } });
    assert.deepEqual(await get(), { status: 200, body: { data: file.data } });
    assert.equal(reads.get(file.urlPath), 1, "the second lookup is a cache hit");
    // Past validUntil by the gateway's clock (the system clock is still before it): no cache
    // layer may serve the answer; the file is read again and fails verification.
    now = validUntil + 1n;
    const expired = await get();
    assert.equal(expired.status, 422);
    assert.match(expired.body.message, /rejected: .*from memory$/);
    assert.equal(reads.get(file.urlPath), 2);
  });
});
