// The viem reader on Hardhat's in-process chain with the local ENS fixtures (registry, public
// resolver, NameWrapper stand-in, UniversalResolver). Needs `npx hardhat build` (fixture artifacts).

import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { network } from "hardhat";
import type { PublicClient } from "viem";
import { createViemEnsReader } from "../../did/index.ts";
import {
  DID_VERIFICATION_METHOD_TEXT_KEY,
  DID_VERIFICATION_RELATIONSHIP_TEXT_KEY,
  resolveEnsDid,
  TLS_CHAIN_TEXT_KEY,
} from "../../lib/did/index.ts";
import {
  deployEnsFixture,
  type EnsFixture,
  registerName,
  setTextRecord,
  wrapName,
} from "../../scripts/stack/ensFixtures.ts";
import { SPEC_EXAMPLE_KEY_AGREEMENT } from "./specExamples.ts";

const { viem } = await network.create();
const publicClient = (await viem.getPublicClient()) as unknown as PublicClient;
const [deployer, alice] = await viem.getWalletClients();

describe("createViemEnsReader on a local chain", () => {
  let fixture: EnsFixture;
  let reader: ReturnType<typeof createViemEnsReader>;

  before(async () => {
    if (!deployer || !alice) throw new Error("Hardhat accounts missing");
    fixture = await deployEnsFixture({
      publicClient: publicClient as never,
      walletClient: deployer as never,
    });
    const resolver = fixture.publicResolver.address;
    await registerName(fixture.registry, "some.test", deployer.account.address, { resolver });
    await setTextRecord(
      fixture.publicResolver,
      "some.test",
      DID_VERIFICATION_METHOD_TEXT_KEY,
      JSON.stringify([
        {
          id: "#zC9ByQ8aJs8vrNXyDhPHHNNMSHPcaSgNpjjsBYpMMjsTdS",
          type: "X25519KeyAgreementKey2019",
          publicKeyMultibase: "z9hFgmPVfmBZwRvFEyniQDBkz9LmV7gDEqytWyGZLmDXE",
        },
      ]),
    );
    await setTextRecord(
      fixture.publicResolver,
      "some.test",
      DID_VERIFICATION_RELATIONSHIP_TEXT_KEY,
      JSON.stringify({ keyAgreement: ["#zC9ByQ8aJs8vrNXyDhPHHNNMSHPcaSgNpjjsBYpMMjsTdS"] }),
    );
    await setTextRecord(fixture.publicResolver, "some.test", TLS_CHAIN_TEXT_KEY, "PEM…");
    await registerName(fixture.registry, "noresolver.test", alice.account.address);
    await registerName(fixture.registry, "wrapped.test", deployer.account.address, { resolver });
    await wrapName(fixture.registry, fixture.nameWrapper, "wrapped.test", alice.account.address);

    reader = createViemEnsReader({
      clients: { localhost: publicClient },
      registryAddresses: { localhost: fixture.registry.address },
      universalResolverAddresses: { localhost: fixture.universalResolver.address },
      nameWrapperAddresses: { localhost: fixture.nameWrapper.address },
    });
  });

  it("maps each network to its client's chain id", () => {
    assert.deepEqual(reader.networks, { localhost: 31337 });
  });

  it("reads the registry owner, the NameWrapper owner of wrapped names, null when unregistered", async () => {
    assert.equal(
      (await reader.readOwner("some.test", "localhost"))?.toLowerCase(),
      deployer?.account.address.toLowerCase(),
    );
    assert.equal(
      (await reader.readOwner("wrapped.test", "localhost"))?.toLowerCase(),
      alice?.account.address.toLowerCase(),
    );
    assert.equal(await reader.readOwner("nobody.test", "localhost"), null);
  });

  it("reads text records through the UniversalResolver; null when unset or without resolver", async () => {
    assert.match(
      (await reader.readText("some.test", DID_VERIFICATION_METHOD_TEXT_KEY, "localhost")) ?? "",
      /X25519KeyAgreementKey2019/,
    );
    assert.equal(await reader.readText("some.test", "org.w3c.did.service", "localhost"), null);
    assert.equal(await reader.readText("noresolver.test", "avatar", "localhost"), null);
    assert.deepEqual(await reader.readCertificates("some.test", "localhost"), ["PEM…"]);
    assert.deepEqual(await reader.readCertificates("noresolver.test", "localhost"), []);
  });

  it("rejects a network without a client", async () => {
    await assert.rejects(reader.readOwner("some.test", "mainnet"), /no viem client/);
  });

  it("resolves did:ens:localhost:some.test end to end (spec example 2's shape)", async () => {
    const result = await resolveEnsDid("did:ens:localhost:some.test", {
      ...reader,
      readCertificates: async () => [],
    });
    const owner = deployer?.account.address.toLowerCase() ?? "";
    const expected = JSON.parse(
      SPEC_EXAMPLE_KEY_AGREEMENT.replaceAll("did:ens:some.eth", "did:ens:localhost:some.test")
        .replaceAll("mainnet:some.eth", "localhost:some.test")
        .replaceAll('"some.eth"', '"some.test"')
        .replaceAll('"network": "mainnet"', '"network": "localhost"')
        .replaceAll("eip155:1:0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb", `eip155:31337:${owner}`),
    );
    const { createHash } = await import("node:crypto");
    const hash = createHash("sha256").update(`eip155:31337:${owner}`).digest("hex");
    const withHash = JSON.parse(
      JSON.stringify(expected).replaceAll(
        "5d3e82eaba0bf8991c38bd092fa5f5523b5b3bf13e06b4b29c0022a094a528d7",
        hash,
      ),
    );
    assert.deepStrictEqual(result.didDocument, withHash);
    const missing = await resolveEnsDid("did:ens:localhost:nobody.test", reader);
    assert.equal(missing.didResolutionMetadata.error, "notFound");
  });
});
