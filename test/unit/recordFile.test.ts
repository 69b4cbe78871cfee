import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  concatHex,
  encodeAbiParameters,
  type Hex,
  hexToBigInt,
  keccak256,
  numberToHex,
  parseAbiParameters,
  slice,
  toFunctionSelector,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  assertRecordValid,
  decodeSignedRecordData,
  encodeRecordValue,
  encodeSignedRecordData,
  MalformedRecordError,
  parseRecordFile,
  type RecordRequest,
  type RecordVerificationContext,
  RecordVerificationError,
  SIGNED_RECORD_V1_SELECTOR,
  SIGNED_RECORD_V2_SELECTOR,
  serializeRecordFile,
  signApproval,
  signRecord,
  verifyRecord,
} from "../../lib/index.ts";

const OWNER = privateKeyToAccount(
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
);
const SIGNER = privateKeyToAccount(
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
);
const STRANGER = privateKeyToAccount(
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
);

const NAME = "alice.eth";
const CHAIN_ID = 1;
const AVATAR: RecordRequest = { type: "text", key: "avatar" };
const RESULT = encodeRecordValue(AVATAR, "https://example.com/avatar.png");
const NOW = 1_800_000_000n;
const FRESH = { validUntil: NOW + 3600n, epoch: 2n };

const context = (
  overrides: Partial<RecordVerificationContext> = {},
): RecordVerificationContext => ({
  name: NAME,
  request: AVATAR,
  chainId: CHAIN_ID,
  owner: OWNER.address,
  epoch: 0n,
  now: NOW,
  ...overrides,
});

async function ownerRecord(freshness?: typeof FRESH) {
  return signRecord({
    name: NAME,
    request: AVATAR,
    result: RESULT,
    signer: OWNER,
    owner: OWNER.address,
    chainId: CHAIN_ID,
    freshness,
  });
}

async function rejection(data: Hex, ctx: RecordVerificationContext) {
  const verification = await verifyRecord(data, ctx);
  assert.equal(verification.valid, false, "expected the record to be rejected");
  return verification.valid ? undefined : verification.reason;
}

describe("record data encoding", () => {
  it("uses the NameSys signedRecord selector for v1 and a distinct one for v2", () => {
    assert.equal(
      SIGNED_RECORD_V1_SELECTOR,
      toFunctionSelector("signedRecord(address,bytes,bytes,bytes)"),
    );
    assert.equal(
      SIGNED_RECORD_V2_SELECTOR,
      toFunctionSelector("signedRecordV2(address,bytes,bytes,bytes,uint64,uint64)"),
    );
    assert.notEqual(SIGNED_RECORD_V1_SELECTOR, SIGNED_RECORD_V2_SELECTOR);
  });

  it("round-trips v1 and v2 payloads", async () => {
    for (const file of [await ownerRecord(), await ownerRecord(FRESH)]) {
      const decoded = decodeSignedRecordData(file.data);
      assert.equal(encodeSignedRecordData(decoded), file.data);
    }
  });

  it("rejects malformed payloads", () => {
    assert.throws(() => decodeSignedRecordData("0x"), MalformedRecordError);
    assert.throws(() => decodeSignedRecordData("0xdeadbeef"), /unknown record selector 0xdeadbeef/);
    assert.throws(
      () => decodeSignedRecordData(`${SIGNED_RECORD_V1_SELECTOR}00`),
      /do not ABI-decode/,
    );
  });

  it("parses and rejects record files", async () => {
    const file = await ownerRecord(FRESH);
    assert.deepEqual(parseRecordFile(serializeRecordFile(file)), file);
    assert.throws(() => parseRecordFile("nope"), /not JSON/);
    assert.throws(() => parseRecordFile("[]"), /not a JSON object/);
    assert.throws(() => parseRecordFile('{"data":"xyz"}'), /"data" must be a 0x-hex string/);
    assert.throws(
      () => parseRecordFile('{"data":"0x","signer":"bob"}'),
      /"signer" must be an address/,
    );
    assert.throws(
      () => parseRecordFile('{"data":"0x","version":3}'),
      /unknown record file version 3/,
    );
  });
});

describe("NameSys compatibility", () => {
  it("verifies a v1 file built by hand from the NameSys format", async () => {
    // Built without the library's signing code: the literal SIGN 3/4 templates of the deployed contract.
    const message =
      "Requesting Signature To Update ENS Record\n\nOrigin: alice.eth\nRecord Type: text/avatar\n" +
      `Extradata: ${keccak256(RESULT)}\nSigned By: eip155:1:${SIGNER.address}`;
    const recordSignature = await SIGNER.signMessage({ message });
    const approval = await OWNER.signMessage({
      message:
        "Requesting Signature To Approve ENS Records Signer\n\nOrigin: alice.eth\n" +
        `Approved Signer: eip155:1:${SIGNER.address}\nApproved By: eip155:1:${OWNER.address}`,
    });
    const data = concatHex([
      toFunctionSelector("signedRecord(address,bytes,bytes,bytes)"),
      encodeAbiParameters(parseAbiParameters("address, bytes, bytes, bytes"), [
        SIGNER.address,
        recordSignature,
        approval,
        RESULT,
      ]),
    ]);
    const json = JSON.stringify({
      domain: NAME,
      data,
      raw: "https://example.com/avatar.png",
      timestamp: 1700000000000,
      signer: SIGNER.address,
      controller: OWNER.address,
      managerSignature: approval,
      recordSignature,
    });
    const verification = await verifyRecord(parseRecordFile(json).data, context());
    assert.deepEqual(
      verification.valid && {
        rule: verification.rule,
        version: verification.version,
        signer: verification.signer,
      },
      { rule: "offchainApproval", version: 1, signer: SIGNER.address },
    );
  });
});

describe("verification: accepted signers", () => {
  it("accepts the owner (v1 and v2)", async () => {
    const v1 = await verifyRecord((await ownerRecord()).data, context());
    assert.equal(v1.valid && v1.rule, "owner");
    const v2 = await verifyRecord((await ownerRecord(FRESH)).data, context({ epoch: 2n }));
    assert.deepEqual(v2.valid && [v2.rule, v2.version, v2.validUntil, v2.epoch, v2.answer], [
      "owner",
      2,
      FRESH.validUntil,
      2n,
      RESULT,
    ]);
  });

  it("accepts a signer approved on-chain", async () => {
    const file = await signRecord({
      name: NAME,
      request: AVATAR,
      result: RESULT,
      signer: SIGNER,
      owner: OWNER.address,
      chainId: CHAIN_ID,
    });
    const verification = await verifyRecord(
      file.data,
      context({ isApprovedOnChain: (s) => s === SIGNER.address }),
    );
    assert.equal(verification.valid && verification.rule, "onchainApproval");
  });

  it("accepts a signer approved off-chain by SIGN 3 (v1 and v2)", async () => {
    const v1Approval = await signApproval({
      name: NAME,
      signer: SIGNER.address,
      owner: OWNER,
      chainId: CHAIN_ID,
    });
    const v1 = await signRecord({
      name: NAME,
      request: AVATAR,
      result: RESULT,
      signer: SIGNER,
      owner: OWNER.address,
      chainId: CHAIN_ID,
      approvalSignature: v1Approval,
    });
    const v1Check = await verifyRecord(v1.data, context());
    assert.equal(v1Check.valid && v1Check.rule, "offchainApproval");

    const v2Approval = await signApproval({
      name: NAME,
      signer: SIGNER.address,
      owner: OWNER,
      chainId: CHAIN_ID,
      epoch: 2n,
    });
    const v2 = await signRecord({
      name: NAME,
      request: AVATAR,
      result: RESULT,
      signer: SIGNER,
      owner: OWNER.address,
      chainId: CHAIN_ID,
      approvalSignature: v2Approval,
      freshness: FRESH,
    });
    const v2Check = await verifyRecord(v2.data, context({ epoch: 2n }));
    assert.equal(v2Check.valid && v2Check.rule, "offchainApproval");
  });

  it("accepts a v2 record up to and including validUntil", async () => {
    const file = await ownerRecord(FRESH);
    assert.equal(
      (await verifyRecord(file.data, context({ epoch: 2n, now: FRESH.validUntil }))).valid,
      true,
    );
  });
});

describe("verification: one negative test per rule", () => {
  it("tampered value -> invalidRecordSignature", async () => {
    const record = decodeSignedRecordData((await ownerRecord()).data);
    const tampered = encodeSignedRecordData({
      ...record,
      result: encodeRecordValue(AVATAR, "https://evil.example/x.png"),
    });
    assert.equal(await rejection(tampered, context()), "invalidRecordSignature");
  });

  it("tampered signature -> invalidRecordSignature", async () => {
    const record = decodeSignedRecordData((await ownerRecord()).data);
    const flipped = numberToHex(hexToBigInt(slice(record.recordSignature, 0, 32)) ^ 1n, {
      size: 32,
    });
    const recordSignature = concatHex([flipped, slice(record.recordSignature, 32)]);
    assert.equal(
      await rejection(encodeSignedRecordData({ ...record, recordSignature }), context()),
      "invalidRecordSignature",
    );
  });

  it("high-s (malleable) signature -> invalidRecordSignature", async () => {
    const record = decodeSignedRecordData((await ownerRecord()).data);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = n - hexToBigInt(slice(record.recordSignature, 32, 64));
    const v = Number(hexToBigInt(slice(record.recordSignature, 64, 65))) === 27 ? "0x1c" : "0x1b";
    const recordSignature = concatHex([
      slice(record.recordSignature, 0, 32),
      numberToHex(s, { size: 32 }),
      v,
    ]);
    assert.equal(
      await rejection(encodeSignedRecordData({ ...record, recordSignature }), context()),
      "invalidRecordSignature",
    );
  });

  it("wrong domain -> invalidRecordSignature", async () => {
    assert.equal(
      await rejection((await ownerRecord()).data, context({ name: "bob.eth" })),
      "invalidRecordSignature",
    );
  });

  it("wrong record type -> invalidRecordSignature", async () => {
    assert.equal(
      await rejection(
        (await ownerRecord()).data,
        context({ request: { type: "text", key: "url" } }),
      ),
      "invalidRecordSignature",
    );
  });

  it("wrong chain id -> invalidRecordSignature", async () => {
    assert.equal(
      await rejection((await ownerRecord()).data, context({ chainId: 5 })),
      "invalidRecordSignature",
    );
  });

  it("unapproved signer -> unapprovedSigner", async () => {
    const file = await signRecord({
      name: NAME,
      request: AVATAR,
      result: RESULT,
      signer: STRANGER,
      owner: OWNER.address,
      chainId: CHAIN_ID,
    });
    assert.equal(
      await rejection(file.data, context({ isApprovedOnChain: (s) => s === SIGNER.address })),
      "unapprovedSigner",
    );
  });

  it("approval by a non-owner -> invalidApproval", async () => {
    const approval = await signApproval({
      name: NAME,
      signer: SIGNER.address,
      owner: STRANGER,
      chainId: CHAIN_ID,
    });
    const file = await signRecord({
      name: NAME,
      request: AVATAR,
      result: RESULT,
      signer: SIGNER,
      owner: OWNER.address,
      chainId: CHAIN_ID,
      approvalSignature: approval,
    });
    assert.equal(await rejection(file.data, context()), "invalidApproval");
  });

  it("approval for another name -> invalidApproval", async () => {
    const approval = await signApproval({
      name: "bob.eth",
      signer: SIGNER.address,
      owner: OWNER,
      chainId: CHAIN_ID,
    });
    const file = await signRecord({
      name: NAME,
      request: AVATAR,
      result: RESULT,
      signer: SIGNER,
      owner: OWNER.address,
      chainId: CHAIN_ID,
      approvalSignature: approval,
    });
    assert.equal(await rejection(file.data, context()), "invalidApproval");
  });

  it("v1 approval on a v2 record, or a v2 approval of another epoch -> invalidApproval", async () => {
    for (const epoch of [undefined, 1n]) {
      const approval = await signApproval({
        name: NAME,
        signer: SIGNER.address,
        owner: OWNER,
        chainId: CHAIN_ID,
        epoch,
      });
      const file = await signRecord({
        name: NAME,
        request: AVATAR,
        result: RESULT,
        signer: SIGNER,
        owner: OWNER.address,
        chainId: CHAIN_ID,
        approvalSignature: approval,
        freshness: FRESH,
      });
      assert.equal(await rejection(file.data, context({ epoch: 2n })), "invalidApproval");
    }
  });

  it("expired v2 record -> recordExpired", async () => {
    const file = await ownerRecord(FRESH);
    assert.equal(
      await rejection(file.data, context({ epoch: 2n, now: FRESH.validUntil + 1n })),
      "recordExpired",
    );
  });

  it("v2 record under an old epoch -> staleEpoch", async () => {
    assert.equal(
      await rejection((await ownerRecord(FRESH)).data, context({ epoch: 3n })),
      "staleEpoch",
    );
  });

  it("v1 record after the owner raised the epoch -> staleEpoch", async () => {
    assert.equal(await rejection((await ownerRecord()).data, context({ epoch: 1n })), "staleEpoch");
  });

  it("v2 record from a future epoch -> futureEpoch", async () => {
    assert.equal(
      await rejection((await ownerRecord(FRESH)).data, context({ epoch: 1n })),
      "futureEpoch",
    );
  });

  it("malformed data -> malformedRecord", async () => {
    assert.equal(await rejection("0x1234", context()), "malformedRecord");
  });

  it("result that does not decode as the record's type -> invalidResult", async () => {
    const record = decodeSignedRecordData((await ownerRecord()).data);
    const bogus = encodeSignedRecordData({ ...record, result: "0x1234" });
    assert.equal(await rejection(bogus, context()), "invalidResult");
  });

  it("assertRecordValid throws the typed error", async () => {
    await assert.rejects(
      assertRecordValid((await ownerRecord()).data, context({ chainId: 10 })),
      (error: unknown) =>
        error instanceof RecordVerificationError && error.reason === "invalidRecordSignature",
    );
  });
});
