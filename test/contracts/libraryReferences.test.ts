// Each optimized (assembly) library routine against its plain-Solidity `<fn>Reference`, and
// EnsgateEncoding against OpenZeppelin `Strings` and a plain base32 encoder, on seeded random and
// edge inputs. Outputs are compared byte for byte: return data, or revert data for rejected inputs.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { network } from "hardhat";
import {
  bytesToHex,
  decodeFunctionResult,
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  type Hex,
  hashMessage,
  keccak256,
  toHex,
  zeroAddress,
} from "viem";
import { buildApprovalMessage, buildRecordMessage, formatCaip10 } from "../../lib/index.ts";

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(0x5eed);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
const randomWord = (): Hex => bytesToHex(randomBytes(32));

const LABEL_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-_";
/** A label of printable characters, sometimes with `.` or `/` or an arbitrary byte. */
function randomLabel(length: number): Uint8Array {
  const label = Uint8Array.from({ length }, () => LABEL_CHARS.charCodeAt(int(LABEL_CHARS.length)));
  if (length > 0 && random() < 0.15)
    label[int(length)] = pick([0x2e, 0x2f, 0x00, 0xff, 0x2d, 0x30]);
  return label;
}

/** A DNS wire name, valid or broken in one of many ways. */
function randomWireName(): Hex {
  const labels: Uint8Array[] = [];
  const count = 1 + int(pick([2, 4, 8, 40]));
  for (let i = 0; i < count; i++)
    labels.push(randomLabel(pick([1, 1 + int(10), 1 + int(63), 31, 32, 33, 63, 64, 0])));
  const parts: number[] = [];
  for (const label of labels) parts.push(label.length, ...label);
  parts.push(0);
  const roll = random();
  if (roll < 0.05)
    parts.pop(); // no final zero
  else if (roll < 0.1)
    parts.push(int(256)); // trailing byte
  else if (roll < 0.15)
    parts.splice(int(parts.length), 1); // a byte missing
  else if (roll < 0.2) parts[0] = int(256); // wrong first length
  return bytesToHex(Uint8Array.from(parts));
}

/** A wire name of exactly `size` bytes made of 63-byte labels and one shorter one. */
function wireNameOfSize(size: number): Hex {
  const parts: number[] = [];
  let left = size - 1;
  while (left > 0) {
    const length = Math.min(63, left - 1);
    if (length <= 0) break;
    parts.push(length, ...randomLabel(length).map(() => 0x61));
    left -= length + 1;
  }
  parts.push(0);
  return bytesToHex(Uint8Array.from(parts));
}

/** A text key: printable, sometimes with URL-unsafe or forbidden bytes, around the word sizes. */
function randomTextKey(): Hex {
  const length = pick([1, 2, 3, 5, 31, 32, 33, 63, 64, 65, int(100)]);
  const key = Uint8Array.from({ length }, () => 0x20 + int(0x5f));
  const specials = [
    0x3f, 0x23, 0x25, 0x5c, 0x2f, 0x7f, 0x1f, 0x00, 0x80, 0xff, 0x2e, 0x20, 0x7e, 0x60,
  ];
  for (let n = int(3); n > 0 && length > 0; n--)
    if (random() < 0.5) key[int(length)] = pick(specials);
  return bytesToHex(key);
}

const randomUrl = (maxLength: number) =>
  Array.from({ length: 1 + int(maxLength) }, () => String.fromCharCode(0x21 + int(0x5e))).join("");

describe("library routines match their plain-Solidity references", () => {
  // biome-ignore lint/suspicious/noExplicitAny: the harness type comes from the compiled artifact.
  let harness: any;
  let provider: { request(args: { method: string; params: unknown[] }): Promise<unknown> };

  before(async () => {
    const connection = await network.create();
    provider = connection.provider;
    harness = await connection.viem.deployContract("LibraryReferencesHarness");
  });

  /** Raw outcome of a harness call: "ok:<return data>" or "revert:<revert data>". */
  async function outcome(functionName: string, args: readonly unknown[]): Promise<string> {
    const data = encodeFunctionData({ abi: harness.abi, functionName, args } as never);
    try {
      return `ok:${await provider.request({ method: "eth_call", params: [{ to: harness.address, data }, "latest"] })}`;
    } catch (error) {
      const raw = (error as { data?: unknown }).data;
      const revertData =
        typeof raw === "string" ? raw : (raw as { data?: string } | undefined)?.data;
      if (revertData === undefined) throw error;
      return `revert:${revertData}`;
    }
  }

  async function assertSame(functionName: string, args: readonly unknown[]) {
    const [optimized, reference] = await Promise.all([
      outcome(functionName, args),
      outcome(`${functionName}Reference`, args),
    ]);
    assert.equal(
      optimized,
      reference,
      `${functionName}(${JSON.stringify(args, (_, v) => (typeof v === "bigint" ? `${v}` : v))})`,
    );
    return optimized;
  }

  it("DnsName.labelOffsets, suffixNodes and wellKnownFolder", async () => {
    const names: Hex[] = [
      "0x",
      "0x00",
      "0x0000",
      "0x0161",
      "0x016100",
      "0x01610000",
      "0x05616c6963650365746800",
      "0x05616c6963650365746800ff",
      "0x03612e6303657468" + "00",
      "0x03612f6303657468" + "00",
      wireNameOfSize(254),
      wireNameOfSize(255),
      wireNameOfSize(256),
    ] as Hex[];
    for (let i = 0; i < 300; i++) names.push(randomWireName());
    let valid = 0;
    for (const name of names) {
      const result = await assertSame("labelOffsets", [name]);
      if (!result.startsWith("ok:")) continue;
      valid++;
      await assertSame("suffixNodes", [name]);
      await assertSame("wellKnownFolder", [name]);
    }
    assert.ok(valid > 50 && valid < names.length - 50, `mix of valid and invalid names (${valid})`);
  });

  it("RecordRequest.textRecordType", async () => {
    const keys: Hex[] = [
      "0x",
      "0x2e",
      "0x2e2e",
      "0x2e2e2e",
      "0x2e61",
      "0x612e",
      "0x61",
      "0x3f",
      "0x2f",
      "0x7f",
      "0x1f",
      "0x20",
    ];
    for (let i = 0; i < 300; i++) keys.push(randomTextKey());
    let accepted = 0;
    for (const key of keys)
      if ((await assertSame("textRecordType", [key])).startsWith("ok:")) accepted++;
    assert.ok(
      accepted > 50 && accepted < keys.length - 50,
      `mix of accepted and rejected keys (${accepted})`,
    );
  });

  it("RecordRequest.dynamicArgument", async () => {
    const word = (n: bigint) => n.toString(16).padStart(64, "0");
    let accepted = 0;
    let total = 0;
    for (let i = 0; i < 300; i++) {
      const index = pick([1, 1, 2]);
      const bodyWords = int(6);
      const words: string[] = Array.from({ length: bodyWords }, () => randomWord().slice(2));
      // Mostly plausible offsets and lengths, sometimes off by a little or huge.
      const offset = pick([
        32n * BigInt(index + 1),
        32n * BigInt(int(8)),
        BigInt(int(300)),
        2n ** 255n,
      ]);
      const length = pick([0n, 1n, 6n, 31n, 32n, 33n, BigInt(int(200)), 2n ** 256n - 1n]);
      if (words.length > index) words[index] = word(offset);
      const slot = Number(offset / 32n);
      if (offset % 32n === 0n && slot < words.length && random() < 0.8) words[slot] = word(length);
      const tail = bytesToHex(randomBytes(int(120))).slice(2);
      const data =
        `0x59d1d43c${words.join("")}${random() < 0.5 ? tail : ""}${random() < 0.2 ? "ab" : ""}` as Hex;
      total++;
      if ((await assertSame("dynamicArgument", [data, BigInt(index)])).startsWith("ok:"))
        accepted++;
    }
    assert.ok(
      accepted > 30 && accepted < total - 30,
      `mix of accepted and rejected calls (${accepted})`,
    );
  });

  it("EnsReads (raw static calls) match the high-level calls", async () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const mode = BigInt(pick([0, 0, 0, 1, 2]));
      const length = BigInt(pick([0, 1, 20, 31, 32, 33, 64]));
      const bits = BigInt(pick([0, 8, 160, 160, 161, 200, 240]));
      const value = bits === 0n ? 0n : BigInt(randomWord()) >> (256n - bits);
      const argument = (mode << 248n) | (length << 240n) | value;
      const result = await assertSame("ensReads", [argument]);
      await assertSame("expiry", [argument]);
      outcomes.add(result.slice(0, 10));
    }
    assert.ok(outcomes.size >= 3, `answers, bubbled reverts and empty reverts (${[...outcomes]})`);
  });

  it("EnsgateGatewayList.decode", async () => {
    const cases: [string[], string[]][] = [
      [[], []],
      [["https://ipfs.io"], []],
      [[], ["https://gw.example/{sender}/{data}.json"]],
      [["a".repeat(300)], ["b"]],
    ];
    for (let i = 0; i < 60; i++) {
      cases.push([
        Array.from({ length: int(5) }, () => randomUrl(pick([10, 40, 100]))),
        Array.from({ length: int(4) }, () => randomUrl(pick([10, 40, 100]))),
      ]);
    }
    for (const [prefixes, services] of cases) {
      const result = await assertSame("decodeGatewayList", [prefixes, services]);
      const decoded = decodeFunctionResult({
        abi: harness.abi,
        functionName: "decodeGatewayList",
        data: result.slice(3) as Hex,
      }) as readonly [readonly string[], readonly string[]];
      assert.deepEqual([[...decoded[0]], [...decoded[1]]], [prefixes, services]);
    }
  });

  it("LookupUrls.build", async () => {
    for (let i = 0; i < 80; i++) {
      const services = Array.from({ length: int(3) }, () => randomUrl(60));
      const prefixes = Array.from({ length: int(4) }, () => randomUrl(pick([5, 30, 70])));
      const folder = `/.well-known/${Array.from({ length: 1 + int(4) }, () => `${randomUrl(12).replace(/[/.]/g, "x")}/`).join("")}`;
      const recordTypes = Array.from({ length: 1 + int(3) }, () =>
        toHex(randomUrl(pick([5, 40, 90]))),
      );
      await assertSame("buildUrls", [services, prefixes, randomWord(), toHex(folder), recordTypes]);
    }
  });

  it("RecordMessages.caip10, recordDigest and approvalDigest (and lib's message text)", async () => {
    const chainIds = [
      0n,
      1n,
      9n,
      10n,
      31337n,
      11155111n,
      2n ** 64n - 1n,
      10n ** 32n - 1n,
      10n ** 32n,
      2n ** 256n - 1n,
    ];
    const numbers = [
      0n,
      1n,
      9n,
      10n,
      1767225600n,
      2n ** 64n - 1n,
      10n ** 31n,
      10n ** 32n,
      2n ** 256n - 1n,
    ];
    const randomText = (max: number) =>
      Array.from({ length: int(max + 1) }, () => String.fromCharCode(0x20 + int(0x5f))).join("");
    for (let i = 0; i < 120; i++) {
      const chainId = i < chainIds.length ? (chainIds[i] as bigint) : pick(chainIds.slice(0, 7));
      const randomAccount = () => getAddress(bytesToHex(randomBytes(20)));
      const resolver = randomAccount();
      const signer = randomAccount();
      const owner = randomAccount();
      const name = randomText(pick([0, 9, 31, 32, 33, 100, 260]));
      const recordType = randomText(pick([0, 11, 32, 64, 300]));
      const result = bytesToHex(randomBytes(int(200)));
      const v2 = i % 3 !== 0;
      // Every fourth v2 message is a certificate record's (with a `Name Owner` line).
      const nameOwner = v2 && i % 4 === 1 ? randomAccount() : zeroAddress;
      const validUntil = pick(numbers);
      const epoch = pick(numbers);
      const fields = {
        name: toHex(name),
        recordType: toHex(recordType),
        resultHash: keccak256(result),
        v2,
        validUntil,
        epoch,
        chainId,
        resolver,
        signer,
        owner,
        nameOwner,
      };
      const caip10 = await assertSame("caip10", [chainId, signer]);
      const record = await assertSame("recordDigest", [fields]);
      const approval = await assertSame("approvalDigest", [fields]);
      if (chainId >= 2n ** 53n) continue; // lib formats any bigint too, but keep to realistic ids
      assert.equal(
        caip10,
        `ok:${encodeAbiParameters([{ type: "bytes" }], [toHex(formatCaip10(chainId, signer))])}`,
      );
      const freshness = v2 ? { validUntil, epoch } : undefined;
      const recordText = buildRecordMessage({
        name,
        recordType,
        result,
        signer,
        chainId,
        freshness,
        resolver,
        certifiedOwner: nameOwner === zeroAddress ? undefined : nameOwner,
      });
      assert.equal(record, `ok:${hashMessage(recordText)}`, recordText);
      const approvalText = buildApprovalMessage({
        name,
        signer,
        owner,
        chainId,
        epoch: v2 ? epoch : undefined,
        resolver,
      });
      assert.equal(approval, `ok:${hashMessage(approvalText)}`, approvalText);
    }
  });

  it("EnsgateEncoding hex and decimal match OpenZeppelin Strings", async () => {
    const values = [0n, 1n, 9n, 10n, 99n, 100n, 2n ** 32n - 1n, 2n ** 128n, 2n ** 256n - 1n];
    for (let digits = 1n; digits < 78n; digits++) values.push(10n ** digits - 1n, 10n ** digits);
    for (let i = 0; i < 100; i++) values.push(BigInt(randomWord()) >> BigInt(int(256)));
    for (const value of values.filter((v) => v < 2n ** 256n)) {
      const [hex32, ozHex32, hex4, ozHex4, dec, ozDec] = await harness.read.encodings([value]);
      assert.equal(hex32, toHex(ozHex32), `hexString(${value})`);
      assert.equal(hex4, toHex(ozHex4), `hexString4(${value})`);
      assert.equal(dec, toHex(ozDec), `decimal(${value})`);
    }
  });

  it("EnsgateEncoding.checksumString matches OpenZeppelin toChecksumHexString", async () => {
    const accounts: Hex[] = [
      "0x0000000000000000000000000000000000000000",
      "0xffffffffffffffffffffffffffffffffffffffff",
    ];
    for (let i = 0; i < 100; i++) accounts.push(bytesToHex(randomBytes(20)));
    for (const account of accounts) {
      const [ours, oz] = await harness.read.checksums([account]);
      assert.equal(ours, toHex(oz), account);
      assert.equal(oz, getAddress(account));
    }
  });

  it("EnsgateEncoding.ipnsCidString matches a plain base32 encoder", async () => {
    const keys: Hex[] = [`0x${"00".repeat(32)}`, `0x${"ff".repeat(32)}`];
    for (let i = 0; i < 60; i++) keys.push(randomWord());
    for (const key of keys) {
      const [ours, plain] = await harness.read.ipnsCid([key]);
      assert.equal(ours, plain, key);
    }
  });
});
