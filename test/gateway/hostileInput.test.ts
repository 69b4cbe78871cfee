import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import { createGateway } from "../../gateway/app.ts";
import { createMemoryCache } from "../../gateway/cache/memoryCache.ts";
import { MAX_RECORD_PATH_BYTES } from "../../gateway/resolveOffchain.ts";
import type { RecordLocation, RecordSource } from "../../gateway/sources/recordSource.ts";
import {
  buildRecordFilePath,
  dnsEncodeName,
  encodeRecordCall,
  encodeResolveOffchainCall,
  namehash,
  type RecordRequest,
} from "../../lib/index.ts";
import { buildRecordFile, CHAIN_ID, OWNER, RECORDHASH, SENDER } from "./records.ts";

const NOW = 1_700_000_000n;
const AVATAR: RecordRequest = { type: "text", key: "avatar" };

/** An in-memory source that counts its reads (the "proxy in front of the source"). */
function countingSource(files: Map<string, string>, delayMs = 0) {
  const reads: string[] = [];
  const source: RecordSource = {
    name: "counting",
    async read({ path }: RecordLocation) {
      reads.push(path);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const json = files.get(path);
      return json === undefined
        ? { status: "missing" }
        : { status: "found", body: new TextEncoder().encode(json) };
    },
    async health() {
      return true;
    },
  };
  return { source, reads };
}

function startGateway(files = new Map<string, string>(), delayMs = 0) {
  const { source, reads } = countingSource(files, delayMs);
  const gateway = createGateway({
    sources: [source],
    cache: createMemoryCache(),
    budget: { perSourceTimeoutMs: 2000, totalBudgetMs: 4000, strategy: "race" },
    cacheTtlSeconds: 60,
    missingTtlSeconds: 60,
    now: () => NOW,
  });
  const lookup = async (callData: Hex) => {
    const response = await gateway.fetch(new Request(`http://gateway/${SENDER}/${callData}`));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { lookup, reads };
}

const call = (overrides: Partial<Parameters<typeof encodeResolveOffchainCall>[0]> = {}) =>
  encodeResolveOffchainCall({
    dnsName: dnsEncodeName("alice.eth"),
    data: encodeRecordCall(namehash("alice.eth"), AVATAR),
    recordhash: RECORDHASH,
    owner: OWNER.address,
    chainId: CHAIN_ID,
    epoch: 0n,
    ...overrides,
  });

/** `callData` with head word `index` (0-based, after the selector) replaced. */
const withWord = (callData: Hex, index: number, word: string): Hex =>
  `${callData.slice(0, 10 + index * 64)}${word}${callData.slice(10 + (index + 1) * 64)}` as Hex;

describe("gateway: every malformed lookup field is a 400 naming it", () => {
  const { lookup, reads } = startGateway();

  it("name: a truncated DNS name", async () => {
    const { status, body } = await lookup(call({ dnsName: "0x05616c6963" }));
    assert.equal(status, 400);
    assert.deepEqual(body, {
      message: "name: Malformed DNS-encoded name: label at byte 0 runs past the end.",
      field: "name",
    });
  });

  it("data: an inner call that is no record call", async () => {
    const { status, body } = await lookup(call({ data: "0x12345678" }));
    assert.equal(status, 400);
    assert.deepEqual(body, {
      message: "data: Unknown record type: resolver function selector 0x12345678.",
      field: "data",
    });
  });

  it("recordhash: a truncated varint (0x80) and a wrong codec", async () => {
    for (const [recordhash, reason] of [
      ["0x80", "malformed multicodec contenthash (Could not decode varint)"],
      [
        `0xe40101fa011b20${"ab".repeat(32)}`,
        "expected an ipns:// or ipfs:// contenthash, or a 32-byte ed25519 IPNS key",
      ],
    ] as const) {
      const { status, body } = await lookup(call({ recordhash: recordhash as Hex }));
      assert.equal(status, 400, recordhash);
      assert.deepEqual(body, {
        message: `recordhash: Invalid recordhash value: ${reason}.`,
        field: "recordhash",
      });
    }
  });

  it("owner: an address word with high bits set", async () => {
    const word = `ff${"0".repeat(22)}${OWNER.address.slice(2).toLowerCase()}`;
    const { status, body } = await lookup(withWord(call(), 3, word));
    assert.equal(status, 400);
    assert.deepEqual(body, { message: "owner: not a 20-byte address", field: "owner" });
  });

  it("chainId: zero", async () => {
    const { status, body } = await lookup(call({ chainId: 0n }));
    assert.equal(status, 400);
    assert.deepEqual(body, {
      message: "chainId: must be a positive EIP-155 chain id",
      field: "chainId",
    });
  });

  it("epoch: a word that does not fit uint64", async () => {
    const { status, body } = await lookup(withWord(call(), 5, "f".repeat(64)));
    assert.equal(status, 400);
    assert.deepEqual(body, { message: "epoch: does not fit uint64", field: "epoch" });
  });

  it("a bytes offset past the end names its field", async () => {
    const { status, body } = await lookup(withWord(call(), 2, "f".repeat(64)));
    assert.equal(status, 400);
    assert.deepEqual(body, {
      message: "recordhash: offset points past the calldata",
      field: "recordhash",
    });
  });

  it("data: a text key whose record file path is over 4096 bytes (an HTTP source would refuse its URL)", async () => {
    const prefix = buildRecordFilePath("alice.eth", { type: "text", key: "k" }).length - 1;
    // 4097 bytes once percent-encoded: "é" is 6 bytes (%C3%A9).
    const key = `${"é".repeat(500)}${"k".repeat(MAX_RECORD_PATH_BYTES + 1 - prefix - 3000)}`;
    const data = encodeRecordCall(namehash("alice.eth"), { type: "text", key });
    const { status, body } = await lookup(call({ data }));
    assert.equal(status, 400);
    assert.deepEqual(body, {
      message: `data: the record file path is ${MAX_RECORD_PATH_BYTES + 1} bytes percent-encoded, over the ${MAX_RECORD_PATH_BYTES} the gateway reads`,
      field: "data",
    });
  });

  it("no malformed lookup reached a source", () => {
    assert.deepEqual(reads, []);
  });

  it("a well-formed IPFS CID no source holds is an empty answer, not a 502", async () => {
    const cid = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    const { encode } = await import("@ensdomains/content-hash");
    const { status, body } = await lookup(call({ recordhash: `0x${encode("ipfs", cid)}` }));
    assert.equal(status, 200);
    assert.deepEqual(body, { data: "0x" });
  });
});

describe("gateway: a record file path of exactly 4096 bytes is read", () => {
  it("answers it (the file is missing: 0x) after one source read", async () => {
    const { lookup, reads } = startGateway();
    const prefix = buildRecordFilePath("alice.eth", { type: "text", key: "k" }).length - 1;
    const key = "k".repeat(MAX_RECORD_PATH_BYTES - prefix);
    const data = encodeRecordCall(namehash("alice.eth"), { type: "text", key });
    const { status, body } = await lookup(call({ data }));
    assert.equal(status, 200);
    assert.deepEqual(body, { data: "0x" });
    assert.equal(reads.length, 1);
    assert.equal(reads[0]?.length, MAX_RECORD_PATH_BYTES);
  });
});

describe("gateway: ABI lookups read only defined content types", () => {
  for (const [mask, expected] of [
    [2n ** 256n - 1n, ["abi/1.json", "abi/2.json", "abi/4.json", "abi/8.json"]],
    [2n ** 256n - 2n, ["abi/2.json", "abi/4.json", "abi/8.json"]],
    [16n, []],
  ] as const) {
    it(`ABI(node, ${mask === 16n ? "16" : "2^256-…"}) makes ${expected.length} reads`, async () => {
      const { lookup, reads } = startGateway();
      const data = encodeRecordCall(namehash("alice.eth"), { type: "abi", contentTypes: mask });
      const { status, body } = await lookup(call({ data }));
      assert.equal(status, 200);
      assert.deepEqual(body, { data: "0x" });
      assert.deepEqual(
        reads.map((path) => path.slice(path.lastIndexOf("/abi/") + 1)),
        expected,
      );
    });
  }
});

describe("gateway: identical concurrent cold lookups share one source read", () => {
  it("100 concurrent lookups → 1 source read, 100 identical answers", async () => {
    const file = await buildRecordFile("alice.eth", AVATAR, "https://a.example/x.png");
    const path = file.urlPath.split("/").slice(3).join("/");
    const { lookup, reads } = startGateway(new Map([[path, file.json]]), 50);
    const answers = await Promise.all(Array.from({ length: 100 }, () => lookup(call())));
    assert.equal(reads.length, 1);
    for (const answer of answers) assert.deepEqual(answer, answers[0]);
    assert.equal(answers[0]?.status, 200);
    assert.notEqual((answers[0]?.body as { data: Hex }).data, "0x");
  });

  it("a failed read is shared but not kept: the next lookup reads again", async () => {
    let reads = 0;
    const failing: RecordSource = {
      name: "down",
      async read() {
        reads++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error("down");
      },
      async health() {
        return false;
      },
    };
    const gateway = createGateway({
      sources: [failing],
      cache: createMemoryCache(),
      budget: { perSourceTimeoutMs: 1000, totalBudgetMs: 2000, strategy: "race" },
      cacheTtlSeconds: 60,
      missingTtlSeconds: 60,
      now: () => NOW,
    });
    const get = () => gateway.fetch(new Request(`http://gateway/${SENDER}/${call()}`));
    const first = await Promise.all(Array.from({ length: 10 }, get));
    assert.deepEqual(
      first.map((response) => response.status),
      Array(10).fill(502),
    );
    assert.equal(reads, 1);
    assert.equal((await get()).status, 502);
    assert.equal(reads, 2);
  });
});
