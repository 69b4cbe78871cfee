// did:ens end to end on the local stack: an owner publishes a name's DID text records with the
// CLI (keygen, set @file, publish, recordhash), and the DID resolves to the same document through
// (a) `ensgate did`, (b) did-resolver's Resolver with our plugin and the viem reader, and (c) the
// gateway's `GET /1.0/identifiers/{did}`; each equal to `buildDidDocument` with the same inputs.
// Records signed by a key whose approval was revoked make the resolution fail (internalError).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Resolver } from "did-resolver";
import { bytesToHex, type HDAccount, type Hex, type PublicClient } from "viem";
import { createViemEnsReader, DID_RESOLUTION_LD_JSON } from "../../did/index.ts";
import { parseGatewayConfig } from "../../gateway/config.ts";
import { buildNodeGateway } from "../../gateway/node/buildNodeGateway.ts";
import { type RunningServer, serveFetchHandler } from "../../gateway/node/serveGateway.ts";
import {
  DID_SERVICE_TEXT_KEY,
  DID_VERIFICATION_METHOD_TEXT_KEY,
  DID_VERIFICATION_RELATIONSHIP_TEXT_KEY,
  type EnsDidDocument,
  type EnsDidResolutionResult,
  getResolver,
} from "../../lib/index.ts";
import { registerName } from "../../scripts/stack/ensFixtures.ts";
import { type LocalStack, startLocalStack } from "../../scripts/stack/localStack.ts";
import { assertOneLineError, runCli, runCliJson } from "../cli/runCli.ts";
import { expectedDidDocument, localDidNetworks } from "../gateway/didRoute.ts";

const NAME = "didcli.eth";
const DID = `did:ens:localhost:${NAME}`;
const REVOKED = "revoked.eth";

/** The records as files, pretty-printed as an owner would write them. */
const RECORD_FILES: Record<string, unknown> = {
  [DID_SERVICE_TEXT_KEY]: [
    { id: "#messaging", type: "DIDCommMessaging", serviceEndpoint: "https://didcomm.example.com" },
    { type: "LinkedDomains", serviceEndpoint: { origins: ["https://didcli.example"] } },
  ],
  [DID_VERIFICATION_METHOD_TEXT_KEY]: [
    {
      id: "#x25519",
      type: "X25519KeyAgreementKey2019",
      publicKeyMultibase: "z9hFgmPVfmBZwRvFEyniQDBkz9LmV7gDEqytWyGZLmDXE",
    },
    {
      id: `${DID}#ed25519`,
      type: "Ed25519VerificationKey2020",
      publicKeyMultibase: "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    },
  ],
  [DID_VERIFICATION_RELATIONSHIP_TEXT_KEY]: {
    keyAgreement: ["#x25519"],
    authentication: ["#ed25519"],
    assertionMethod: [`${DID}#ed25519`, "#unknown"],
  },
};

describe("end to end: did:ens with records published through the CLI", () => {
  let stack: LocalStack;
  let dataDir: string;
  let gateway: RunningServer;
  let env: Record<string, string>;
  let cli: string[];
  let expected: EnsDidDocument;
  let resolver: Resolver;
  const owner = () => stack.accounts[2] as HDAccount;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-did-e2e-"));
    stack = await startLocalStack({ dataDir });
    for (const name of [NAME, REVOKED])
      await registerName(stack.ens.registry, name, owner().address, {
        resolver: stack.resolver.address,
      });
    env = {
      ENSGATE_PRIVATE_KEY: bytesToHex(owner().getHdKey().privateKey as Uint8Array) as Hex,
    };
    cli = [
      "--data-dir",
      dataDir,
      "--rpc",
      stack.rpcUrl,
      "--resolver",
      stack.resolver.address,
      "--registry",
      stack.ens.registry.address,
      "--universal-resolver",
      stack.ens.universalResolver.address,
    ];

    // didcli.eth: keygen -> set the three records from files -> publish -> recordhash.
    const textRecords: Record<string, string> = {};
    await runCliJson([...cli, "keygen", NAME], env);
    for (const [key, value] of Object.entries(RECORD_FILES)) {
      const file = join(dataDir, `${key}.json`);
      textRecords[key] = JSON.stringify(value, null, 2);
      writeFileSync(file, `${textRecords[key]}\n`);
      await runCliJson([...cli, "set", NAME, `text/${key}`, `@${file}`], env);
    }
    await runCliJson([...cli, "publish", NAME], env);
    await runCliJson([...cli, "recordhash", NAME], env);
    expected = expectedDidDocument(DID, owner().address, textRecords);

    // revoked.eth: records signed by a signer approved on-chain, then the approval is revoked.
    await runCliJson([...cli, "keygen", REVOKED], env);
    await runCliJson([...cli, "approve", REVOKED, "--onchain"], env);
    await runCliJson(
      [
        ...cli,
        "set",
        REVOKED,
        `text/${DID_SERVICE_TEXT_KEY}`,
        `@${join(dataDir, `${DID_SERVICE_TEXT_KEY}.json`)}`,
      ],
      env,
    );
    await runCliJson([...cli, "publish", REVOKED], env);
    await runCliJson([...cli, "recordhash", REVOKED], env);
    await runCliJson([...cli, "revoke", REVOKED], env);

    gateway = await serveFetchHandler(
      buildNodeGateway(
        parseGatewayConfig({
          ENSGATE_SOURCES: `http:${stack.ipfsGatewayUrl}`,
          ENSGATE_DID_NETWORKS: localDidNetworks(stack),
        }),
      ).fetch,
    );
    resolver = new Resolver(
      getResolver({
        ...createViemEnsReader({
          clients: { localhost: stack.publicClient as unknown as PublicClient },
          registryAddresses: { localhost: stack.ens.registry.address },
          universalResolverAddresses: { localhost: stack.ens.universalResolver.address },
        }),
      }),
    );
  });
  after(async () => {
    await gateway?.close();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("the expected document carries the records (services, methods, relationships)", () => {
    assert.deepEqual(
      expected.service.map((service) => service.id),
      [expected.service[0]?.id, `${DID}#messaging`, `${DID}#service-1`],
    );
    assert.deepEqual(expected.verificationMethod.map((method) => method.id).slice(1), [
      `${DID}#x25519`,
      `${DID}#ed25519`,
    ]);
    assert.deepEqual(expected.keyAgreement, [`${DID}#x25519`]);
    assert.equal(expected.authentication.at(-1), `${DID}#ed25519`);
    assert.equal(expected.assertionMethod.length, 2, "#unknown is dropped");
  });

  it("(a) ensgate did <name> prints the document; a full DID and --json give the whole result", async () => {
    const run = await runCli([...cli, "did", NAME]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepStrictEqual(JSON.parse(run.stdout), expected);
    const result = await runCliJson<EnsDidResolutionResult>([...cli, "did", DID]);
    assert.deepStrictEqual(result.didDocument, expected);
    assert.deepEqual(result.didResolutionMetadata, { contentType: "application/did+ld+json" });
    assert.deepEqual(result.didDocumentMetadata, { canonicalId: DID });
  });

  it("(b) did-resolver's Resolver with getResolver and the viem reader", async () => {
    const result = await resolver.resolve(DID);
    assert.deepStrictEqual(result.didDocument, expected);
    assert.equal(result.didResolutionMetadata.contentType, "application/did+ld+json");
  });

  it("(c) the gateway's GET /1.0/identifiers/{did} (configured by ENSGATE_DID_NETWORKS, and the local stack's)", async () => {
    for (const base of [gateway.url, stack.gatewayUrl]) {
      const response = await fetch(`${base}/1.0/identifiers/${DID}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), DID_RESOLUTION_LD_JSON);
      const body = (await response.json()) as EnsDidResolutionResult;
      assert.deepStrictEqual(body.didDocument, expected);
    }
  });

  it("records signed by a revoked signer fail the resolution everywhere (internalError)", async () => {
    const did = `did:ens:localhost:${REVOKED}`;
    assertOneLineError(
      await runCli([...cli, "did", REVOKED]),
      /^ensgate: internalError: .*revoked\.eth/,
    );
    const result = await resolver.resolve(did);
    assert.equal(result.didResolutionMetadata.error, "internalError");
    assert.equal(result.didDocument, null);
    const response = await fetch(`${gateway.url}/1.0/identifiers/${did}`);
    assert.equal(response.status, 500);
    const body = (await response.json()) as EnsDidResolutionResult;
    assert.equal(body.didResolutionMetadata.error, "internalError");
  });

  it("ensgate did: one-line errors for an invalid DID, an unknown name, another network", async () => {
    assertOneLineError(
      await runCli([...cli, "did", "did:ens:localhost:a_b.eth"]),
      /^ensgate: invalidDid: .*"a_b"/,
    );
    assertOneLineError(await runCli([...cli, "did", "a_b.eth"]), /^ensgate: invalidDid: /);
    assertOneLineError(
      await runCli([...cli, "did", "did:example:123"]),
      /^ensgate: methodNotSupported: /,
    );
    assertOneLineError(
      await runCli([...cli, "did", "nobody.eth"]),
      /^ensgate: notFound: .*nobody\.eth/,
    );
    assertOneLineError(
      await runCli([...cli, "did", "did:ens:sepolia:didcli.eth"]),
      /^ensgate: methodNotSupported: .*sepolia.*chain 31337, network localhost/,
    );
    const json = await runCli(["--json", ...cli, "did", "nobody.eth"]);
    assert.equal(json.code, 1);
    assert.equal(JSON.parse(json.stdout).didResolutionMetadata.error, "notFound");
  });
});
