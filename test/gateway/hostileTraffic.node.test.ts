// Hostile traffic against a gateway process, run as an operator runs it: `node
// gateway/node/main.ts` with env config, its IPFS path gateway source behind a counting node:http
// proxy, the records signed for a real EnsgateResolver on Hardhat's chain and the lookups taken
// from its OffchainLookup reverts. 20,000+ structure-aware mutations of those lookups (GET and
// POST) and the HTTP-level attacks, with the source up then down; then a real lookup, verified by
// the resolver's callback. Replay a failure with HOSTILE_SEED=<seed printed in the message>.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { encodeFunctionData, type Hex, keccak256, parseAbi, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  buildAnswer,
  buildRecordFilePath,
  DNS_RECORD_BYTES_SIGNATURE,
  decodeRecordCall,
  decodeResolveOffchainCall,
  dnsEncodeName,
  encodeRecordCall,
  encodeRecordValue,
  hashDnsOwnerName,
  namehash,
  parseRecordhash,
  type RecordRequest,
  serializeRecordFile,
  signRecord,
} from "../../lib/index.ts";
import {
  deployFixture,
  type Fixture,
  type Lookup,
  lookupOf,
  makeIpnsKey,
  walletSigner,
} from "../contracts/helpers.ts";
import {
  badPathRequests,
  createHostileClient,
  GATEWAY_CONTENT_TYPE,
  type HostileAnswer,
  type HostileClient,
  type HostileRequest,
  isNodeParserAnswer,
  isWebAppPage,
  malformedJsonBodies,
  openRawSocket,
  parseRawAnswer,
  runPool,
  WRONG_CONTENT_TYPES,
} from "./hostileTrafficHttp.ts";
import {
  type BaseLookup,
  coldLookup,
  createRandom,
  mutateLookup,
  type Random,
} from "./hostileTrafficMutations.ts";
import {
  type CountingProxy,
  type GatewayProcess,
  spawnGateway,
  startCountingProxy,
} from "./hostileTrafficServers.ts";
import { startFileGateway, type TestServer } from "./httpServers.ts";

const SEED = Number(process.env.HOSTILE_SEED ?? 0x17);
const MUTATIONS_SOURCE_UP = 14_000;
const MUTATIONS_SOURCE_DOWN = 6_500;
const CONCURRENCY = 48;
const HEADERS_TIMEOUT_MS = 2000;
const REQUEST_TIMEOUT_MS = 5000;
const NAME = "alice.eth";
const NODE = namehash(NAME);
const PUBKEY = privateKeyToAccount(keccak256(stringToHex("ensgate hostile pubkey"))).publicKey;
const FIELDS = new Set(["name", "data", "recordhash", "owner", "chainId", "epoch"]);

/** One record kind: the resolver call, the file that answers it and the value it holds. */
type RecordCase = { kind: string; data: Hex; file?: RecordRequest; value: (f: Fixture) => string };

const RECORD_CASES: RecordCase[] = [
  {
    kind: "text",
    data: encodeRecordCall(NODE, { type: "text", key: "avatar" }),
    value: () => "https://example.com/a.png",
  },
  {
    kind: "addr",
    data: encodeRecordCall(NODE, { type: "addr" }),
    value: (f) => f.alice.account.address,
  },
  {
    kind: "multicoinAddr",
    data: encodeRecordCall(NODE, { type: "multicoinAddr", coinType: 0n }),
    value: () => "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
  },
  {
    kind: "contenthash",
    data: encodeRecordCall(NODE, { type: "contenthash" }),
    value: () => "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
  },
  { kind: "pubkey", data: encodeRecordCall(NODE, { type: "pubkey" }), value: () => PUBKEY },
  { kind: "name", data: encodeRecordCall(NODE, { type: "name" }), value: () => NAME },
  {
    kind: "interfaceImplementer",
    data: encodeRecordCall(NODE, { type: "interfaceImplementer", interfaceId: "0x01ffc9a7" }),
    value: (f) => f.bob.account.address,
  },
  {
    kind: "abi",
    data: encodeRecordCall(NODE, { type: "abi", contentTypes: 9n }),
    file: { type: "abi", contentTypes: 8n },
    value: () => "https://example.com/abi.json",
  },
  {
    kind: "zonehash",
    data: encodeRecordCall(NODE, { type: "zonehash" }),
    value: () => "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
  },
  {
    kind: "dnsRecord",
    data: encodeRecordCall(NODE, {
      type: "dnsRecord",
      nameHash: hashDnsOwnerName("www.alice.eth"),
      resource: 1,
    }),
    value: () => "www.alice.eth. 3600 IN A 192.0.2.1",
  },
  {
    kind: "dnsRecordBytes",
    data: encodeFunctionData({
      abi: parseAbi([DNS_RECORD_BYTES_SIGNATURE]),
      functionName: "dnsRecord",
      args: [NODE, dnsEncodeName("www.alice.eth"), 16],
    }),
    value: () => 'www.alice.eth. 60 IN TXT "hello"',
  },
];
/** Signed too, but looked up only at the very end: a lookup no cache holds. */
const FINAL_CASE: RecordCase = {
  kind: "text",
  data: encodeRecordCall(NODE, { type: "text", key: "url" }),
  value: () => "https://alice.example",
};
const ABI_ALL_BITS = encodeRecordCall(NODE, { type: "abi", contentTypes: 2n ** 256n - 1n });

/** A signed record served by the source, with the lookup the resolver makes for it. */
type Served = { kind: string; lookup: Lookup; expected: Hex; path: string };

/** Tallies of the run, by category and status (printed at the end, and in failure messages). */
class Tally {
  readonly sent = new Map<string, number>();
  readonly statuses = new Map<string, Map<number, number>>();
  readonly problems: string[] = [];
  count(category: string, status: number) {
    this.sent.set(category, (this.sent.get(category) ?? 0) + 1);
    const byStatus = this.statuses.get(category) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.statuses.set(category, byStatus);
  }
  of(category: string, status: number) {
    return this.statuses.get(category)?.get(status) ?? 0;
  }
  summary() {
    return Object.fromEntries(
      [...this.statuses].map(([category, byStatus]) => [
        category,
        Object.fromEntries([...byStatus].sort(([a], [b]) => a - b)),
      ]),
    );
  }
}

/**
 * What is wrong with one answer from the pool (undefined: nothing). The gateway never answers
 * 500; every answer of its code is JSON (or a DID resolution type); a 502 only while the source
 * is down, and only to a lookup; a 501 only from the did:ens route.
 */
function problemOf(
  request: HostileRequest,
  answer: HostileAnswer,
  sourceDown: boolean,
): string | undefined {
  if (answer.error) return `no answer: ${answer.error}`;
  const { status, contentType, body } = answer;
  if (status === 500) return "500";
  const isLookup =
    (request.method === "GET" && /^\/[^/]+\/[^/]+$/.test(request.path.split("?")[0] ?? "")) ||
    (request.method === "POST" && request.path === "/");
  const isDid = request.path.startsWith("/1.0/identifiers/");
  if (status === 502 && !(sourceDown && isLookup)) return "502 while the source is up";
  if (status >= 500 && status !== 502 && !(status === 501 && isDid)) return `${status}`;
  // A CORS preflight is an empty 204 (itty-router's `cors`).
  if (request.method === "OPTIONS" && status === 204 && body === "") return undefined;
  if (isWebAppPage(request.method, request.path, status, contentType)) return undefined;
  if (!GATEWAY_CONTENT_TYPE.test(contentType)) return `content-type "${contentType}"`;
  if (request.method === "HEAD") return body === "" ? undefined : "HEAD with a body";
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return "body is not JSON";
  }
  if (isDid) return undefined;
  const fields = json as { data?: unknown; message?: unknown; field?: unknown };
  if (status === 200 && request.path !== "/health")
    return typeof fields.data === "string" && /^0x([0-9a-f]{2})*$/.test(fields.data)
      ? undefined
      : "a 200 without hex data";
  if (status >= 400 && (typeof fields.message !== "string" || fields.message === ""))
    return "an error without a message";
  if (fields.field !== undefined && !FIELDS.has(fields.field as string))
    return `unknown field ${String(fields.field)}`;
  return undefined;
}

/** A mutated lookup as a request: GET /{sender}/{data}(.json) or POST / {sender, data}. */
function lookupRequest(
  random: Random,
  category: string,
  sender: string,
  data: string,
): HostileRequest {
  if (random.int(2) === 0)
    return {
      category,
      method: "GET",
      path: `/${sender}/${data}${random.int(2) === 0 ? ".json" : ""}`,
    };
  return {
    category,
    method: "POST",
    path: "/",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sender, data }),
  };
}

describe("hostile traffic against a gateway process", () => {
  let f: Fixture;
  let files: TestServer;
  let proxy: CountingProxy;
  let gateway: GatewayProcess;
  let client: HostileClient;
  let served: Served[];
  let finalRecord: Served;
  let abiAllBits: Lookup;
  const tally = new Tally();
  const started = performance.now();

  /** Sends one request through the pool, checks and tallies its answer. */
  const sendChecked = async (request: HostileRequest, sourceDown: boolean) => {
    const answer = await client.send(request);
    tally.count(request.category, answer.status);
    const problem = problemOf(request, answer, sourceDown);
    if (problem)
      tally.problems.push(
        `${request.category} ${request.method} ${request.path.slice(0, 120)} ${String(request.body ?? "").slice(0, 200)} -> ${answer.status} ${answer.body.slice(0, 160)}: ${problem}`,
      );
    return answer;
  };
  /** Checks that the pool's answers so far had no problem (the seed is in the message). */
  const assertNoProblems = () =>
    assert.deepEqual(
      tally.problems.slice(0, 10),
      [],
      `seed ${SEED}: ${tally.problems.length} bad answers; statuses ${JSON.stringify(tally.summary())}`,
    );
  /** The resolver's callback on a gateway answer (what a client's CCIP-Read does next). */
  const callback = (record: Served, data: Hex) =>
    f.resolver.read.resolveCallback([data, record.lookup.extraData]);
  const lookupUrl = (lookup: Lookup, data: Hex = lookup.callData) =>
    `/${lookup.sender}/${data}.json`;

  before(async () => {
    f = await deployFixture();
    const ipns = await makeIpnsKey(17);
    await f.register(NAME, f.alice.account.address);
    await f.resolver.write.setRecordhash([NODE, ipns.key], { account: f.alice.account });
    const now = BigInt((await f.publicClient.getBlock()).timestamp);

    const sourceFiles = new Map<string, string>();
    const serve = async (record: RecordCase): Promise<Served> => {
      const lookup = await lookupOf(f, dnsEncodeName(NAME), record.data);
      const request = record.file ?? decodeRecordCall(record.data).request;
      const result = encodeRecordValue(request, record.value(f));
      const file = await signRecord({
        name: NAME,
        request,
        result,
        signer: walletSigner(f.alice),
        owner: f.alice.account.address,
        chainId: f.chainId,
        freshness: { validUntil: now + 30n * 86_400n, epoch: 0n },
        resolver: f.resolver.address,
      });
      const { recordhash } = decodeResolveOffchainCall(lookup.callData);
      const target = parseRecordhash(recordhash);
      assert.equal(target.protocol, "ipns");
      const path = `/ipns/${target.protocol === "ipns" ? target.name : ""}/${buildRecordFilePath(NAME, request)}`;
      sourceFiles.set(path, serializeRecordFile(file));
      return { kind: record.kind, lookup, expected: buildAnswer(request, result), path };
    };
    served = [];
    for (const record of RECORD_CASES) served.push(await serve(record));
    finalRecord = await serve(FINAL_CASE);
    abiAllBits = await lookupOf(f, dnsEncodeName(NAME), ABI_ALL_BITS);

    files = await startFileGateway(sourceFiles);
    proxy = await startCountingProxy(files.url);
    gateway = await spawnGateway({
      ENSGATE_SOURCES: `http:${proxy.url}`,
      // Generous source timeouts: a 502 must mean the source is down, not that the machine is busy.
      ENSGATE_SOURCE_TIMEOUT_MS: "20000",
      ENSGATE_BUDGET_MS: "30000",
      ENSGATE_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      ENSGATE_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      ENSGATE_IDLE_TIMEOUT_MS: "30000",
      ENSGATE_DID_NETWORKS: "",
    });
    client = createHostileClient(gateway.url, CONCURRENCY);
  });

  after(async () => {
    client?.close();
    await gateway?.stop();
    await proxy?.close();
    await files?.close();
  });

  it("ABI(node, 2^256-1) makes 4 source requests, counted at the proxy", async () => {
    const before = proxy.requests.length;
    const answer = await client.send({
      category: "count",
      method: "GET",
      path: lookupUrl(abiAllBits),
    });
    assert.equal(answer.status, 200, answer.body);
    const abi = served.find((record) => record.kind === "abi") as Served;
    const { data } = JSON.parse(answer.body) as { data: Hex };
    assert.equal(await f.resolver.read.resolveCallback([data, abiAllBits.extraData]), abi.expected);
    const asked = proxy.requests.slice(before).map((path) => path.slice(path.indexOf("/abi/")));
    assert.ok(asked.length <= 4, `${asked.length} source requests`);
    assert.deepEqual(asked, ["/abi/1.json", "/abi/2.json", "/abi/4.json", "/abi/8.json"]);
  });

  it("100 concurrent identical cold lookups make 1 source request, counted at the proxy", async () => {
    const pool = createHostileClient(gateway.url, 100);
    try {
      // Open the 100 connections first, so that the lookups arrive together.
      const warm = await Promise.all(
        Array.from({ length: 100 }, () =>
          pool.send({ category: "count", method: "GET", path: "/warm" }),
        ),
      );
      assert.ok(warm.every((answer) => answer.status === 404));
      await gateway.waitForLines(1 + 101); // the banner, the ABI lookup, the warm-up requests
      const linesBefore = gateway.stdout.length;
      const before = proxy.requests.length;
      const text = served[0] as Served;
      proxy.setDelay(1000);
      const answers = await Promise.all(
        Array.from({ length: 100 }, () =>
          pool.send({ category: "count", method: "GET", path: lookupUrl(text.lookup) }),
        ),
      );
      proxy.setDelay(0);
      assert.deepEqual(proxy.requests.slice(before), [text.path]);
      for (const answer of answers) assert.deepEqual(answer, answers[0]);
      assert.equal(answers[0]?.status, 200);
      const { data } = JSON.parse(answers[0]?.body ?? "") as { data: Hex };
      assert.equal(await callback(text, data), text.expected);
      // Every one of them was answered by that one read, none from a cache it had filled.
      await gateway.waitForLines(linesBefore + 100);
      const lines = gateway.stdout.slice(linesBefore).map((line) => JSON.parse(line));
      assert.equal(lines.length, 100);
      for (const line of lines)
        assert.deepEqual(
          [line.route, line.status, line.source, line.cache],
          ["lookup", 200, `http:${proxy.url}`, "miss"],
        );
    } finally {
      pool.close();
    }
  });

  it("answers every real lookup (GET and POST) with what the resolver's callback accepts", async () => {
    for (const record of served) {
      const get = await client.send({
        category: "real",
        method: "GET",
        path: lookupUrl(record.lookup),
      });
      const post = await client.send({
        category: "real",
        method: "POST",
        path: "/",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sender: record.lookup.sender, data: record.lookup.callData }),
      });
      for (const answer of [get, post]) {
        assert.equal(answer.status, 200, `${record.kind}: ${answer.body}`);
        const { data } = JSON.parse(answer.body) as { data: Hex };
        assert.equal(await callback(record, data), record.expected, record.kind);
      }
    }
  });

  it(`source up: ${MUTATIONS_SOURCE_UP} mutated lookups and the HTTP-level attacks, no 5xx, all JSON`, async () => {
    const random = createRandom(SEED);
    const bases: BaseLookup[] = served.map(({ kind, lookup }) => ({
      kind,
      sender: lookup.sender,
      callData: lookup.callData,
    }));
    const sender = served[0]?.lookup.sender as string;
    const data = served[0]?.lookup.callData as string;
    const requests: HostileRequest[] = [];
    for (let i = 0; i < MUTATIONS_SOURCE_UP; i++) {
      const mutated = mutateLookup(random, bases);
      requests.push(
        lookupRequest(
          random,
          `mutation:${mutated.operator.split("+")[0]}`,
          mutated.sender,
          mutated.data,
        ),
      );
    }
    // Malformed JSON bodies, each with every wrong content type; a real lookup with each of them.
    for (const body of malformedJsonBodies(sender, data))
      for (const contentType of WRONG_CONTENT_TYPES)
        requests.push({
          category: "malformedJson",
          method: "POST",
          path: "/",
          headers: contentType ? { "content-type": contentType } : {},
          body,
        });
    for (let i = 0; i < 10; i++)
      for (const contentType of WRONG_CONTENT_TYPES)
        requests.push({
          category: "wrongContentType",
          method: "POST",
          path: "/",
          headers: contentType ? { "content-type": contentType } : {},
          body: JSON.stringify({ sender, data }),
        });
    for (let i = 0; i < 1000; i++) requests.push(badPathRequests(random, sender, data));
    // Bodies over the 64 KiB limit: declared, and sent whole.
    for (let i = 0; i < 50; i++)
      requests.push({
        category: "hugeBody",
        method: "POST",
        path: "/",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sender, data: `0x${"ab".repeat(40_000 + i)}` }),
      });
    // Shuffled, so that every kind of request meets every other on the same connections.
    for (let i = requests.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [requests[i], requests[j]] = [requests[j] as HostileRequest, requests[i] as HostileRequest];
    }

    const raw = rawAttacks(gateway.url, tally);
    await runPool(requests, CONCURRENCY, async (request) => {
      await sendChecked(request, false);
    });
    const rawProblems = await raw;
    assertNoProblems();
    assert.deepEqual(rawProblems, [], `seed ${SEED}`);
    // The mutations reached every answer the gateway has for a lookup.
    const statuses = new Set(
      [...tally.statuses]
        .filter(([c]) => c.startsWith("mutation:"))
        .flatMap(([, s]) => [...s.keys()]),
    );
    for (const status of [200, 400, 404, 413, 422])
      assert.ok(statuses.has(status), `no mutation was answered ${status}`);
    assert.equal(gateway.child.exitCode, null, "the gateway process still runs");
  });

  it(`source down: a well-formed cold lookup is a 502, ${MUTATIONS_SOURCE_DOWN} mutated lookups get 502 only as lookups`, async () => {
    await proxy.stop();
    const text = served[0] as Served;
    const cold = await client.send({
      category: "down",
      method: "GET",
      path: lookupUrl(text.lookup, coldLookup({ kind: "text", ...text.lookup }, "never-asked")),
    });
    assert.equal(cold.status, 502, cold.body);
    assert.match(cold.contentType, /^application\/json/);
    assert.match(
      (JSON.parse(cold.body) as { message: string }).message,
      /^no source answered for /,
    );
    // A lookup the gateway has verified before is still answered from its cache.
    const cached = await client.send({
      category: "down",
      method: "GET",
      path: lookupUrl(text.lookup),
    });
    assert.equal(cached.status, 200);
    assert.equal(
      await callback(text, (JSON.parse(cached.body) as { data: Hex }).data),
      text.expected,
    );

    const random = createRandom(SEED + 1);
    const bases: BaseLookup[] = served.map(({ kind, lookup }) => ({
      kind,
      sender: lookup.sender,
      callData: lookup.callData,
    }));
    const requests = Array.from({ length: MUTATIONS_SOURCE_DOWN }, () => {
      const mutated = mutateLookup(random, bases);
      return lookupRequest(
        random,
        `down:mutation:${mutated.operator.split("+")[0]}`,
        mutated.sender,
        mutated.data,
      );
    });
    const before502 = [...tally.statuses.values()].reduce((sum, s) => sum + (s.get(502) ?? 0), 0);
    await runPool(requests, CONCURRENCY, async (request) => {
      await sendChecked(request, true);
    });
    assertNoProblems();
    const after502 = [...tally.statuses.values()].reduce((sum, s) => sum + (s.get(502) ?? 0), 0);
    assert.ok(after502 - before502 > 0, "no mutated lookup got a 502 while the source was down");
  });

  it("source back: the process answers a lookup no cache holds, verified by the resolver's callback", async () => {
    await proxy.start();
    const before = proxy.requests.length;
    const answer = await client.send({
      category: "real",
      method: "POST",
      path: "/",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        sender: finalRecord.lookup.sender,
        data: finalRecord.lookup.callData,
      }),
    });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(
      await callback(finalRecord, (JSON.parse(answer.body) as { data: Hex }).data),
      finalRecord.expected,
    );
    assert.deepEqual(proxy.requests.slice(before), [finalRecord.path]);
    const health = await client.send({ category: "real", method: "GET", path: "/health" });
    assert.equal(health.status, 200);
  });

  it("logs one JSON line per request, none of them an internal error; stops cleanly", async () => {
    const answered = [...tally.sent.values()].reduce((sum, n) => sum + n, 0);
    client.close();
    const code = await gateway.stop();
    assert.equal(code, 0);
    const [banner, ...lines] = gateway.stdout;
    assert.match(
      banner ?? "",
      /^ensgate gateway listening on http:\/\/127\.0\.0\.1:\d+ \(sources: http\)$/,
    );
    const statuses = new Map<number, number>();
    for (const line of lines) {
      assert.doesNotMatch(line, /internal error/);
      const entry = JSON.parse(line) as Record<string, unknown>;
      // `error` only on a lookup that got no answer, with the message its client got.
      const failedLookup = entry.route === "lookup" && (entry.status as number) >= 400;
      assert.deepEqual(Object.keys(entry), [
        "time",
        "method",
        "route",
        "status",
        "durationMs",
        "source",
        "cache",
        ...(failedLookup && "error" in entry ? ["error"] : []),
      ]);
      if ("error" in entry) assert.ok(typeof entry.error === "string" && entry.error.length > 0);
      statuses.set(entry.status as number, (statuses.get(entry.status as number) ?? 0) + 1);
    }
    assert.equal(statuses.get(500), undefined, "a 500 in the request log");
    assert.ok(lines.length >= answered, `${lines.length} log lines for ${answered} answers`);
    assert.deepEqual(
      gateway.stderr.filter((line) => line !== ""),
      [],
    );
    const mutations = [...tally.sent]
      .filter(([category]) => category.includes("mutation:"))
      .reduce((sum, [, n]) => sum + n, 0);
    assert.ok(mutations >= 20_000, `${mutations} mutated lookups`);
    console.log(
      JSON.stringify({
        hostileTraffic: {
          seed: SEED,
          seconds: Math.round((performance.now() - started) / 100) / 10,
          mutations,
          sent: Object.fromEntries(tally.sent),
          statuses: tally.summary(),
          logLines: lines.length,
          logStatuses: Object.fromEntries(statuses),
        },
      }),
    );
  });
});

/**
 * What no well-behaved client sends, over raw sockets while the pool runs: never-ending chunked
 * bodies, clients that abort mid-body, slowloris headers, bodies that stall, and requests Node's
 * parser refuses. Returns the problems found (none expected).
 */
async function rawAttacks(url: string, tally: Tally): Promise<string[]> {
  const problems: string[] = [];
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** A body that never ends: the gateway answers 413 JSON once it crosses the limit, and closes. */
  const endlessChunked = async () => {
    const { socket, closed, received } = await openRawSocket(url);
    socket.write(
      "POST / HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    // 100 KB/s, and not a byte more once the answer came: a server that closes while unread
    // bytes arrive resets the connection, and the reset may drop the answer before it is read.
    const chunk = "x".repeat(1000);
    const writer = setInterval(() => {
      if (!socket.destroyed && socket.writable && received() === "")
        socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    }, 10);
    const done = await Promise.race([closed.then(() => true), wait(15_000).then(() => false)]);
    clearInterval(writer);
    socket.destroy();
    const answer = parseRawAnswer(received());
    tally.count("endlessChunked", answer?.status ?? 0);
    if (!done) problems.push("endless chunked body: not closed in 15 s");
    if (answer?.status !== 413 || !/^application\/json/.test(answer.contentType))
      problems.push(`endless chunked body: ${received().slice(0, 200)}`);
    else if (JSON.parse(answer.body).message !== "request body is too large")
      problems.push(`endless chunked body: ${answer.body}`);
  };

  /** A declared length far over the limit: refused before the body is read. */
  const declaredTooLarge = async () => {
    const { socket, closed, received } = await openRawSocket(url);
    socket.write(
      'POST / HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{"sender":',
    );
    await Promise.race([closed, wait(10_000)]);
    socket.destroy();
    const answer = parseRawAnswer(received());
    tally.count("hugeBody", answer?.status ?? 0);
    if (answer?.status !== 413 || !/^application\/json/.test(answer.contentType))
      problems.push(`declared 100 MB: ${received().slice(0, 200)}`);
  };

  /** A client that sends half its body and goes away: nothing to answer, nothing to log as an error. */
  const abortMidBody = async (delayMs: number) => {
    const { socket } = await openRawSocket(url);
    socket.write(
      `POST / HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"sender":"0x5FbDB2315678afecb367f032d93F642f64180aa3","data":"0x`,
    );
    await wait(delayMs);
    socket.destroy();
    tally.count("abortMidBody", 0);
  };

  /** One header byte every 400 ms: closed by the header timeout (408 or nothing), never served. */
  const slowloris = async () => {
    const { socket, closed, received } = await openRawSocket(url);
    const opened = performance.now();
    const header = `GET /health HTTP/1.1\r\nHost: gateway\r\nX-Slow: ${"a".repeat(200)}\r\n\r\n`;
    let index = 0;
    const dripper = setInterval(() => {
      if (!socket.destroyed && socket.writable) socket.write(header[index++] ?? "");
    }, 400);
    const closedAt = await Promise.race([closed, wait(HEADERS_TIMEOUT_MS + 8000).then(() => -1)]);
    clearInterval(dripper);
    socket.destroy();
    tally.count("slowloris", parseRawAnswer(received())?.status ?? 0);
    if (closedAt < 0) problems.push("slowloris: not closed");
    else if (closedAt - opened > HEADERS_TIMEOUT_MS + 5000)
      problems.push(`slowloris: closed after ${Math.round(closedAt - opened)} ms`);
    if (!/^(HTTP\/1\.1 408 |$)/.test(received()))
      problems.push(`slowloris: ${received().slice(0, 200)}`);
  };

  /** Headers sent, then a body that stalls: cut off by the request timeout, never a 500. */
  const stalledBody = async () => {
    const { socket, closed, received } = await openRawSocket(url);
    socket.write(
      'POST / HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"sender":',
    );
    const dripper = setInterval(() => {
      if (!socket.destroyed && socket.writable) socket.write(" ");
    }, 500);
    const done = await Promise.race([
      closed.then(() => true),
      wait(REQUEST_TIMEOUT_MS + 8000).then(() => false),
    ]);
    clearInterval(dripper);
    socket.destroy();
    const answer = parseRawAnswer(received());
    tally.count("stalledBody", answer?.status ?? 0);
    if (!done) problems.push("stalled body: not closed");
    if (answer && answer.status >= 500) problems.push(`stalled body: ${received().slice(0, 200)}`);
  };

  /** Requests Node's parser refuses (a bare 400 from Node, not gateway code) or the gateway answers. */
  const unparseable = async (text: string) => {
    const { socket, closed, received } = await openRawSocket(url);
    socket.write(text, "latin1");
    // Answered at once (the connection may stay open), or closed by the header timeout (a
    // request line that never comes).
    let waiting = true;
    const answered = (async () => {
      while (waiting && !received().includes("\r\n\r\n")) await wait(50);
      if (waiting) await wait(500);
    })();
    const done = await Promise.race([
      closed.then(() => true),
      answered.then(() => true),
      wait(HEADERS_TIMEOUT_MS + 8000).then(() => false),
    ]);
    waiting = false;
    socket.destroy();
    const answer = parseRawAnswer(received());
    tally.count("rawRequest", answer?.status ?? 0);
    if (!answer)
      return done ? 0 : problems.push(`raw ${JSON.stringify(text.slice(0, 60))}: no answer`);
    if (answer.status >= 500)
      problems.push(`raw ${JSON.stringify(text.slice(0, 60))}: ${answer.status}`);
    const preflight = text.startsWith("OPTIONS ") && answer.status === 204 && answer.body === "";
    const [method = "", target = ""] = text.split(" ");
    const page = isWebAppPage(method, target, answer.status, answer.contentType);
    if (
      !isNodeParserAnswer(answer) &&
      !preflight &&
      !page &&
      !GATEWAY_CONTENT_TYPE.test(answer.contentType)
    )
      problems.push(`raw ${JSON.stringify(text.slice(0, 60))}: ${received().slice(0, 200)}`);
  };
  const RAW_REQUESTS = [
    "GET x/y HTTP/1.1\r\nHost: h\r\n\r\n",
    "GET /\u0001 HTTP/1.1\r\nHost: h\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
    "GET /x HTTP/1.1\r\nHost: [::1\r\n\r\n",
    "GET http://evil.example/x/y HTTP/1.1\r\nHost: h\r\n\r\n",
    "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
    "GET /health HTTP/1.0\r\n\r\n",
    "GET /health HTTP/1.1\r\n\r\n",
    "GET /health HTTP/9.9\r\nHost: h\r\n\r\n",
    "BREW / HTTP/1.1\r\nHost: h\r\n\r\n",
    `GET /${"a".repeat(300_000)} HTTP/1.1\r\nHost: h\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${"b".repeat(300_000)}\r\n\r\n`,
    // Invalid UTF-8 in the body; then a body longer than its declared length (the rest is
    // parsed as a next request); two pipelined requests; an upgrade nobody serves.
    'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 27\r\n\r\n{"sender":"0x","data":"\xff\xfe"}',
    'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n{"sender":"0x","data":"0x"}',
    "GET /health HTTP/1.1\r\nHost: h\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: h\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}",
    "POST / HTTP/1.1\r\nHost: h\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\x1f\x8b\x00\x00",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    "\r\n\r\n\r\n",
    "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
  ];

  await Promise.all([
    ...Array.from({ length: 5 }, endlessChunked),
    ...Array.from({ length: 5 }, declaredTooLarge),
    ...Array.from({ length: 40 }, (_, i) => abortMidBody(10 + (i % 8) * 25)),
    ...Array.from({ length: 20 }, slowloris),
    ...Array.from({ length: 5 }, stalledBody),
    ...RAW_REQUESTS.flatMap((text) => [unparseable(text), unparseable(text)]),
  ]);
  return problems;
}
