import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeAbiParameters, encodeFunctionData, type Hex, parseAbiItem, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  buildAnswer,
  buildEmptyAnswer,
  buildRecordFilePath,
  buildRecordhash,
  buildRecordTypeCandidates,
  DNS_RECORD_BYTES_SIGNATURE,
  decodeRecordCall,
  decodeRecordValue,
  decodeSignedRecordData,
  encodeRecordCall,
  encodeRecordValue,
  expandRecordhash,
  getRecordSelector,
  hashDnsOwnerName,
  InvalidNameError,
  InvalidRecordCallError,
  InvalidRecordPathError,
  InvalidRecordValueError,
  namehash,
  parseRecordFile,
  parseRecordFilePath,
  parseRecordhash,
  parseRecordType,
  RECORD_KINDS,
  type RecordRequest,
  serializeRecordFile,
  signRecord,
  UnknownRecordTypeError,
  verifyRecord,
} from "../../lib/index.ts";

const OWNER = privateKeyToAccount(
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
);
const NAME = "sub.alice.eth";
const RESOLVER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const WWW_HASH = hashDnsOwnerName("www.sub.alice.eth");

/** One row per record type: request, human value (canonical form), expected path, selector. */
const ROUND_TRIPS: { request: RecordRequest; value: string; path: string }[] = [
  {
    request: { type: "text", key: "avatar" },
    value: "https://example.com/avatar.png",
    path: "text/avatar.json",
  },
  {
    request: { type: "text", key: "org.w3c.did.service" },
    value: '[{"type":"X"}]',
    path: "text/org.w3c.did.service.json",
  },
  {
    request: { type: "addr" },
    value: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    path: "address/60.json",
  },
  {
    request: { type: "multicoinAddr", coinType: 0n },
    value: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    path: "address/0.json",
  },
  {
    request: { type: "multicoinAddr", coinType: 2147483658n },
    value: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    path: "address/2147483658.json",
  },
  {
    request: { type: "contenthash" },
    value: "ipfs://bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4",
    path: "contenthash.json",
  },
  {
    request: { type: "contenthash" },
    value: "ipns://k51qzi5uqu5dgccx524mfjv7znyfsa6g013o6v4yvis9dxnrjbwojtpq6t8b3p",
    path: "contenthash.json",
  },
  {
    request: { type: "pubkey" },
    value:
      "0x0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
    path: "pubkey.json",
  },
  { request: { type: "name" }, value: "alice.eth", path: "name.json" },
  {
    request: { type: "interfaceImplementer", interfaceId: "0x01ffc9a7" },
    value: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    path: "interface/0x01ffc9a7.json",
  },
  {
    request: { type: "abi", contentTypes: 1n },
    value: '[{"type":"function","name":"f","inputs":[],"outputs":[]}]',
    path: "abi/1.json",
  },
  {
    request: { type: "abi", contentTypes: 8n },
    value: "https://example.com/abi.json",
    path: "abi/8.json",
  },
  {
    request: { type: "zonehash" },
    value: "ipfs://bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4",
    path: "dns/zonehash.json",
  },
  {
    request: { type: "dnsRecord", nameHash: WWW_HASH, resource: 1 },
    value: "www.sub.alice.eth. 3600 IN A 192.0.2.1\nwww.sub.alice.eth. 3600 IN A 192.0.2.2",
    path: `dns/${WWW_HASH}/1.json`,
  },
  {
    request: {
      type: "dnsRecord",
      nameHash: hashDnsOwnerName("_443._tcp.sub.alice.eth"),
      resource: 52,
    },
    value: `_443._tcp.sub.alice.eth. 300 IN TLSA 3 1 1 ${"ab".repeat(32)}`,
    path: `dns/${hashDnsOwnerName("_443._tcp.sub.alice.eth")}/52.json`,
  },
  {
    request: { type: "dnsRecord", nameHash: hashDnsOwnerName("sub.alice.eth"), resource: 16 },
    value: 'sub.alice.eth. 60 IN TXT "v=spf1 -all" "a \\"quoted\\" part"',
    path: `dns/${hashDnsOwnerName("sub.alice.eth")}/16.json`,
  },
];

describe("record types: value -> result -> file -> path -> back", () => {
  for (const { request, value, path } of ROUND_TRIPS) {
    it(`${path} round-trips ${value.slice(0, 40)}`, async () => {
      const result = encodeRecordValue(request, value);
      const file = await signRecord({
        name: NAME,
        request,
        result,
        signer: OWNER,
        owner: OWNER.address,
        chainId: 1,
        freshness: { validUntil: 4_000_000_000n, epoch: 0n },
        resolver: RESOLVER,
      });
      const fullPath = buildRecordFilePath(NAME, request);
      assert.equal(fullPath, `.well-known/eth/alice/sub/${path}`);

      const parsedRequest = parseRecordFilePath(fullPath, NAME);
      assert.deepEqual(parsedRequest, request.type === "dnsRecord" ? { ...request } : request);
      const parsedFile = parseRecordFile(serializeRecordFile(file));
      const decoded = decodeSignedRecordData(parsedFile.data);
      assert.equal(decoded.result, result);
      assert.equal(decodeRecordValue(parsedRequest, decoded.result), value);
      assert.equal(parsedFile.raw, value);

      const verification = await verifyRecord(parsedFile.data, {
        name: NAME,
        request: parsedRequest,
        chainId: 1,
        resolver: RESOLVER,
        owner: OWNER.address,
        epoch: 0n,
        now: 0n,
      });
      assert.equal(verification.valid, true);
    });
  }

  it("covers all ten record kinds", () => {
    assert.deepEqual(new Set(ROUND_TRIPS.map((row) => row.request.type)), new Set(RECORD_KINDS));
    assert.equal(RECORD_KINDS.length, 10);
  });
});

describe("resolver calls", () => {
  it("uses ENS's function selectors", () => {
    assert.deepEqual(
      Object.fromEntries(RECORD_KINDS.map((kind) => [kind, getRecordSelector(kind)])),
      {
        text: "0x59d1d43c",
        addr: "0x3b3b57de",
        multicoinAddr: "0xf1cb7e06",
        contenthash: "0xbc1c58d1",
        pubkey: "0xc8690233",
        name: "0x691f3431",
        interfaceImplementer: "0x124a319c",
        abi: "0x2203ab56",
        zonehash: "0x5c98042b",
        dnsRecord: "0xa8fa5682",
      },
    );
  });

  const node = namehash(NAME);
  for (const { request } of ROUND_TRIPS)
    it(`encodes and decodes ${request.type} calls`, () => {
      assert.deepEqual(decodeRecordCall(encodeRecordCall(node, request)), { node, request });
    });

  it("decodes the seed's dnsRecord(bytes32,bytes,uint16) into the hashed form", () => {
    const data = encodeFunctionData({
      abi: [parseAbiItem(DNS_RECORD_BYTES_SIGNATURE)],
      args: [node, "0x037777770373756205616c6963650365746800", 1],
    });
    assert.deepEqual(decodeRecordCall(data).request, {
      type: "dnsRecord",
      nameHash: WWW_HASH,
      resource: 1,
    });
  });

  it("rejects unknown selectors and undecodable arguments", () => {
    assert.throws(() => decodeRecordCall("0x12345678"), UnknownRecordTypeError);
    assert.throws(() => decodeRecordCall("0x59d1d43c00"), InvalidRecordCallError);
    assert.throws(() => decodeRecordCall("0x59d1"), /at least 4 bytes/);
    assert.throws(() => decodeRecordCall("0xzz" as Hex), InvalidRecordCallError);
  });
});

describe("paths", () => {
  it("keeps the seed's examples", () => {
    assert.equal(
      buildRecordFilePath("vitalik.eth", { type: "text", key: "avatar" }),
      ".well-known/eth/vitalik/text/avatar.json",
    );
    assert.equal(
      buildRecordFilePath("sub.domain.eth", { type: "addr" }),
      ".well-known/eth/domain/sub/address/60.json",
    );
  });

  it("stores addr(node, 60) in the addr(node) file, answering bytes", () => {
    const request: RecordRequest = { type: "multicoinAddr", coinType: 60n };
    assert.equal(
      buildRecordFilePath("alice.eth", request),
      ".well-known/eth/alice/address/60.json",
    );
    assert.deepEqual(parseRecordType("address/60"), { type: "addr" });
    const result = encodeRecordValue(request, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    assert.equal(
      result,
      encodeRecordValue({ type: "addr" }, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
    );
    assert.equal(
      buildAnswer(request, result),
      encodeAbiParameters([{ type: "bytes" }], ["0x70997970c51812dc3a010c7d01b50e0d17dc79c8"]),
    );
  });

  it("maps an ABI bitmask to one file per content type", () => {
    assert.deepEqual(buildRecordTypeCandidates({ type: "abi", contentTypes: 13n }), [
      "abi/1",
      "abi/4",
      "abi/8",
    ]);
    // Only the defined content types (1, 2, 4, 8) name files: at most four reads per lookup.
    assert.deepEqual(buildRecordTypeCandidates({ type: "abi", contentTypes: 2n ** 256n - 1n }), [
      "abi/1",
      "abi/2",
      "abi/4",
      "abi/8",
    ]);
    assert.deepEqual(buildRecordTypeCandidates({ type: "abi", contentTypes: 16n | 4n }), ["abi/4"]);
    assert.deepEqual(buildRecordTypeCandidates({ type: "abi", contentTypes: 1n << 200n }), []);
    assert.throws(
      () => buildRecordFilePath("alice.eth", { type: "abi", contentTypes: 3n }),
      /ask for one content type/,
    );
  });

  const badPaths: [string, RegExp][] = [
    ["text/a/b", /text key cannot contain/],
    ["address/060", /not a canonical decimal/],
    ["address/-1", /not a canonical decimal/],
    [`address/${2n ** 256n}`, /over uint256/],
    ["abi/3", /single bit/],
    ["interface/0x01FFC9A7", /lowercase/],
    ["dns/0x1234/1", /lowercase 0x \+ 64 hex/],
    [`dns/${WWW_HASH}/65536`, /not a uint16/],
    ["unknown", /not a record type/],
    ["avatar/x", /not a record type/],
  ];
  for (const [recordType, message] of badPaths)
    it(`rejects record type ${recordType.slice(0, 30)}`, () => {
      assert.throws(
        () => parseRecordType(recordType),
        (e: unknown) =>
          (e instanceof InvalidRecordPathError || e instanceof InvalidRecordValueError) &&
          message.test((e as Error).message),
      );
    });

  it("rejects text keys that cannot be file names", () => {
    for (const key of ["", ".", "..", "a/b", "new\nline"])
      assert.throws(
        () => buildRecordFilePath("alice.eth", { type: "text", key }),
        InvalidRecordValueError,
      );
  });

  it("needs the name to parse a full path (the layout is ambiguous without it)", () => {
    const path = ".well-known/eth/alice/text/name.json";
    assert.deepEqual(parseRecordFilePath(path, "alice.eth"), { type: "text", key: "name" });
    assert.deepEqual(parseRecordFilePath(path, "text.alice.eth"), { type: "name" });
    assert.throws(() => parseRecordFilePath(path, "bob.eth"), /not under/);
    assert.throws(
      () => parseRecordFilePath(".well-known/eth/alice/name", "alice.eth"),
      /end in .json/,
    );
  });
});

describe("human values", () => {
  const bad: [RecordRequest, string, RegExp][] = [
    [{ type: "addr" }, "0x70997970c51812dc3a010c7d01b50e0d17dc79C8", /EIP-55 checksum/],
    [{ type: "addr" }, "alice.eth", /not an EVM address/],
    [{ type: "multicoinAddr", coinType: 0n }, "bc1qnotanaddress", /not a btc address/],
    [{ type: "multicoinAddr", coinType: 999999999n }, "x", /no known address format/],
    [{ type: "contenthash" }, "https://example.com", /not ipfs/],
    [{ type: "contenthash" }, "ipfs://nonsense", /not a valid ipfs hash/],
    [{ type: "pubkey" }, "0x04", /65-byte uncompressed/],
    [{ type: "pubkey" }, `0x04${"11".repeat(64)}`, /not a point on secp256k1/],
    [{ type: "name" }, "a_b.eth", /label "a_b"/],
    [{ type: "abi", contentTypes: 1n }, "{}", /array of fragments/],
    [{ type: "abi", contentTypes: 1n }, "not json", /not JSON/],
    [{ type: "abi", contentTypes: 4n }, "cbor?", /binary/],
    [
      { type: "dnsRecord", nameHash: WWW_HASH, resource: 1 },
      "www.sub.alice.eth. 3600 IN AAAA ::1",
      /does not match the requested type/,
    ],
    [
      { type: "dnsRecord", nameHash: WWW_HASH, resource: 1 },
      "bad line",
      /is not "<name> <ttl> IN <type> <rdata>"/,
    ],
    [
      { type: "dnsRecord", nameHash: WWW_HASH, resource: 1 },
      "www.sub.alice.eth. 1 IN HINFO x y",
      /not one of A, NS/,
    ],
    [
      { type: "dnsRecord", nameHash: WWW_HASH, resource: 1 },
      "www.sub.alice.eth. 1 IN A 1.2.3.4\nx.eth. 1 IN A 1.2.3.4",
      /one owner name/,
    ],
  ];
  for (const [request, value, message] of bad)
    it(`rejects ${request.type} value ${JSON.stringify(value).slice(0, 40)}`, () => {
      assert.throws(
        () => encodeRecordValue(request, value),
        (e: unknown) =>
          (request.type === "name"
            ? e instanceof InvalidNameError
            : e instanceof InvalidRecordValueError) && message.test((e as Error).message),
      );
    });

  it("answers unset records with the zero value of the return type", () => {
    assert.equal(
      buildEmptyAnswer({ type: "text", key: "a" }),
      encodeAbiParameters([{ type: "string" }], [""]),
    );
    assert.equal(
      buildEmptyAnswer({ type: "addr" }),
      encodeAbiParameters([{ type: "address" }], [zeroAddress]),
    );
    assert.equal(
      buildEmptyAnswer({ type: "multicoinAddr", coinType: 60n }),
      encodeAbiParameters([{ type: "bytes" }], ["0x"]),
    );
    assert.equal(
      buildEmptyAnswer({ type: "abi", contentTypes: 1n }),
      encodeAbiParameters([{ type: "uint256" }, { type: "bytes" }], [0n, "0x"]),
    );
  });
});

describe("recordhash", () => {
  const key = `0x${"11".repeat(32)}` as Hex;
  const full = `0xe5010172002408011220${"11".repeat(32)}` as Hex;

  it("expands a short 32-byte ed25519 key with the IPNS prefix", () => {
    assert.equal(expandRecordhash(key), full);
    assert.equal(expandRecordhash(full), full);
  });

  it("reads IPNS and IPFS contenthashes and encodes them back", () => {
    const ipns = parseRecordhash(key);
    assert.deepEqual(ipns, {
      protocol: "ipns",
      name: "k51qzi5uqu5dglwhrswc4h7bc91b8plk3st23hauq4h6ry16nm1x2l69idegpd",
    });
    assert.equal(buildRecordhash(ipns), full);
    const ipfs = parseRecordhash(`0xe30101701220${"22".repeat(32)}`);
    assert.equal(ipfs.protocol, "ipfs");
    assert.equal(buildRecordhash(ipfs), `0xe30101701220${"22".repeat(32)}`);
  });

  it("rejects anything else", () => {
    assert.throws(() => parseRecordhash("0x"), /expected an ipns/);
    assert.throws(() => parseRecordhash("0xe40101fa011b20" as Hex), InvalidRecordValueError);
    assert.throws(() => parseRecordhash("0x1234"), /expected an ipns/);
  });
});
