// ENSGATE_DID_NETWORKS parsing and the resolve function's answers that need no chain.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createDidResolve, parseDidNetworks } from "../../did/index.ts";
import { GatewayConfigError, parseGatewayConfig } from "../../gateway/config.ts";

const REGISTRY = "0x00000000000C2E074eC69A0dFb2997BA6C7d2e1e";
const UR = "0xeEeEEEeE14D718C2B47D9923Deab1335E144EeEe";

describe("ENSGATE_DID_NETWORKS", () => {
  it("unset or empty: no network", () => {
    assert.deepEqual(parseGatewayConfig({}).didNetworks, []);
    assert.deepEqual(parseDidNetworks("  "), []);
  });

  it("the list form for chains with known ENS addresses", () => {
    assert.deepEqual(
      parseDidNetworks("mainnet=1@https://eth.example, sepolia=11155111@http://127.0.0.1:8545"),
      [
        { name: "mainnet", chainId: 1, rpcUrl: "https://eth.example" },
        { name: "sepolia", chainId: 11155111, rpcUrl: "http://127.0.0.1:8545" },
      ],
    );
  });

  it("the JSON form with addresses (checksummed) for any chain", () => {
    const [spec] = parseDidNetworks(
      JSON.stringify({
        localhost: {
          chainId: 31337,
          rpcUrl: "http://127.0.0.1:8545",
          registry: REGISTRY.toLowerCase(),
          universalResolver: UR,
        },
      }),
    );
    assert.deepEqual(spec, {
      name: "localhost",
      chainId: 31337,
      rpcUrl: "http://127.0.0.1:8545",
      registry: REGISTRY,
      universalResolver: "0xeEeEEEeE14D718C2B47D9923Deab1335E144EeEe",
      nameWrapper: undefined,
    });
  });

  for (const [value, message] of [
    ["{", /not valid JSON/],
    ["[]", /expected a JSON object/],
    [
      '{"x":{"chainId":31337,"rpcUrl":"http://a","registry":"0x12","universalResolver":"0x12"}}',
      /registry "0x12" is not an address/,
    ],
    ['{"x":{"chainId":1,"rpcUrl":"http://a","bogus":1}}', /unknown setting "bogus"/],
    ['{"x":{"chainId":1}}', /"rpcUrl" is missing/],
    ["localhost=31337@http://127.0.0.1:8545", /no default ENS addresses/],
    ["mainnet=5@https://eth.example", /mainnet is chain 1, not 5/],
    ["mainnet=1@ftp://eth.example", /not an http\(s\) URL/],
    ["Main=1@https://eth.example", /not a did:ens network name/],
    ["mainnet", /not <network>=<chainId>@<rpcUrl>/],
    ["mainnet=1@https://a,mainnet=1@https://b", /configured twice/],
  ] as const)
    it(`rejects ${value}`, () => {
      assert.throws(() => parseDidNetworks(value), message);
      assert.throws(
        () => parseGatewayConfig({ ENSGATE_DID_NETWORKS: value }),
        (error: Error) =>
          error instanceof GatewayConfigError && /^ENSGATE_DID_NETWORKS: /.test(error.message),
      );
    });
});

describe("createDidResolve without a chain", () => {
  it("no network configured: methodNotSupported for a well-formed did:ens, invalidDid still for a bad one", async () => {
    const resolve = createDidResolve([]);
    const unsupported = await resolve("did:ens:alice.eth");
    assert.equal(unsupported.didResolutionMetadata.error, "methodNotSupported");
    assert.match(unsupported.didResolutionMetadata.message ?? "", /ENSGATE_DID_NETWORKS/);
    assert.equal((await resolve("did:ens:a_b.eth")).didResolutionMetadata.error, "invalidDid");
    assert.equal((await resolve("did:web:x")).didResolutionMetadata.error, "methodNotSupported");
  });

  it("only the configured networks are resolved", async () => {
    const resolve = createDidResolve([
      { name: "sepolia", chainId: 11155111, rpcUrl: "http://127.0.0.1:9" },
    ]);
    const result = await resolve("did:ens:alice.eth");
    assert.equal(result.didResolutionMetadata.error, "methodNotSupported");
    assert.match(result.didResolutionMetadata.message ?? "", /"mainnet" \(configured: sepolia\)/);
  });
});
