import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeAbiParameters } from "viem";
import {
  buildApprovalMessage,
  buildIpnsKeygenMessage,
  buildKeygenExtradata,
  buildKeygenOrigin,
  buildRecordMessage,
  buildSignerKeygenMessage,
  formatCaip10,
  MissingResolverError,
  type RecordMessageParameters,
} from "../../lib/index.ts";

// Lowercase on purpose: every message must carry the EIP-55 form.
const WALLET = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const WALLET_CHECKSUMMED = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const SIGNER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const SIGNER_CHECKSUMMED = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const RESOLVER = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const RESOLVER_CHECKSUMMED = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("CAIP-10", () => {
  it("checksums the address", () => {
    assert.equal(formatCaip10(1, WALLET), `eip155:1:${WALLET_CHECKSUMMED}`);
    assert.equal(formatCaip10(31337n, SIGNER), `eip155:31337:${SIGNER_CHECKSUMMED}`);
  });
});

describe("SIGN 1 / SIGN 2 (key generation)", () => {
  // keccak256(abi.encodePacked(keccak256(abi.encodePacked("key1")), wallet)), fixed.
  const extradataKey1 = "0xc960dfcb09d2fbd78d57d7ea86fd988b4e72104074767f80cd1a179719884001";

  it("Extradata hashes the password hash packed with the wallet", () => {
    assert.equal(buildKeygenExtradata("key1", WALLET), extradataKey1);
    assert.notEqual(buildKeygenExtradata("", WALLET), extradataKey1);
  });

  it("Origin is the name, or eth:<wallet> for wallet-wide keys", () => {
    assert.equal(buildKeygenOrigin({ name: "nick.eth", wallet: WALLET }), "nick.eth");
    assert.equal(buildKeygenOrigin({ wallet: WALLET }), `eth:${WALLET_CHECKSUMMED}`);
  });

  it("SIGN 1 matches the NameSys text", () => {
    assert.equal(
      buildIpnsKeygenMessage({ origin: "nick.eth", password: "key1", chainId: 1, wallet: WALLET }),
      "Requesting Signature To Generate IPNS Key\n\nOrigin: nick.eth\nKey Type: ed25519\n" +
        `Extradata: ${extradataKey1}\nSigned By: eip155:1:${WALLET_CHECKSUMMED}`,
    );
  });

  it("SIGN 2 matches the NameSys text", () => {
    assert.equal(
      buildSignerKeygenMessage({
        origin: "nick.eth",
        password: "key1",
        chainId: 1,
        wallet: WALLET,
      }),
      "Requesting Signature To Generate ENS Records Signer\n\nOrigin: nick.eth\nKey Type: secp256k1\n" +
        `Extradata: ${extradataKey1}\nSigned By: eip155:1:${WALLET_CHECKSUMMED}`,
    );
  });
});

describe("SIGN 3 (approval)", () => {
  it("v1 matches the deployed NameSys text", () => {
    assert.equal(
      buildApprovalMessage({ name: "nick.eth", signer: SIGNER, owner: WALLET, chainId: 1 }),
      "Requesting Signature To Approve ENS Records Signer\n\nOrigin: nick.eth\n" +
        `Approved Signer: eip155:1:${SIGNER_CHECKSUMMED}\nApproved By: eip155:1:${WALLET_CHECKSUMMED}`,
    );
  });
  it("v1 ignores a resolver: still byte-identical", () => {
    assert.equal(
      buildApprovalMessage({
        name: "nick.eth",
        signer: SIGNER,
        owner: WALLET,
        chainId: 1,
        resolver: RESOLVER,
      }),
      buildApprovalMessage({ name: "nick.eth", signer: SIGNER, owner: WALLET, chainId: 1 }),
    );
  });
  it("v2 adds Epoch and Resolver before Approved By", () => {
    assert.equal(
      buildApprovalMessage({
        name: "nick.eth",
        signer: SIGNER,
        owner: WALLET,
        chainId: 5,
        epoch: 3n,
        resolver: RESOLVER,
      }),
      "Requesting Signature To Approve ENS Records Signer\n\nOrigin: nick.eth\n" +
        `Approved Signer: eip155:5:${SIGNER_CHECKSUMMED}\nEpoch: 3\n` +
        `Resolver: eip155:5:${RESOLVER_CHECKSUMMED}\nApproved By: eip155:5:${WALLET_CHECKSUMMED}`,
    );
  });
  it("v2 without a resolver is a MissingResolverError", () => {
    assert.throws(
      () =>
        buildApprovalMessage({
          name: "nick.eth",
          signer: SIGNER,
          owner: WALLET,
          chainId: 5,
          epoch: 0n,
        }),
      (error: unknown) =>
        error instanceof MissingResolverError &&
        error.shortMessage ===
          "A v2 SIGN 3 (approval) message needs the resolver address (`resolver`).",
    );
  });
});

describe("SIGN 4 (record)", () => {
  const result = encodeAbiParameters([{ type: "string" }], ["https://example.com/avatar.png"]);
  // keccak256(abi.encode("https://example.com/avatar.png")), fixed.
  const extradata = "0x915d95260a8672e69ca6cefc4066fa650088f837b911a5c425ef1d0c558669bd";

  it("v1 matches the deployed NameSys text", () => {
    assert.equal(
      buildRecordMessage({
        name: "nick.eth",
        recordType: "text/avatar",
        result,
        signer: SIGNER,
        chainId: 1,
      }),
      "Requesting Signature To Update ENS Record\n\nOrigin: nick.eth\nRecord Type: text/avatar\n" +
        `Extradata: ${extradata}\nSigned By: eip155:1:${SIGNER_CHECKSUMMED}`,
    );
  });

  it("v1 ignores a resolver: still byte-identical", () => {
    const v1: RecordMessageParameters = {
      name: "nick.eth",
      recordType: "text/avatar",
      result,
      signer: SIGNER,
      chainId: 1,
    };
    assert.equal(buildRecordMessage({ ...v1, resolver: RESOLVER }), buildRecordMessage(v1));
  });

  it("v2 adds Valid Until, Epoch and Resolver before Signed By", () => {
    assert.equal(
      buildRecordMessage({
        name: "sub.nick.eth",
        recordType: "address/60",
        result,
        signer: SIGNER,
        chainId: 11155111,
        freshness: { validUntil: 1_800_000_000n, epoch: 2n },
        resolver: RESOLVER,
      }),
      "Requesting Signature To Update ENS Record\n\nOrigin: sub.nick.eth\nRecord Type: address/60\n" +
        `Extradata: ${extradata}\nValid Until: 1800000000\nEpoch: 2\n` +
        `Resolver: eip155:11155111:${RESOLVER_CHECKSUMMED}\n` +
        `Signed By: eip155:11155111:${SIGNER_CHECKSUMMED}`,
    );
  });

  it("v2 binds the resolver: another deployment is another message", () => {
    const v2: RecordMessageParameters = {
      name: "nick.eth",
      recordType: "text/avatar",
      result,
      signer: SIGNER,
      chainId: 1,
      freshness: { validUntil: 1_800_000_000n, epoch: 0n },
    };
    assert.notEqual(
      buildRecordMessage({ ...v2, resolver: RESOLVER }),
      buildRecordMessage({ ...v2, resolver: WALLET }),
    );
  });

  it("v2 without a resolver is a MissingResolverError", () => {
    assert.throws(
      () =>
        buildRecordMessage({
          name: "nick.eth",
          recordType: "text/avatar",
          result,
          signer: SIGNER,
          chainId: 1,
          freshness: { validUntil: 1_800_000_000n, epoch: 0n },
        }),
      (error: unknown) =>
        error instanceof MissingResolverError &&
        error.shortMessage ===
          "A v2 SIGN 4 (record) message needs the resolver address (`resolver`).",
    );
  });
});
