import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DID_RESOLUTION_LD_JSON,
  DID_RESOLUTION_MEDIA_TYPE,
  handleDidRequest,
} from "../../did/index.ts";
import { type EnsDidReader, resolveEnsDid } from "../../lib/did/index.ts";
import { SPEC_EXAMPLE_NO_TEXT_RECORDS } from "./specExamples.ts";

const reader: EnsDidReader = {
  readOwner: async (name) =>
    name === "some.eth" ? "0xab16a96d359ec26a11e2c2b3d8f8b8942d5bfcdb" : null,
  readText: async () => null,
};
const resolve = (did: string) => resolveEnsDid(did, reader);
const example = JSON.parse(SPEC_EXAMPLE_NO_TEXT_RECORDS);

function get(path: string, headers: Record<string, string> = {}, method = "GET") {
  return handleDidRequest(new Request(`http://gateway.test${path}`, { method, headers }), resolve);
}

describe("handleDidRequest (DIF Universal Resolver driver API)", () => {
  it("answers 200 with the resolution result", async () => {
    const response = await get("/1.0/identifiers/did:ens:some.eth");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), DID_RESOLUTION_LD_JSON);
    assert.deepStrictEqual(await response.json(), {
      didDocument: example,
      didResolutionMetadata: { contentType: "application/did+ld+json" },
      didDocumentMetadata: { canonicalId: "did:ens:mainnet:some.eth" },
    });
  });

  it("accepts a URL-encoded DID and a mount prefix", async () => {
    const response = await get("/did/1.0/identifiers/did%3Aens%3Amainnet%3Asome.eth");
    assert.equal(response.status, 200);
    const body = (await response.json()) as { didDocument: { id: string } };
    assert.equal(body.didDocument.id, "did:ens:mainnet:some.eth");
  });

  it("returns the document alone for Accept: application/did+ld+json", async () => {
    for (const type of ["application/did+ld+json", "application/did+json"]) {
      const response = await get("/1.0/identifiers/did:ens:some.eth", { accept: type });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), type);
      assert.deepStrictEqual(await response.json(), example);
    }
  });

  it("returns the full result as application/did-resolution when asked", async () => {
    const response = await get("/1.0/identifiers/did:ens:some.eth", {
      accept: `${DID_RESOLUTION_MEDIA_TYPE}, application/did+ld+json;q=0.5`,
    });
    assert.equal(response.headers.get("content-type"), DID_RESOLUTION_MEDIA_TYPE);
    assert.deepEqual(Object.keys((await response.json()) as object), [
      "didDocument",
      "didResolutionMetadata",
      "didDocumentMetadata",
    ]);
  });

  const errors: [string, number, string][] = [
    ["/1.0/identifiers/did:ens:missing.eth", 404, "notFound"],
    ["/1.0/identifiers/did:ens:a_b.eth", 400, "invalidDid"],
    ["/1.0/identifiers/not-a-did", 400, "invalidDid"],
    ["/1.0/identifiers/", 400, "invalidDid"],
    ["/1.0/identifiers/did%ZZ", 400, "invalidDid"],
    ["/1.0/identifiers/did:web:example.com", 501, "methodNotSupported"],
    ["/1.0/identifiers/did:ens:rinkeby:some.eth", 501, "methodNotSupported"],
  ];
  for (const [path, status, error] of errors)
    it(`answers ${status} ${error} for ${path}`, async () => {
      const response = await get(path, { accept: "application/did+ld+json" });
      assert.equal(response.status, status);
      const body = (await response.json()) as {
        didDocument: unknown;
        didResolutionMetadata: { error: string; message: string };
        didDocumentMetadata: unknown;
      };
      assert.equal(body.didDocument, null);
      assert.equal(body.didResolutionMetadata.error, error);
      assert.equal(typeof body.didResolutionMetadata.message, "string");
      assert.deepEqual(body.didDocumentMetadata, {});
    });

  it("answers 500 internalError when resolution throws or a read fails", async () => {
    const thrown = await handleDidRequest(
      new Request("http://gateway.test/1.0/identifiers/did:ens:some.eth"),
      async () => {
        throw new Error("boom");
      },
    );
    assert.equal(thrown.status, 500);
    assert.equal(
      ((await thrown.json()) as { didResolutionMetadata: { error: string } }).didResolutionMetadata
        .error,
      "internalError",
    );
    const failing = await handleDidRequest(
      new Request("http://gateway.test/1.0/identifiers/did:ens:some.eth"),
      (did) =>
        resolveEnsDid(did, {
          ...reader,
          readOwner: async () => {
            throw new Error("rpc down");
          },
        }),
    );
    assert.equal(failing.status, 500);
  });

  it("answers HEAD without a body, other methods with 405 and other paths with 404", async () => {
    const head = await get("/1.0/identifiers/did:ens:some.eth", {}, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(await head.text(), "");
    const post = await get("/1.0/identifiers/did:ens:some.eth", {}, "POST");
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    // Errors are DID resolution results too (JSON, a DID resolution media type), never text.
    assert.equal(post.headers.get("content-type"), DID_RESOLUTION_LD_JSON);
    assert.deepEqual(await post.json(), {
      didDocument: null,
      didResolutionMetadata: { error: "methodNotAllowed", message: "Method not allowed: use GET." },
      didDocumentMetadata: {},
    });
    const other = await get("/1.0/other");
    assert.equal(other.status, 404);
    assert.equal(other.headers.get("content-type"), DID_RESOLUTION_LD_JSON);
    assert.equal(
      ((await other.json()) as { didResolutionMetadata: { error: string } }).didResolutionMetadata
        .error,
      "notFound",
    );
  });
});
