// The rules that moved into lib/ from the CLI and the CA: the name hierarchy and the CA's
// records name for an order.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { certificateRecordsName, DEFAULT_BRIDGE_DOMAIN } from "../../lib/certs/index.ts";
import { ancestorWithNode, namehash, namePath, parentName } from "../../lib/index.ts";

describe("name hierarchy (lib/names/ancestors.ts)", () => {
  it("parentName drops the first label; a top-level label has no parent", () => {
    assert.equal(parentName("sub.alice.eth"), "alice.eth");
    assert.equal(parentName("eth"), undefined);
  });

  it("namePath lists the name and every ancestor up to its top-level label", () => {
    assert.deepEqual(namePath("a.b.eth"), ["a.b.eth", "b.eth", "eth"]);
  });

  it("ancestorWithNode names the resolver's owner node on the path, in any hex case", () => {
    assert.equal(ancestorWithNode("a.b.eth", namehash("b.eth")), "b.eth");
    assert.equal(ancestorWithNode("a.b.eth", namehash("b.eth").toUpperCase()), "b.eth");
    assert.equal(ancestorWithNode("a.b.eth", namehash("c.eth")), undefined);
  });
});

describe("the CA's records name (lib/certs/orderKind.ts)", () => {
  it("a domain CA is published under _ca.<name>, an end-entity under the name", () => {
    assert.equal(certificateRecordsName("alice.eth", "intermediate"), "_ca.alice.eth");
    assert.equal(certificateRecordsName("alice.eth", 0), "_ca.alice.eth");
    assert.equal(certificateRecordsName("alice.eth", "endEntity"), "alice.eth");
    assert.equal(certificateRecordsName("alice.eth", 1), "alice.eth");
    assert.equal(DEFAULT_BRIDGE_DOMAIN, "deploy-ens-to-dns.com");
  });
});
