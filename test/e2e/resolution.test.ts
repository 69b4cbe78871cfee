// End to end on the local stack: real contracts on Hardhat's chain, the embedded IPFS store with
// its path gateway, the ensgate gateway over HTTP, and real clients (viem through the
// UniversalResolver fixture, ethers v6 walking the registry) resolving every record type.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { JsonRpcProvider } from "ethers";
import {
  type Address,
  decodeFunctionResult,
  type Hex,
  type LocalAccount,
  parseAbi,
  toFunctionSelector,
} from "viem";
import {
  buildAnswer,
  dnsEncodeName,
  encodeRecordCall,
  encodeRecordValue,
  formatContenthash,
  namehash,
  parseCoinAddress,
  type RecordRequest,
} from "../../lib/index.ts";
import { demoRecordSet as demoRecords } from "../../scripts/stack/demoRecords.ts";
import { type LocalStack, startLocalStack } from "../../scripts/stack/localStack.ts";
import { publishTree, registerWithResolver, writeResolver } from "../../scripts/stack/names.ts";
import { createEthersProvider, ethersAnswer, viemAnswer } from "./clients.ts";

/** The selector of the resolver's `InvalidRecordSignature()` custom error. */
const INVALID_RECORD_SIGNATURE = toFunctionSelector("InvalidRecordSignature()");
const TAMPERED_AVATAR = "https://evil.example/aaa.png";

describe("end to end: resolving ensgate records", () => {
  let stack: LocalStack;
  let dataDir: string;
  let owner: LocalAccount;
  let bob: LocalAccount;
  let provider: JsonRpcProvider;
  const expected: Record<string, [RecordRequest, string][]> = {};

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-e2e-"));
    stack = await startLocalStack({ dataDir });
    owner = stack.accounts[1] as LocalAccount;
    bob = stack.accounts[2] as LocalAccount;

    // alice.eth: a node recordhash, records for the name and for a wildcard subname.
    const alice = await registerWithResolver(stack, "alice.eth", owner.address);
    expected["alice.eth"] = demoRecords("alice.eth", owner.address);
    expected["sub.alice.eth"] = demoRecords("sub.alice.eth", owner.address);
    const aliceHash = await publishTree(stack, owner, "alice.eth", {
      "alice.eth": expected["alice.eth"],
      "sub.alice.eth": expected["sub.alice.eth"],
    });
    await writeResolver(stack, owner, "setRecordhash", [alice, aliceHash]);

    // bob.eth: no node recordhash, only bob's wallet-wide one (ownerhash fallback).
    await registerWithResolver(stack, "bob.eth", bob.address);
    expected["bob.eth"] = demoRecords("bob.eth", bob.address);
    const bobHash = await publishTree(stack, bob, `eth:${bob.address}`, {
      "bob.eth": expected["bob.eth"],
    });
    await writeResolver(stack, bob, "setOwnerRecordhash", [bobHash]);

    // tampered.eth: a validly signed tree whose avatar file was then edited on IPFS.
    const tampered = await registerWithResolver(stack, "tampered.eth", owner.address);
    const honest = await publishTree(stack, owner, "tampered.eth", {
      "tampered.eth": [[{ type: "text", key: "avatar" }, "https://honest.example/a.png"]],
    });
    const honestFile = await readPublished(
      stack,
      honest,
      ".well-known/eth/tampered/text/avatar.json",
    );
    const tamperedHash = await publishTree(
      stack,
      owner,
      "tampered.eth",
      { "tampered.eth": [] },
      {
        overrides: {
          ".well-known/eth/tampered/text/avatar.json": tamperFile(
            honestFile,
            "https://honest.example/a.png",
            TAMPERED_AVATAR,
          ),
        },
      },
    );
    await writeResolver(stack, owner, "setRecordhash", [tampered, tamperedHash]);

    provider = createEthersProvider(stack);
  });

  after(async () => {
    provider?.destroy();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const universalResolver = () => stack.ens.universalResolver.address;
  const expectedAnswer = (request: RecordRequest, value: string) =>
    buildAnswer(request, encodeRecordValue(request, value));

  for (const name of ["alice.eth", "sub.alice.eth", "bob.eth"]) {
    describe(name, () => {
      it("viem: getEnsText, getEnsAddress (coin types), getEnsResolver", async () => {
        const client = stack.publicClient;
        const records = expected[name] as [RecordRequest, string][];
        assert.equal(
          await client.getEnsText({
            name,
            key: "avatar",
            universalResolverAddress: universalResolver(),
          }),
          `https://ens.example/${name}.png`,
        );
        assert.equal(
          await client.getEnsText({
            name,
            key: "url",
            universalResolverAddress: universalResolver(),
          }),
          `https://${name}.example`,
        );
        const ownerAddress = records.find(([request]) => request.type === "addr")?.[1];
        assert.equal(
          await client.getEnsAddress({ name, universalResolverAddress: universalResolver() }),
          ownerAddress,
        );
        assert.equal(
          (
            await client.getEnsAddress({
              name,
              coinType: 2147483658n,
              universalResolverAddress: universalResolver(),
            })
          )?.toLowerCase(),
          ownerAddress?.toLowerCase(),
        );
        assert.equal(
          await client.getEnsAddress({
            name,
            coinType: 0n,
            universalResolverAddress: universalResolver(),
          }),
          // viem returns the ENSIP-9 binary form for non-EVM coins (a P2WPKH script here).
          parseCoinAddress(0n, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
        );
        assert.equal(
          await client.getEnsResolver({ name, universalResolverAddress: universalResolver() }),
          stack.resolver.address,
        );
        assert.equal(
          await client.getEnsText({
            name,
            key: "not-set",
            universalResolverAddress: universalResolver(),
          }),
          null,
        );
      });

      it("viem: every record type through the UniversalResolver, verified by the callback", async () => {
        for (const [request, value] of expected[name] as [RecordRequest, string][])
          assert.equal(
            await viemAnswer(stack, name, request),
            expectedAnswer(request, value),
            `${request.type} of ${name}`,
          );
      });

      it("viem: contenthash decodes to the published ipfs:// value", async () => {
        const answer = await viemAnswer(stack, name, { type: "contenthash" });
        const bytes = decodeFunctionResult({
          abi: parseAbi(["function contenthash(bytes32) view returns (bytes)"]),
          functionName: "contenthash",
          data: answer,
        });
        assert.equal(
          formatContenthash(bytes),
          "ipfs://bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4",
        );
      });

      it("ethers v6: getResolver, getText, getAddress(coinType), getContentHash", async () => {
        const resolver = await provider.getResolver(name);
        assert.equal(resolver?.address, stack.resolver.address);
        const records = expected[name] as [RecordRequest, string][];
        const ownerAddress = records.find(([request]) => request.type === "addr")?.[1];
        assert.equal(await resolver?.getText("avatar"), `https://ens.example/${name}.png`);
        assert.equal(await resolver?.getAddress(), ownerAddress);
        assert.equal(await resolver?.getAddress(2147483658), ownerAddress);
        // ethers prints CIDv0 (base58) for a dag-pb sha2-256 CID: the same content.
        assert.equal(
          await resolver?.getContentHash(),
          "ipfs://QmRAQB6YaCyidP37UdDnjFY5vQuiBrcqdyoW1CuDgwxkD4",
        );
        // ethers returns the empty string the callback answers for a record that is not set.
        assert.equal(await resolver?.getText("not-set"), "");
      });

      it("ethers v6: every record type through resolve() with CCIP-Read", async () => {
        for (const [request, value] of expected[name] as [RecordRequest, string][])
          assert.equal(
            await ethersAnswer(provider, name, request),
            expectedAnswer(request, value),
            `${request.type} of ${name}`,
          );
      });
    });
  }

  describe("a tampered file on IPFS", () => {
    const avatarCall = () =>
      encodeRecordCall(namehash("tampered.eth"), { type: "text", key: "avatar" });

    it("is refused by the gateway (422)", async () => {
      const { encodeResolveOffchainCall } = await import("../../lib/index.ts");
      // What resolve() puts in the lookup: the name's owner, epoch and recordhash.
      const [nameOwner, , epoch, recordhash] = (await stack.publicClient.readContract({
        address: stack.resolver.address,
        abi: stack.resolver.abi,
        functionName: "nameContext",
        args: [dnsEncodeName("tampered.eth")],
      })) as [Address, Hex, bigint, Hex];
      assert.equal(nameOwner, owner.address);
      const callData = encodeResolveOffchainCall({
        dnsName: dnsEncodeName("tampered.eth"),
        data: avatarCall(),
        recordhash,
        owner: nameOwner,
        chainId: BigInt(stack.chain.id),
        epoch,
      });
      const response = await fetch(`${stack.gatewayUrl}/${stack.resolver.address}/${callData}`);
      assert.equal(response.status, 422);
      assert.match(
        ((await response.json()) as { message: string }).message,
        /invalidRecordSignature/,
      );
    });

    it("never reaches viem as a value: the callback reverts on the IPFS copy", async () => {
      // The UniversalResolver wraps the resolver's revert: ResolverError(InvalidRecordSignature()).
      await assert.rejects(
        stack.publicClient.getEnsText({
          name: "tampered.eth",
          key: "avatar",
          universalResolverAddress: universalResolver(),
          strict: true,
        }),
        (error: Error) => error.message.includes(`ResolverError("${INVALID_RECORD_SIGNATURE}")`),
      );
      assert.equal(
        await stack.publicClient.getEnsText({
          name: "tampered.eth",
          key: "avatar",
          universalResolverAddress: universalResolver(),
        }),
        null,
      );
    });

    it("never reaches ethers as a value: the gateway's 422 stops it with the reason", async () => {
      const resolver = await provider.getResolver("tampered.eth");
      await assert.rejects(
        resolver?.getText("avatar") ?? Promise.reject(new Error("no resolver")),
        /invalidRecordSignature/,
      );
    });
  });

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

    for (const name of ["alice.eth", "sub.alice.eth", "bob.eth"])
      it(`resolves every record type of ${name} through viem and ethers`, async () => {
        for (const [request, value] of expected[name] as [RecordRequest, string][]) {
          assert.equal(
            await viemAnswer(stack, name, request),
            expectedAnswer(request, value),
            `viem ${request.type} of ${name}`,
          );
          assert.equal(
            await ethersAnswer(provider, name, request),
            expectedAnswer(request, value),
            `ethers ${request.type} of ${name}`,
          );
        }
      });

    it("makes the callback revert on a tampered file", async () => {
      await assert.rejects(
        viemAnswer(stack, "tampered.eth", { type: "text", key: "avatar" }),
        (error: Error) => error.message.includes(`ResolverError("${INVALID_RECORD_SIGNATURE}")`),
      );
      await assert.rejects(
        ethersAnswer(provider, "tampered.eth", { type: "text", key: "avatar" }),
        (error: Error) => error.message.includes(INVALID_RECORD_SIGNATURE),
      );
    });
  });
});

/** Reads a published file back (by IPNS recordhash). */
async function readPublished(stack: LocalStack, recordhash: Hex, path: string): Promise<string> {
  const { parseRecordhash } = await import("../../lib/index.ts");
  const target = parseRecordhash(recordhash);
  const bytes = await stack.ipfs.readFile(
    target.protocol === "ipns" ? target.name : target.cid,
    path,
  );
  if (!bytes) throw new Error(`${path} is not published`);
  return new TextDecoder().decode(bytes);
}

/** Replaces a value inside a signed file's data without re-signing (same length). */
function tamperFile(json: string, from: string, to: string): string {
  const file = JSON.parse(json) as { data: string };
  const hex = (text: string) => Buffer.from(text).toString("hex");
  if (from.length !== to.length) throw new Error("tamperFile: same-length values only");
  return JSON.stringify({ ...file, data: file.data.replace(hex(from), hex(to)) });
}
