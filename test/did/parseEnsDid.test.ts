import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ENS_DID_NETWORKS,
  InvalidDidError,
  parseEnsDid,
  UnknownNetworkError,
  UnsupportedDidMethodError,
} from "../../lib/did/index.ts";
import { EnsgateError } from "../../lib/index.ts";

describe("parseEnsDid", () => {
  it("defaults the network to mainnet and keeps the DID as given", () => {
    assert.deepEqual(parseEnsDid("did:ens:some.eth"), {
      did: "did:ens:some.eth",
      canonicalDid: "did:ens:mainnet:some.eth",
      network: "mainnet",
      chainId: 1,
      name: "some.eth",
    });
  });

  for (const [network, chainId] of Object.entries(ENS_DID_NETWORKS))
    it(`knows ${network} (chain ${chainId})`, () => {
      const parsed = parseEnsDid(`did:ens:${network}:my.some.eth`);
      assert.equal(parsed.chainId, chainId);
      assert.equal(parsed.canonicalDid, `did:ens:${network}:my.some.eth`);
    });

  it("accepts configured networks, e.g. a local chain", () => {
    const parsed = parseEnsDid("did:ens:localhost:alice.eth", { networks: { localhost: 31337 } });
    assert.equal(parsed.chainId, 31337);
    assert.equal(parsed.canonicalDid, "did:ens:localhost:alice.eth");
  });

  it("normalizes the name with ENSIP-15 (canonical form lowercased)", () => {
    const parsed = parseEnsDid("did:ens:mainnet:Some.ETH");
    assert.equal(parsed.did, "did:ens:mainnet:Some.ETH");
    assert.equal(parsed.name, "some.eth");
    assert.equal(parsed.canonicalDid, "did:ens:mainnet:some.eth");
  });

  it("percent-decodes non-ASCII names and percent-encodes them in the canonical DID", () => {
    const encoded = parseEnsDid("did:ens:%F0%9F%92%A9.eth");
    assert.equal(encoded.name, "💩.eth");
    assert.equal(encoded.canonicalDid, "did:ens:mainnet:%F0%9F%92%A9.eth");
    assert.equal(parseEnsDid("did:ens:💩.eth").canonicalDid, encoded.canonicalDid);
  });

  const invalid: [string, RegExp][] = [
    ["", /does not start with "did:ens:"/],
    ["ens:some.eth", /does not start with "did:ens:"/],
    ["DID:ENS:some.eth", /does not start with "did:ens:"/],
    ["did:ens:", /name is empty/],
    ["did:ens:mainnet:", /name is empty/],
    ["did:ens::some.eth", /network segment is empty/],
    ["did:ens:a:b:some.eth", /at most one network segment/],
    ["did:ens:some.eth#key-1", /DID URL part/],
    ["did:ens:some.eth/path", /DID URL part/],
    ["did:ens:some.eth?versionId=1", /DID URL part/],
    ["did:ens:so me.eth", /must be percent-encoded/],
    ["did:ens:some%2.eth", /malformed percent-encoding/],
    ["did:ens:%FF.eth", /not UTF-8/],
    ["did:ens:Main_net!:some.eth", /network "Main_net!" is malformed/],
  ];
  for (const [did, reason] of invalid)
    it(`rejects ${JSON.stringify(did)} as invalidDid`, () => {
      assert.throws(
        () => parseEnsDid(did),
        (error) =>
          error instanceof InvalidDidError &&
          error instanceof EnsgateError &&
          !(error instanceof UnsupportedDidMethodError) &&
          error.code === "invalidDid" &&
          reason.test(error.message),
      );
    });

  const badNames: [string, string][] = [
    ["did:ens:a..eth", ""],
    ["did:ens:a_b.eth", "a_b"],
    ["did:ens:mainnet:te--st.eth", "te--st"],
    ["did:ens:some.eth.", ""],
  ];
  for (const [did, label] of badNames)
    it(`rejects the unnormalizable name in ${did}, naming label ${JSON.stringify(label)}`, () => {
      assert.throws(
        () => parseEnsDid(did),
        (error) =>
          error instanceof InvalidDidError &&
          error.label === label &&
          error.message.includes(`label "${label}"`),
      );
    });

  it("reports another DID method as methodNotSupported (still an InvalidDidError)", () => {
    assert.throws(
      () => parseEnsDid("did:web:example.com"),
      (error) =>
        error instanceof UnsupportedDidMethodError &&
        error instanceof InvalidDidError &&
        error.code === "methodNotSupported" &&
        error.method === "web",
    );
  });

  it("rejects an unknown network with UnknownNetworkError listing the known ones", () => {
    assert.throws(
      () => parseEnsDid("did:ens:rinkeby:some.eth"),
      (error) =>
        error instanceof UnknownNetworkError &&
        error.network === "rinkeby" &&
        /Unknown network "rinkeby"/.test(error.shortMessage) &&
        /mainnet, sepolia, holesky, goerli/.test(error.message),
    );
  });
});
