import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildDidDocument,
  DID_SERVICE_TEXT_KEY,
  DID_VERIFICATION_METHOD_TEXT_KEY,
  DID_VERIFICATION_RELATIONSHIP_TEXT_KEY,
  type DidDocumentIssue,
  ENS_DID_CONTEXT,
  parseEnsDid,
  sha256Hex,
} from "../../lib/did/index.ts";
import { SPEC_EXAMPLE_KEY_AGREEMENT, SPEC_EXAMPLE_NO_TEXT_RECORDS } from "./specExamples.ts";

const OWNER = "0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb";
const HASH = "5d3e82eaba0bf8991c38bd092fa5f5523b5b3bf13e06b4b29c0022a094a528d7";
const CANONICAL = "did:ens:mainnet:some.eth";
const DEFAULT_METHOD = `${CANONICAL}#${HASH}`;
const DEFAULT_SERVICE = `${CANONICAL}#Web3PublicProfile-${HASH}`;
const KEY_AGREEMENT_METHOD = {
  id: "#zC9ByQ8aJs8vrNXyDhPHHNNMSHPcaSgNpjjsBYpMMjsTdS",
  type: "X25519KeyAgreementKey2019",
  publicKeyMultibase: "z9hFgmPVfmBZwRvFEyniQDBkz9LmV7gDEqytWyGZLmDXE",
};

function build(textRecords: Record<string, string | null> = {}, owner = OWNER) {
  const issues: DidDocumentIssue[] = [];
  const document = buildDidDocument({
    parsed: parseEnsDid("did:ens:some.eth"),
    owner,
    textRecords,
    onIssue: (issue) => issues.push(issue),
  });
  return { document, issues };
}

/** JSON-equal and in the same property order. */
function assertSameJson(actual: unknown, expectedJson: string) {
  const expected = JSON.parse(expectedJson);
  assert.deepStrictEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

describe("buildDidDocument: the spec's examples", () => {
  it('sha256("eip155:1:0xab16…cdb") is the spec example hash', () => {
    assert.equal(sha256Hex("eip155:1:0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb"), HASH);
  });

  it("reproduces example 1 (no TEXT records)", () => {
    const { document, issues } = build();
    assertSameJson(document, SPEC_EXAMPLE_NO_TEXT_RECORDS);
    assert.deepEqual(issues, []);
  });

  it("lowercases a checksummed owner address in the CAIP-10 id", () => {
    const { document } = build({}, "0xAB16a96D359eC26a11e2C2b3d8f8B8942d5Bfcdb");
    assertSameJson(document, SPEC_EXAMPLE_NO_TEXT_RECORDS);
  });

  it("reproduces example 2 (keyAgreement from TEXT records)", () => {
    const { document, issues } = build({
      [DID_VERIFICATION_METHOD_TEXT_KEY]: JSON.stringify([KEY_AGREEMENT_METHOD]),
      [DID_VERIFICATION_RELATIONSHIP_TEXT_KEY]: JSON.stringify({
        keyAgreement: ["#zC9ByQ8aJs8vrNXyDhPHHNNMSHPcaSgNpjjsBYpMMjsTdS"],
      }),
    });
    assertSameJson(document, SPEC_EXAMPLE_KEY_AGREEMENT);
    assert.deepEqual(issues, []);
  });

  it("uses the network and chain id of the DID", () => {
    const document = buildDidDocument({
      parsed: parseEnsDid("did:ens:sepolia:Alice.eth"),
      owner: OWNER,
    });
    const hash = sha256Hex(`eip155:11155111:${OWNER}`);
    assert.deepEqual(document["@context"], [...ENS_DID_CONTEXT]);
    assert.equal(document.id, "did:ens:sepolia:Alice.eth");
    assert.equal(document.canonicalId, "did:ens:sepolia:alice.eth");
    assert.deepEqual(document.verificationMethod[0], {
      id: `did:ens:sepolia:alice.eth#${hash}`,
      type: "EcdsaSecp256k1RecoveryMethod2020",
      controller: "did:ens:sepolia:alice.eth",
      blockchainAccountId: `eip155:11155111:${OWNER}`,
    });
    assert.deepEqual(document.service[0]?.serviceEndpoint, {
      profileService: "ENS",
      ensName: "alice.eth",
      network: "sepolia",
    });
  });
});

describe("buildDidDocument: org.w3c.did.service", () => {
  it("is absent when unset, null or blank", () => {
    for (const value of [undefined, null, "", "  "]) {
      const { document, issues } = build({ [DID_SERVICE_TEXT_KEY]: value as string | null });
      assert.equal(document.service.length, 1);
      assert.deepEqual(issues, []);
    }
  });

  it("adds services, resolving relative ids and generating missing ones", () => {
    const { document, issues } = build({
      [DID_SERVICE_TEXT_KEY]: JSON.stringify([
        { id: "#hub", type: "IdentityHub", serviceEndpoint: "https://hub.example.com/" },
        { type: "LinkedDomains", serviceEndpoint: { origins: ["https://some.example"] } },
        {
          id: "did:ens:some.eth#messaging",
          type: ["DIDCommMessaging"],
          serviceEndpoint: "https://dc.example/",
          accept: ["didcomm/v2"],
        },
      ]),
    });
    assert.deepEqual(issues, []);
    assert.deepEqual(document.service.slice(1), [
      { id: `${CANONICAL}#hub`, type: "IdentityHub", serviceEndpoint: "https://hub.example.com/" },
      {
        id: `${CANONICAL}#service-1`,
        type: "LinkedDomains",
        serviceEndpoint: { origins: ["https://some.example"] },
      },
      {
        id: `${CANONICAL}#messaging`,
        type: ["DIDCommMessaging"],
        serviceEndpoint: "https://dc.example/",
        accept: ["didcomm/v2"],
      },
    ]);
  });

  const malformed: [string, string][] = [
    ["not JSON", "{not json"],
    ["not an array", JSON.stringify({ id: "#hub", type: "Hub", serviceEndpoint: "https://x/" })],
    ["an entry that is not an object", JSON.stringify([1])],
    ["an entry without type", JSON.stringify([{ id: "#a", serviceEndpoint: "https://x/" }])],
    ["an entry without serviceEndpoint", JSON.stringify([{ id: "#a", type: "Hub" }])],
    ["an id without fragment", JSON.stringify([{ id: "hub", type: "Hub", serviceEndpoint: "x" }])],
    [
      "an id of another DID",
      JSON.stringify([{ id: "did:web:x.com#hub", type: "Hub", serviceEndpoint: "x" }]),
    ],
  ];
  for (const [what, value] of malformed)
    it(`ignores the whole record for ${what}`, () => {
      const good = { id: "#good", type: "Hub", serviceEndpoint: "https://good/" };
      const record = value.startsWith("[") ? JSON.stringify([good, ...JSON.parse(value)]) : value;
      const { document, issues } = build({ [DID_SERVICE_TEXT_KEY]: record });
      assert.equal(document.service.length, 1);
      assert.equal(issues.length, 1);
      assert.equal(issues[0]?.key, DID_SERVICE_TEXT_KEY);
      assert.equal((issues[0] as { scope: string }).scope, "record");
    });

  it("ignores only the entry that reuses the default service id", () => {
    const { document, issues } = build({
      [DID_SERVICE_TEXT_KEY]: JSON.stringify([
        { id: `#Web3PublicProfile-${HASH}`, type: "Evil", serviceEndpoint: "https://evil/" },
        { id: "#hub", type: "Hub", serviceEndpoint: "https://hub/" },
        { id: "#hub", type: "Hub", serviceEndpoint: "https://duplicate/" },
      ]),
    });
    assert.deepEqual(
      document.service.map((service) => service.id),
      [DEFAULT_SERVICE, `${CANONICAL}#hub`],
    );
    assert.equal(document.service[0]?.type, "Web3PublicProfile");
    assert.deepEqual(
      issues.map((issue) => (issue as { index?: number }).index),
      [0, 2],
    );
  });
});

describe("buildDidDocument: org.w3c.did.verificationMethod", () => {
  it("adds methods with the canonical DID as default controller and keeps a given one", () => {
    const { document } = build({
      [DID_VERIFICATION_METHOD_TEXT_KEY]: JSON.stringify([
        { id: "#key-1", type: "Ed25519VerificationKey2020", publicKeyMultibase: "z6Mk" },
        {
          type: "JsonWebKey2020",
          id: `${CANONICAL}#key-2`,
          controller: "did:ens:mainnet:other.eth",
          publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: "AA" },
        },
      ]),
    });
    assert.deepEqual(document.verificationMethod.slice(1), [
      {
        id: `${CANONICAL}#key-1`,
        type: "Ed25519VerificationKey2020",
        controller: CANONICAL,
        publicKeyMultibase: "z6Mk",
      },
      {
        id: `${CANONICAL}#key-2`,
        type: "JsonWebKey2020",
        controller: "did:ens:mainnet:other.eth",
        publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: "AA" },
      },
    ]);
    // Methods are listed, not referenced, until the relationship record names them.
    assert.deepEqual(document.authentication, [DEFAULT_METHOD]);
  });

  const malformed: [string, string][] = [
    ["not JSON", "[{"],
    ["not an array", JSON.stringify(KEY_AGREEMENT_METHOD)],
    ["an entry without id", JSON.stringify([{ type: "X" }])],
    ["an entry without type", JSON.stringify([{ id: "#k" }])],
    ["an entry with an empty type", JSON.stringify([{ id: "#k", type: "" }])],
    ["a non-string controller", JSON.stringify([{ id: "#k", type: "X", controller: 1 }])],
    ["an id with spaces", JSON.stringify([{ id: "#a b", type: "X" }])],
    ["an id of another DID", JSON.stringify([{ id: "did:ens:other.eth#k", type: "X" }])],
  ];
  for (const [what, value] of malformed)
    it(`ignores the whole record for ${what}`, () => {
      const record = value.startsWith('[{"')
        ? JSON.stringify([KEY_AGREEMENT_METHOD, ...JSON.parse(value)])
        : value;
      const { document, issues } = build({
        [DID_VERIFICATION_METHOD_TEXT_KEY]: record,
        [DID_VERIFICATION_RELATIONSHIP_TEXT_KEY]: JSON.stringify({
          keyAgreement: [KEY_AGREEMENT_METHOD.id],
        }),
      });
      assertSameJson(document, SPEC_EXAMPLE_NO_TEXT_RECORDS);
      assert.equal(
        issues.filter(
          (issue) =>
            issue.key === DID_VERIFICATION_METHOD_TEXT_KEY &&
            (issue as { scope: string }).scope === "record",
        ).length,
        1,
      );
    });

  for (const id of [`#${HASH}`, DEFAULT_METHOD, `did:ens:some.eth#${HASH}`])
    it(`ignores only the method reusing the default id (${id.slice(0, 24)}…)`, () => {
      const { document, issues } = build({
        [DID_VERIFICATION_METHOD_TEXT_KEY]: JSON.stringify([
          { id, type: "EcdsaSecp256k1RecoveryMethod2020", blockchainAccountId: "eip155:1:0xevil" },
          KEY_AGREEMENT_METHOD,
        ]),
        [DID_VERIFICATION_RELATIONSHIP_TEXT_KEY]: JSON.stringify({
          keyAgreement: [KEY_AGREEMENT_METHOD.id],
        }),
      });
      assertSameJson(document, SPEC_EXAMPLE_KEY_AGREEMENT);
      assert.deepEqual(
        issues.map((issue) => [issue.key, (issue as { index?: number }).index]),
        [[DID_VERIFICATION_METHOD_TEXT_KEY, 0]],
      );
    });

  it("ignores a method reusing the default service id", () => {
    const { document } = build({
      [DID_VERIFICATION_METHOD_TEXT_KEY]: JSON.stringify([
        { id: `#Web3PublicProfile-${HASH}`, type: "X" },
      ]),
    });
    assertSameJson(document, SPEC_EXAMPLE_NO_TEXT_RECORDS);
  });
});

describe("buildDidDocument: org.w3c.did.verificationRelationship", () => {
  const methods = JSON.stringify([
    KEY_AGREEMENT_METHOD,
    { id: "#key-1", type: "Ed25519VerificationKey2020", publicKeyMultibase: "z6Mk" },
  ]);

  it("adds relative and absolute references after the default, in document order", () => {
    const { document, issues } = build({
      [DID_VERIFICATION_METHOD_TEXT_KEY]: methods,
      [DID_VERIFICATION_RELATIONSHIP_TEXT_KEY]: JSON.stringify({
        keyAgreement: [KEY_AGREEMENT_METHOD.id],
        authentication: ["#key-1", `${CANONICAL}#key-1`, `#${HASH}`],
        capabilityDelegation: ["did:ens:some.eth#key-1"],
      }),
    });
    assert.deepEqual(issues, []);
    assert.deepEqual(document.authentication, [DEFAULT_METHOD, `${CANONICAL}#key-1`]);
    assert.deepEqual(document.assertionMethod, [DEFAULT_METHOD]);
    assert.deepEqual(document.capabilityDelegation, [DEFAULT_METHOD, `${CANONICAL}#key-1`]);
    assert.deepEqual(Object.keys(document).slice(-5), [
      "authentication",
      "assertionMethod",
      "capabilityInvocation",
      "capabilityDelegation",
      "keyAgreement",
    ]);
  });

  it("drops references to unknown methods and to other DIDs, keeping the rest", () => {
    const { document, issues } = build({
      [DID_VERIFICATION_METHOD_TEXT_KEY]: methods,
      [DID_VERIFICATION_RELATIONSHIP_TEXT_KEY]: JSON.stringify({
        authentication: ["#missing", "did:web:x.com#key-1", "#key-1"],
      }),
    });
    assert.deepEqual(document.authentication, [DEFAULT_METHOD, `${CANONICAL}#key-1`]);
    assert.equal(issues.length, 2);
  });

  it("drops references to methods of a malformed (ignored) method record", () => {
    const { document } = build({
      [DID_VERIFICATION_METHOD_TEXT_KEY]: "[oops",
      [DID_VERIFICATION_RELATIONSHIP_TEXT_KEY]: JSON.stringify({
        keyAgreement: [KEY_AGREEMENT_METHOD.id],
      }),
    });
    assertSameJson(document, SPEC_EXAMPLE_NO_TEXT_RECORDS);
  });

  const malformed: [string, string][] = [
    ["not JSON", "{"],
    ["an array", JSON.stringify([KEY_AGREEMENT_METHOD.id])],
    ["an unknown relationship", JSON.stringify({ keyAgreement: ["#k"], signing: ["#k"] })],
    ["a non-array value", JSON.stringify({ keyAgreement: KEY_AGREEMENT_METHOD.id })],
    ["a non-string id", JSON.stringify({ keyAgreement: [KEY_AGREEMENT_METHOD] })],
  ];
  for (const [what, value] of malformed)
    it(`ignores the whole record for ${what}`, () => {
      const { document, issues } = build({
        [DID_VERIFICATION_METHOD_TEXT_KEY]: JSON.stringify([KEY_AGREEMENT_METHOD]),
        [DID_VERIFICATION_RELATIONSHIP_TEXT_KEY]: value,
      });
      assert.equal(document.keyAgreement, undefined);
      assert.equal(document.verificationMethod.length, 2);
      assert.equal(issues.length, 1);
      assert.equal(issues[0]?.key, DID_VERIFICATION_RELATIONSHIP_TEXT_KEY);
    });

  it("omits keyAgreement when the record names none", () => {
    const { document } = build({
      [DID_VERIFICATION_RELATIONSHIP_TEXT_KEY]: JSON.stringify({ keyAgreement: [] }),
    });
    assertSameJson(document, SPEC_EXAMPLE_NO_TEXT_RECORDS);
  });

  it("cannot set __proto__ through a record entry", () => {
    const { document } = build({
      [DID_VERIFICATION_METHOD_TEXT_KEY]: '[{"id":"#k","type":"X","__proto__":{"polluted":true}}]',
    });
    const method = document.verificationMethod[1] as unknown as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(method), Object.prototype);
    assert.equal((method as { polluted?: boolean }).polluted, undefined);
  });
});
