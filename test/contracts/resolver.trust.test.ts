// "Trust follows the name": what transfers, subname changes, expiry and redeployments do to
// records, approvals and settings. Each case reproduces a way the previous per-node design could be
// undone, and asserts the exact custom error now.
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { type Address, getAddress, type Hex, keccak256, stringToHex, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  dnsEncodeName,
  encodeRecordCall,
  encodeRecordValue,
  labelhash,
  namehash,
  type RecordRequest,
  signApproval,
  signRecord,
} from "../../lib/index.ts";
import { asAccount, registerName, setNameExpires } from "../../scripts/stack/ensFixtures.ts";
import {
  decodeExtraData,
  deployFixture,
  expectError,
  type Fixture,
  GATEWAY_SERVICES,
  IPFS_GATEWAYS,
  lookupOf,
  makeIpnsKey,
  walletSigner,
} from "./helpers.ts";

const DELEGATE = privateKeyToAccount(keccak256(stringToHex("ensgate trust delegate")));
const avatar: RecordRequest = { type: "text", key: "avatar" };
const result = encodeRecordValue(avatar, "https://example.com/delegate.png");
const DAY = 86_400n;

describe("EnsgateResolver: trust follows the name", () => {
  let f: Fixture;
  let aliceKey: Hex;

  beforeEach(async () => {
    f = await deployFixture();
    await f.register("alice.eth", f.alice.account.address);
    aliceKey = (await makeIpnsKey(1)).key;
    await f.resolver.write.setRecordhash([namehash("alice.eth"), aliceKey], {
      account: f.alice.account,
    });
  });

  const lookup = (name: string, resolver = f.resolver.address) =>
    lookupOf(
      resolver === f.resolver.address
        ? f
        : { ...f, resolver: { ...f.resolver, address: resolver } },
      dnsEncodeName(name),
      encodeRecordCall(namehash(name), avatar),
    );

  async function now() {
    return BigInt((await f.publicClient.getBlock()).timestamp);
  }

  /** The delegate's v2 record for `name` under `epoch`, approved off-chain by `owner`. */
  async function delegateRecord(name: string, epoch: bigint, owner = f.alice, resolver?: Address) {
    const bound = resolver ?? f.resolver.address;
    const approval = await signApproval({
      name,
      signer: DELEGATE.address,
      owner: walletSigner(owner),
      chainId: f.chainId,
      epoch,
      resolver: bound,
    });
    return signRecord({
      name,
      request: avatar,
      result,
      signer: DELEGATE,
      owner: owner.account.address,
      chainId: f.chainId,
      approvalSignature: approval,
      freshness: { validUntil: (await now()) + DAY, epoch },
      resolver: bound,
    });
  }

  async function callback(data: Hex, extraData: Hex, resolver = f.resolver) {
    return resolver.read.resolveCallback([data, extraData]);
  }

  it("a bump on a subname survives the subname leaving the registry", async () => {
    await f.register("www.alice.eth", f.alice.account.address, f.alice);
    const record = await delegateRecord("www.alice.eth", 0n);
    assert.equal(await callback(record.data, (await lookup("www.alice.eth")).extraData), result);

    await f.resolver.write.bumpEpoch([namehash("www.alice.eth")], { account: f.alice.account });
    const [recordEpoch, current] = await expectError(
      callback(record.data, (await lookup("www.alice.eth")).extraData),
      "StaleEpoch",
    );
    assert.deepEqual([recordEpoch, current], [0n, 1n]);

    // www.alice.eth leaves the registry: its lookups now walk up to alice.eth, and the bump counts.
    await registerName(asAccount(f.ens, f.alice), "www.alice.eth", zeroAddress);
    assert.equal(
      await f.ens.clients.publicClient.readContract({
        address: f.ens.address,
        abi: f.ens.abi,
        functionName: "owner",
        args: [namehash("www.alice.eth")],
      }),
      zeroAddress,
    );
    await expectError(
      callback(record.data, (await lookup("www.alice.eth")).extraData),
      "StaleEpoch",
    );
  });

  it("a bump on a name survives a subname being registered below it", async () => {
    const record = await delegateRecord("shop.alice.eth", 0n);
    assert.equal(await callback(record.data, (await lookup("shop.alice.eth")).extraData), result);
    await f.resolver.write.bumpEpoch([namehash("alice.eth")], { account: f.alice.account });
    await expectError(
      callback(record.data, (await lookup("shop.alice.eth")).extraData),
      "StaleEpoch",
    );
    // Registering shop.alice.eth for the same owner moves the owner node, not the epoch.
    await f.register("shop.alice.eth", f.alice.account.address, f.alice);
    const [, current] = await expectError(
      callback(record.data, (await lookup("shop.alice.eth")).extraData),
      "StaleEpoch",
    );
    assert.equal(current, 1n);
    const [owner, ownerNode, epoch] = await f.resolver.read.nameContext([
      dnsEncodeName("shop.alice.eth"),
    ]);
    assert.deepEqual(
      [owner, ownerNode, epoch],
      [getAddress(f.alice.account.address), namehash("shop.alice.eth"), 1n],
    );
  });

  it("a bump survives a wrapped subname expiring", async () => {
    // alice.eth wrapped; www.alice.eth a wrapped subname of alice's with an expiry.
    await asAccountWrite(f, f.alice, "setApprovalForAll", [f.wrapper.address, true]);
    await wrapperWrite(f, f.alice, "wrap", [namehash("alice.eth"), f.alice.account.address]);
    await wrapperWrite(f, f.alice, "setSubnodeOwner", [
      namehash("alice.eth"),
      labelhash("www"),
      f.alice.account.address,
    ]);
    const expiry = (await now()) + 1_000n;
    await wrapperWrite(f, f.alice, "setChildExpiry", [
      namehash("alice.eth"),
      labelhash("www"),
      expiry,
    ]);

    const record = await delegateRecord("www.alice.eth", 0n);
    await f.resolver.write.bumpEpoch([namehash("www.alice.eth")], { account: f.alice.account });
    await expectError(
      callback(record.data, (await lookup("www.alice.eth")).extraData),
      "StaleEpoch",
    );
    await f.testClient.increaseTime({ seconds: 2_000 });
    await f.testClient.mine({ blocks: 1 });
    // Expired: the wrapper answers zero for www, the lookup walks up to alice.eth (still alice's).
    const [, ownerNode] = await f.resolver.read.nameContext([dnsEncodeName("www.alice.eth")]);
    assert.equal(ownerNode, namehash("alice.eth"));
    await expectError(
      callback(record.data, (await lookup("www.alice.eth")).extraData),
      "StaleEpoch",
    );
  });

  it("a transfer: the old owner's records, recordhash, gateways and approvals stop; the new owner's apply", async () => {
    const node = namehash("alice.eth");
    await f.resolver.write.setGateways([node, ["https://alice-gateway.example"]], {
      account: f.alice.account,
    });
    await f.resolver.write.approve([node, DELEGATE.address, true], { account: f.alice.account });
    const ownerRecord = await signRecord({
      name: "alice.eth",
      request: avatar,
      result,
      signer: walletSigner(f.alice),
      owner: f.alice.account.address,
      chainId: f.chainId,
      freshness: { validUntil: (await now()) + DAY, epoch: 0n },
      resolver: f.resolver.address,
    });
    const onchainApproved = await signRecord({
      name: "alice.eth",
      request: avatar,
      result,
      signer: DELEGATE,
      owner: f.alice.account.address,
      chainId: f.chainId,
      freshness: { validUntil: (await now()) + DAY, epoch: 0n },
      resolver: f.resolver.address,
    });
    const offchainApproved = await delegateRecord("alice.eth", 0n);
    const before = await lookup("alice.eth");
    assert.ok(before.urls.some((url) => url.startsWith("https://alice-gateway.example/ipns/")));
    assert.equal(await callback(ownerRecord.data, before.extraData), result);

    // alice.eth moves to bob (the registry's eth owner reassigns it).
    await f.register("alice.eth", f.bob.account.address);
    // Bob has no recordhash yet: alice's does not apply, the answer is empty without a lookup.
    const empty = await f.resolver.read.resolve([
      dnsEncodeName("alice.eth"),
      encodeRecordCall(node, avatar),
    ]);
    assert.equal(empty, encodeRecordValue(avatar, ""));

    const bobKey = (await makeIpnsKey(2)).key;
    await f.resolver.write.setRecordhash([node, bobKey], { account: f.bob.account });
    const after = await lookup("alice.eth");
    assert.ok(!after.urls.some((url) => url.includes("alice-gateway.example")));
    assert.deepEqual(after.urls.slice(0, GATEWAY_SERVICES.length), GATEWAY_SERVICES);
    assert.ok(after.urls.some((url) => url.startsWith(`${IPFS_GATEWAYS[0]}/ipns/`)));
    assert.equal(
      getAddress(decodeExtraData(after.extraData).lookup.owner),
      getAddress(f.bob.account.address),
    );
    const [signer] = await expectError(
      callback(ownerRecord.data, after.extraData),
      "UnapprovedSigner",
    );
    assert.equal(signer, getAddress(f.alice.account.address));
    await expectError(callback(onchainApproved.data, after.extraData), "UnapprovedSigner");
    await expectError(callback(offchainApproved.data, after.extraData), "InvalidApproval");

    const bobRecord = await signRecord({
      name: "alice.eth",
      request: avatar,
      result,
      signer: walletSigner(f.bob),
      owner: f.bob.account.address,
      chainId: f.chainId,
      freshness: { validUntil: (await now()) + DAY, epoch: 0n },
      resolver: f.resolver.address,
    });
    assert.equal(await callback(bobRecord.data, after.extraData), result);
  });

  it("a recordhash left on a deleted subname neither overrides nor blocks the parent's tree", async () => {
    await f.register("sub.alice.eth", f.carol.account.address, f.alice);
    const carolKey = (await makeIpnsKey(3)).key;
    await f.resolver.write.setRecordhash([namehash("sub.alice.eth"), carolKey], {
      account: f.carol.account,
    });
    assert.equal(
      (await f.resolver.read.nameContext([dnsEncodeName("sub.alice.eth")]))[3],
      `0xe5010172002408011220${carolKey.slice(2)}`,
    );
    // Alice deletes the subname: its lookups read alice's tree, not carol's.
    await registerName(asAccount(f.ens, f.alice), "sub.alice.eth", zeroAddress);
    const [owner, , , recordhash] = await f.resolver.read.nameContext([
      dnsEncodeName("sub.alice.eth"),
    ]);
    assert.equal(owner, getAddress(f.alice.account.address));
    assert.equal(recordhash, `0xe5010172002408011220${aliceKey.slice(2)}`);
    // Alice can set and clear her own settings on a node she does not own in the registry.
    await f.resolver.write.setRecordhash([namehash("sub.alice.eth"), (await makeIpnsKey(4)).key], {
      account: f.alice.account,
    });
    await f.resolver.write.setRecordhash([namehash("sub.alice.eth"), "0x"], {
      account: f.alice.account,
    });
    assert.equal(
      (await f.resolver.read.nameContext([dnsEncodeName("sub.alice.eth")]))[3],
      `0xe5010172002408011220${aliceKey.slice(2)}`,
    );
  });

  it("a redeployment: a record bound to one resolver is rejected by another", async () => {
    const other = await f.viem.deployContract("EnsgateResolver", [
      f.ens.address,
      f.wrapper.address,
      f.registrar.address,
      f.admin.account.address,
      IPFS_GATEWAYS,
      GATEWAY_SERVICES,
    ]);
    await other.write.setRecordhash([namehash("alice.eth"), aliceKey], {
      account: f.alice.account,
    });
    const record = await delegateRecord("alice.eth", 0n);
    // Revoked on the first deployment...
    await f.resolver.write.bumpEpoch([namehash("alice.eth")], { account: f.alice.account });
    await expectError(callback(record.data, (await lookup("alice.eth")).extraData), "StaleEpoch");
    // ...and never valid on the second, whose epoch is still 0.
    const otherLookup = await lookup("alice.eth", other.address);
    assert.equal(decodeExtraData(otherLookup.extraData).lookup.epoch, 0n);
    await expectError(
      callback(record.data, otherLookup.extraData, other),
      "InvalidRecordSignature",
    );
    // A record bound to the second deployment verifies there.
    const bound = await delegateRecord("alice.eth", 0n, f.alice, other.address);
    assert.equal(await callback(bound.data, otherLookup.extraData, other), result);
  });

  it("an unwrapped .eth 2LD past expiry and grace is owned by nobody, its subnames too", async () => {
    await f.register("www.alice.eth", f.alice.account.address, f.alice);
    const t = await now();
    // Expired 89 days ago: still in the grace period.
    await setNameExpires(f.registrar, "alice.eth", t - 89n * DAY);
    assert.equal((await lookup("alice.eth")).urls.length > 0, true);
    // Expired 91 days ago: the registry still names alice, the resolver does not.
    await setNameExpires(f.registrar, "alice.eth", t - 91n * DAY);
    for (const name of ["alice.eth", "www.alice.eth", "deep.www.alice.eth"]) {
      const [ownedUntil] = await expectError(
        f.lookupClient.readContract({
          address: f.resolver.address,
          abi: f.resolver.abi,
          functionName: "resolve",
          args: [dnsEncodeName(name), encodeRecordCall(namehash(name), avatar)],
        }),
        "NameExpired",
      );
      assert.equal(ownedUntil, t - 91n * DAY + 90n * DAY);
    }
    await expectError(f.resolver.read.nameContext([dnsEncodeName("www.alice.eth")]), "NameExpired");
  });

  it("the top-level owner is never a records owner: an unregistered 2LD is NameNotFound", async () => {
    await expectError(f.resolver.read.nameContext([dnsEncodeName("nobody.eth")]), "NameNotFound");
  });

  it("settings of someone who does not own the name have no effect", async () => {
    const node = namehash("alice.eth");
    await f.resolver.write.setRecordhash([node, (await makeIpnsKey(9)).key], {
      account: f.dave.account,
    });
    await f.resolver.write.bumpEpoch([node], { account: f.dave.account });
    await f.resolver.write.approve([node, DELEGATE.address, true], { account: f.dave.account });
    const [owner, , epoch, recordhash] = await f.resolver.read.nameContext([
      dnsEncodeName("alice.eth"),
    ]);
    assert.equal(owner, getAddress(f.alice.account.address));
    assert.equal(epoch, 0n);
    assert.equal(recordhash, `0xe5010172002408011220${aliceKey.slice(2)}`);
    const onchain = await signRecord({
      name: "alice.eth",
      request: avatar,
      result,
      signer: DELEGATE,
      owner: f.alice.account.address,
      chainId: f.chainId,
      freshness: { validUntil: (await now()) + DAY, epoch: 0n },
      resolver: f.resolver.address,
    });
    await expectError(
      callback(onchain.data, (await lookup("alice.eth")).extraData),
      "UnapprovedSigner",
    );
  });

  it("the top-level node's settings never count, on-chain approvals included", async () => {
    const eth = namehash("eth");
    await f.resolver.write.approve([eth, DELEGATE.address, true], { account: f.alice.account });
    await f.resolver.write.bumpEpoch([eth], { account: f.alice.account });
    await f.resolver.write.setRecordhash([namehash("alice.eth"), "0x"], {
      account: f.alice.account,
    });
    await f.resolver.write.setRecordhash([eth, aliceKey], { account: f.alice.account });
    const [, , epoch, recordhash] = await f.resolver.read.nameContext([dnsEncodeName("alice.eth")]);
    assert.deepEqual([epoch, recordhash], [0n, "0x"]);
    await f.resolver.write.setRecordhash([namehash("alice.eth"), aliceKey], {
      account: f.alice.account,
    });
    const onchain = await signRecord({
      name: "alice.eth",
      request: avatar,
      result,
      signer: DELEGATE,
      owner: f.alice.account.address,
      chainId: f.chainId,
      freshness: { validUntil: (await now()) + DAY, epoch: 0n },
      resolver: f.resolver.address,
    });
    await expectError(
      callback(onchain.data, (await lookup("alice.eth")).extraData),
      "UnapprovedSigner",
    );
  });

  it("names: 63-byte labels and 255-byte names pass the grammar, 64 and 256 do not", async () => {
    const label63 = "a".repeat(63);
    const name255 = `${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.${"e".repeat(61)}`;
    assert.equal(dnsEncodeName(name255).length, 2 + 255 * 2);
    // Grammar ok: the walk runs and finds no owner.
    await expectError(
      f.resolver.read.nameContext([dnsEncodeName(`${label63}.eth`)]),
      "NameNotFound",
    );
    await expectError(f.resolver.read.nameContext([dnsEncodeName(name255)]), "NameNotFound");
    // Built by hand: the library refuses to encode them.
    const label64 = `0x40${"61".repeat(64)}0365746800` as Hex;
    await expectError(f.resolver.read.nameContext([label64]), "InvalidDnsName");
    const name254 = dnsEncodeName(
      `${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.${"e".repeat(60)}`,
    );
    assert.equal((name254.length - 2) / 2, 254);
    const name256 = `0x0166${name254.slice(2)}` as Hex;
    await expectError(f.resolver.read.nameContext([name256]), "InvalidDnsName");
  });
});

async function asAccountWrite(
  f: Fixture,
  wallet: Fixture["alice"],
  functionName: string,
  args: readonly unknown[],
) {
  const hash = await wallet.writeContract({
    address: f.ens.address,
    abi: f.ens.abi,
    functionName,
    args,
    account: wallet.account,
  } as never);
  await f.publicClient.waitForTransactionReceipt({ hash });
}

async function wrapperWrite(
  f: Fixture,
  wallet: Fixture["alice"],
  functionName: string,
  args: readonly unknown[],
) {
  const hash = await wallet.writeContract({
    address: f.wrapper.address,
    abi: f.wrapper.abi,
    functionName,
    args,
    account: wallet.account,
  } as never);
  await f.publicClient.waitForTransactionReceipt({ hash });
}
