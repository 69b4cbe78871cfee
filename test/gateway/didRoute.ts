// `GET /1.0/identifiers/{did}` over HTTP against the local stack (Hardhat chain on 127.0.0.1,
// ENS fixtures, the ensgate resolver, the embedded IPFS store behind its path gateway), shared by
// the Node run and the workerd run. The gateway under test is configured only through its
// environment (ENSGATE_DID_NETWORKS), as an operator would.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Address, LocalAccount } from "viem";
import { DID_RESOLUTION_LD_JSON } from "../../did/index.ts";
import {
  buildDidDocument,
  DID_SERVICE_TEXT_KEY,
  DID_VERIFICATION_METHOD_TEXT_KEY,
  DID_VERIFICATION_RELATIONSHIP_TEXT_KEY,
  type EnsDidDocument,
  parseEnsDid,
  type RecordRequest,
} from "../../lib/index.ts";
import { type LocalStack, startLocalStack } from "../../scripts/stack/localStack.ts";
import { publishTree, registerWithResolver, writeResolver } from "../e2e/names.ts";

/** Starts a gateway with these environment variables; returns its URL. */
export type StartDidGateway = (
  vars: Record<string, string>,
) => Promise<{ url: string; close: () => Promise<void> }>;

/** The three did:ens text records of a name (JSON strings, as stored). */
export const DID_TEXT_RECORDS = {
  [DID_SERVICE_TEXT_KEY]: JSON.stringify([
    { id: "#hub", type: "LinkedDomains", serviceEndpoint: "https://hub.example.com" },
    { type: "DIDCommMessaging", serviceEndpoint: "https://didcomm.example.com" },
  ]),
  [DID_VERIFICATION_METHOD_TEXT_KEY]: JSON.stringify([
    {
      id: "#key-1",
      type: "X25519KeyAgreementKey2019",
      publicKeyMultibase: "z9hFgmPVfmBZwRvFEyniQDBkz9LmV7gDEqytWyGZLmDXE",
    },
  ]),
  [DID_VERIFICATION_RELATIONSHIP_TEXT_KEY]: JSON.stringify({ keyAgreement: ["#key-1"] }),
};

/** The text records as record requests for `publishTree`. */
export function didRecordRequests(
  records: Record<string, string> = DID_TEXT_RECORDS,
): [RecordRequest, string][] {
  return Object.entries(records).map(([key, value]) => [{ type: "text", key }, value]);
}

/** The document `buildDidDocument` builds for `did` with the given owner and text records. */
export function expectedDidDocument(
  did: string,
  owner: Address,
  textRecords: Record<string, string | null>,
  networks = { localhost: 31337 },
): EnsDidDocument {
  return buildDidDocument({
    parsed: parseEnsDid(did, { networks }),
    owner,
    textRecords,
    certificates: [],
  });
}

/** The ENSGATE_DID_NETWORKS value for the local stack's chain. */
export function localDidNetworks(stack: LocalStack): string {
  return JSON.stringify({
    localhost: {
      chainId: stack.chain.id,
      rpcUrl: stack.rpcUrl,
      registry: stack.ens.registry.address,
      universalResolver: stack.ens.universalResolver.address,
    },
  });
}

/** Replaces a same-length value inside a signed record file's data, without re-signing. */
export function tamperRecordFile(json: string, from: string, to: string): string {
  const file = JSON.parse(json) as { data: string };
  const hex = (text: string) => Buffer.from(text).toString("hex");
  if (from.length !== to.length) throw new Error("tamperRecordFile: same-length values only");
  if (!file.data.includes(hex(from))) throw new Error(`tamperRecordFile: "${from}" not found`);
  return JSON.stringify({ ...file, data: file.data.replace(hex(from), hex(to)) });
}

type Resolution = {
  didDocument: EnsDidDocument | null;
  didResolutionMetadata: { error?: string; message?: string; contentType?: string };
  didDocumentMetadata: Record<string, unknown>;
};

/** Registers the shared did:ens route suite. */
export function describeDidRoute(label: string, startGateway: StartDidGateway): void {
  describe(`GET /1.0/identifiers/{did} (${label})`, () => {
    let stack: LocalStack;
    let dataDir: string;
    let owner: LocalAccount;
    let gateway: { url: string; close: () => Promise<void> };
    let unconfigured: { url: string; close: () => Promise<void> };

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), "ensgate-did-route-"));
      stack = await startLocalStack({ dataDir });
      owner = stack.accounts[1] as LocalAccount;

      // did.eth: the three DID records; plain.eth: none; tampered.eth: an edited service record.
      const didNode = await registerWithResolver(stack, "did.eth", owner.address);
      const didHash = await publishTree(stack, owner, "did.eth", {
        "did.eth": didRecordRequests(),
      });
      await writeResolver(stack, owner, "setRecordhash", [didNode, didHash]);

      const plainNode = await registerWithResolver(stack, "plain.eth", owner.address);
      const plainHash = await publishTree(stack, owner, "plain.eth", { "plain.eth": [] });
      await writeResolver(stack, owner, "setRecordhash", [plainNode, plainHash]);

      const tamperedNode = await registerWithResolver(stack, "tampered.eth", owner.address);
      const servicePath = `.well-known/eth/tampered/text/${DID_SERVICE_TEXT_KEY}.json`;
      const honest = await signedFile(stack, owner, "tampered.eth", servicePath);
      const tamperedHash = await publishTree(
        stack,
        owner,
        "tampered.eth",
        { "tampered.eth": [] },
        {
          overrides: {
            [servicePath]: tamperRecordFile(honest, "hub.example.com", "bad.example.com"),
          },
        },
      );
      await writeResolver(stack, owner, "setRecordhash", [tamperedNode, tamperedHash]);

      const sources = `http:${stack.ipfsGatewayUrl}`;
      [gateway, unconfigured] = await Promise.all([
        startGateway({
          ENSGATE_SOURCES: sources,
          ENSGATE_DID_NETWORKS: localDidNetworks(stack),
        }),
        startGateway({ ENSGATE_SOURCES: sources }),
      ]);
    });
    after(async () => {
      await gateway?.close();
      await unconfigured?.close();
      await stack?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    const get = (did: string, headers: Record<string, string> = {}, base = gateway.url) =>
      fetch(`${base}/1.0/identifiers/${did}`, { headers });
    const expectError = async (response: Response, status: number, error: string) => {
      assert.equal(response.status, status);
      assert.equal(response.headers.get("content-type"), DID_RESOLUTION_LD_JSON);
      const body = (await response.json()) as Resolution;
      assert.equal(body.didResolutionMetadata.error, error, body.didResolutionMetadata.message);
      assert.equal(body.didDocument, null);
      assert.deepEqual(body.didDocumentMetadata, {});
      return body;
    };

    it("200: the document built from the owner and the verified text records", async () => {
      const response = await get("did:ens:localhost:did.eth");
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), DID_RESOLUTION_LD_JSON);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      const body = (await response.json()) as Resolution;
      const expected = expectedDidDocument("did:ens:localhost:did.eth", owner.address, {
        ...DID_TEXT_RECORDS,
      });
      assert.deepStrictEqual(body.didDocument, expected);
      assert.equal(expected.service.length, 3, "profile + the two record services");
      assert.deepEqual(body.didResolutionMetadata, { contentType: "application/did+ld+json" });
      assert.deepEqual(body.didDocumentMetadata, { canonicalId: "did:ens:localhost:did.eth" });
    });

    it("200: the DID URL-encoded and normalized; Accept did+ld+json returns the document alone", async () => {
      const response = await get(encodeURIComponent("did:ens:localhost:DID.eth"), {
        accept: "application/did+ld+json",
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "application/did+ld+json");
      const document = (await response.json()) as EnsDidDocument;
      assert.equal(document.id, "did:ens:localhost:DID.eth");
      assert.equal(document.canonicalId, "did:ens:localhost:did.eth");
      assert.deepStrictEqual(
        document,
        expectedDidDocument("did:ens:localhost:DID.eth", owner.address, { ...DID_TEXT_RECORDS }),
      );
    });

    it("200: a name without DID records has the default document", async () => {
      const body = (await (await get("did:ens:localhost:plain.eth")).json()) as Resolution;
      assert.deepStrictEqual(
        body.didDocument,
        expectedDidDocument("did:ens:localhost:plain.eth", owner.address, {}),
      );
    });

    it("400 invalidDid: bad syntax, a DID URL, a name ENSIP-15 rejects", async () => {
      await expectError(await get("did:ens:"), 400, "invalidDid");
      await expectError(await get("did:ens:localhost:a:b.eth"), 400, "invalidDid");
      await expectError(await get("did:ens:localhost:a_b.eth"), 400, "invalidDid");
      await expectError(await get("not-a-did"), 400, "invalidDid");
    });

    it("404 notFound: an unregistered name", async () => {
      const body = await expectError(await get("did:ens:localhost:nobody.eth"), 404, "notFound");
      assert.match(body.didResolutionMetadata.message ?? "", /nobody\.eth/);
    });

    it("501 methodNotSupported: another method, an unknown or unconfigured network", async () => {
      await expectError(await get("did:web:example.com"), 501, "methodNotSupported");
      await expectError(await get("did:ens:nowhere:did.eth"), 501, "methodNotSupported");
      const body = await expectError(
        await get("did:ens:sepolia:did.eth"),
        501,
        "methodNotSupported",
      );
      assert.match(body.didResolutionMetadata.message ?? "", /configured: localhost/);
    });

    it("501 methodNotSupported on a gateway without ENSGATE_DID_NETWORKS; 400 still for bad DIDs", async () => {
      const body = await expectError(
        await get("did:ens:did.eth", {}, unconfigured.url),
        501,
        "methodNotSupported",
      );
      assert.match(body.didResolutionMetadata.message ?? "", /ENSGATE_DID_NETWORKS/);
      await expectError(await get("did:ens:a_b.eth", {}, unconfigured.url), 400, "invalidDid");
    });

    it("500 internalError: a record that fails verification fails the resolution", async () => {
      const body = await expectError(
        await get("did:ens:localhost:tampered.eth"),
        500,
        "internalError",
      );
      assert.match(body.didResolutionMetadata.message ?? "", /tampered\.eth/);
    });

    it("405 for other methods; the CCIP-Read routes are unaffected", async () => {
      const post = await fetch(`${gateway.url}/1.0/identifiers/did:ens:localhost:did.eth`, {
        method: "POST",
      });
      assert.equal(post.status, 405);
      assert.match(
        post.headers.get("content-type") ?? "",
        /^application\/did-resolution|^application\/ld\+json/,
      );
      assert.equal(
        ((await post.json()) as { didResolutionMetadata: { error: string } }).didResolutionMetadata
          .error,
        "methodNotAllowed",
      );
      const health = await fetch(`${gateway.url}/health`);
      assert.equal(health.status, 200);
    });
  });
}

/** A validly signed record file of `name` (path under the tree), for tampering. */
async function signedFile(
  stack: LocalStack,
  owner: LocalAccount,
  name: string,
  path: string,
): Promise<string> {
  const { parseRecordhash } = await import("../../lib/index.ts");
  const recordhash = await publishTree(stack, owner, `${name}-honest`, {
    [name]: didRecordRequests(),
  });
  const target = parseRecordhash(recordhash);
  const bytes = await stack.ipfs.readFile(
    target.protocol === "ipns" ? target.name : target.cid,
    path,
  );
  if (!bytes) throw new Error(`${path} was not published`);
  return new TextDecoder().decode(bytes);
}
