// The gateway's behaviour over HTTP, shared by the Node run and the workerd run.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { encodeFunctionData, type Hex, parseAbi } from "viem";
import { dnsEncodeName, encodeResolveOffchainCall, namehash } from "../../lib/index.ts";
import { startFileGateway, type TestServer } from "./httpServers.ts";
import {
  buildRecordFile,
  lookupCallData,
  OTHER_SENDER,
  OWNER,
  RECORDHASH,
  SENDER,
  STRANGER,
  tamper,
} from "./records.ts";

/** Starts a gateway whose only source is the path gateway at `sourceUrl`; returns its URL. */
export type StartGateway = (
  sourceUrl: string,
) => Promise<{ url: string; close: () => Promise<void> }>;

const AVATAR = { type: "text", key: "avatar" } as const;
const URL_KEY = { type: "text", key: "url" } as const;
// text `name` of X and the name record of `text.X` share `.well-known/eth/X/text/name.json`.
const TEXT_NAME = { type: "text", key: "name" } as const;
const NAME = { type: "name" } as const;

/** Registers the shared gateway test suite. */
export function describeGatewayBehaviour(label: string, startGateway: StartGateway): void {
  describe(`gateway behaviour (${label})`, () => {
    let source: TestServer;
    let gateway: { url: string; close: () => Promise<void> };
    const files = new Map<string, string>();
    const records: Record<string, Hex> = {};

    before(async () => {
      const add = async (
        key: string,
        file: Awaited<ReturnType<typeof buildRecordFile>>,
        json = file.json,
      ) => {
        files.set(file.urlPath, json);
        records[key] = file.data;
      };
      await add("avatar", await buildRecordFile("alice.eth", AVATAR, "https://example.com/a.png"));
      await add("addr", await buildRecordFile("alice.eth", { type: "addr" }, OWNER.address));
      const url = await buildRecordFile("alice.eth", URL_KEY, "https://good.example");
      await add("url", url, tamper(url.json, "good", "evil"));
      await add("stale", await buildRecordFile("stale.eth", AVATAR, "x", { epoch: 0n }));
      await add(
        "expired",
        await buildRecordFile("expired.eth", AVATAR, "x", { validUntil: 1_000n }),
      );
      await add("stranger", await buildRecordFile("bob.eth", AVATAR, "x", { signer: STRANGER }));
      await add(
        "abi4",
        await buildRecordFile("alice.eth", { type: "abi", contentTypes: 4n }, "0xa0"),
      );
      // One file, signed for text(alice.eth, "name"); one signed for name(text.carol.eth).
      await add("aliceTextName", await buildRecordFile("alice.eth", TEXT_NAME, "alice.eth"));
      await add("carolName", await buildRecordFile("text.carol.eth", NAME, "carol.eth"));
      await add(
        "boundToOther",
        await buildRecordFile("dave.eth", AVATAR, "x", { resolver: OTHER_SENDER }),
      );
      source = await startFileGateway(files);
      gateway = await startGateway(source.url);
    });
    after(async () => {
      await gateway?.close();
      await source?.close();
    });

    const lookup = (callData: Hex, sender: string = SENDER) =>
      fetch(`${gateway.url}/${sender}/${callData}`);
    const expectError = async (response: Response, status: number, message: RegExp) => {
      assert.equal(response.status, status);
      const body = (await response.json()) as { message: string };
      assert.match(body.message, message);
    };

    it("answers a verified record with the file's data (GET and POST)", async () => {
      const response = await lookup(lookupCallData("alice.eth", AVATAR));
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { data: records.avatar });
      const post = await fetch(`${gateway.url}/`, {
        method: "POST",
        body: JSON.stringify({
          sender: SENDER,
          data: lookupCallData("alice.eth", { type: "addr" }),
        }),
      });
      assert.deepEqual(await post.json(), { data: records.addr });
    });

    it("answers a record that is not set with empty data", async () => {
      const response = await lookup(lookupCallData("alice.eth", { type: "text", key: "missing" }));
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { data: "0x" });
    });

    it("serves the second lookup of a record from its cache", async () => {
      const callData = lookupCallData("alice.eth", { type: "addr" });
      await lookup(callData);
      const before = source.requests.length;
      const response = await lookup(callData);
      assert.deepEqual(await response.json(), { data: records.addr });
      assert.equal(source.requests.length, before, "the source must not be asked again");
    });

    it("answers an ABI bitmask from the first content type that exists", async () => {
      const response = await lookup(
        lookupCallData("alice.eth", { type: "abi", contentTypes: 1n | 4n | 8n }),
      );
      assert.deepEqual(await response.json(), { data: records.abi4 });
    });

    it("refuses a tampered record (422)", async () => {
      await expectError(
        await lookup(lookupCallData("alice.eth", URL_KEY)),
        422,
        /invalidRecordSignature/,
      );
    });

    it("refuses a record under an old epoch (422)", async () => {
      await expectError(
        await lookup(lookupCallData("stale.eth", AVATAR, { epoch: 1n })),
        422,
        /staleEpoch/,
      );
    });

    it("refuses an expired record (422)", async () => {
      await expectError(await lookup(lookupCallData("expired.eth", AVATAR)), 422, /recordExpired/);
    });

    it("never answers name(text.alice.eth) with the text(alice.eth, name) file it shares", async () => {
      // The shared path is what collides; the lookups are different and so are their answers.
      assert.equal(
        (await buildRecordFile("alice.eth", TEXT_NAME, "alice.eth")).urlPath,
        (await buildRecordFile("text.alice.eth", NAME, "alice.eth")).urlPath,
      );
      const text = lookupCallData("alice.eth", TEXT_NAME);
      const name = lookupCallData("text.alice.eth", NAME);
      for (let round = 0; round < 2; round++) {
        // The second round runs with the text record verified and cached.
        const answer = await lookup(text);
        assert.equal(answer.status, 200);
        assert.deepEqual(await answer.json(), { data: records.aliceTextName });
        await expectError(
          await lookup(name),
          422,
          /^record \.well-known\/eth\/alice\/text\/name\.json rejected: invalidRecordSignature from /,
        );
      }
    });

    it("never answers text(carol.eth, name) with the name(text.carol.eth) file it shares", async () => {
      const name = lookupCallData("text.carol.eth", NAME);
      const text = lookupCallData("carol.eth", TEXT_NAME);
      for (let round = 0; round < 2; round++) {
        assert.deepEqual(await (await lookup(name)).json(), { data: records.carolName });
        await expectError(await lookup(text), 422, /rejected: invalidRecordSignature from /);
      }
    });

    it("refuses a v2 record signed for another resolver (422), even once it is cached", async () => {
      const callData = lookupCallData("dave.eth", AVATAR);
      for (let round = 0; round < 2; round++) {
        const own = await lookup(callData, OTHER_SENDER);
        assert.equal(own.status, 200);
        assert.deepEqual(await own.json(), { data: records.boundToOther });
        await expectError(await lookup(callData), 422, /rejected: invalidRecordSignature from /);
        // The sender's spelling does not matter: it is the same resolver.
        await expectError(
          await lookup(callData, SENDER.toLowerCase()),
          422,
          /rejected: invalidRecordSignature from /,
        );
      }
    });

    it("passes a signer it cannot check on-chain to the contract", async () => {
      const response = await lookup(lookupCallData("bob.eth", AVATAR));
      assert.deepEqual(await response.json(), { data: records.stranger });
    });

    const node = namehash("alice.eth");
    const badLookups: [string, () => Hex, number, RegExp][] = [
      [
        "a call that is not resolveOffchain",
        () => encodeFunctionData({ abi: parseAbi(["function x()"]), functionName: "x" }),
        404,
        /no handler/,
      ],
      [
        "a malformed DNS name",
        () =>
          encodeResolveOffchainCall({
            dnsName: "0x05616c696365",
            data: lookupCallData("a.eth", AVATAR).slice(0, 10) as Hex,
            recordhash: RECORDHASH,
            owner: OWNER.address,
            chainId: 1n,
            epoch: 0n,
          }),
        400,
        /Malformed DNS-encoded name/,
      ],
      [
        "an unknown inner selector",
        () =>
          encodeResolveOffchainCall({
            dnsName: dnsEncodeName("alice.eth"),
            data: "0x12345678",
            recordhash: RECORDHASH,
            owner: OWNER.address,
            chainId: 1n,
            epoch: 0n,
          }),
        400,
        /Unknown record type/,
      ],
      [
        "a recordhash that is not IPNS or IPFS",
        () =>
          encodeResolveOffchainCall({
            dnsName: dnsEncodeName("alice.eth"),
            data: encodeFunctionData({
              abi: parseAbi(["function addr(bytes32) view returns (address)"]),
              functionName: "addr",
              args: [node],
            }),
            recordhash: "0x1234",
            owner: OWNER.address,
            chainId: 1n,
            epoch: 0n,
          }),
        400,
        /recordhash/,
      ],
      [
        "a name that fails ENSIP-15",
        () =>
          encodeResolveOffchainCall({
            dnsName: dnsEncodeName("a_b.eth"),
            data: encodeFunctionData({
              abi: parseAbi(["function addr(bytes32) view returns (address)"]),
              functionName: "addr",
              args: [node],
            }),
            recordhash: RECORDHASH,
            owner: OWNER.address,
            chainId: 1n,
            epoch: 0n,
          }),
        400,
        /label "a_b"/,
      ],
    ];
    for (const [what, callData, status, message] of badLookups)
      it(`answers ${what} with ${status}`, async () => {
        await expectError(await lookup(callData()), status, message);
      });

    it("reports its sources on /health", async () => {
      const response = await fetch(`${gateway.url}/health`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), {
        ok: true,
        sources: [{ name: `http:${source.url}`, reachable: true }],
      });
    });
  });
}
