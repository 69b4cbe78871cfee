import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Address,
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
  MissingResolverError,
  normalizeHexBytes,
  parseRecordFile,
  type RecordRequest,
  type RecordVerificationContext,
  RecordVerificationError,
  SIGNED_RECORD_V1_SELECTOR,
  SIGNED_RECORD_V2_SELECTOR,
  serializeRecordFile,
  signApproval,
  signRecord,
  signRecordTree,
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
// Lower case on purpose: files and messages must carry the EIP-55 form.
const RESOLVER: Address = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const RESOLVER_CHECKSUMMED: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const OTHER_RESOLVER: Address = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

const context = (
  overrides: Partial<RecordVerificationContext> = {},
): RecordVerificationContext => ({
  name: NAME,
  request: AVATAR,
  chainId: CHAIN_ID,
  resolver: RESOLVER,
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
    resolver: RESOLVER,
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
      resolver: RESOLVER,
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
      resolver: RESOLVER,
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
        resolver: RESOLVER,
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
        resolver: RESOLVER,
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

describe("v2 records are bound to one resolver deployment", () => {
  it("writes the resolver (EIP-55) into v2 files, and nothing into v1 files", async () => {
    const v2 = await ownerRecord(FRESH);
    assert.equal("resolver" in v2 && v2.resolver, RESOLVER_CHECKSUMMED);
    assert.equal(parseRecordFile(serializeRecordFile(v2)).data, v2.data);
    assert.equal("resolver" in (await ownerRecord()), false);
  });

  it("verifies a v2 file built by hand from the literal SIGN 3/4 v2 text", async () => {
    // Built without the library's message code, so a change to the v2 text fails here.
    const result = RESULT;
    const record =
      "Requesting Signature To Update ENS Record\n\nOrigin: alice.eth\nRecord Type: text/avatar\n" +
      `Extradata: ${keccak256(result)}\nValid Until: ${FRESH.validUntil}\nEpoch: 2\n` +
      `Resolver: eip155:1:${RESOLVER_CHECKSUMMED}\nSigned By: eip155:1:${SIGNER.address}`;
    const approval =
      "Requesting Signature To Approve ENS Records Signer\n\nOrigin: alice.eth\n" +
      `Approved Signer: eip155:1:${SIGNER.address}\nEpoch: 2\n` +
      `Resolver: eip155:1:${RESOLVER_CHECKSUMMED}\nApproved By: eip155:1:${OWNER.address}`;
    const data = concatHex([
      toFunctionSelector("signedRecordV2(address,bytes,bytes,bytes,uint64,uint64)"),
      encodeAbiParameters(parseAbiParameters("address, bytes, bytes, bytes, uint64, uint64"), [
        SIGNER.address,
        await SIGNER.signMessage({ message: record }),
        await OWNER.signMessage({ message: approval }),
        result,
        FRESH.validUntil,
        2n,
      ]),
    ]);
    const verification = await verifyRecord(data, context({ epoch: 2n }));
    assert.deepEqual(verification.valid && [verification.rule, verification.version], [
      "offchainApproval",
      2,
    ]);
  });

  it("a v2 record signed for resolver A -> invalidRecordSignature on resolver B", async () => {
    const file = await ownerRecord(FRESH);
    assert.equal((await verifyRecord(file.data, context({ epoch: 2n }))).valid, true);
    const verification = await verifyRecord(
      file.data,
      context({ epoch: 2n, resolver: OTHER_RESOLVER }),
    );
    assert.deepEqual(!verification.valid && [verification.reason, verification.message], [
      "invalidRecordSignature",
      `SIGN 4 is not signed by ${OWNER.address}`,
    ]);
  });

  it("a v2 approval signed for resolver A on a record for resolver B -> invalidApproval", async () => {
    const approvalSignature = await signApproval({
      name: NAME,
      signer: SIGNER.address,
      owner: OWNER,
      chainId: CHAIN_ID,
      epoch: 2n,
      resolver: RESOLVER,
    });
    const file = await signRecord({
      name: NAME,
      request: AVATAR,
      result: RESULT,
      signer: SIGNER,
      owner: OWNER.address,
      chainId: CHAIN_ID,
      approvalSignature,
      freshness: FRESH,
      resolver: OTHER_RESOLVER,
    });
    assert.equal(
      await rejection(file.data, context({ epoch: 2n, resolver: OTHER_RESOLVER })),
      "invalidApproval",
    );
  });

  it("a v1 record has no binding: it verifies on any resolver", async () => {
    const file = await ownerRecord();
    for (const resolver of [RESOLVER, OTHER_RESOLVER])
      assert.equal((await verifyRecord(file.data, context({ resolver }))).valid, true);
  });

  it("refuses to sign v2 without a resolver (MissingResolverError), before signing anything", async () => {
    let signed = 0;
    const counting = {
      address: OWNER.address,
      signMessage: (parameters: Parameters<typeof OWNER.signMessage>[0]) => {
        signed++;
        return OWNER.signMessage(parameters);
      },
    };
    const base = {
      name: NAME,
      request: AVATAR,
      result: RESULT,
      signer: counting,
      owner: OWNER.address,
      chainId: CHAIN_ID,
    };
    await assert.rejects(signRecord({ ...base, freshness: FRESH }), MissingResolverError);
    await assert.rejects(
      signRecordTree({
        name: NAME,
        records: [[AVATAR, "https://example.com/avatar.png"]],
        signer: counting,
        owner: OWNER.address,
        chainId: CHAIN_ID,
        freshness: FRESH,
      }),
      /A v2 SIGN 4 \(record\) message needs the resolver address/,
    );
    await assert.rejects(
      signApproval({
        name: NAME,
        signer: SIGNER.address,
        owner: counting,
        chainId: CHAIN_ID,
        epoch: 2n,
      }),
      /A v2 SIGN 3 \(approval\) message needs the resolver address/,
    );
    assert.equal(signed, 0);
  });

  it("signRecordTree threads the resolver into every v2 file", async () => {
    const files = await signRecordTree({
      name: NAME,
      records: [
        [AVATAR, "https://example.com/avatar.png"],
        [{ type: "text", key: "url" }, "https://example.com"],
      ],
      signer: OWNER,
      owner: OWNER.address,
      chainId: CHAIN_ID,
      freshness: FRESH,
      resolver: RESOLVER,
    });
    for (const [path, json] of Object.entries(files)) {
      const file = parseRecordFile(json);
      assert.equal("resolver" in file && file.resolver, RESOLVER_CHECKSUMMED, path);
      const request = path.endsWith("avatar.json")
        ? AVATAR
        : ({ type: "text", key: "url" } as const);
      const ok = await verifyRecord(file.data, context({ request, epoch: 2n }));
      assert.equal(ok.valid, true, path);
      const other = await verifyRecord(
        file.data,
        context({ request, epoch: 2n, resolver: OTHER_RESOLVER }),
      );
      assert.equal(!other.valid && other.reason, "invalidRecordSignature", path);
    }
  });

  it("parseRecordFile type-checks the v2 fields when present", () => {
    assert.throws(
      () => parseRecordFile('{"data":"0x","resolver":"0x1234"}'),
      /"resolver" must be an address/,
    );
    assert.throws(() => parseRecordFile('{"data":"0x","chainId":"1"}'), /"chainId" must be/);
    assert.throws(
      () => parseRecordFile('{"data":"0x","validUntil":17}'),
      /"validUntil" must be a decimal string/,
    );
    assert.throws(
      () => parseRecordFile('{"data":"0x","epoch":"01"}'),
      /"epoch" must be a decimal string/,
    );
    assert.throws(
      () => parseRecordFile('{"data":"0x","recordType":7}'),
      /"recordType" must be a string/,
    );
  });
});

describe("one hex grammar: case-insensitive, whole bytes", () => {
  const upper = (hex: Hex): Hex => `0x${hex.slice(2).toUpperCase()}`;
  const mixed = (hex: Hex): Hex =>
    `0x${[...hex.slice(2)].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join("")}`;

  it("normalizeHexBytes lower-cases hex bytes and refuses anything else", () => {
    assert.equal(normalizeHexBytes("0xDEADbeef"), "0xdeadbeef");
    assert.equal(normalizeHexBytes("0x"), "0x");
    for (const bad of ["0xabc", "0XAB", "ab", "0xgg", "", 12, null])
      assert.equal(normalizeHexBytes(bad), undefined, String(bad));
  });

  it("an upper-case or mixed-case data field parses to the same bytes and verifies", async () => {
    const cases = [
      [await ownerRecord(), context()],
      [await ownerRecord(FRESH), context({ epoch: 2n })],
    ] as const;
    for (const [file, ctx] of cases) {
      for (const spell of [upper, mixed]) {
        const json = serializeRecordFile({
          ...file,
          data: spell(file.data),
          recordSignature: spell(file.recordSignature),
        });
        const parsed = parseRecordFile(json);
        assert.equal(parsed.data, file.data);
        assert.equal(parsed.recordSignature, file.recordSignature);
        // verifyRecord reads hex in any case too, whoever parsed it.
        assert.deepEqual(
          await verifyRecord(spell(file.data), ctx),
          await verifyRecord(file.data, ctx),
        );
        assert.equal((await verifyRecord(spell(file.data), ctx)).valid, true);
      }
    }
  });

  it("the same bytes in either case give the same rejection", async () => {
    const data = (await ownerRecord(FRESH)).data;
    for (const ctx of [
      context({ epoch: 3n }),
      context({ epoch: 2n, resolver: OTHER_RESOLVER }),
      context({ epoch: 2n, now: FRESH.validUntil + 1n }),
    ]) {
      const lower = await verifyRecord(data, ctx);
      assert.equal(lower.valid, false);
      assert.deepEqual(await verifyRecord(upper(data), ctx), lower);
    }
    const decoded = decodeSignedRecordData(upper(data));
    assert.deepEqual(decoded, decodeSignedRecordData(data));
  });

  it("refuses half bytes and a 0X prefix with exact reasons", async () => {
    const data = (await ownerRecord()).data;
    assert.throws(
      () => parseRecordFile(JSON.stringify({ data: `${data}0` })),
      /"data" must be a 0x-hex string of whole bytes/,
    );
    assert.throws(
      () => parseRecordFile(JSON.stringify({ data: `0X${data.slice(2)}` })),
      /"data" must be a 0x-hex string of whole bytes/,
    );
    assert.throws(
      () => parseRecordFile(JSON.stringify({ data, recordSignature: "0xabc" })),
      /"recordSignature" must be a 0x-hex string of whole bytes/,
    );
    assert.deepEqual(
      await verifyRecord(`${data}0` as Hex, context()).then((v) => !v.valid && v.reason),
      "malformedRecord",
    );
  });
});
