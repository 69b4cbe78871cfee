// Differential test: the core library's `verifyRecord` and the resolver's `resolveCallback` must
// accept and reject the same response bytes, for the same reason, with the same answer
// (docs/protocol.md §3-§6). Seeded: DIFF_SEED=<n> replays another sequence; every failure names the
// seed, the base record and the mutation. Certificate records (§6a) are checked with the context the
// contract's lookup carries: the CA's signer as owner, the CA's epoch, the name's current owner.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  type Address,
  BaseError,
  bytesToHex,
  ContractFunctionRevertedError,
  encodeAbiParameters,
  type Hex,
  hexToBigInt,
  hexToBytes,
  isAddressEqual,
  keccak256,
  numberToHex,
  parseAbiParameters,
  stringToHex,
  zeroAddress,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { certificateRecordRequests } from "../../lib/certs/certificateRecordTypes.ts";
import {
  buildApprovalMessage,
  buildRecordMessage,
  buildRecordType,
  dnsEncodeName,
  encodeRecordCall,
  encodeRecordValue,
  hashDnsOwnerName,
  type MessageSigner,
  namehash,
  parseRecordFile,
  type RecordRejection,
  type RecordRequest,
  type RecordVerification,
  type RecordVerificationContext,
  SIGNED_CERTIFICATE_RECORD_SELECTOR,
  SIGNED_RECORD_V1_SELECTOR,
  SIGNED_RECORD_V2_SELECTOR,
  verifyRecord,
} from "../../lib/index.ts";
import {
  decodeExtraData,
  deployFixture,
  type Fixture,
  lookupOf,
  makeIpnsKey,
  walletSigner,
} from "./helpers.ts";

const SEED = Number(process.env.DIFF_SEED ?? 0x5eed_0010) >>> 0;
/** Random mutations per base record, on top of the structured ones. */
const RANDOM_MUTATIONS = 30;
/** eth_calls (and library verifications) in flight at once. */
const CHUNK = 48;
/** Mismatches listed in a failure message. */
const MAX_REPORTED = Number(process.env.DIFF_MAX_REPORTED ?? 40);

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const U64_MAX = 2n ** 64n - 1n;
const U256_MAX = 2n ** 256n - 1n;
const ETH_ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const CONTENTHASH = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const PIN = `3 1 1 ${"ab".repeat(32)}`;
/** Byte offset (selector included) of a certificate record's `certifiedOwner` word. */
const CERTIFIED_OWNER_AT = 4 + 192;
/** An account that owns no name: a certificate issued to it verifies for nobody here. */
const OTHER_OWNER = privateKeyToAccount(
  keccak256(stringToHex("ensgate differential other owner")),
).address;

/** lib's rejection reasons and the resolver's custom errors (docs/protocol.md §6). */
const ERROR_OF: Record<RecordRejection, string> = {
  malformedRecord: "MalformedRecord",
  invalidResult: "InvalidResult",
  recordExpired: "RecordExpired",
  staleEpoch: "StaleEpoch",
  futureEpoch: "FutureEpoch",
  certificateOwnerChanged: "CertificateOwnerChanged",
  invalidRecordSignature: "InvalidRecordSignature",
  invalidApproval: "InvalidApproval",
  unapprovedSigner: "UnapprovedSigner",
};

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { int, bytes, pick };
}

// ------------------------------------------------------------------------------- byte helpers

const concatBytes = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};
const word = (value: bigint) => hexToBytes(numberToHex(value & U256_MAX, { size: 32 }));
const readWord = (bytes: Uint8Array, at: number) =>
  hexToBigInt(bytesToHex(bytes.slice(at, at + 32)));
const withWord = (bytes: Uint8Array, at: number, value: bigint) => {
  const out = bytes.slice();
  out.set(word(value), at);
  return out;
};
const withByte = (bytes: Uint8Array, at: number, value: number) => {
  const out = bytes.slice();
  out[at] = value & 0xff;
  return out;
};

// ------------------------------------------------------------------------------- records

/**
 * The response fields, with `validUntil` and `epoch` as whole words (to encode huge values too);
 * `certifiedOwner` (v2 only) selects the `signedCertificateRecord` form.
 */
type Fields = {
  version: 1 | 2;
  signer: Address;
  recordSignature: Hex;
  approvalSignature: Hex;
  result: Hex;
  validUntil: bigint;
  epoch: bigint;
  certifiedOwner?: Address | undefined;
};

const V1_LAYOUT = parseAbiParameters("address, bytes, bytes, bytes");
/** Same layout as `signedRecordV2(..., uint64, uint64)`, but any word fits. */
const V2_LAYOUT = parseAbiParameters("address, bytes, bytes, bytes, uint256, uint256");
/** Same layout as `signedCertificateRecord(..., uint64, uint64, address)`, but any word fits. */
const CERTIFICATE_LAYOUT = parseAbiParameters(
  "address, bytes, bytes, bytes, uint256, uint256, address",
);

function encodeFields(f: Fields): Hex {
  const common = [f.signer, f.recordSignature, f.approvalSignature, f.result] as const;
  if (f.version === 1)
    return `${SIGNED_RECORD_V1_SELECTOR}${encodeAbiParameters(V1_LAYOUT, common).slice(2)}`;
  if (f.certifiedOwner !== undefined)
    return `${SIGNED_CERTIFICATE_RECORD_SELECTOR}${encodeAbiParameters(CERTIFICATE_LAYOUT, [...common, f.validUntil, f.epoch, f.certifiedOwner]).slice(2)}`;
  return `${SIGNED_RECORD_V2_SELECTOR}${encodeAbiParameters(V2_LAYOUT, [...common, f.validUntil, f.epoch]).slice(2)}`;
}

/** A signature with `s` mirrored into the upper half order (same signer, malleable form). */
function highS(signature: Hex): Hex {
  const bytes = hexToBytes(signature);
  const s = readWord(bytes, 32);
  const out = withWord(bytes, 32, SECP256K1_N - s);
  out[64] = (bytes[64] as number) === 27 ? 28 : 27;
  return bytesToHex(out);
}
const withV = (signature: Hex, v: number) => bytesToHex(withByte(hexToBytes(signature), 64, v));

/** Who signs: for certificate records "owner" is the CA's signer and approvals are the CA's. */
type Rule = "owner" | "onchain" | "offchain" | "stranger";

type Scenario = {
  name: string;
  request: RecordRequest;
  /** The human value, or the raw stored result (signed as it is). */
  value: string | { result: Hex };
  version: 1 | 2;
  rule: Rule;
  /** A certificate record (§6a): read from the CA's tree, issued to the name's current owner. */
  certificate?: boolean;
};

/** What a base can be re-signed with; `certifiedOwner: null` re-signs a plain v2 record. */
type Resign = {
  validUntil?: bigint;
  epoch?: bigint;
  result?: Hex;
  certifiedOwner?: Address | null;
};

/** A signed base record and everything needed to mutate and check it. */
type Base = {
  /** Its position in the scenario list: with the seed, it seeds the base's mutations. */
  index: number;
  id: string;
  scenario: Scenario;
  fields: Fields;
  data: Hex;
  extraData: Hex;
  context: RecordVerificationContext;
  /** Re-signs the record (and its approval, for off-chain approved signers) with other fields. */
  resign: (changes: Resign) => Promise<Hex>;
  approvals: { v1: Hex; v2: Hex; stranger: Hex };
};

/** `expected`: the outcome the rules prescribe ("accepted" or the error), besides agreement. */
type Case = { base: Base; description: string; data: Hex; expected?: string | undefined };

// ------------------------------------------------------------------------------- the two verifiers

type Outcome = { accepted: true; answer: Hex } | { accepted: false; reason: string };
const show = (o: Outcome) => (o.accepted ? `accepted ${o.answer}` : `rejected ${o.reason}`);

async function libOutcome(data: Hex, context: RecordVerificationContext): Promise<Outcome> {
  let verification: RecordVerification;
  try {
    verification = await verifyRecord(data, context);
  } catch (error) {
    return { accepted: false, reason: `lib threw: ${(error as Error).message.split("\n")[0]}` };
  }
  return verification.valid
    ? { accepted: true, answer: verification.answer.toLowerCase() as Hex }
    : { accepted: false, reason: ERROR_OF[verification.reason] ?? verification.reason };
}

async function contractOutcome(f: Fixture, data: Hex, extraData: Hex): Promise<Outcome> {
  try {
    const answer = await f.lookupClient.readContract({
      address: f.resolver.address,
      abi: f.resolver.abi,
      functionName: "resolveCallback",
      args: [data, extraData],
    });
    return { accepted: true, answer: answer.toLowerCase() as Hex };
  } catch (error) {
    if (error instanceof BaseError) {
      const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
      if (revert instanceof ContractFunctionRevertedError)
        return {
          accepted: false,
          reason: revert.data?.errorName ?? `revert ${revert.shortMessage}`,
        };
    }
    return { accepted: false, reason: `call failed: ${(error as Error).message.split("\n")[0]}` };
  }
}

// ------------------------------------------------------------------------------- mutations

/** Positions of a response's dynamic fields (byte offsets in `data`, selector included). */
function layout(bytes: Uint8Array, fields: Fields) {
  const field = (index: number) => {
    const head = 4 + 32 * index;
    const tail = 4 + Number(readWord(bytes, head));
    return { head, tail, length: Number(readWord(bytes, tail)) };
  };
  return {
    heads: fields.certifiedOwner !== undefined ? 7 : fields.version === 2 ? 6 : 4,
    body: bytes.length - 4,
    recordSignature: field(1),
    approvalSignature: field(2),
    result: field(3),
  };
}

const INTERESTING_WORDS = [
  0n,
  1n,
  0x1fn,
  0x20n,
  0x40n,
  0x41n,
  0x60n,
  0xc0n,
  U64_MAX,
  2n ** 64n,
  2n ** 255n,
  U256_MAX,
];

/** The structured mutations of one base record (deterministic), then seeded random ones. */
async function mutationsOf(base: Base): Promise<Case[]> {
  const { fields } = base;
  // One stream per base: the mutations do not depend on the order the bases are mutated in.
  const rng = prng((SEED ^ Math.imul(base.index + 1, 0x9e3779b1)) >>> 0);
  const bytes = hexToBytes(base.data);
  const lay = layout(bytes, fields);
  const certificate = fields.certifiedOwner !== undefined;
  const cases: Case[] = [];
  const add = (description: string, data: Hex | Uint8Array) =>
    cases.push({ base, description, data: typeof data === "string" ? data : bytesToHex(data) });
  const withFields = (changes: Partial<Fields>) => encodeFields({ ...fields, ...changes });
  const now = base.context.now;
  const epoch = base.context.epoch;

  add("unchanged", base.data);
  add("upper-case hex", `0x${base.data.slice(2).toUpperCase()}`);
  add(
    "mixed-case hex",
    `0x${[...base.data.slice(2)].map((c, i) => (i % 3 ? c : c.toUpperCase())).join("")}`,
  );

  // Truncation and appended bytes (an empty response is "record not set" on-chain: not verified).
  const headEnd = 4 + 32 * lay.heads;
  for (const length of [1, 3, 4, 5, 36, 4 + 127, 4 + 128, 4 + 191, 4 + 192, 4 + 193])
    if (length < bytes.length) add(`truncated to ${length} bytes`, bytes.slice(0, length));
  // Around the certificate head's end (224 body bytes): a 6-word v2 head plus part of a seventh.
  if (certificate)
    for (const length of [headEnd - 32, headEnd - 1, headEnd, headEnd + 1, headEnd + 32])
      add(
        `truncated to ${length} bytes (certificate head ends at ${headEnd})`,
        bytes.slice(0, length),
      );
  for (const cut of [1, 2, 31, 32, 33, 64, 96])
    if (cut < bytes.length) add(`last ${cut} bytes cut`, bytes.slice(0, bytes.length - cut));
  add("1 zero byte appended", concatBytes(bytes, new Uint8Array(1)));
  add("0xff appended", concatBytes(bytes, Uint8Array.of(0xff)));
  add("32 zero bytes appended", concatBytes(bytes, new Uint8Array(32)));
  add("31 random bytes appended", concatBytes(bytes, rng.bytes(31)));
  add("1024 random bytes appended", concatBytes(bytes, rng.bytes(1024)));

  // Selector: every other form's selector on the same body (a certificate key takes only the
  // certificate form, and no other key takes it: MalformedRecord either way).
  for (const [label, selector] of [
    ["v1", SIGNED_RECORD_V1_SELECTOR],
    ["v2", SIGNED_RECORD_V2_SELECTOR],
    ["certificate", SIGNED_CERTIFICATE_RECORD_SELECTOR],
  ] as const)
    if (selector !== base.data.slice(0, 10))
      add(`${label} selector on this body`, `${selector}${base.data.slice(10)}`);
  add("zero selector", `0x00000000${base.data.slice(10)}`);
  const selectorByte = rng.int(4);
  const selectorBit = rng.int(8);
  add(
    `selector bit ${selectorByte * 8 + selectorBit} flipped`,
    withByte(bytes, selectorByte, (bytes[selectorByte] as number) ^ (1 << selectorBit)),
  );

  // The signer's word: dirty high bits are ignored by both, a low bit is the claimed signer.
  add("dirty address high bits (0x01..)", withByte(bytes, 4, 0x01));
  add(
    "dirty address high bits (all 0xff)",
    (() => {
      const out = bytes.slice();
      out.fill(0xff, 4, 16);
      return out;
    })(),
  );
  add(
    "dirty address high bits (random)",
    (() => {
      const out = bytes.slice();
      out.set(rng.bytes(12), 4);
      return out;
    })(),
  );
  add("address low bit flipped", withByte(bytes, 35, (bytes[35] as number) ^ 1));

  // Shifted ABI tails: offsets pointing elsewhere, lengths changed.
  const fieldsByName = {
    recordSignature: lay.recordSignature,
    approvalSignature: lay.approvalSignature,
    result: lay.result,
  };
  for (const [fieldName, field] of Object.entries(fieldsByName)) {
    const offset = BigInt(field.tail - 4);
    const targets: [string, bigint][] = [
      ["+1", offset + 1n],
      ["-1", offset - 1n],
      ["+32", offset + 32n],
      ["-32", offset - 32n],
      ["0", 0n],
      ["to the record signature", BigInt(lay.recordSignature.tail - 4)],
      ["to the approval", BigInt(lay.approvalSignature.tail - 4)],
      ["to the result", BigInt(lay.result.tail - 4)],
      ["body length - 32", BigInt(lay.body - 32)],
      ["body length - 31", BigInt(lay.body - 31)],
      ["body length", BigInt(lay.body)],
      ["2^64", 2n ** 64n],
      ["2^256 - 1", U256_MAX],
    ];
    for (const [label, target] of targets)
      if (target !== offset && target >= 0n)
        add(`${fieldName} offset ${label}`, withWord(bytes, field.head, target));
    const length = BigInt(field.length);
    for (const [label, target] of [
      ["+1", length + 1n],
      ["-1", length - 1n],
      ["0", 0n],
      ["body length", BigInt(lay.body)],
      ["2^256 - 1", U256_MAX],
    ] as [string, bigint][])
      if (target !== length && target >= 0n)
        add(`${fieldName} length ${label}`, withWord(bytes, field.tail, target));
  }

  // Expiry and epoch words, unsigned (patched in place) and re-signed.
  const expiries: [string, bigint][] = [
    ["now - 1", now - 1n],
    ["now", now],
    ["now + 1", now + 1n],
    ["2^64 - 1", U64_MAX],
    ["2^64", 2n ** 64n],
    ["2^255", 2n ** 255n],
    ["2^256 - 1", U256_MAX],
    ["0", 0n],
  ];
  const epochs: [string, bigint][] = [
    ["current - 1", epoch - 1n],
    ["current + 1", epoch + 1n],
    ["2^64 - 1", U64_MAX],
    ["2^64", 2n ** 64n],
    ["2^256 - 1", U256_MAX],
  ];
  if (fields.version === 2) {
    for (const [label, validUntil] of expiries) {
      add(`validUntil patched to ${label}`, withWord(bytes, 4 + 128, validUntil));
      add(`validUntil re-signed as ${label}`, await base.resign({ validUntil }));
    }
    for (const [label, value] of epochs)
      if (value >= 0n) {
        add(`epoch patched to ${label}`, withWord(bytes, 4 + 160, value));
        add(`epoch re-signed as ${label}`, await base.resign({ epoch: value }));
      }
    add("epoch re-signed as current", await base.resign({ epoch }));
  }

  // The certified owner (certificate records), and the certificate form on every other key.
  const nameOwner = base.context.nameOwner;
  if (certificate && nameOwner) {
    add(
      "certifiedOwner re-signed as the current owner",
      await base.resign({ certifiedOwner: nameOwner }),
    );
    add(
      "certifiedOwner re-signed as another account",
      await base.resign({ certifiedOwner: OTHER_OWNER }),
    );
    add("certifiedOwner re-signed as zero", await base.resign({ certifiedOwner: zeroAddress }));
    add(
      "certifiedOwner re-signed as the CA signer",
      await base.resign({ certifiedOwner: base.context.owner }),
    );
    add(
      "certifiedOwner patched to another account (unsigned)",
      withWord(bytes, CERTIFIED_OWNER_AT, hexToBigInt(OTHER_OWNER)),
    );
    add(
      "issued to another account, certifiedOwner patched to the current owner",
      withWord(
        hexToBytes(await base.resign({ certifiedOwner: OTHER_OWNER })),
        CERTIFIED_OWNER_AT,
        hexToBigInt(nameOwner),
      ),
    );
    add(
      "certifiedOwner low bit flipped",
      withByte(bytes, CERTIFIED_OWNER_AT + 31, (bytes[CERTIFIED_OWNER_AT + 31] as number) ^ 1),
    );
    // Dirty high bits: both read the low 160 bits, as for the signer's word.
    add("certifiedOwner dirty high bits (0x01..)", withByte(bytes, CERTIFIED_OWNER_AT, 0x01));
    add(
      "certifiedOwner dirty high bits (all 0xff)",
      (() => {
        const out = bytes.slice();
        out.fill(0xff, CERTIFIED_OWNER_AT, CERTIFIED_OWNER_AT + 12);
        return out;
      })(),
    );
    add(
      "certifiedOwner dirty high bits (random)",
      (() => {
        const out = bytes.slice();
        out.set(rng.bytes(12), CERTIFIED_OWNER_AT);
        return out;
      })(),
    );
    add("re-signed as a plain v2 record", await base.resign({ certifiedOwner: null }));
    add("v2 encoding of the same fields", withFields({ certifiedOwner: undefined }));
  } else if (fields.version === 2) {
    add(
      "re-signed as a certificate record issued to the owner",
      await base.resign({ certifiedOwner: base.context.owner }),
    );
    add(
      "certificate encoding of the same fields (owner appended)",
      withFields({ certifiedOwner: base.context.owner }),
    );
  }

  // The record signature: malleable form, every v class, wrong lengths.
  add("record signature high-s", withFields({ recordSignature: highS(fields.recordSignature) }));
  for (const v of [0, 1, 27, 28, 29, 255])
    add(
      `record signature v=${v}`,
      withFields({ recordSignature: withV(fields.recordSignature, v) }),
    );
  for (const length of [0, 63, 64])
    add(
      `record signature cut to ${length} bytes`,
      withFields({
        recordSignature: bytesToHex(hexToBytes(fields.recordSignature).slice(0, length)),
      }),
    );
  add(
    "record signature + 1 byte (66)",
    withFields({ recordSignature: `${fields.recordSignature}00` }),
  );
  add(
    "record signature random 65 bytes",
    withFields({ recordSignature: bytesToHex(rng.bytes(65)) }),
  );

  // The approval: lengths 0/63/64/65/66, malleable form, v classes, other version, other key.
  const approval = fields.version === 2 ? base.approvals.v2 : base.approvals.v1;
  const wrongVersion = fields.version === 2 ? base.approvals.v1 : base.approvals.v2;
  const approvals: [string, Hex][] = [
    ["empty (0 bytes)", "0x"],
    ["63 bytes", bytesToHex(hexToBytes(approval).slice(0, 63))],
    ["64 bytes", bytesToHex(hexToBytes(approval).slice(0, 64))],
    ["65 bytes, the valid one", approval],
    ["65 random bytes", bytesToHex(rng.bytes(65))],
    ["66 bytes (valid + 00)", `${approval}00`],
    ["high-s", highS(approval)],
    ["other version's approval", wrongVersion],
    ["signed by a stranger", base.approvals.stranger],
  ];
  for (const v of [0, 1, 27, 28, 29, 255]) approvals.push([`v=${v}`, withV(approval, v)]);
  for (const [label, approvalSignature] of approvals)
    add(`approval ${label}`, withFields({ approvalSignature }));

  // The result: other types' results, dirty address words, flipped bits.
  const results: [string, Hex][] = [
    ["empty", "0x"],
    ["one zero word", `0x${"00".repeat(32)}`],
    ["a text result", encodeRecordValue({ type: "text", key: "k" }, "hello")],
    ["an address result", encodeAbiParameters(parseAbiParameters("address"), [base.context.owner])],
    [
      "an ABI result (type 1)",
      encodeAbiParameters(parseAbiParameters("uint256, bytes"), [1n, "0x7b7d"]),
    ],
    [
      "an ABI result (type 3)",
      encodeAbiParameters(parseAbiParameters("uint256, bytes"), [3n, "0x7b7d"]),
    ],
    [
      "a bytes result with dirty padding",
      `0x${encodeAbiParameters(parseAbiParameters("bytes"), ["0x01"]).slice(2, -2)}01`,
    ],
  ];
  const result = hexToBytes(fields.result);
  if (result.length === 32)
    results.push(["dirty address high bits", bytesToHex(withByte(result, 0, 1))]);
  for (let i = 0; i < 3; i++) {
    const at = rng.int(result.length);
    results.push([
      `bit flipped at result byte ${at}`,
      bytesToHex(withByte(result, at, (result[at] as number) ^ (1 << rng.int(8)))),
    ]);
  }
  for (const [label, value] of results) {
    add(`result ${label} (unsigned)`, withFields({ result: value }));
    add(`result ${label} (re-signed)`, await base.resign({ result: value }));
  }

  // Seeded random mutations.
  for (let i = 0; i < RANDOM_MUTATIONS; i++) {
    const op = rng.int(8);
    if (op === 0 || op === 1) {
      const out = bytes.slice();
      const flips = 1 + rng.int(4);
      const where: number[] = [];
      for (let k = 0; k < flips; k++) {
        const at = rng.int(out.length);
        const bit = rng.int(8);
        out[at] = (out[at] as number) ^ (1 << bit);
        where.push(at * 8 + bit);
      }
      add(`random bit flips at bits ${where.join(",")}`, out);
    } else if (op === 2) {
      const at = rng.int(bytes.length);
      add(`random byte ${at} set`, withByte(bytes, at, rng.int(256)));
    } else if (op === 3) {
      const length = 1 + rng.int(bytes.length - 1);
      add(`random truncation to ${length} bytes`, bytes.slice(0, length));
    } else if (op === 4) {
      const n = 1 + rng.int(96);
      add(`${n} random bytes appended`, concatBytes(bytes, rng.bytes(n)));
    } else if (op === 5) {
      const slot = rng.int(Math.floor((bytes.length - 4) / 32));
      const value = rng.pick(INTERESTING_WORDS);
      add(`word ${slot} set to ${value}`, withWord(bytes, 4 + 32 * slot, value));
    } else if (op === 6) {
      const slot = 1 + rng.int(3);
      const delta = BigInt(rng.pick([-64, -32, -2, -1, 1, 2, 32, 64, 31, 33]));
      const head = 4 + 32 * slot;
      add(
        `offset ${slot} shifted by ${delta}`,
        withWord(bytes, head, readWord(bytes, head) + delta),
      );
    } else {
      const from = 4 + rng.int(bytes.length - 4);
      const n = 1 + rng.int(Math.min(64, bytes.length - from));
      add(
        `bytes ${from}..${from + n} deleted`,
        concatBytes(bytes.slice(0, from), bytes.slice(from + n)),
      );
    }
  }
  for (const c of cases) c.expected = expectedOf(base, c.description);
  return cases;
}

/**
 * The outcome docs/protocol.md §6a prescribes for a certificate-form mutation, on both sides
 * (undefined: only agreement is checked). A certificate key takes only a certificate record and
 * no other key takes one; the certified owner is checked before SIGN 4; its word's high bits are
 * not part of the address.
 */
function expectedOf(base: Base, description: string): string | undefined {
  const malformed = "MalformedRecord";
  if (base.fields.certifiedOwner === undefined)
    return description === "certificate selector on this body" ||
      description.startsWith("re-signed as a certificate record") ||
      description.startsWith("certificate encoding")
      ? malformed
      : undefined;
  const valid =
    base.scenario.rule === "owner" || base.scenario.rule === "offchain"
      ? "accepted"
      : "UnapprovedSigner";
  if (
    description === "unchanged" ||
    description === "certifiedOwner re-signed as the current owner" ||
    description.startsWith("certifiedOwner dirty high bits")
  )
    return valid;
  if (
    description.startsWith("certifiedOwner re-signed as") ||
    description.startsWith("certifiedOwner patched") ||
    description === "certifiedOwner low bit flipped"
  )
    return "CertificateOwnerChanged";
  if (description.startsWith("issued to another account")) return "InvalidRecordSignature";
  if (
    description === "re-signed as a plain v2 record" ||
    description === "v2 encoding of the same fields" ||
    description === "v1 selector on this body" ||
    description === "v2 selector on this body" ||
    description.includes("(certificate head ends at")
  )
    return malformed;
  return undefined;
}

// ------------------------------------------------------------------------------- the test

describe("differential: lib verifyRecord vs EnsgateResolver.resolveCallback", () => {
  let f: Fixture;
  let bases: Base[];
  const onchainSigner = privateKeyToAccount(
    keccak256(stringToHex("ensgate differential onchain signer")),
  );
  const offchainSigner = privateKeyToAccount(
    keccak256(stringToHex("ensgate differential offchain signer")),
  );
  const stranger = privateKeyToAccount(keccak256(stringToHex("ensgate differential stranger")));

  const dnsName = "www.alice.eth";
  const scenarios: Scenario[] = [];
  const alice = "alice.eth";
  // Every record type, owner-signed v2.
  const typed: [RecordRequest, string][] = [
    [{ type: "text", key: "avatar" }, "https://example.com/avatar.png"],
    [{ type: "addr" }, ETH_ADDRESS],
    [{ type: "multicoinAddr", coinType: 60n }, ETH_ADDRESS],
    [{ type: "multicoinAddr", coinType: 0n }, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
    [{ type: "contenthash" }, CONTENTHASH],
    [
      { type: "abi", contentTypes: 1n },
      '[{"type":"function","name":"f","inputs":[],"outputs":[]}]',
    ],
    [
      { type: "dnsRecord", nameHash: hashDnsOwnerName(dnsName), resource: 1 },
      `${dnsName}. 3600 IN A 192.0.2.1`,
    ],
  ];
  for (const [request, value] of typed)
    scenarios.push({ name: alice, request, value, version: 2, rule: "owner" });
  const avatar: RecordRequest = { type: "text", key: "avatar" };
  const url = "https://example.com/a.png";
  scenarios.push(
    // Signer rules, both versions.
    { name: alice, request: avatar, value: url, version: 1, rule: "owner" },
    { name: alice, request: avatar, value: url, version: 1, rule: "onchain" },
    { name: alice, request: avatar, value: url, version: 1, rule: "offchain" },
    { name: alice, request: avatar, value: url, version: 2, rule: "onchain" },
    { name: alice, request: avatar, value: url, version: 2, rule: "offchain" },
    { name: alice, request: avatar, value: url, version: 2, rule: "stranger" },
    {
      name: alice,
      request: { type: "multicoinAddr", coinType: 60n },
      value: ETH_ADDRESS,
      version: 1,
      rule: "offchain",
    },
    {
      name: alice,
      request: { type: "contenthash" },
      value: CONTENTHASH,
      version: 1,
      rule: "onchain",
    },
    // A wildcard name (no registry entry): alice's settings on alice.eth cover it.
    { name: "sub.alice.eth", request: avatar, value: url, version: 2, rule: "offchain" },
    {
      name: "sub.alice.eth",
      request: { type: "addr" },
      value: ETH_ADDRESS,
      version: 1,
      rule: "onchain",
    },
    // A name with a non-zero epoch (2): v1 records are stale there.
    { name: "bob.eth", request: avatar, value: url, version: 2, rule: "owner" },
    { name: "bob.eth", request: avatar, value: url, version: 2, rule: "offchain" },
    { name: "bob.eth", request: avatar, value: url, version: 1, rule: "owner" },
    // Text results the contract takes as bytes: invalid UTF-8, a byte-order mark, a NUL.
    {
      name: alice,
      request: avatar,
      value: { result: encodeAbiParameters(parseAbiParameters("bytes"), ["0x68ff69"]) },
      version: 2,
      rule: "owner",
    },
    {
      name: alice,
      request: avatar,
      value: { result: encodeAbiParameters(parseAbiParameters("bytes"), ["0xefbbbf6869"]) },
      version: 2,
      rule: "owner",
    },
    {
      name: alice,
      request: avatar,
      value: { result: encodeAbiParameters(parseAbiParameters("bytes"), ["0x006869"]) },
      version: 2,
      rule: "owner",
    },
  );
  // Certificate records (§6a): the CA's keys, signed by the CA's signer (carol, or a signer she
  // approved) under the CA's epoch (1), issued to the name's current owner (alice).
  const ca = certificateRecordRequests();
  const certificateBases: [string, RecordRequest, string, Rule][] = [
    [dnsName, ca.chain, PEM, "owner"],
    [dnsName, ca.tlsa, PIN, "owner"],
    [alice, ca.tlsa, PIN, "offchain"],
    // carol approved this signer on-chain on alice.eth: it counts for nothing here.
    [alice, ca.chain, PEM, "onchain"],
  ];
  for (const [name, request, value, rule] of certificateBases)
    scenarios.push({ name, request, value, version: 2, rule, certificate: true });

  before(async () => {
    f = await deployFixture();
    const owners = { "alice.eth": f.alice, "bob.eth": f.bob } as const;
    for (const [name, wallet] of Object.entries(owners)) {
      await f.register(name, wallet.account.address);
      await f.resolver.write.setRecordhash([namehash(name), (await makeIpnsKey(name.length)).key], {
        account: wallet.account,
      });
      await f.resolver.write.approve([namehash(name), onchainSigner.address, true], {
        account: wallet.account,
      });
    }
    // bob.eth's epoch is 2: one bump on `eth`, one on the name (both bob's own counters).
    await f.resolver.write.bumpEpoch([namehash("eth")], { account: f.bob.account });
    await f.resolver.write.bumpEpoch([namehash("bob.eth")], { account: f.bob.account });
    // The certificate authority: carol signs, its epoch is 1. Carol also approves the on-chain
    // signer on alice.eth under her own key: on-chain approvals never reach certificate records.
    await f.resolver.write.setCertificateAuthority(
      [f.carol.account.address, (await makeIpnsKey(0xca)).key],
      { account: f.admin.account },
    );
    await f.resolver.write.bumpCertificateAuthorityEpoch({ account: f.admin.account });
    await f.resolver.write.approve([namehash(alice), onchainSigner.address, true], {
      account: f.carol.account,
    });
    // No block is mined after this point: every eth_call runs at the latest block's timestamp.

    const ownerWallets = {
      "alice.eth": f.alice,
      "sub.alice.eth": f.alice,
      [dnsName]: f.alice,
      "bob.eth": f.bob,
    } as Record<string, typeof f.alice>;
    const approvedCache = new Map<string, Promise<boolean>>();
    bases = await Promise.all(
      scenarios.map(async (scenario, index): Promise<Base> => {
        const { name, request, version, rule, certificate } = scenario;
        const nameWallet = ownerWallets[name];
        if (!nameWallet) throw new Error(`no owner for ${name}`);
        // The owner of the lookup: the name's owner, or the CA's signer for a certificate record.
        const owner = walletSigner(certificate ? f.carol : nameWallet);
        const encodedName = dnsEncodeName(name);
        const lookup = await lookupOf(f, encodedName, encodeRecordCall(namehash(name), request));
        const [nameOwner, , nameEpoch] = await f.resolver.read.nameContext([encodedName]);
        assert.ok(
          isAddressEqual(nameOwner, nameWallet.account.address),
          `${name} is not owned by ${nameWallet.account.address}`,
        );
        // lib gets what the contract's lookup carries (owner, epoch and, for certificates, the
        // name's current owner).
        const sealed = decodeExtraData(lookup.extraData).lookup;
        assert.ok(isAddressEqual(sealed.owner, owner.address), `${name}: lookup owner`);
        assert.equal(sealed.nameOwner, certificate ? nameOwner : zeroAddress);
        const epoch = sealed.epoch;
        if (certificate) assert.equal(epoch, (await f.resolver.read.certificateAuthority())[2]);
        else assert.equal(epoch, nameEpoch);
        // The block timestamp the callback will see (eth_call at the latest block).
        const { timestamp } = await f.publicClient.getBlock();
        const nodes = name.split(".").map((_, i, labels) => namehash(labels.slice(i).join(".")));
        const context: RecordVerificationContext = {
          name,
          request,
          chainId: f.chainId,
          resolver: f.resolver.address,
          owner: owner.address,
          epoch,
          now: timestamp,
          nameOwner: certificate ? nameOwner : undefined,
          // As the gateway and the client layer ask: the lookup owner's approvals on the name's path.
          isApprovedOnChain: (signer) => {
            const key = `${owner.address}:${name}:${signer}`;
            let cached = approvedCache.get(key);
            if (!cached) {
              cached = Promise.all(
                nodes.map((node) =>
                  f.resolver.read.isApprovedSigner([owner.address, node, signer]),
                ),
              ).then((all) => all.some(Boolean));
              approvedCache.set(key, cached);
            }
            return cached;
          },
        };
        const signer: MessageSigner =
          rule === "owner"
            ? owner
            : rule === "onchain"
              ? onchainSigner
              : rule === "offchain"
                ? offchainSigner
                : stranger;
        const approvalOf = (by: MessageSigner, approvalVersion: 1 | 2, approvalEpoch: bigint) =>
          by.signMessage({
            message: buildApprovalMessage({
              name,
              signer: signer.address,
              owner: by.address,
              chainId: f.chainId,
              epoch: approvalVersion === 2 ? approvalEpoch : undefined,
              resolver: f.resolver.address,
            }),
          });
        const approvals = {
          v1: await approvalOf(owner, 1, 0n),
          v2: await approvalOf(owner, 2, epoch),
          stranger: await approvalOf(stranger, version, epoch),
        };
        const baseFields = {
          version,
          result:
            typeof scenario.value === "string"
              ? encodeRecordValue(request, scenario.value)
              : scenario.value.result,
          validUntil: version === 2 ? timestamp + 86_400n : 0n,
          epoch: version === 2 ? epoch : 0n,
        };
        const sign = async (changes: Resign) => {
          const certifiedOwner =
            changes.certifiedOwner === null
              ? undefined
              : (changes.certifiedOwner ?? (certificate ? nameOwner : undefined));
          const fields = { ...baseFields, ...changes, certifiedOwner };
          const recordSignature = await signer.signMessage({
            message: buildRecordMessage({
              name,
              recordType: buildRecordType(request),
              result: fields.result,
              signer: signer.address,
              chainId: f.chainId,
              freshness:
                version === 2 ? { validUntil: fields.validUntil, epoch: fields.epoch } : undefined,
              resolver: f.resolver.address,
              certifiedOwner,
            }),
          });
          const approvalSignature =
            rule !== "offchain"
              ? "0x"
              : version === 1
                ? approvals.v1
                : changes.epoch === undefined
                  ? approvals.v2
                  : await approvalOf(owner, 2, fields.epoch);
          const all: Fields = {
            ...fields,
            signer: signer.address,
            recordSignature,
            approvalSignature,
          };
          return { fields: all, data: encodeFields(all) };
        };
        const { fields, data } = await sign({});
        const id = `#${index} ${name} ${buildRecordType(request)} ${certificate ? "certificate" : `v${version}`} ${rule}`;
        return {
          index,
          id,
          scenario,
          fields,
          data,
          extraData: lookup.extraData,
          context,
          resign: async (changes) => (await sign(changes)).data,
          approvals,
        };
      }),
    );
  });

  async function check(
    cases: Case[],
  ): Promise<{ accepted: number; rejected: Map<string, number> }> {
    const rejected = new Map<string, number>();
    let accepted = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < cases.length; i += CHUNK) {
      const chunk = cases.slice(i, i + CHUNK);
      const outcomes = await Promise.all(
        chunk.map(async ({ base, data }) => {
          const bytes = data.toLowerCase() as Hex; // the contract sees bytes, not their spelling
          return Promise.all([
            libOutcome(data, base.context),
            contractOutcome(f, bytes, base.extraData),
          ]);
        }),
      );
      chunk.forEach(({ base, description, expected }, k) => {
        const [lib, contract] = outcomes[k] as [Outcome, Outcome];
        const same = lib.accepted
          ? contract.accepted && contract.answer === lib.answer
          : !contract.accepted && contract.reason === lib.reason;
        if (!same)
          mismatches.push(
            `${base.id} / ${description}: lib ${show(lib)}, contract ${show(contract)}`,
          );
        else if (expected && expected !== (lib.accepted ? "accepted" : lib.reason))
          mismatches.push(
            `${base.id} / ${description}: both ${show(lib)}, the rules say ${expected}`,
          );
        else if (lib.accepted) accepted++;
        else rejected.set(lib.reason, (rejected.get(lib.reason) ?? 0) + 1);
      });
    }
    if (mismatches.length > 0)
      assert.fail(
        `seed ${SEED}: ${mismatches.length} of ${cases.length} mutations verify differently` +
          ` (first ${Math.min(mismatches.length, MAX_REPORTED)}):\n${mismatches.slice(0, MAX_REPORTED).join("\n")}`,
      );
    return { accepted, rejected };
  }

  it("accepts and rejects the same mutated responses, for the same reason, with the same answer", async () => {
    const cases: Case[] = [];
    for (const base of bases) cases.push(...(await mutationsOf(base)));
    assert.ok(cases.length >= 1000, `seed ${SEED}: only ${cases.length} mutations`);
    const { accepted, rejected } = await check(cases);
    const prescribed = cases.filter((c) => c.expected && c.base.scenario.certificate).length;
    assert.ok(prescribed >= 60, `seed ${SEED}: only ${prescribed} certificate expectations`);
    // The mutations reach every outcome (a generator that only produces garbage proves little).
    assert.ok(accepted > 50, `seed ${SEED}: only ${accepted} accepted`);
    for (const reason of Object.values(ERROR_OF))
      assert.ok(rejected.has(reason), `seed ${SEED}: no mutation was rejected with ${reason}`);
  });

  it("upper-case hex in a record file's data verifies as the bytes do on-chain", async () => {
    const cases: Case[] = [];
    for (const base of bases) {
      for (const [label, spelling] of [
        ["upper-case", `0x${base.data.slice(2).toUpperCase()}`],
        [
          "mixed-case",
          `0x${[...base.data.slice(2)].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join("")}`,
        ],
      ] as const) {
        const json = `${JSON.stringify({ domain: base.context.name, data: spelling }, null, 2)}\n`;
        let data: Hex;
        try {
          data = parseRecordFile(json).data;
        } catch (error) {
          assert.fail(
            `seed ${SEED}: ${base.id}: parseRecordFile refused ${label} data: ${(error as Error).message}`,
          );
        }
        cases.push({ base, description: `record file with ${label} data`, data });
        cases.push({
          base,
          description: `${label} data passed to verifyRecord as it is`,
          data: spelling as Hex,
        });
      }
    }
    await check(cases);
  });
});
