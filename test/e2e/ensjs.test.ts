// End to end with ENS's own library, ensjs 4.x, on the local stack, with its default options (no
// gatewayUrls): every call goes through the UniversalResolver's `resolve(bytes,bytes)` and its
// default batch gateway `x-batch-gateway:true`, as the ENS app does on mainnet. `getRecords` sends
// `resolve(name, multicall(...))`, which the UniversalResolver splits into one lookup per record
// (the ensgate resolver declares ERC-7996 without the multicall feature).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  getAbiRecord,
  getAddressRecord,
  getContentHashRecord,
  getRecords,
  getResolver,
  getTextRecord,
  universalWrapper,
} from "@ensdomains/ensjs/public";
import { type Chain, getAddress, type LocalAccount, type PublicClient, type Transport } from "viem";
import {
  buildAnswer,
  encodeRecordCall,
  encodeRecordValue,
  namehash,
  type RecordRequest,
} from "../../lib/index.ts";
import { demoRecordSet as demoRecords } from "../../scripts/stack/demoRecords.ts";
import { type LocalStack, startLocalStack } from "../../scripts/stack/localStack.ts";
import { publishTree, registerWithResolver, writeResolver } from "../../scripts/stack/names.ts";
import { createEnsjsClient } from "./clients.ts";

const TAMPERED_AVATAR = "https://evil.example/aaa.png";
const CONTENTHASH_CID = "bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4";
const BTC_ADDRESS = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
// ensjs's functions take its own client type; a viem client with `chain.contracts` is that.
// biome-ignore lint/suspicious/noExplicitAny: ensjs's ClientWithEns is a viem client with contracts
type Ensjs = any;

describe("end to end: ensjs 4.x with default options", () => {
  let stack: LocalStack;
  let dataDir: string;
  let owner: LocalAccount;
  let client: PublicClient<Transport, Chain>;
  const ensjs = (): Ensjs => client;
  const expected: Record<string, [RecordRequest, string][]> = {};

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-e2e-ensjs-"));
    stack = await startLocalStack({ dataDir });
    owner = stack.accounts[1] as LocalAccount;

    // alice.eth and its wildcard subname sub.alice.eth, in one tree.
    const alice = await registerWithResolver(stack, "alice.eth", owner.address);
    expected["alice.eth"] = demoRecords("alice.eth", owner.address);
    expected["sub.alice.eth"] = demoRecords("sub.alice.eth", owner.address);
    const aliceHash = await publishTree(stack, owner, "alice.eth", {
      "alice.eth": expected["alice.eth"],
      "sub.alice.eth": expected["sub.alice.eth"],
    });
    await writeResolver(stack, owner, "setRecordhash", [alice, aliceHash]);

    // tampered.eth: the avatar record file edited after signing (same length), url honest.
    const tampered = await registerWithResolver(stack, "tampered.eth", owner.address);
    const honest = await publishTree(stack, owner, "tampered.eth", {
      "tampered.eth": [
        [{ type: "text", key: "avatar" }, "https://honest.example/a.png"],
        [{ type: "text", key: "url" }, "https://tampered.example"],
      ],
    });
    const path = ".well-known/eth/tampered/text/avatar.json";
    const honestFile = await readPublished(stack, honest, path);
    const file = JSON.parse(honestFile) as { data: string };
    const hex = (text: string) => Buffer.from(text).toString("hex");
    const forged = JSON.stringify({
      ...file,
      data: file.data.replace(hex("https://honest.example/a.png"), hex(TAMPERED_AVATAR)),
    });
    const tamperedHash = await publishTree(
      stack,
      owner,
      "tampered.eth",
      { "tampered.eth": [[{ type: "text", key: "url" }, "https://tampered.example"]] },
      { overrides: { [path]: forged } },
    );
    await writeResolver(stack, owner, "setRecordhash", [tampered, tamperedHash]);

    client = createEnsjsClient(stack);
  });

  after(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  for (const name of ["alice.eth", "sub.alice.eth"]) {
    describe(name, () => {
      it("getTextRecord, getAddressRecord (60, 0, 2147483658), getContentHashRecord, getAbiRecord", async () => {
        assert.equal(
          await getTextRecord(ensjs(), { name, key: "avatar" }),
          `https://ens.example/${name}.png`,
        );
        assert.equal(await getTextRecord(ensjs(), { name, key: "url" }), `https://${name}.example`);
        assert.equal(await getTextRecord(ensjs(), { name, key: "not-set" }), null);
        assert.deepEqual(await getAddressRecord(ensjs(), { name }), {
          id: 60,
          name: "eth",
          value: getAddress(owner.address),
        });
        assert.equal((await getAddressRecord(ensjs(), { name, coin: 0 }))?.value, BTC_ADDRESS);
        assert.equal(
          (await getAddressRecord(ensjs(), { name, coin: 2147483658 }))?.value,
          getAddress(owner.address),
        );
        assert.deepEqual(await getContentHashRecord(ensjs(), { name }), {
          protocolType: "ipfs",
          decoded: CONTENTHASH_CID,
        });
        const abi = await getAbiRecord(ensjs(), { name });
        assert.equal(abi?.contentType, 1);
        assert.deepEqual(abi?.abi, [{ type: "function", name: "ping", inputs: [], outputs: [] }]);
        assert.equal(await getResolver(ensjs(), { name }), stack.resolver.address);
      });

      it("every record type through ensjs's resolve(bytes,bytes) (universalWrapper)", async () => {
        for (const [request, value] of expected[name] as [RecordRequest, string][]) {
          const answer = await universalWrapper(ensjs(), {
            name,
            data: encodeRecordCall(namehash(name), request),
          });
          assert.equal(
            answer?.data,
            buildAnswer(request, encodeRecordValue(request, value)),
            `${request.type} of ${name}`,
          );
          assert.equal(answer?.resolver, stack.resolver.address);
        }
      });

      it("getRecords: texts, coins 60, 0 and 2147483658 and the contenthash in one call", async () => {
        const records = await getRecords(ensjs(), {
          name,
          texts: ["avatar", "url", "not-set"],
          coins: [60, 0, 2147483658],
          contentHash: true,
          abi: true,
        });
        assert.deepEqual(records.texts, [
          { key: "avatar", value: `https://ens.example/${name}.png` },
          { key: "url", value: `https://${name}.example` },
        ]);
        assert.deepEqual(
          records.coins.map((coin: { id: number; value: string }) => [coin.id, coin.value]),
          [
            [60, getAddress(owner.address)],
            [0, BTC_ADDRESS],
            [2147483658, getAddress(owner.address)],
          ],
        );
        assert.deepEqual(records.contentHash, { protocolType: "ipfs", decoded: CONTENTHASH_CID });
        assert.equal(records.abi?.contentType, 1);
        assert.equal(records.resolverAddress, stack.resolver.address);
      });
    });
  }

  describe("served by the plain IPFS path gateway alone (no ensgate gateway in the URLs)", () => {
    before(async () => {
      await writeResolver(stack, stack.accounts[0] as LocalAccount, "setDefaultGateways", [
        [stack.ipfsGatewayUrl],
        [],
      ]);
    });
    after(async () => {
      await writeResolver(stack, stack.accounts[0] as LocalAccount, "setDefaultGateways", [
        [stack.ipfsGatewayUrl],
        [`${stack.gatewayUrl}/{sender}/{data}`],
      ]);
    });

    it("getRecords still returns every value: each record is its own static-file lookup", async () => {
      const records = await getRecords(ensjs(), {
        name: "sub.alice.eth",
        texts: ["avatar", "url"],
        coins: [60, 0, 2147483658],
        contentHash: true,
      });
      assert.equal(records.texts.length, 2);
      assert.equal(records.coins.length, 3);
      assert.deepEqual(records.contentHash, { protocolType: "ipfs", decoded: CONTENTHASH_CID });
    });
  });

  describe("a tampered record", () => {
    it("getTextRecord gives null or an error, never the tampered value", async () => {
      const outcome = await getTextRecord(ensjs(), { name: "tampered.eth", key: "avatar" }).then(
        (value: string | null) => value,
        (error: Error) => error,
      );
      assert.ok(outcome === null || outcome instanceof Error, `got ${String(outcome)}`);
      await assert.rejects(
        getTextRecord(ensjs(), { name: "tampered.eth", key: "avatar", strict: true }),
        (error: Error) => !error.message.includes(TAMPERED_AVATAR),
      );
    });

    it("getRecords drops the tampered record and keeps the honest one", async () => {
      const records = await getRecords(ensjs(), {
        name: "tampered.eth",
        texts: ["avatar", "url"],
      });
      assert.deepEqual(records.texts, [{ key: "url", value: "https://tampered.example" }]);
      assert.ok(!JSON.stringify(records).includes(TAMPERED_AVATAR));
    });
  });
});

/** Reads a published file back (by IPNS recordhash). */
async function readPublished(
  stack: LocalStack,
  recordhash: `0x${string}`,
  path: string,
): Promise<string> {
  const { parseRecordhash } = await import("../../lib/index.ts");
  const target = parseRecordhash(recordhash);
  const bytes = await stack.ipfs.readFile(
    target.protocol === "ipns" ? target.name : target.cid,
    path,
  );
  if (!bytes) throw new Error(`${path} is not published`);
  return new TextDecoder().decode(bytes);
}
