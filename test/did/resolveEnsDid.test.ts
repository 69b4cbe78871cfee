import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Resolver } from "did-resolver";
import {
  DID_LD_JSON,
  DID_SERVICE_TEXT_KEY,
  DID_VERIFICATION_METHOD_TEXT_KEY,
  DID_VERIFICATION_RELATIONSHIP_TEXT_KEY,
  type EnsDidReader,
  getResolver,
  resolveEnsDid,
} from "../../lib/did/index.ts";
import { SPEC_EXAMPLE_KEY_AGREEMENT, SPEC_EXAMPLE_NO_TEXT_RECORDS } from "./specExamples.ts";

const OWNER = "0xAB16a96D359eC26a11e2C2b3d8f8B8942d5Bfcdb";

type Names = Record<string, { owner: string; texts?: Record<string, string>; chains?: string[] }>;

/** An in-memory reader over `network -> name -> records`, recording every read. */
function memoryReader(networks: Record<string, Names>) {
  const reads: string[] = [];
  const reader: EnsDidReader = {
    async readOwner(name, network) {
      reads.push(`owner ${network} ${name}`);
      return networks[network]?.[name]?.owner ?? null;
    },
    async readText(name, key, network) {
      reads.push(`text ${network} ${name} ${key}`);
      return networks[network]?.[name]?.texts?.[key] ?? null;
    },
    async readCertificates(name, network) {
      reads.push(`certificates ${network} ${name}`);
      return networks[network]?.[name]?.chains ?? [];
    },
  };
  return { reader, reads };
}

const example2Texts = {
  [DID_VERIFICATION_METHOD_TEXT_KEY]: JSON.stringify([
    {
      id: "#zC9ByQ8aJs8vrNXyDhPHHNNMSHPcaSgNpjjsBYpMMjsTdS",
      type: "X25519KeyAgreementKey2019",
      publicKeyMultibase: "z9hFgmPVfmBZwRvFEyniQDBkz9LmV7gDEqytWyGZLmDXE",
    },
  ]),
  [DID_VERIFICATION_RELATIONSHIP_TEXT_KEY]: JSON.stringify({
    keyAgreement: ["#zC9ByQ8aJs8vrNXyDhPHHNNMSHPcaSgNpjjsBYpMMjsTdS"],
  }),
};

const { reader, reads } = memoryReader({
  mainnet: {
    "some.eth": { owner: OWNER, texts: example2Texts },
    "plain.eth": { owner: OWNER },
    "burnt.eth": { owner: "0x0000000000000000000000000000000000000000" },
  },
  localhost: { "alice.eth": { owner: OWNER, texts: { [DID_SERVICE_TEXT_KEY]: "[oops" } } },
});
const options = { ...reader, networks: { localhost: 31337 } };

describe("resolveEnsDid", () => {
  it("resolves example 2 with the DID Core result shape", async () => {
    const result = await resolveEnsDid("did:ens:some.eth", options);
    assert.deepStrictEqual(result.didResolutionMetadata, { contentType: DID_LD_JSON });
    assert.deepStrictEqual(result.didDocument, JSON.parse(SPEC_EXAMPLE_KEY_AGREEMENT));
    assert.deepStrictEqual(result.didDocumentMetadata, { canonicalId: "did:ens:mainnet:some.eth" });
  });

  it("reads the owner, the three did:ens records and the certificates of the normalized name", async () => {
    reads.length = 0;
    await resolveEnsDid("did:ens:mainnet:SOME.eth", options);
    assert.deepEqual(reads.sort(), [
      "certificates mainnet some.eth",
      "owner mainnet some.eth",
      `text mainnet some.eth ${DID_SERVICE_TEXT_KEY}`,
      `text mainnet some.eth ${DID_VERIFICATION_METHOD_TEXT_KEY}`,
      `text mainnet some.eth ${DID_VERIFICATION_RELATIONSHIP_TEXT_KEY}`,
    ]);
  });

  it("resolves example 1 without a certificate reader", async () => {
    const { readCertificates: _, ...withoutCertificates } = reader;
    const result = await resolveEnsDid("did:ens:plain.eth", withoutCertificates);
    assert.deepStrictEqual(
      result.didDocument,
      JSON.parse(SPEC_EXAMPLE_NO_TEXT_RECORDS.replaceAll("some.eth", "plain.eth")),
    );
  });

  it("resolves on a configured network and reports ignored records through onIssue", async () => {
    const issues: unknown[] = [];
    const result = await resolveEnsDid("did:ens:localhost:alice.eth", {
      ...options,
      onIssue: (issue, did) => issues.push([did, issue.key]),
    });
    assert.equal(result.didDocument?.canonicalId, "did:ens:localhost:alice.eth");
    assert.match(
      (result.didDocument?.verificationMethod[0]?.blockchainAccountId as string) ?? "",
      /^eip155:31337:0xab16/,
    );
    assert.deepEqual(issues, [["did:ens:localhost:alice.eth", DID_SERVICE_TEXT_KEY]]);
  });

  const failures: [string, string, RegExp][] = [
    ["did:ens:unknown.eth", "notFound", /has no owner on mainnet/],
    ["did:ens:burnt.eth", "notFound", /has no owner/],
    ["did:ens:", "invalidDid", /name is empty/],
    ["did:ens:a_b.eth", "invalidDid", /label "a_b"/],
    ["not a did", "invalidDid", /does not start with "did:ens:"/],
    ["did:web:example.com", "methodNotSupported", /method "web" is not supported/],
    ["did:ens:rinkeby:some.eth", "methodNotSupported", /Unknown network "rinkeby"/],
  ];
  for (const [did, error, message] of failures)
    it(`answers ${error} for ${JSON.stringify(did)}`, async () => {
      const result = await resolveEnsDid(did, options);
      assert.equal(result.didResolutionMetadata.error, error);
      assert.match(result.didResolutionMetadata.message, message);
      assert.equal(result.didDocument, null);
      assert.deepEqual(result.didDocumentMetadata, {});
    });

  it("answers internalError when a read fails", async () => {
    const result = await resolveEnsDid("did:ens:some.eth", {
      ...reader,
      readText: async () => {
        throw new Error("gateway unreachable\nstack…");
      },
    });
    assert.deepEqual(result.didResolutionMetadata, {
      error: "internalError",
      message: 'Reading "some.eth" on mainnet failed: gateway unreachable',
    });
  });
});

describe("getResolver with did-resolver's Resolver", () => {
  const resolver = new Resolver(getResolver(options), { cache: false });

  it("resolves did:ens through the plugin", async () => {
    const result = await resolver.resolve("did:ens:some.eth");
    assert.deepStrictEqual(result.didDocument, JSON.parse(SPEC_EXAMPLE_KEY_AGREEMENT));
    assert.equal(result.didResolutionMetadata.contentType, DID_LD_JSON);
  });

  it("resolves the DID of a DID URL (fragment)", async () => {
    const result = await resolver.resolve(
      "did:ens:some.eth#5d3e82eaba0bf8991c38bd092fa5f5523b5b3bf13e06b4b29c0022a094a528d7",
    );
    assert.equal(result.didDocument?.id, "did:ens:some.eth");
  });

  it("passes notFound, invalidDid and methodNotSupported through", async () => {
    assert.equal(
      (await resolver.resolve("did:ens:unknown.eth")).didResolutionMetadata.error,
      "notFound",
    );
    assert.equal(
      (await resolver.resolve("did:ens:a_b.eth")).didResolutionMetadata.error,
      "invalidDid",
    );
    assert.equal(
      (await resolver.resolve("did:ens:rinkeby:some.eth")).didResolutionMetadata.error,
      "methodNotSupported",
    );
  });

  it("leaves other methods to did-resolver (unsupportedDidMethod)", async () => {
    const result = await resolver.resolve("did:web:example.com");
    assert.equal(result.didResolutionMetadata.error, "unsupportedDidMethod");
  });
});
