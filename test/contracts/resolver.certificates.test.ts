// The certificate authority rule of the resolver: lookups of the CA's text keys
// (`org.ensgate.ca.*`) walk the registry like every other lookup, go to the CA's tree with the
// CA's signer as the signer of record, and verify only for the owner the certificate was issued
// to (SIGN 4 `Name Owner`). The CA's signer counts for nothing else, and every other record type,
// TLSA included, is the owner's.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  type Address,
  encodeAbiParameters,
  getAddress,
  type Hex,
  keccak256,
  stringToHex,
  zeroAddress,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  certificateRecordRequests,
  isCertificateRecordRequest,
  ownerTlsaRecordRequest,
} from "../../lib/certs/certificateRecordTypes.ts";
import {
  decodeResolveOffchainCall,
  decodeSignedRecordData,
  dnsEncodeName,
  encodeRecordCall,
  encodeRecordValue,
  encodeSignedRecordData,
  hashDnsOwnerName,
  namehash,
  type RecordRequest,
  signRecord,
} from "../../lib/index.ts";
import { setNameExpires } from "../../scripts/stack/ensFixtures.ts";
import {
  decodeExtraData,
  deployFixture,
  expectError,
  type Fixture,
  lookupOf,
  makeIpnsKey,
  walletSigner,
} from "./helpers.ts";

const CA = privateKeyToAccount(keccak256(stringToHex("ensgate test CA signer")));
const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const PIN = `3 1 1 ${"ab".repeat(32)}`;
const DAY = 86_400n;

describe("EnsgateResolver: certificate authority records", () => {
  let f: Fixture;
  let caKey: Hex;
  let ownerKey: Hex;
  const name = "www.alice.eth";
  const { chain, tlsa } = certificateRecordRequests();
  const records: [RecordRequest, string][] = [
    [chain, PEM],
    [tlsa, PIN],
  ];

  before(async () => {
    f = await deployFixture();
    await f.register("alice.eth", f.alice.account.address);
    ownerKey = (await makeIpnsKey(1)).key;
    caKey = (await makeIpnsKey(2)).key;
    await f.resolver.write.setRecordhash([namehash("alice.eth"), ownerKey], {
      account: f.alice.account,
    });
  });

  const lookup = (request: RecordRequest, forName = name) =>
    lookupOf(f, dnsEncodeName(forName), encodeRecordCall(namehash(forName), request));
  const callback = (data: Hex, extraData: Hex) =>
    f.resolver.read.resolveCallback([data, extraData]);
  const now = async () => (await f.publicClient.getBlock()).timestamp;
  /** A v2 record of `name`; `certifiedOwner` makes it a certificate record. */
  const sign = (
    request: RecordRequest,
    value: string,
    signer: Parameters<typeof signRecord>[0]["signer"],
    options: { certifiedOwner?: Address; epoch?: bigint; forName?: string } = {},
  ) =>
    signRecord({
      name: options.forName ?? name,
      request,
      result: encodeRecordValue(request, value),
      signer,
      owner: signer.address,
      chainId: f.chainId,
      freshness: { validUntil: 2n ** 40n, epoch: options.epoch ?? 0n },
      resolver: f.resolver.address,
      certifiedOwner: options.certifiedOwner,
    });

  it("the contract's certificate keys are lib's isCertificateRecordRequest: org.ensgate.ca.* only", async () => {
    assert.ok(isCertificateRecordRequest(chain));
    assert.ok(isCertificateRecordRequest(tlsa));
    assert.ok(isCertificateRecordRequest({ type: "text", key: "org.ensgate.ca.x" }));
    for (const request of [
      { type: "text", key: "org.ensgate.ca." },
      { type: "text", key: "org.ensgate.ca" },
      { type: "text", key: "org.ensgate.tls.chain" },
      { type: "text", key: "Org.ensgate.ca.chain" },
      ownerTlsaRecordRequest(name),
    ] as RecordRequest[])
      assert.ok(!isCertificateRecordRequest(request), JSON.stringify(request));
  });

  it("without a CA, certificate lookups answer empty (no OffchainLookup)", async () => {
    const answer = await f.resolver.read.resolve([
      dnsEncodeName(name),
      encodeRecordCall(namehash(name), chain),
    ]);
    assert.equal(answer, encodeAbiParameters([{ type: "bytes" }], ["0x"]));
  });

  it("setCertificateAuthority by a non-admin reverts OwnableUnauthorizedAccount", async () => {
    await expectError(
      f.resolver.simulate.setCertificateAuthority([CA.address, caKey], {
        account: f.alice.account.address,
      }),
      "OwnableUnauthorizedAccount",
    );
    await expectError(
      f.resolver.simulate.bumpCertificateAuthorityEpoch({ account: f.alice.account.address }),
      "OwnableUnauthorizedAccount",
    );
  });

  it("setCertificateAuthority needs a signer and a recordhash together", async () => {
    await expectError(
      f.resolver.simulate.setCertificateAuthority([CA.address, "0x"], {
        account: f.admin.account.address,
      }),
      "InvalidCertificateAuthority",
    );
    await expectError(
      f.resolver.simulate.setCertificateAuthority([zeroAddress, caKey], {
        account: f.admin.account.address,
      }),
      "InvalidCertificateAuthority",
    );
  });

  it("the admin sets the CA: stored, emitted", async () => {
    const hash = await f.resolver.write.setCertificateAuthority([CA.address, caKey], {
      account: f.admin.account,
    });
    await f.publicClient.waitForTransactionReceipt({ hash });
    const events = await f.resolver.getEvents.CertificateAuthorityChanged();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.args.signer, CA.address);
    const [signer, recordhash, epoch] = await f.resolver.read.certificateAuthority();
    assert.equal(signer, CA.address);
    assert.equal(recordhash, `0xe5010172002408011220${caKey.slice(2)}`);
    assert.equal(epoch, 0n);
  });

  it("certificate lookups go to the CA's tree, carrying the name's current owner", async () => {
    for (const [request] of records) {
      const { callData, extraData, urls } = await lookup(request);
      const call = decodeResolveOffchainCall(callData);
      assert.equal(call.owner, CA.address);
      assert.equal(call.epoch, 0n);
      assert.equal(call.recordhash, `0xe5010172002408011220${caKey.slice(2)}`);
      const { lookup: decoded } = decodeExtraData(extraData);
      assert.equal(decoded.owner, CA.address);
      assert.equal(decoded.nameOwner, getAddress(f.alice.account.address));
      // No owner nodes: on-chain approvals of any owner never reach a certificate record.
      assert.deepEqual(decoded.nodes, []);
      const caCid = (await makeIpnsKey(2)).cid;
      assert.ok(
        urls.some((url) => url.includes(caCid)),
        "IPFS URLs point at the CA's tree",
      );
    }
    // Every other record of the same name, TLSA included, goes to the owner's tree.
    for (const request of [
      { type: "text", key: "avatar" },
      { type: "text", key: "org.ensgate.tls.chain" },
      ownerTlsaRecordRequest(name),
      ownerTlsaRecordRequest(name, 25),
    ] as RecordRequest[]) {
      const { callData, extraData } = await lookup(request);
      assert.equal(decodeResolveOffchainCall(callData).owner, getAddress(f.alice.account.address));
      assert.equal(decodeExtraData(extraData).lookup.nameOwner, zeroAddress);
    }
  });

  it("a name that does not exist gets NameNotFound for a certificate lookup too", async () => {
    for (const missing of ["www.nobody.eth", "nobody.eth"])
      await expectError(
        f.lookupClient.readContract({
          address: f.resolver.address,
          abi: f.resolver.abi,
          functionName: "resolve",
          args: [dnsEncodeName(missing), encodeRecordCall(namehash(missing), chain)],
        }),
        "NameNotFound",
      );
  });

  it("a CA record issued to the current owner verifies (chain and pin)", async () => {
    for (const [request, value] of records) {
      const { extraData } = await lookup(request);
      const file = await sign(request, value, CA, { certifiedOwner: f.alice.account.address });
      assert.equal(await callback(file.data, extraData), encodeRecordValue(request, value));
      assert.equal(
        decodeSignedRecordData(file.data).certifiedOwner,
        getAddress(f.alice.account.address),
      );
    }
  });

  it("a CA record issued to another owner is rejected (CertificateOwnerChanged)", async () => {
    const { extraData } = await lookup(chain);
    const file = await sign(chain, PEM, CA, { certifiedOwner: f.bob.account.address });
    const [certified, current] = await expectError(
      callback(file.data, extraData),
      "CertificateOwnerChanged",
    );
    assert.equal(certified, getAddress(f.bob.account.address));
    assert.equal(current, getAddress(f.alice.account.address));
  });

  it("a certified owner swapped in the response without the CA's signature is InvalidRecordSignature", async () => {
    const { extraData } = await lookup(chain);
    const issuedToBob = await sign(chain, PEM, CA, { certifiedOwner: f.bob.account.address });
    const record = decodeSignedRecordData(issuedToBob.data);
    const forged = encodeSignedRecordData({ ...record, certifiedOwner: f.alice.account.address });
    await expectError(callback(forged, extraData), "InvalidRecordSignature");
  });

  it("a plain v2 record for a certificate key, or a certificate record for any other key, is MalformedRecord", async () => {
    const { extraData } = await lookup(chain);
    const plain = await sign(chain, PEM, CA);
    await expectError(callback(plain.data, extraData), "MalformedRecord");
    const avatar: RecordRequest = { type: "text", key: "avatar" };
    const avatarLookup = await lookup(avatar);
    const certified = await signRecord({
      name,
      request: avatar,
      result: encodeRecordValue(avatar, "https://example.com/a.png"),
      signer: walletSigner(f.alice),
      owner: f.alice.account.address,
      chainId: f.chainId,
      freshness: { validUntil: 2n ** 40n, epoch: 0n },
      resolver: f.resolver.address,
      certifiedOwner: f.alice.account.address,
    });
    await expectError(callback(certified.data, avatarLookup.extraData), "MalformedRecord");
  });

  it("the owner's signature on a certificate key is rejected (UnapprovedSigner)", async () => {
    for (const [request, value] of records) {
      const { extraData } = await lookup(request);
      const file = await sign(request, value, walletSigner(f.alice), {
        certifiedOwner: f.alice.account.address,
      });
      const [signer] = await expectError(callback(file.data, extraData), "UnapprovedSigner");
      assert.equal(signer, getAddress(f.alice.account.address));
    }
  });

  it("the owner's on-chain approval of its own signer does not reach certificate records", async () => {
    const delegate = privateKeyToAccount(keccak256(stringToHex("alice's delegate")));
    await f.resolver.write.approve([namehash("alice.eth"), delegate.address, true], {
      account: f.alice.account,
    });
    const { extraData } = await lookup(chain);
    const file = await sign(chain, PEM, delegate, { certifiedOwner: f.alice.account.address });
    await expectError(callback(file.data, extraData), "UnapprovedSigner");
  });

  it("a CA signature on the owner's records (TLSA included) is rejected (UnapprovedSigner)", async () => {
    const avatar: RecordRequest = { type: "text", key: "avatar" };
    const a: RecordRequest = { type: "dnsRecord", nameHash: hashDnsOwnerName(name), resource: 1 };
    const ownerTlsa = ownerTlsaRecordRequest(name);
    for (const [request, value] of [
      [avatar, "https://evil.example/a.png"],
      [a, `${name}. 300 IN A 192.0.2.66`],
      [ownerTlsa, `_443._tcp.${name}. 300 IN TLSA 3 1 1 ${"cd".repeat(32)}`],
    ] as [RecordRequest, string][]) {
      const { extraData } = await lookup(request);
      const file = await sign(request, value, CA);
      const [signer] = await expectError(callback(file.data, extraData), "UnapprovedSigner");
      assert.equal(signer, CA.address);
    }
  });

  it("the owner's own TLSA records (_443._tcp and _25._tcp) verify with the owner's signature", async () => {
    for (const [port, host] of [
      [443, name],
      [25, "mail.alice.eth"],
    ] as const) {
      const request = ownerTlsaRecordRequest(host, port);
      const value = `_${port}._tcp.${host}. 300 IN TLSA 3 1 1 ${"ef".repeat(32)}`;
      const { extraData } = await lookup(request, host);
      const file = await sign(request, value, walletSigner(f.alice), { forName: host });
      assert.equal(await callback(file.data, extraData), encodeRecordValue(request, value));
    }
  });

  it("a transfer makes the CA's records of the previous owner stop verifying at once; re-issued ones verify", async () => {
    const issuedToAlice = await sign(chain, PEM, CA, { certifiedOwner: f.alice.account.address });
    assert.equal(
      await callback(issuedToAlice.data, (await lookup(chain)).extraData),
      encodeRecordValue(chain, PEM),
    );
    await f.register("alice.eth", f.bob.account.address);
    const after = await lookup(chain);
    assert.equal(
      decodeExtraData(after.extraData).lookup.nameOwner,
      getAddress(f.bob.account.address),
    );
    const [certified, current] = await expectError(
      callback(issuedToAlice.data, after.extraData),
      "CertificateOwnerChanged",
    );
    assert.equal(certified, getAddress(f.alice.account.address));
    assert.equal(current, getAddress(f.bob.account.address));
    const issuedToBob = await sign(chain, PEM, CA, { certifiedOwner: f.bob.account.address });
    assert.equal(await callback(issuedToBob.data, after.extraData), encodeRecordValue(chain, PEM));
    // Back to alice: her record verifies again only because she owns the name again.
    await f.register("alice.eth", f.alice.account.address);
    assert.equal(
      await callback(issuedToAlice.data, (await lookup(chain)).extraData),
      encodeRecordValue(chain, PEM),
    );
  });

  it("a .eth name past expiry and grace gets NameExpired for its certificate lookups", async () => {
    const t = await now();
    await setNameExpires(f.registrar, "alice.eth", t - 91n * DAY);
    await expectError(
      f.lookupClient.readContract({
        address: f.resolver.address,
        abi: f.resolver.abi,
        functionName: "resolve",
        args: [dnsEncodeName(name), encodeRecordCall(namehash(name), chain)],
      }),
      "NameExpired",
    );
    await setNameExpires(f.registrar, "alice.eth", t + 365n * DAY);
  });

  it("bumpCertificateAuthorityEpoch revokes earlier CA records (StaleEpoch)", async () => {
    const file = await sign(chain, PEM, CA, { certifiedOwner: f.alice.account.address });
    await f.resolver.write.bumpCertificateAuthorityEpoch({ account: f.admin.account });
    const { extraData } = await lookup(chain);
    await expectError(callback(file.data, extraData), "StaleEpoch");
    const fresh = await sign(chain, PEM, CA, {
      certifiedOwner: f.alice.account.address,
      epoch: 1n,
    });
    assert.equal(await callback(fresh.data, extraData), encodeRecordValue(chain, PEM));
  });

  it("clearing the CA makes certificate lookups answer empty", async () => {
    await f.resolver.write.setCertificateAuthority([zeroAddress, "0x"], {
      account: f.admin.account,
    });
    const answer = await f.resolver.read.resolve([
      dnsEncodeName(name),
      encodeRecordCall(namehash(name), tlsa),
    ]);
    assert.equal(answer, encodeAbiParameters([{ type: "bytes" }], ["0x"]));
  });
});
