import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  type Address,
  decodeFunctionData,
  encodeFunctionData,
  getAddress,
  type Hex,
  keccak256,
  parseAbi,
  stringToHex,
  toFunctionSelector,
  zeroAddress,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  buildAnswer,
  buildEmptyAnswer,
  buildRecordFilePath,
  buildRecordType,
  buildRecordTypeCandidates,
  buildWellKnownPath,
  DNS_RECORD_BYTES_SIGNATURE,
  decodeRecordCall,
  dnsEncodeName,
  encodeRecordCall,
  encodeRecordValue,
  hashDnsOwnerName,
  namehash,
  type RecordRequest,
  signApproval,
  signRecord,
} from "../../lib/index.ts";
import { asAccount, getOwner, wrapName } from "../../scripts/stack/ensFixtures.ts";
import {
  decodeExtraData,
  deployFixture,
  expectError,
  type Fixture,
  GATEWAY_ABI,
  GATEWAY_SERVICES,
  IPFS_GATEWAYS,
  type Lookup,
  lookupOf,
  makeIpnsKey,
  walletSigner,
} from "./helpers.ts";

const IPNS_PREFIX = "0xe5010172002408011220";
const CALLBACK_SELECTOR = toFunctionSelector("resolveCallback(bytes,bytes)");
const SIGNER = privateKeyToAccount(keccak256(stringToHex("ensgate test records signer")));
const PUBKEY = privateKeyToAccount(keccak256(stringToHex("ensgate test pubkey"))).publicKey;

/** The direct IPFS gateway URLs of a lookup: those after the gateway-service URLs. */
const ipfsUrls = (lookup: Lookup) => lookup.urls.slice(GATEWAY_SERVICES.length);

type KindCase = {
  title: string;
  data: (node: Hex) => Hex;
  value: (f: Fixture) => string;
  file?: RecordRequest;
};

const abiBytes = parseAbi([DNS_RECORD_BYTES_SIGNATURE]);
const KIND_CASES: KindCase[] = [
  {
    title: "text",
    data: (n) => encodeRecordCall(n, { type: "text", key: "avatar" }),
    value: () => "https://example.com/a.png",
  },
  {
    title: "addr",
    data: (n) => encodeRecordCall(n, { type: "addr" }),
    value: (f) => f.alice.account.address,
  },
  {
    title: "addr coin type 60",
    data: (n) => encodeRecordCall(n, { type: "multicoinAddr", coinType: 60n }),
    value: (f) => f.alice.account.address,
  },
  {
    title: "addr coin type 0 (bitcoin)",
    data: (n) => encodeRecordCall(n, { type: "multicoinAddr", coinType: 0n }),
    value: () => "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
  },
  {
    title: "contenthash",
    data: (n) => encodeRecordCall(n, { type: "contenthash" }),
    value: () => "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
  },
  { title: "pubkey", data: (n) => encodeRecordCall(n, { type: "pubkey" }), value: () => PUBKEY },
  { title: "name", data: (n) => encodeRecordCall(n, { type: "name" }), value: () => "alice.eth" },
  {
    title: "interfaceImplementer",
    data: (n) => encodeRecordCall(n, { type: "interfaceImplementer", interfaceId: "0x01ffc9a7" }),
    value: (f) => f.bob.account.address,
  },
  {
    title: "ABI (one content type)",
    data: (n) => encodeRecordCall(n, { type: "abi", contentTypes: 1n }),
    value: () => '[{"type":"function","name":"f","inputs":[],"outputs":[]}]',
  },
  {
    title: "ABI (bitmask 0b1010, answered with URI)",
    data: (n) => encodeRecordCall(n, { type: "abi", contentTypes: 10n }),
    value: () => "https://example.com/abi.json",
    file: { type: "abi", contentTypes: 8n },
  },
  {
    // Undefined content-type bits name no file (contract and lib mask with 15): four URLs, not 256.
    title: "ABI (every bit set: only 1, 2, 4, 8 are asked for)",
    data: (n) => encodeRecordCall(n, { type: "abi", contentTypes: 2n ** 256n - 1n }),
    value: () => "https://example.com/abi.json",
    file: { type: "abi", contentTypes: 8n },
  },
  {
    title: "zonehash",
    data: (n) => encodeRecordCall(n, { type: "zonehash" }),
    value: () => "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
  },
  {
    title: "dnsRecord(bytes32,bytes32,uint16)",
    data: (n) =>
      encodeRecordCall(n, {
        type: "dnsRecord",
        nameHash: hashDnsOwnerName("www.alice.eth"),
        resource: 1,
      }),
    value: () => "www.alice.eth. 3600 IN A 192.0.2.1",
  },
  {
    title: "dnsRecord(bytes32,bytes,uint16) (seed form)",
    data: (n) =>
      encodeFunctionData({
        abi: abiBytes,
        functionName: "dnsRecord",
        args: [n, dnsEncodeName("www.alice.eth"), 16],
      }),
    value: () => 'www.alice.eth. 60 IN TXT "hello"',
  },
];

describe("EnsgateResolver: every record kind through resolve -> OffchainLookup -> callback", () => {
  let f: Fixture;
  let ipns: { key: Hex; cid: string };
  const name = "alice.eth";
  const node = namehash(name);
  before(async () => {
    f = await deployFixture();
    ipns = await makeIpnsKey(1);
    await f.register("alice.eth", f.alice.account.address);
    await f.resolver.write.setRecordhash([node, ipns.key], { account: f.alice.account });
  });

  it("supports ERC-165 for the extended resolver, ERC-7996 and ERC-165 only; no ERC-7996 feature", async () => {
    assert.equal(await f.resolver.read.supportsInterface(["0x9061b923"]), true);
    assert.equal(await f.resolver.read.supportsInterface(["0x582de3e7"]), true);
    assert.equal(await f.resolver.read.supportsInterface(["0x01ffc9a7"]), true);
    for (const id of ["0x3b3b57de", "0xffffffff", "0x00000000", "0x96b62db8"] as const)
      assert.equal(await f.resolver.read.supportsInterface([id]), false, id);
    // RESOLVE_MULTICALL is not offered: each record gets its own lookup.
    assert.equal(await f.resolver.read.supportsFeature(["0x96b62db8"]), false);
  });

  for (const c of KIND_CASES) {
    for (const version of [1, 2] as const) {
      it(`${c.title} (v${version})`, async () => {
        const data = c.data(node);
        const { request } = decodeRecordCall(data);
        const fileRequest = c.file ?? request;
        const lookup = await lookupOf(f, dnsEncodeName(name), data);

        assert.equal(lookup.sender, getAddress(f.resolver.address));
        assert.equal(lookup.callbackFunction, CALLBACK_SELECTOR);
        // Gateway services first (they answer an unset record with "0x"), then the IPFS gateways.
        assert.deepEqual(lookup.urls, [
          ...GATEWAY_SERVICES,
          ...buildRecordTypeCandidates(request).flatMap((type) =>
            IPFS_GATEWAYS.map(
              (g) => `${g}/ipns/${ipns.cid}/${buildWellKnownPath(name)}${type}.json?t={data}`,
            ),
          ),
        ]);
        if (request.type !== "abi")
          assert.equal(
            ipfsUrls(lookup)[0],
            `${IPFS_GATEWAYS[0]}/ipns/${ipns.cid}/${buildRecordFilePath(name, request)}?t={data}`,
          );
        const call = decodeFunctionData({ abi: GATEWAY_ABI, data: lookup.callData });
        assert.deepEqual(call.args, [
          dnsEncodeName(name),
          data,
          `${IPNS_PREFIX}${ipns.key.slice(2)}`,
          getAddress(f.alice.account.address),
          BigInt(f.chainId),
          0n,
        ]);
        const { lookup: extra } = decodeExtraData(lookup.extraData);
        assert.equal(extra.owner, getAddress(f.alice.account.address));
        // On-chain approvals count on the name and every suffix node, name first.
        assert.deepEqual(extra.nodes, [node, namehash("eth")]);
        assert.equal(extra.epoch, 0n);
        assert.equal(extra.name, `0x${Buffer.from(name).toString("hex")}`);
        const expectedType =
          request.type === "abi"
            ? "0x"
            : `0x${Buffer.from(buildRecordType(request)).toString("hex")}`;
        assert.equal(extra.recordType, expectedType);

        const result = encodeRecordValue(fileRequest, c.value(f));
        const now = BigInt((await f.publicClient.getBlock()).timestamp);
        const file = await signRecord({
          name,
          request: fileRequest,
          result,
          signer: walletSigner(f.alice),
          owner: f.alice.account.address,
          chainId: f.chainId,
          freshness: version === 2 ? { validUntil: now + 3600n, epoch: 0n } : undefined,
          resolver: f.resolver.address,
        });
        const answer = await f.resolver.read.resolveCallback([file.data, lookup.extraData]);
        assert.equal(answer, buildAnswer(fileRequest, result));
        assert.equal(
          await f.resolver.read.resolveCallback(["0x", lookup.extraData]),
          buildEmptyAnswer(request),
        );
      });
    }
  }

  it("answers coin type 60 with empty bytes for the zero address", async () => {
    const request: RecordRequest = { type: "multicoinAddr", coinType: 60n };
    const lookup = await lookupOf(f, dnsEncodeName(name), encodeRecordCall(node, request));
    const result = encodeRecordValue(request, zeroAddress);
    const file = await signRecord({
      name,
      request,
      result,
      signer: walletSigner(f.alice),
      owner: f.alice.account.address,
      chainId: f.chainId,
    });
    assert.equal(
      await f.resolver.read.resolveCallback([file.data, lookup.extraData]),
      buildAnswer(request, result),
    );
  });
});

describe("EnsgateResolver: where records live", () => {
  let f: Fixture;
  let aliceKey: { key: Hex; cid: string };
  let bobKey: { key: Hex; cid: string };
  let carolKey: { key: Hex; cid: string };
  const textRequest: RecordRequest = { type: "text", key: "avatar" };

  before(async () => {
    f = await deployFixture();
    aliceKey = await makeIpnsKey(1);
    bobKey = await makeIpnsKey(2);
    carolKey = await makeIpnsKey(3);
    await f.register("alice.eth", f.alice.account.address);
    await f.resolver.write.setRecordhash(
      [namehash("alice.eth"), `${IPNS_PREFIX}${aliceKey.key.slice(2)}`],
      {
        account: f.alice.account,
      },
    );
    await f.register("bob.alice.eth", f.bob.account.address, f.alice);
    await f.resolver.write.setRecordhash([namehash("bob.alice.eth"), bobKey.key], {
      account: f.bob.account,
    });
    await f.register("carol.eth", f.carol.account.address);
    await f.resolver.write.setOwnerRecordhash([carolKey.key], { account: f.carol.account });
    // Wrapped the NameWrapper way: the registry owner approves the stand-in and wraps for dave.
    await f.register("wrapped.eth", f.dave.account.address);
    await wrapName(asAccount(f.ens, f.dave), f.wrapper, "wrapped.eth", f.dave.account.address);
    await f.register("empty.eth", f.bob.account.address);
  });

  async function resolveText(name: string, signer: Fixture["alice"], owner: Address) {
    const lookup = await lookupOf(
      f,
      dnsEncodeName(name),
      encodeRecordCall(namehash(name), textRequest),
    );
    const result = encodeRecordValue(textRequest, `avatar of ${name}`);
    const file = await signRecord({
      name,
      request: textRequest,
      result,
      signer: walletSigner(signer),
      owner,
      chainId: f.chainId,
    });
    return {
      lookup,
      answer: await f.resolver.read.resolveCallback([file.data, lookup.extraData]),
      result,
    };
  }

  it("wildcard: a subname not in the registry uses the closest ancestor's owner and recordhash", async () => {
    const name = "deep.sub.alice.eth";
    const { lookup, answer, result } = await resolveText(name, f.alice, f.alice.account.address);
    assert.equal(answer, result);
    assert.equal(
      ipfsUrls(lookup)[0],
      `${IPFS_GATEWAYS[0]}/ipns/${aliceKey.cid}/.well-known/eth/alice/sub/deep/text/avatar.json?t={data}`,
    );
    assert.equal(
      ipfsUrls(lookup)[0],
      `${IPFS_GATEWAYS[0]}/ipns/${aliceKey.cid}/${buildRecordFilePath(name, textRequest)}?t={data}`,
    );
    const { lookup: extra } = decodeExtraData(lookup.extraData);
    assert.deepEqual(extra.nodes, [
      namehash(name),
      namehash("sub.alice.eth"),
      namehash("alice.eth"),
      namehash("eth"),
    ]);
    const [owner, ownerNode, epoch, recordhash] = await f.resolver.read.nameContext([
      dnsEncodeName(name),
    ]);
    assert.equal(owner, getAddress(f.alice.account.address));
    assert.equal(ownerNode, namehash("alice.eth"));
    assert.equal(epoch, 0n);
    assert.equal(recordhash, `${IPNS_PREFIX}${aliceKey.key.slice(2)}`);
  });

  it("an existing subname with its own owner and recordhash uses them", async () => {
    const { lookup, answer, result } = await resolveText(
      "bob.alice.eth",
      f.bob,
      f.bob.account.address,
    );
    assert.equal(answer, result);
    assert.ok(ipfsUrls(lookup)[0]?.includes(bobKey.cid));
    // Alice (the parent's owner) cannot sign bob.alice.eth's records.
    const other = await lookupOf(
      f,
      dnsEncodeName("bob.alice.eth"),
      encodeRecordCall(namehash("bob.alice.eth"), textRequest),
    );
    const file = await signRecord({
      name: "bob.alice.eth",
      request: textRequest,
      result,
      signer: walletSigner(f.alice),
      owner: f.bob.account.address,
      chainId: f.chainId,
    });
    await expectError(
      f.resolver.read.resolveCallback([file.data, other.extraData]),
      "UnapprovedSigner",
    );
  });

  it("falls back to the owner's wallet-wide recordhash", async () => {
    const { lookup, answer, result } = await resolveText(
      "carol.eth",
      f.carol,
      f.carol.account.address,
    );
    assert.equal(answer, result);
    assert.ok(ipfsUrls(lookup)[0]?.includes(carolKey.cid));
    const call = decodeFunctionData({ abi: GATEWAY_ABI, data: lookup.callData });
    assert.equal(call.args[2], `${IPNS_PREFIX}${carolKey.key.slice(2)}`);
    assert.equal(
      await f.resolver.read.ownerRecordhash([f.carol.account.address]),
      `${IPNS_PREFIX}${carolKey.key.slice(2)}`,
    );
  });

  it("returns the empty answer without a lookup when no recordhash is set", async () => {
    const answer = await f.lookupClient.readContract({
      address: f.resolver.address,
      abi: f.resolver.abi,
      functionName: "resolve",
      args: [dnsEncodeName("empty.eth"), encodeRecordCall(namehash("empty.eth"), textRequest)],
    });
    assert.equal(answer, buildEmptyAnswer(textRequest));
  });

  it("wrapped name: the NameWrapper owner signs and manages", async () => {
    const node = namehash("wrapped.eth");
    // Not the owner: the call succeeds (settings are keyed by the setter) but the name has no
    // recordhash for lookups, so resolve() still answers empty.
    await f.resolver.write.setRecordhash([node, carolKey.key], { account: f.alice.account });
    assert.deepEqual(await f.resolver.read.nameContext([dnsEncodeName("wrapped.eth")]), [
      getAddress(f.dave.account.address),
      node,
      0n,
      "0x",
    ]);
    assert.equal(
      await f.lookupClient.readContract({
        address: f.resolver.address,
        abi: f.resolver.abi,
        functionName: "resolve",
        args: [dnsEncodeName("wrapped.eth"), encodeRecordCall(node, textRequest)],
      }),
      buildEmptyAnswer(textRequest),
    );
    await f.resolver.write.setRecordhash([node, carolKey.key], { account: f.dave.account });
    const [owner, ownerNode, , recordhash] = await f.resolver.read.nameContext([
      dnsEncodeName("wrapped.eth"),
    ]);
    assert.equal(owner, getAddress(f.dave.account.address));
    assert.equal(ownerNode, node);
    assert.equal(recordhash, `${IPNS_PREFIX}${carolKey.key.slice(2)}`);
    const { lookup, answer, result } = await resolveText(
      "wrapped.eth",
      f.dave,
      f.dave.account.address,
    );
    assert.equal(answer, result);
    assert.equal(
      decodeExtraData(lookup.extraData).lookup.owner,
      getAddress(f.dave.account.address),
    );
    // The registry owner (the wrapper contract) is not the owner that counts.
    assert.equal(await getOwner(f.ens, "wrapped.eth"), f.wrapper.address);
    assert.notEqual(decodeExtraData(lookup.extraData).lookup.owner, f.wrapper.address);
    // Wildcard under a wrapped name.
    const sub = await resolveText("x.wrapped.eth", f.dave, f.dave.account.address);
    assert.equal(sub.answer, sub.result);
  });

  it("owner-chosen gateways replace the default IPFS gateways, services stay", async () => {
    const node = namehash("alice.eth");
    await f.resolver.write.setGateways([node, ["http://127.0.0.1:8080"]], {
      account: f.alice.account,
    });
    assert.deepEqual(await f.resolver.read.gatewaysOf([f.alice.account.address, node]), [
      "http://127.0.0.1:8080",
    ]);
    // Another address's gateways for alice.eth are its own setting: alice's lookups ignore them.
    await f.resolver.write.setGateways([node, ["https://carol.example"]], {
      account: f.carol.account,
    });
    assert.deepEqual(await f.resolver.read.gatewaysOf([f.carol.account.address, node]), [
      "https://carol.example",
    ]);
    const lookup = await lookupOf(
      f,
      dnsEncodeName("alice.eth"),
      encodeRecordCall(node, textRequest),
    );
    assert.deepEqual(lookup.urls, [
      ...GATEWAY_SERVICES,
      `http://127.0.0.1:8080/ipns/${aliceKey.cid}/.well-known/eth/alice/text/avatar.json?t={data}`,
    ]);
    await f.resolver.write.setGateways([node, []], { account: f.alice.account });
    assert.equal(
      (await lookupOf(f, dnsEncodeName("alice.eth"), encodeRecordCall(node, textRequest))).urls
        .length,
      3,
    );
  });

  it("without gateway services the IPFS gateway URLs stand alone", async () => {
    const node = namehash("alice.eth");
    const admin = { account: f.admin.account };
    await f.resolver.write.setDefaultGateways([IPFS_GATEWAYS, []], admin);
    try {
      const lookup = await lookupOf(
        f,
        dnsEncodeName("alice.eth"),
        encodeRecordCall(node, textRequest),
      );
      assert.deepEqual(
        lookup.urls,
        IPFS_GATEWAYS.map(
          (g) => `${g}/ipns/${aliceKey.cid}/.well-known/eth/alice/text/avatar.json?t={data}`,
        ),
      );
    } finally {
      await f.resolver.write.setDefaultGateways([IPFS_GATEWAYS, GATEWAY_SERVICES], admin);
    }
  });

  it("a text key that cannot be a URL path unescaped only gets the gateway services", async () => {
    const request: RecordRequest = { type: "text", key: "what?#" };
    const lookup = await lookupOf(
      f,
      dnsEncodeName("alice.eth"),
      encodeRecordCall(namehash("alice.eth"), request),
    );
    assert.deepEqual(lookup.urls, GATEWAY_SERVICES);
  });

  it("a setting on an ancestor the setter does not own applies to the setter's own names below it", async () => {
    // bob owns bob.alice.eth (with its own recordhash); his gateways on alice.eth cover it, but
    // never alice's names.
    const node = namehash("alice.eth");
    await f.resolver.write.setGateways([node, ["https://bob.example"]], { account: f.bob.account });
    try {
      const bobs = await lookupOf(
        f,
        dnsEncodeName("bob.alice.eth"),
        encodeRecordCall(namehash("bob.alice.eth"), textRequest),
      );
      assert.deepEqual(ipfsUrls(bobs), [
        `https://bob.example/ipns/${bobKey.cid}/.well-known/eth/alice/bob/text/avatar.json?t={data}`,
      ]);
      const alices = await lookupOf(
        f,
        dnsEncodeName("alice.eth"),
        encodeRecordCall(node, textRequest),
      );
      assert.ok(ipfsUrls(alices).every((url) => !url.startsWith("https://bob.example")));
    } finally {
      await f.resolver.write.setGateways([node, []], { account: f.bob.account });
    }
  });

  it("reverts NameNotFound when no ancestor has an owner", async () => {
    await expectError(
      f.lookupClient.readContract({
        address: f.resolver.address,
        abi: f.resolver.abi,
        functionName: "resolve",
        args: [dnsEncodeName("nobody.xyz"), encodeRecordCall(namehash("nobody.xyz"), textRequest)],
      }),
      "NameNotFound",
    );
    // The top-level node's owner (the admin owns `eth`) never owns the names below it.
    await expectError(
      f.lookupClient.readContract({
        address: f.resolver.address,
        abi: f.resolver.abi,
        functionName: "resolve",
        args: [dnsEncodeName("nobody.eth"), encodeRecordCall(namehash("nobody.eth"), textRequest)],
      }),
      "NameNotFound",
    );
    await expectError(f.resolver.read.nameContext([dnsEncodeName("nobody.eth")]), "NameNotFound");
  });
});

describe("EnsgateResolver: approvals", () => {
  let f: Fixture;
  const name = "alice.eth";
  const node = namehash(name);
  const request: RecordRequest = { type: "text", key: "url" };
  const result = encodeRecordValue(request, "https://alice.example");

  before(async () => {
    f = await deployFixture();
    await f.register("alice.eth", f.alice.account.address);
    await f.resolver.write.setRecordhash([node, (await makeIpnsKey(1)).key], {
      account: f.alice.account,
    });
  });

  async function signedBySigner(
    options: { approval?: Hex; epoch?: bigint; recordName?: string } = {},
  ) {
    const now = BigInt((await f.publicClient.getBlock()).timestamp);
    return signRecord({
      name: options.recordName ?? name,
      request,
      result,
      signer: SIGNER,
      owner: f.alice.account.address,
      chainId: f.chainId,
      approvalSignature: options.approval,
      freshness:
        options.epoch === undefined ? undefined : { validUntil: now + 600n, epoch: options.epoch },
      resolver: f.resolver.address,
    });
  }

  it("accepts a signer approved on-chain, and rejects it once revoked", async () => {
    const lookup = await lookupOf(f, dnsEncodeName(name), encodeRecordCall(node, request));
    const file = await signedBySigner();
    await expectError(
      f.resolver.read.resolveCallback([file.data, lookup.extraData]),
      "UnapprovedSigner",
    );
    // An approval by someone who does not own alice.eth is stored under them and does not count.
    await f.resolver.write.approve([node, SIGNER.address, true], { account: f.bob.account });
    assert.equal(
      await f.resolver.read.isApprovedSigner([f.bob.account.address, node, SIGNER.address]),
      true,
    );
    assert.equal(
      await f.resolver.read.isApprovedSigner([f.alice.account.address, node, SIGNER.address]),
      false,
    );
    await expectError(
      f.resolver.read.resolveCallback([file.data, lookup.extraData]),
      "UnapprovedSigner",
    );
    // (It would count for names bob owns below alice.eth: revoke it for the later tests.)
    await f.resolver.write.approve([node, SIGNER.address, false], { account: f.bob.account });
    await f.resolver.write.approve([node, SIGNER.address, true], { account: f.alice.account });
    assert.equal(
      await f.resolver.read.isApprovedSigner([f.alice.account.address, node, SIGNER.address]),
      true,
    );
    assert.equal(await f.resolver.read.resolveCallback([file.data, lookup.extraData]), result);
    // On-chain approvals of the owner node cover wildcard subnames.
    const subLookup = await lookupOf(
      f,
      dnsEncodeName(`sub.${name}`),
      encodeRecordCall(namehash(`sub.${name}`), request),
    );
    const subFile = await signedBySigner({ recordName: `sub.${name}` });
    assert.equal(
      await f.resolver.read.resolveCallback([subFile.data, subLookup.extraData]),
      result,
    );
    await f.resolver.write.approve([node, SIGNER.address, false], { account: f.alice.account });
    const [signer] = await expectError(
      f.resolver.read.resolveCallback([file.data, lookup.extraData]),
      "UnapprovedSigner",
    );
    assert.equal(signer, SIGNER.address);
  });

  it("an on-chain approval on alice.eth covers alice's registered subnames, not another owner's", async () => {
    await f.register(`www.${name}`, f.alice.account.address, f.alice);
    await f.register(`shop.${name}`, f.bob.account.address, f.alice);
    await f.resolver.write.setOwnerRecordhash([(await makeIpnsKey(2)).key], {
      account: f.bob.account,
    });
    await f.resolver.write.approve([node, SIGNER.address, true], { account: f.alice.account });
    try {
      // Changed on purpose: an approval now counts on every node of the path, so a subname with
      // its own registry entry (its own owner node) is covered by the ancestor's approval too.
      const www = `www.${name}`;
      const wwwLookup = await lookupOf(
        f,
        dnsEncodeName(www),
        encodeRecordCall(namehash(www), request),
      );
      const wwwFile = await signedBySigner({ recordName: www });
      assert.equal(
        await f.resolver.read.resolveCallback([wwwFile.data, wwwLookup.extraData]),
        result,
      );
      // shop.alice.eth belongs to bob: alice's approval is not his.
      const shop = `shop.${name}`;
      const shopLookup = await lookupOf(
        f,
        dnsEncodeName(shop),
        encodeRecordCall(namehash(shop), request),
      );
      assert.equal(
        decodeExtraData(shopLookup.extraData).lookup.owner,
        getAddress(f.bob.account.address),
      );
      const shopFile = await signRecord({
        name: shop,
        request,
        result,
        signer: SIGNER,
        owner: f.bob.account.address,
        chainId: f.chainId,
      });
      await expectError(
        f.resolver.read.resolveCallback([shopFile.data, shopLookup.extraData]),
        "UnapprovedSigner",
      );
    } finally {
      await f.resolver.write.approve([node, SIGNER.address, false], { account: f.alice.account });
    }
  });

  it("accepts a v1 record with a v1 SIGN 3 approval by the owner", async () => {
    const lookup = await lookupOf(f, dnsEncodeName(name), encodeRecordCall(node, request));
    const approval = await signApproval({
      name,
      signer: SIGNER.address,
      owner: walletSigner(f.alice),
      chainId: f.chainId,
    });
    const file = await signedBySigner({ approval });
    assert.equal(await f.resolver.read.resolveCallback([file.data, lookup.extraData]), result);
  });

  it("accepts a v2 record with a v2 SIGN 3 approval carrying its epoch, across bumpEpoch", async () => {
    let lookup = await lookupOf(f, dnsEncodeName(name), encodeRecordCall(node, request));
    const approval0 = await signApproval({
      name,
      signer: SIGNER.address,
      owner: walletSigner(f.alice),
      chainId: f.chainId,
      epoch: 0n,
      resolver: f.resolver.address,
    });
    const file0 = await signedBySigner({ approval: approval0, epoch: 0n });
    assert.equal(await f.resolver.read.resolveCallback([file0.data, lookup.extraData]), result);
    // A v1 approval does not authorize a v2 record (the message differs).
    const v1Approval = await signApproval({
      name,
      signer: SIGNER.address,
      owner: walletSigner(f.alice),
      chainId: f.chainId,
    });
    const mixed = await signedBySigner({ approval: v1Approval, epoch: 0n });
    await expectError(
      f.resolver.read.resolveCallback([mixed.data, lookup.extraData]),
      "InvalidApproval",
    );

    await f.resolver.write.bumpEpoch([node], { account: f.alice.account });
    assert.equal(await f.resolver.read.epochCounter([f.alice.account.address, node]), 1n);
    assert.equal((await f.resolver.read.nameContext([dnsEncodeName(name)]))[2], 1n);
    lookup = await lookupOf(f, dnsEncodeName(name), encodeRecordCall(node, request));
    assert.equal(decodeExtraData(lookup.extraData).lookup.epoch, 1n);
    await expectError(
      f.resolver.read.resolveCallback([file0.data, lookup.extraData]),
      "StaleEpoch",
    );
    // A record of the new epoch with the old epoch's approval: the approval is revoked.
    const stale = await signedBySigner({ approval: approval0, epoch: 1n });
    await expectError(
      f.resolver.read.resolveCallback([stale.data, lookup.extraData]),
      "InvalidApproval",
    );
    const approval1 = await signApproval({
      name,
      signer: SIGNER.address,
      owner: walletSigner(f.alice),
      chainId: f.chainId,
      epoch: 1n,
      resolver: f.resolver.address,
    });
    const file1 = await signedBySigner({ approval: approval1, epoch: 1n });
    assert.equal(await f.resolver.read.resolveCallback([file1.data, lookup.extraData]), result);
    // v1 records count as epoch 0: revoked by the bump too.
    const v1 = await signedBySigner({ approval: v1Approval });
    await expectError(f.resolver.read.resolveCallback([v1.data, lookup.extraData]), "StaleEpoch");
  });

  it("rejects an approval signed by someone else than the owner", async () => {
    const lookup = await lookupOf(f, dnsEncodeName(name), encodeRecordCall(node, request));
    const epoch = decodeExtraData(lookup.extraData).lookup.epoch;
    const approval = await signApproval({
      name,
      signer: SIGNER.address,
      owner: walletSigner(f.bob),
      chainId: f.chainId,
      epoch,
      resolver: f.resolver.address,
    });
    const file = await signedBySigner({ approval, epoch });
    await expectError(
      f.resolver.read.resolveCallback([file.data, lookup.extraData]),
      "InvalidApproval",
    );
  });
});
