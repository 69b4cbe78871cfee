import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import {
  buildWellKnownPath,
  DnsDecodingError,
  DnsEncodingError,
  dnsDecodeName,
  dnsEncodeName,
  InvalidNameError,
  isNormalizedName,
  labelhash,
  namehash,
  normalizeName,
  parseWellKnownPath,
} from "../../lib/index.ts";

describe("normalizeName (ENSIP-15)", () => {
  const accepted: [string, string][] = [
    ["nick.eth", "nick.eth"],
    ["Nick.ETH", "nick.eth"],
    ["ＦＯＯ.eth", "foo.eth"],
    ["💩.eth", "💩.eth"],
    ["_dmarc.alice.eth", "_dmarc.alice.eth"],
    ["sub.domain.eth", "sub.domain.eth"],
  ];
  for (const [input, expected] of accepted)
    it(`normalizes ${JSON.stringify(input)} to ${expected}`, () => {
      assert.equal(normalizeName(input), expected);
    });

  const rejected: [string, string, RegExp][] = [
    ["a..eth", "", /empty label/],
    ["xn--ab.eth", "xn--ab", /invalid label extension/],
    ["a_b.eth", "a_b", /underscore allowed only at start/],
    ["te--st.eth", "te--st", /invalid label extension/],
    ["zero\u200dwidth.eth", "zero\u200dwidth", /disallowed character/],
    ["nul\u0000.eth", "nul\u0000", /disallowed character/],
  ];
  for (const [input, label, reason] of rejected)
    it(`rejects ${JSON.stringify(input)} naming label ${JSON.stringify(label)}`, () => {
      assert.throws(
        () => normalizeName(input),
        (error: unknown) =>
          error instanceof InvalidNameError &&
          error.label === label &&
          reason.test(error.reason) &&
          error.shortMessage.includes(`label "${label}"`),
      );
    });

  it("isNormalizedName tells normalized from not", () => {
    assert.equal(isNormalizedName("nick.eth"), true);
    assert.equal(isNormalizedName("Nick.eth"), false);
    assert.equal(isNormalizedName("a_b.eth"), false);
  });
});

describe("namehash / labelhash", () => {
  it("matches EIP-137 vectors", () => {
    assert.equal(namehash(""), `0x${"00".repeat(32)}`);
    assert.equal(
      namehash("eth"),
      "0x93cdeb708b7545dc668eb9280176169d1c33cfd8ed6f04690a0bcc88a93fc4ae",
    );
    assert.equal(
      namehash("foo.eth"),
      "0xde9b09fd7c5f901e23a3f19fecc54828e9c848539801e86591bd9801b019f84f",
    );
  });
  it("normalizes before hashing", () => {
    assert.equal(namehash("FOO.eth"), namehash("foo.eth"));
    assert.equal(
      labelhash("ETH"),
      "0x4f5b812789fc606be1b3b16908db13fc7a9adf7ca72641f84d75b47069d3d7f0",
    );
  });
  it("rejects non-normalizable names", () => {
    assert.throws(() => namehash("a_b.eth"), InvalidNameError);
  });
});

describe("DNS wire format", () => {
  it("encodes and decodes a name", () => {
    assert.equal(dnsEncodeName("sub.alice.eth"), "0x0373756205616c6963650365746800");
    assert.equal(dnsDecodeName("0x0373756205616c6963650365746800"), "sub.alice.eth");
  });
  it("encodes the root as a single zero byte", () => {
    assert.equal(dnsEncodeName(""), "0x00");
    assert.equal(dnsDecodeName("0x00"), "");
  });
  it("encodes labels by UTF-8 byte length", () => {
    assert.equal(dnsEncodeName("💩.eth"), "0x04f09f92a90365746800");
    assert.equal(dnsDecodeName("0x04f09f92a90365746800"), "💩.eth");
  });
  it("rejects an empty label", () => {
    assert.throws(() => dnsEncodeName("a..eth"), /label 2 is empty/);
    assert.throws(() => dnsEncodeName(".eth"), DnsEncodingError);
  });
  // Wire names built by hand (not by dnsEncodeName), so that encode and decode are each checked
  // against the bounds, not only against each other.
  const wire = (...labels: string[]): Hex =>
    `0x${labels.map((l) => l.length.toString(16).padStart(2, "0") + Buffer.from(l).toString("hex")).join("")}00`;

  it("accepts a 63-byte label and rejects a 64-byte one (encode and decode agree)", () => {
    const label63 = "a".repeat(63);
    assert.equal(dnsEncodeName(`${label63}.eth`), wire(label63, "eth"));
    assert.equal(dnsDecodeName(wire(label63, "eth")), `${label63}.eth`);
    assert.equal(
      dnsDecodeName(dnsEncodeName(`💩${"a".repeat(59)}.eth`)),
      `💩${"a".repeat(59)}.eth`,
    );
    assert.throws(
      () => dnsEncodeName(`${"a".repeat(64)}.eth`),
      /label 1 is 64 bytes, more than 63/,
    );
    assert.throws(
      () => dnsEncodeName(`💩${"a".repeat(60)}.eth`),
      /label 1 is 64 bytes, more than 63/,
    );
    assert.throws(
      () => dnsDecodeName(wire("a".repeat(64), "eth")),
      (error: unknown) =>
        error instanceof DnsDecodingError &&
        error.shortMessage === "Malformed DNS-encoded name: label length 64 at byte 0 is over 63.",
    );
  });
  it("accepts a 255-byte name and rejects a 256-byte one (encode and decode agree)", () => {
    // 4 labels of 62 bytes = 4*63 + 1 = 253 bytes; plus "a" (2 bytes) = 255.
    const label62 = "b".repeat(62);
    const labels255 = [label62, label62, label62, label62, "a"];
    const name255 = labels255.join(".");
    assert.equal(dnsEncodeName(name255), wire(...labels255));
    assert.equal((dnsEncodeName(name255).length - 2) / 2, 255);
    assert.equal(dnsDecodeName(wire(...labels255)), name255);
    const labels256 = [label62, label62, label62, label62, "ab"];
    assert.equal((wire(...labels256).length - 2) / 2, 256);
    assert.throws(
      () => dnsEncodeName(labels256.join(".")),
      (error: unknown) =>
        error instanceof DnsEncodingError &&
        error.shortMessage === "Cannot DNS-encode name: name is 256 bytes, more than 255.",
    );
    assert.throws(
      () => dnsDecodeName(wire(...labels256)),
      (error: unknown) =>
        error instanceof DnsDecodingError &&
        error.shortMessage === "Malformed DNS-encoded name: 256 bytes, more than 255.",
    );
  });
  it("rejects a label holding / in both directions", () => {
    assert.throws(() => dnsEncodeName("a/b.eth"), /label 1 contains "\/"/);
    assert.throws(() => dnsDecodeName(wire("a/b", "eth")), /label at byte 0 contains a slash/);
  });
  it("reads hex in any case", () => {
    assert.equal(
      dnsDecodeName("0x05ALICE0365746800".replace("ALICE", "616C696365") as Hex),
      "alice.eth",
    );
  });
  it("rejects malformed wire names", () => {
    assert.throws(() => dnsDecodeName("0x03616263"), /missing the terminating zero byte/);
    assert.throws(() => dnsDecodeName("0x0561626300"), /runs past the end/);
    assert.throws(() => dnsDecodeName("0x0361626300ff"), /1 trailing bytes/);
    assert.throws(() => dnsDecodeName("0xc00c"), /label length 192/);
    assert.throws(() => dnsDecodeName("0x03612e6200"), /contains a dot/);
    assert.throws(() => dnsDecodeName("0x"), DnsDecodingError);
    assert.throws(() => dnsDecodeName("nothex" as `0x${string}`), /not hex/);
  });
});

describe(".well-known paths", () => {
  it("reverses labels", () => {
    assert.equal(buildWellKnownPath("sub.domain.eth"), ".well-known/eth/domain/sub/");
    assert.equal(buildWellKnownPath("vitalik.eth"), ".well-known/eth/vitalik/");
    assert.equal(buildWellKnownPath("Vitalik.ETH"), ".well-known/eth/vitalik/");
  });
  it("parses back", () => {
    assert.equal(parseWellKnownPath(".well-known/eth/domain/sub/"), "sub.domain.eth");
    assert.equal(parseWellKnownPath("/.well-known/eth/vitalik"), "vitalik.eth");
    assert.throws(() => parseWellKnownPath("eth/vitalik/"), DnsEncodingError);
  });
  it("rejects the root and invalid names", () => {
    assert.throws(() => buildWellKnownPath(""), /root name has no record folder/);
    assert.throws(() => buildWellKnownPath("a_b.eth"), InvalidNameError);
  });
});
