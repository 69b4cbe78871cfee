// The certificate authority rule of the resolver: lookups of the certificate record types (text
// `org.ensgate.tls.chain`, TLSA = dnsRecord resource 52) go to the CA's tree with the CA's signer
// as the owner; the CA's signer counts for nothing else; the owner's tree cannot override them.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { encodeAbiParameters, getAddress, type Hex, keccak256, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  certificateRecordRequests,
  isCertificateRecordRequest,
} from "../../lib/certs/certificateRecordTypes.ts";
import {
  decodeResolveOffchainCall,
  dnsEncodeName,
  encodeRecordCall,
  encodeRecordValue,
  hashDnsOwnerName,
  namehash,
  type RecordRequest,
  signRecord,
} from "../../lib/index.ts";
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
const TLSA_LINE = `_443._tcp.www.alice.eth. 3600 IN TLSA 3 1 1 ${"ab".repeat(32)}`;

describe("EnsgateResolver: certificate authority records", () => {
  let f: Fixture;
  let caKey: Hex;
  let ownerKey: Hex;
  const name = "www.alice.eth";
  const { chain, tlsa } = certificateRecordRequests(name);
  const records: [RecordRequest, string][] = [
    [chain, PEM],
    [tlsa, TLSA_LINE],
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
  const sign = (
    request: RecordRequest,
    value: string,
    signer: Parameters<typeof signRecord>[0]["signer"],
    owner: Hex,
    epoch = 0n,
  ) =>
    signRecord({
      name,
      request,
      result: encodeRecordValue(request, value),
      signer,
      owner: owner as `0x${string}`,
      chainId: f.chainId,
      freshness: { validUntil: 2n ** 40n, epoch },
      resolver: f.resolver.address,
    });

  it("the contract's certificate record types are lib's isCertificateRecordRequest", () => {
    assert.ok(isCertificateRecordRequest(chain));
    assert.ok(isCertificateRecordRequest(tlsa));
    assert.ok(
      isCertificateRecordRequest({
        type: "dnsRecord",
        nameHash: hashDnsOwnerName("_25._tcp.mail.alice.eth"),
        resource: 52,
      }),
    );
    assert.ok(!isCertificateRecordRequest({ type: "text", key: "org.ensgate.tls.chainx" }));
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
      f.resolver.simulate.setCertificateAuthority(
        ["0x0000000000000000000000000000000000000000", caKey],
        { account: f.admin.account.address },
      ),
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

  it("certificate lookups go to the CA's tree with the CA signer as the owner", async () => {
    for (const [request] of records) {
      const { callData, extraData, urls } = await lookup(request);
      const call = decodeResolveOffchainCall(callData);
      assert.equal(call.owner, CA.address);
      assert.equal(call.epoch, 0n);
      assert.equal(call.recordhash, `0xe5010172002408011220${caKey.slice(2)}`);
      const { lookup: decoded } = decodeExtraData(extraData);
      assert.equal(decoded.owner, CA.address);
      // No owner nodes: on-chain approvals of any owner never reach a certificate record.
      assert.deepEqual(decoded.nodes, []);
      const caCid = (await makeIpnsKey(2)).cid;
      assert.ok(
        urls.some((url) => url.includes(caCid)),
        "IPFS URLs point at the CA's tree",
      );
    }
    // Any other record of the same name still goes to the owner's tree.
    const other = decodeResolveOffchainCall(
      (await lookup({ type: "text", key: "avatar" })).callData,
    );
    assert.equal(other.owner, getAddress(f.alice.account.address));
  });

  it("a CA-signed certificate record verifies (text chain and TLSA)", async () => {
    for (const [request, value] of records) {
      const { extraData } = await lookup(request);
      const file = await sign(request, value, CA, CA.address);
      assert.equal(await callback(file.data, extraData), encodeRecordValue(request, value));
    }
  });

  it("the owner's signature on a certificate record type is rejected (UnapprovedSigner)", async () => {
    for (const [request, value] of records) {
      const { extraData } = await lookup(request);
      const file = await sign(request, value, walletSigner(f.alice), f.alice.account.address);
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
    const file = await sign(chain, PEM, delegate, f.alice.account.address);
    await expectError(callback(file.data, extraData), "UnapprovedSigner");
  });

  it("a CA signature on a non-certificate record is rejected (UnapprovedSigner)", async () => {
    const avatar: RecordRequest = { type: "text", key: "avatar" };
    const a: RecordRequest = { type: "dnsRecord", nameHash: hashDnsOwnerName(name), resource: 1 };
    for (const [request, value] of [
      [avatar, "https://evil.example/a.png"],
      [a, `${name}. 300 IN A 192.0.2.66`],
    ] as [RecordRequest, string][]) {
      const { extraData } = await lookup(request);
      for (const owner of [CA.address, f.alice.account.address] as Hex[]) {
        const file = await sign(request, value, CA, owner);
        const [signer] = await expectError(callback(file.data, extraData), "UnapprovedSigner");
        assert.equal(signer, CA.address);
      }
    }
  });

  it("bumpCertificateAuthorityEpoch revokes earlier CA records (StaleEpoch)", async () => {
    const file = await sign(chain, PEM, CA, CA.address);
    await f.resolver.write.bumpCertificateAuthorityEpoch({ account: f.admin.account });
    const { extraData } = await lookup(chain);
    await expectError(callback(file.data, extraData), "StaleEpoch");
    const fresh = await sign(chain, PEM, CA, CA.address, 1n);
    assert.equal(await callback(fresh.data, extraData), encodeRecordValue(chain, PEM));
  });

  it("clearing the CA makes certificate lookups answer empty", async () => {
    await f.resolver.write.setCertificateAuthority(
      ["0x0000000000000000000000000000000000000000", "0x"],
      { account: f.admin.account },
    );
    const answer = await f.resolver.read.resolve([
      dnsEncodeName(name),
      encodeRecordCall(namehash(name), tlsa),
    ]);
    assert.equal(answer, encodeAbiParameters([{ type: "bytes" }], ["0x"]));
  });
});
