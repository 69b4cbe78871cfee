import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  concat,
  encodeAbiParameters,
  getAddress,
  type Hex,
  keccak256,
  slice,
  stringToHex,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  decodeSignedRecordData,
  dnsEncodeName,
  encodeRecordCall,
  encodeRecordValue,
  encodeSignedRecordData,
  namehash,
  type RecordRequest,
  SIGNED_RECORD_V1_SELECTOR,
  signApproval,
  signRecord,
} from "../../lib/index.ts";
import {
  decodeExtraData,
  deployFixture,
  expectError,
  type Fixture,
  flipByte,
  lookupOf,
  makeIpnsKey,
  walletSigner,
} from "./helpers.ts";

const STRANGER = privateKeyToAccount(keccak256(stringToHex("ensgate test stranger")));
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe("EnsgateResolver: rejected records (one custom error each)", () => {
  let f: Fixture;
  const name = "alice.eth";
  const node = namehash(name);
  const avatar: RecordRequest = { type: "text", key: "avatar" };
  const value = encodeRecordValue(avatar, "https://example.com/a.png");

  before(async () => {
    f = await deployFixture();
    await f.register("alice.eth", f.alice.account.address);
    await f.register("other.eth", f.alice.account.address);
    const { key } = await makeIpnsKey(1);
    await f.resolver.write.setRecordhash([node, key], { account: f.alice.account });
    await f.resolver.write.setOwnerRecordhash([key], { account: f.alice.account });
  });

  const lookup = (request: RecordRequest = avatar, forName = name) =>
    lookupOf(f, dnsEncodeName(forName), encodeRecordCall(namehash(forName), request));

  async function ownerRecord(overrides: Partial<Parameters<typeof signRecord>[0]> = {}) {
    return signRecord({
      name,
      request: avatar,
      result: value,
      signer: walletSigner(f.alice),
      owner: f.alice.account.address,
      chainId: f.chainId,
      resolver: f.resolver.address, // v2 binding (ignored for v1)
      ...overrides,
    });
  }
  const now = async () => BigInt((await f.publicClient.getBlock()).timestamp);
  const callback = (data: Hex, extraData: Hex) =>
    f.resolver.read.resolveCallback([data, extraData]);

  it("tampered value -> InvalidRecordSignature", async () => {
    const { extraData } = await lookup();
    const record = decodeSignedRecordData((await ownerRecord()).data);
    const tampered = encodeSignedRecordData({
      ...record,
      result: encodeRecordValue(avatar, "https://evil.example"),
    });
    await expectError(callback(tampered, extraData), "InvalidRecordSignature");
  });

  it("signature by a key that is neither the owner nor approved -> UnapprovedSigner", async () => {
    const { extraData } = await lookup();
    const file = await ownerRecord({ signer: STRANGER });
    const [signer] = await expectError(callback(file.data, extraData), "UnapprovedSigner");
    assert.equal(signer, STRANGER.address);
  });

  it("record claiming the owner as signer but signed by another key -> InvalidRecordSignature", async () => {
    const { extraData } = await lookup();
    const record = decodeSignedRecordData((await ownerRecord({ signer: STRANGER })).data);
    const forged = encodeSignedRecordData({
      ...record,
      signer: getAddress(f.alice.account.address),
    });
    await expectError(callback(forged, extraData), "InvalidRecordSignature");
  });

  it("approval signed by a non-owner -> InvalidApproval", async () => {
    const { extraData } = await lookup();
    const approval = await signApproval({
      name,
      signer: STRANGER.address,
      owner: walletSigner(f.bob),
      chainId: f.chainId,
    });
    const file = await ownerRecord({ signer: STRANGER, approvalSignature: approval });
    await expectError(callback(file.data, extraData), "InvalidApproval");
  });

  it("approval for another name -> InvalidApproval", async () => {
    const { extraData } = await lookup();
    const approval = await signApproval({
      name: "other.eth",
      signer: STRANGER.address,
      owner: walletSigner(f.alice),
      chainId: f.chainId,
    });
    const file = await ownerRecord({ signer: STRANGER, approvalSignature: approval });
    await expectError(callback(file.data, extraData), "InvalidApproval");
  });

  it("record for another name of the same owner replayed -> InvalidRecordSignature", async () => {
    const { extraData } = await lookup();
    const file = await ownerRecord({ name: "other.eth" });
    await expectError(callback(file.data, extraData), "InvalidRecordSignature");
    // ...including a wildcard subname served the parent's record.
    const sub = await lookup(avatar, `sub.${name}`);
    await expectError(
      callback((await ownerRecord()).data, sub.extraData),
      "InvalidRecordSignature",
    );
  });

  it("record for another type of the same ABI shape replayed -> InvalidRecordSignature", async () => {
    const { extraData } = await lookup();
    const url: RecordRequest = { type: "text", key: "url" };
    const file = await ownerRecord({
      request: url,
      result: encodeRecordValue(url, "https://example.com/a.png"),
    });
    await expectError(callback(file.data, extraData), "InvalidRecordSignature");
    const nameRecord = await ownerRecord({
      request: { type: "name" },
      result: encodeRecordValue({ type: "name" }, "alice.eth"),
    });
    await expectError(callback(nameRecord.data, extraData), "InvalidRecordSignature");
  });

  it("record signed for another chain id -> InvalidRecordSignature", async () => {
    const { extraData } = await lookup();
    const file = await ownerRecord({ chainId: 1 });
    await expectError(callback(file.data, extraData), "InvalidRecordSignature");
  });

  it("expired v2 record -> RecordExpired", async () => {
    const { extraData } = await lookup();
    const validUntil = (await now()) - 1n;
    const file = await ownerRecord({ freshness: { validUntil, epoch: 0n } });
    const [until] = await expectError(callback(file.data, extraData), "RecordExpired");
    assert.equal(until, validUntil);
  });

  it("v2 record above the current epoch -> FutureEpoch", async () => {
    const { extraData } = await lookup();
    const file = await ownerRecord({ freshness: { validUntil: (await now()) + 60n, epoch: 5n } });
    const args = await expectError(callback(file.data, extraData), "FutureEpoch");
    assert.deepEqual(args, [5n, 0n]);
  });

  it("non-canonical results -> InvalidResult", async () => {
    const { extraData } = await lookup();
    const record = decodeSignedRecordData((await ownerRecord()).data);
    // Dirty padding after the string bytes.
    const dirty = `${value.slice(0, -2)}01` as Hex;
    await expectError(
      callback(encodeSignedRecordData({ ...record, result: dirty }), extraData),
      "InvalidResult",
    );
    // Trailing word.
    const trailing = concat([value, toHex(0n, { size: 32 })]);
    await expectError(
      callback(encodeSignedRecordData({ ...record, result: trailing }), extraData),
      "InvalidResult",
    );
    // An address where a string is expected.
    const address = encodeAbiParameters([{ type: "address" }], [STRANGER.address]);
    await expectError(
      callback(encodeSignedRecordData({ ...record, result: address }), extraData),
      "InvalidResult",
    );
    // An ABI record of a content type outside the requested mask.
    const abiLookup = await lookup({ type: "abi", contentTypes: 5n });
    const uri: RecordRequest = { type: "abi", contentTypes: 8n };
    const abiFile = await ownerRecord({
      request: uri,
      result: encodeRecordValue(uri, "https://example.com/abi.json"),
    });
    await expectError(callback(abiFile.data, abiLookup.extraData), "InvalidResult");
    // A dirty address (upper bits set) for addr().
    const addrLookup = await lookup({ type: "addr" });
    const dirtyAddress = `0x01${"00".repeat(11)}${STRANGER.address.slice(2)}` as Hex;
    await expectError(
      callback(encodeSignedRecordData({ ...record, result: dirtyAddress }), addrLookup.extraData),
      "InvalidResult",
    );
  });

  it("malformed response bytes -> MalformedRecord", async () => {
    const { extraData } = await lookup();
    const good = (await ownerRecord()).data;
    for (const bad of [
      "0x12",
      "0x12345678",
      concat(["0xdeadbeef", slice(good, 4)]),
      SIGNED_RECORD_V1_SELECTOR,
      slice(good, 0, 100),
      concat([
        SIGNED_RECORD_V1_SELECTOR,
        toHex(0n, { size: 32 }),
        toHex(2n ** 255n, { size: 32 }),
        slice(good, 68),
      ]),
    ] as Hex[]) {
      await expectError(callback(bad, extraData), "MalformedRecord");
    }
  });

  it("high-s (malleable) or short signatures -> InvalidRecordSignature", async () => {
    const { extraData } = await lookup();
    const record = decodeSignedRecordData((await ownerRecord()).data);
    const sig = record.recordSignature;
    const s = BigInt(slice(sig, 32, 64));
    const v = Number(BigInt(slice(sig, 64, 65)));
    const flipped = concat([
      slice(sig, 0, 32),
      toHex(SECP256K1_N - s, { size: 32 }),
      toHex(v === 27 ? 28 : 27, { size: 1 }),
    ]);
    await expectError(
      callback(encodeSignedRecordData({ ...record, recordSignature: flipped }), extraData),
      "InvalidRecordSignature",
    );
    await expectError(
      callback(
        encodeSignedRecordData({ ...record, recordSignature: slice(sig, 0, 64) }),
        extraData,
      ),
      "InvalidRecordSignature",
    );
  });

  it("v2 record below the current epoch after bumpEpoch -> StaleEpoch", async () => {
    const before = await lookup();
    const file = await ownerRecord({ freshness: { validUntil: (await now()) + 3600n, epoch: 0n } });
    assert.equal(await callback(file.data, before.extraData), value);
    await f.resolver.write.bumpEpoch([node], { account: f.alice.account });
    const after = await lookup();
    const args = await expectError(callback(file.data, after.extraData), "StaleEpoch");
    assert.deepEqual(args, [0n, 1n]);
  });

  it("binds the callback to its lookup: tampered extraData -> InvalidLookup, late -> LookupExpired", async () => {
    const { extraData } = await lookup();
    const file = await ownerRecord({ freshness: { validUntil: (await now()) + 3600n, epoch: 1n } });
    assert.equal(await callback(file.data, extraData), value);
    // Flip the epoch word (a forged epoch of 0) without fixing the check hash: after the check
    // hash come the tuple offset, deadline, kind, owner, name owner, then the epoch.
    const epochByte = 32 + 6 * 32 - 1;
    assert.equal(decodeExtraData(flipByte(extraData, epochByte)).lookup.epoch, 0n);
    await expectError(callback(file.data, flipByte(extraData, epochByte)), "InvalidLookup");
    await expectError(callback(file.data, "0x1234"), "InvalidLookup");
    // The extraData of another resolver deployment does not verify here.
    const other = await f.viem.deployContract("EnsgateResolver", [
      f.ens.address,
      f.wrapper.address,
      f.registrar.address,
      f.admin.account.address,
      [],
      [],
    ]);
    await expectError(other.read.resolveCallback([file.data, extraData]), "InvalidLookup");
    // After LOOKUP_TTL the lookup is stale.
    const ttl = await f.resolver.read.LOOKUP_TTL();
    await f.testClient.increaseTime({ seconds: Number(ttl) + 1 });
    await f.testClient.mine({ blocks: 1 });
    await expectError(callback(file.data, extraData), "LookupExpired");
  });

  it("resolve() input errors", async () => {
    const read = (dnsName: Hex, data: Hex) =>
      f.lookupClient.readContract({
        address: f.resolver.address,
        abi: f.resolver.abi,
        functionName: "resolve",
        args: [dnsName, data],
      });
    const [selector] = await expectError(
      read(dnsEncodeName(name), "0x12345678"),
      "UnsupportedResolverFunction",
    );
    assert.equal(selector, "0x12345678");
    await expectError(read(dnsEncodeName(name), "0x"), "UnsupportedResolverFunction");
    await expectError(read(dnsEncodeName(name), "0x3b3b57de"), "InvalidRecordCall");
    for (const key of ["", ".", "..", "a/b", "tab\there"])
      await expectError(
        read(
          dnsEncodeName(name),
          encodeRecordCall(node, { type: "text", key: "x" }).replace(
            "0000000000000000000000000000000000000000000000000000000000000001" +
              "7800000000000000000000000000000000000000000000000000000000000000",
            toHex(key.length, { size: 32 }).slice(2) + stringToHex(key).slice(2).padEnd(64, "0"),
          ) as Hex,
        ),
        "InvalidRecordCall",
      );
    await expectError(
      read(
        dnsEncodeName(name),
        encodeRecordCall(node, { type: "abi", contentTypes: 1n }).replace(/01$/, "00") as Hex,
      ),
      "InvalidRecordCall",
    );
    for (const bad of [
      "0x",
      "0x00",
      "0x05616c696365",
      "0x05616c69636500ff",
      "0x03612e6200",
    ] as Hex[])
      await expectError(read(bad, encodeRecordCall(node, avatar)), "InvalidDnsName");
  });
});

describe("EnsgateResolver: access control", () => {
  let f: Fixture;
  const node = namehash("alice.eth");
  let key: Hex;
  before(async () => {
    f = await deployFixture();
    await f.register("alice.eth", f.alice.account.address);
    key = (await makeIpnsKey(1)).key;
  });

  it("a non-owner's setters succeed, are keyed by the setter, and change nothing for the name", async () => {
    const aliceKey = `0xe5010172002408011220${key.slice(2)}`;
    const bobKey = (await makeIpnsKey(2)).key;
    await f.resolver.write.setRecordhash([node, key], { account: f.alice.account });
    const dnsName = dnsEncodeName("alice.eth");
    const avatar: RecordRequest = { type: "text", key: "avatar" };
    const aliceContext = [getAddress(f.alice.account.address), node, 0n, aliceKey] as const;
    assert.deepEqual(await f.resolver.read.nameContext([dnsName]), aliceContext);
    const before = await lookupOf(f, dnsName, encodeRecordCall(node, avatar));

    const fromBlock = await f.publicClient.getBlockNumber();
    const bob = { account: f.bob.account };
    for (const hash of [
      await f.resolver.write.setRecordhash([node, bobKey], bob),
      await f.resolver.write.approve([node, STRANGER.address, true], bob),
      await f.resolver.write.bumpEpoch([node], bob),
      await f.resolver.write.setGateways([node, ["https://x.example"]], bob),
      // A node nobody owns takes settings too; they never make it resolvable.
      await f.resolver.write.setRecordhash([namehash("nobody.eth"), bobKey], bob),
    ])
      assert.equal((await f.publicClient.waitForTransactionReceipt({ hash })).status, "success");

    // Events name the setter, not the name's owner.
    const bobAddress = getAddress(f.bob.account.address);
    const events = await f.publicClient.getContractEvents({
      address: f.resolver.address,
      abi: f.resolver.abi,
      fromBlock: fromBlock + 1n,
    });
    assert.deepEqual(
      events.map((event) => [event.eventName, event.args]),
      [
        [
          "RecordhashChanged",
          { owner: bobAddress, node, recordhash: `0xe5010172002408011220${bobKey.slice(2)}` },
        ],
        [
          "SignerApprovalChanged",
          { owner: bobAddress, node, signer: STRANGER.address, approved: true },
        ],
        ["EpochBumped", { owner: bobAddress, node, counter: 1n }],
        ["GatewaysChanged", { owner: bobAddress, node, gateways: ["https://x.example"] }],
        [
          "RecordhashChanged",
          {
            owner: bobAddress,
            node: namehash("nobody.eth"),
            recordhash: `0xe5010172002408011220${bobKey.slice(2)}`,
          },
        ],
      ],
    );
    // The views keyed by bob show his settings; alice's are untouched.
    assert.equal(
      await f.resolver.read.recordhash([bobAddress, node]),
      `0xe5010172002408011220${bobKey.slice(2)}`,
    );
    assert.equal(await f.resolver.read.recordhash([f.alice.account.address, node]), aliceKey);
    assert.equal(await f.resolver.read.epochCounter([bobAddress, node]), 1n);
    assert.equal(await f.resolver.read.epochCounter([f.alice.account.address, node]), 0n);
    assert.equal(
      await f.resolver.read.isApprovedSigner([bobAddress, node, STRANGER.address]),
      true,
    );
    assert.equal(
      await f.resolver.read.isApprovedSigner([f.alice.account.address, node, STRANGER.address]),
      false,
    );
    assert.deepEqual(await f.resolver.read.gatewaysOf([bobAddress, node]), ["https://x.example"]);
    assert.deepEqual(await f.resolver.read.gatewaysOf([f.alice.account.address, node]), []);

    // Lookups of alice.eth: same owner, epoch, recordhash, URLs and call data.
    assert.deepEqual(await f.resolver.read.nameContext([dnsName]), aliceContext);
    const after = await lookupOf(f, dnsName, encodeRecordCall(node, avatar));
    assert.deepEqual(after.urls, before.urls);
    assert.equal(after.callData, before.callData);
    assert.equal(decodeExtraData(after.extraData).lookup.epoch, 0n);
    // Callback: bob's approval does not count, bob's bump revokes nothing.
    const value = encodeRecordValue(avatar, "https://example.com/a.png");
    const sign = (signer: Parameters<typeof signRecord>[0]["signer"]) =>
      signRecord({
        name: "alice.eth",
        request: avatar,
        result: value,
        signer,
        owner: f.alice.account.address,
        chainId: f.chainId,
        freshness: { validUntil: 2n ** 40n, epoch: 0n },
        resolver: f.resolver.address,
      });
    const [signer] = await expectError(
      f.resolver.read.resolveCallback([(await sign(STRANGER)).data, after.extraData]),
      "UnapprovedSigner",
    );
    assert.equal(signer, STRANGER.address);
    assert.equal(
      await f.resolver.read.resolveCallback([
        (await sign(walletSigner(f.alice))).data,
        after.extraData,
      ]),
      value,
    );
    // nobody.eth stays unowned (only `eth` above it has an owner).
    await expectError(f.resolver.read.nameContext([dnsEncodeName("nobody.eth")]), "NameNotFound");

    await f.resolver.write.setRecordhash([node, "0x"], { account: f.alice.account });
  });

  it("setDefaultGateways is admin-only (Ownable2Step)", async () => {
    await expectError(
      f.resolver.simulate.setDefaultGateways([["https://x.example"], []], {
        account: f.bob.account.address,
      }),
      "OwnableUnauthorizedAccount",
    );
    await f.resolver.write.setDefaultGateways(
      [["https://x.example"], ["https://gw2.example/{sender}/{data}"]],
      {
        account: f.admin.account,
      },
    );
    assert.deepEqual(await f.resolver.read.defaultGateways(), [
      ["https://x.example"],
      ["https://gw2.example/{sender}/{data}"],
    ]);
    await f.resolver.write.transferOwnership([f.bob.account.address], { account: f.admin.account });
    assert.equal(await f.resolver.read.owner(), getAddress(f.admin.account.address));
    await f.resolver.write.acceptOwnership({ account: f.bob.account });
    assert.equal(await f.resolver.read.owner(), getAddress(f.bob.account.address));
  });

  it("owner setters store, emit and validate", async () => {
    const alice = { account: f.alice.account.address };
    const fromBlock = (await f.publicClient.getBlockNumber()) + 1n;
    await expectError(
      f.resolver.simulate.setRecordhash([node, "0x1234"], alice),
      "InvalidRecordhash",
    );
    await expectError(
      f.resolver.simulate.setRecordhash([node, `0xe3${"00".repeat(41)}`], alice),
      "InvalidRecordhash",
    );
    await expectError(
      f.resolver.simulate.setRecordhash([node, `0x${"00".repeat(32)}`], alice),
      "InvalidRecordhash",
    );
    await f.resolver.write.setRecordhash([node, key], alice);
    assert.equal(
      await f.resolver.read.recordhash([f.alice.account.address, node]),
      `0xe5010172002408011220${key.slice(2)}`,
    );
    await f.resolver.write.approve([node, STRANGER.address, true], alice);
    await f.resolver.write.bumpEpoch([node], alice);
    await f.resolver.write.setGateways([node, ["https://mine.example"]], alice);
    await f.resolver.write.setRecordhash([node, "0x"], alice);
    assert.equal(await f.resolver.read.recordhash([f.alice.account.address, node]), "0x");
    assert.equal(await f.resolver.read.epochCounter([f.alice.account.address, node]), 1n);
    assert.equal(
      await f.resolver.read.isApprovedSigner([f.alice.account.address, node, STRANGER.address]),
      true,
    );
    assert.deepEqual(await f.resolver.read.gatewaysOf([f.alice.account.address, node]), [
      "https://mine.example",
    ]);
    const events = await f.publicClient.getContractEvents({
      address: f.resolver.address,
      abi: f.resolver.abi,
      fromBlock,
    });
    const aliceAddress = getAddress(f.alice.account.address);
    assert.deepEqual(
      events.map((event) => [event.eventName, event.args]),
      [
        [
          "RecordhashChanged",
          { owner: aliceAddress, node, recordhash: `0xe5010172002408011220${key.slice(2)}` },
        ],
        [
          "SignerApprovalChanged",
          { owner: aliceAddress, node, signer: STRANGER.address, approved: true },
        ],
        ["EpochBumped", { owner: aliceAddress, node, counter: 1n }],
        ["GatewaysChanged", { owner: aliceAddress, node, gateways: ["https://mine.example"] }],
        ["RecordhashChanged", { owner: aliceAddress, node, recordhash: "0x" }],
      ],
    );
    const [defaults] = await f.resolver.getEvents.DefaultGatewaysChanged({ fromBlock: 0n });
    assert.ok(defaults, "the constructor emits DefaultGatewaysChanged");
  });
});
