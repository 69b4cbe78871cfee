// The rules under `ensgate fetch` and `ensgate serve` that need no stack: TLSA matching for each
// selector and matching type (checked against OpenSSL's own hashes), which TLSA records are
// usable, RRset decoding, host -> ENS name, and the request-path rule that refuses traversal.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSitePath, SitePathError } from "../../cli/serve/siteContent.ts";
import { NotAnEnsHostError, UnusableTlsaRecordError } from "../../client/daneErrors.ts";
import { ensNameOfHost } from "../../client/daneFetch.ts";
import {
  matchesTlsa,
  type TlsaRecord,
  tlsaAssociationOf,
  usableTlsaRecords,
} from "../../client/tlsaRecords.ts";
import { decodeDnsRecordSet } from "../../client/verifiedRecords.ts";
import { createRootCa, generateCertificateKeyPair, issueEndEntity } from "../../lib/certs/index.ts";
import { parseDnsZone } from "../../lib/index.ts";
import { BRIDGE, openssl } from "../certs/helpers.ts";

/** `openssl dgst -<algorithm>` of some bytes, as hex. */
const opensslDigest = (algorithm: string, input: Uint8Array) => {
  const result = openssl(["dgst", `-${algorithm}`, "-r"], { input });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split(" ")[0] as string;
};

describe("TLSA matching (DANE-EE)", async () => {
  const root = await createRootCa();
  const keys = await generateCertificateKeyPair("P-256");
  const leaf = await issueEndEntity({
    issuer: root,
    publicKey: keys.publicKey,
    dnsNames: ["www.demo.eth"],
  });
  const der = new Uint8Array(leaf.rawData);
  const spki = openssl(["x509", "-inform", "DER", "-pubkey", "-noout"], { input: der });
  const spkiDer = openssl(["pkey", "-pubin", "-outform", "DER"], {
    input: spki.stdout,
  }).stdoutBytes;

  const cases: [string, TlsaRecord][] = [
    ["3 1 1", { usage: 3, selector: 1, matchingType: 1, data: opensslDigest("sha256", spkiDer) }],
    ["3 1 2", { usage: 3, selector: 1, matchingType: 2, data: opensslDigest("sha512", spkiDer) }],
    [
      "3 1 0",
      { usage: 3, selector: 1, matchingType: 0, data: Buffer.from(spkiDer).toString("hex") },
    ],
    ["3 0 1", { usage: 3, selector: 0, matchingType: 1, data: opensslDigest("sha256", der) }],
    ["3 0 0", { usage: 3, selector: 0, matchingType: 0, data: Buffer.from(der).toString("hex") }],
  ];
  for (const [label, record] of cases)
    it(`${label} matches what OpenSSL computes, and only for this certificate`, async () => {
      assert.equal(tlsaAssociationOf(der, record), record.data);
      assert.equal(matchesTlsa(der, [record]), true);
      const other = await issueEndEntity({
        issuer: root,
        publicKey: (await generateCertificateKeyPair("P-256")).publicKey,
        dnsNames: ["www.demo.eth"],
      });
      assert.equal(matchesTlsa(new Uint8Array(other.rawData), [record]), false);
    });

  it("a renewed certificate with the same key still matches 3 1 1, not 3 0 1", async () => {
    const renewed = await issueEndEntity({
      issuer: root,
      publicKey: keys.publicKey,
      dnsNames: ["www.demo.eth"],
    });
    const renewedDer = new Uint8Array(renewed.rawData);
    assert.equal(matchesTlsa(renewedDer, [cases[0]?.[1] as TlsaRecord]), true);
    assert.equal(matchesTlsa(renewedDer, [cases[3]?.[1] as TlsaRecord]), false);
  });

  it("refuses records it cannot check (PKIX and DANE-TA usages, unknown selector or hash)", () => {
    const hash = "ab".repeat(32);
    const records: TlsaRecord[] = [
      { usage: 1, selector: 1, matchingType: 1, data: hash },
      { usage: 2, selector: 0, matchingType: 1, data: hash },
      { usage: 3, selector: 2, matchingType: 1, data: hash },
      { usage: 3, selector: 1, matchingType: 3, data: hash },
    ];
    assert.throws(
      () => usableTlsaRecords("_443._tcp.www.demo.eth", records),
      (error: Error) =>
        error instanceof UnusableTlsaRecordError &&
        error.message.startsWith(
          `_443._tcp.www.demo.eth has no usable TLSA record (1 1 1 ${hash}, 2 0 1 ${hash}`,
        ),
    );
    const usable: TlsaRecord = { usage: 3, selector: 1, matchingType: 1, data: hash };
    assert.deepEqual(usableTlsaRecords("x", [...records, usable]), [usable]);
  });
});

describe("DNS RRsets and hosts", () => {
  it("decodes a TLSA and an A RRset in wire format (as dnsRecord returns them)", () => {
    const hash = "0f".repeat(32);
    const { wire } = parseDnsZone(
      `_443._tcp.www.demo.eth. 3600 IN TLSA 3 1 1 ${hash}\n_443._tcp.www.demo.eth. 3600 IN TLSA 3 0 1 ${hash}`,
    );
    const answers = decodeDnsRecordSet(wire);
    assert.equal(answers.length, 2);
    assert.equal(answers[0]?.name, "_443._tcp.www.demo.eth");
    const data = answers[1]?.data as { usage: number; selector: number; certificate: Buffer };
    assert.deepEqual([data.usage, data.selector, data.certificate.toString("hex")], [3, 0, hash]);
    const a = decodeDnsRecordSet(parseDnsZone("www.demo.eth. 300 IN A 192.0.2.7").wire);
    assert.equal(a[0]?.data, "192.0.2.7");
  });

  it("maps a .eth host and a bridge host to the ENS name; anything else is refused", () => {
    assert.equal(ensNameOfHost("WWW.Demo.ETH."), "www.demo.eth");
    assert.equal(ensNameOfHost(`www.demo.${BRIDGE}`, BRIDGE), "www.demo.eth");
    assert.equal(ensNameOfHost("a.b.example.org", "example.org"), "a.b.eth");
    assert.throws(
      () => ensNameOfHost("example.com", BRIDGE),
      (error: Error) =>
        error instanceof NotAnEnsHostError &&
        error.message ===
          `example.com is neither a .eth name nor a name under the bridge domain ${BRIDGE}`,
    );
  });
});

describe("request paths of ensgate serve", () => {
  it("splits and decodes segments; a trailing slash asks for a folder", () => {
    assert.deepEqual(parseSitePath("/"), { segments: [], directory: true });
    assert.deepEqual(parseSitePath("/a/b%20c.html?x=/../"), {
      segments: ["a", "b c.html"],
      directory: false,
    });
    assert.deepEqual(parseSitePath("/docs//"), { segments: ["docs"], directory: true });
  });

  for (const path of [
    "/..",
    "/a/../b",
    "/%2e%2e/x",
    "/%2E%2e",
    "/a/.",
    "/a/..%2fb",
    "/..%5cx",
    "/a%2f..%2f..",
    "/x%00",
  ])
    it(`refuses ${path}`, () => {
      assert.throws(
        () => parseSitePath(path),
        (error: Error) =>
          error instanceof SitePathError && error.message.startsWith("path traversal refused"),
      );
    });

  it("refuses bad percent-encoding and a relative target", () => {
    assert.throws(() => parseSitePath("/%zz"), /bad percent-encoding in \/%zz/);
    assert.throws(() => parseSitePath("a/b"), /is not an absolute path/);
  });
});
