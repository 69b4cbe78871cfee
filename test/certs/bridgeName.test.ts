import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  assertBridgeDomain,
  bridgeName,
  certificateSubtrees,
  ensNameFromBridgeName,
  InvalidCertificateNameError,
  isWithinSubtree,
  isWithinSubtrees,
} from "../../lib/certs/index.ts";
import { BRIDGE } from "./helpers.ts";

describe("bridge names", () => {
  it("replaces .eth with the bridge domain", () => {
    assert.equal(bridgeName("www.ee-global.eth", BRIDGE), "www.ee-global.deploy-ens-to-dns.com");
    assert.equal(bridgeName("ee-global.eth", BRIDGE), "ee-global.deploy-ens-to-dns.com");
    assert.equal(bridgeName("a.b.c.alice.eth", "example.org"), "a.b.c.alice.example.org");
  });

  it("maps bridge names back to ENS names", () => {
    assert.equal(
      ensNameFromBridgeName("www.ee-global.deploy-ens-to-dns.com", BRIDGE),
      "www.ee-global.eth",
    );
    assert.equal(
      ensNameFromBridgeName("WWW.Ee-Global.deploy-ens-to-dns.com.", BRIDGE),
      "www.ee-global.eth",
    );
    assert.equal(ensNameFromBridgeName("www.example.com", BRIDGE), undefined);
    assert.equal(ensNameFromBridgeName(BRIDGE, BRIDGE), undefined);
    assert.equal(ensNameFromBridgeName(`x.${BRIDGE}x`, BRIDGE), undefined);
  });

  for (const name of [
    "eth", // no label under .eth
    "alice.com", // not .eth
    "Alice.eth", // not normalized
    "💩.eth", // not ASCII: no IA5 dNSName
    "café.eth",
    "a_b.eth", // underscore
    "-alice.eth", // leading hyphen
    "alice..eth", // empty label
    `${"a".repeat(64)}.eth`, // label > 63
  ])
    it(`rejects the ENS name "${name}"`, () => {
      assert.throws(() => bridgeName(name, BRIDGE), InvalidCertificateNameError);
    });

  for (const domain of ["com", "Deploy.com", "bridge.eth", "a..com", "-a.com", "a.com.", ""])
    it(`rejects the bridge domain "${domain}"`, () => {
      assert.throws(() => assertBridgeDomain(domain), InvalidCertificateNameError);
    });

  it("rejects a bridge name over 253 characters", () => {
    const name = `${Array.from({ length: 4 }, () => "a".repeat(60)).join(".")}.eth`;
    assert.equal(name.length, 247); // a valid ENS name, but +18 characters as a bridge name
    assert.throws(() => bridgeName(name, BRIDGE), InvalidCertificateNameError);
  });
});

describe("subtrees", () => {
  it("a name's subtrees are the name and its bridge name", () => {
    assert.deepEqual(certificateSubtrees("alice.eth", BRIDGE), ["alice.eth", `alice.${BRIDGE}`]);
  });

  it("matches names and subnames only (label boundaries, wildcards)", () => {
    assert.ok(isWithinSubtree("alice.eth", "alice.eth"));
    assert.ok(isWithinSubtree("www.alice.eth", "alice.eth"));
    assert.ok(isWithinSubtree("a.b.alice.eth", "alice.eth"));
    assert.ok(isWithinSubtree("WWW.Alice.eth", "alice.eth"));
    assert.ok(isWithinSubtree("*.alice.eth", "alice.eth"));
    assert.ok(!isWithinSubtree("*.alice.eth", "www.alice.eth"));
    assert.ok(!isWithinSubtree("xalice.eth", "alice.eth"));
    assert.ok(!isWithinSubtree("alice.eth.com", "alice.eth"));
    assert.ok(!isWithinSubtree("eth", "alice.eth"));
    assert.ok(!isWithinSubtree("*.", "alice.eth"));
    const subtrees = certificateSubtrees("alice.eth", BRIDGE);
    assert.ok(isWithinSubtrees(`www.alice.${BRIDGE}`, subtrees));
    assert.ok(!isWithinSubtrees(`www.bob.${BRIDGE}`, subtrees));
  });
});
