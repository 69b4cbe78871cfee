// Structure-aware mutations of real resolveOffchain lookups, for the hostile-traffic run.
// Deterministic: every mutation comes from a seeded PRNG, so a failing run can be replayed.
import {
  type Address,
  concatHex,
  encodeAbiParameters,
  type Hex,
  padHex,
  parseAbiParameters,
  toFunctionSelector,
} from "viem";
import {
  decodeResolveOffchainCall,
  dnsEncodeName,
  IPNS_ED25519_RECORDHASH_PREFIX,
  RESOLVE_OFFCHAIN_SELECTOR,
} from "../../lib/index.ts";

/** A small deterministic PRNG (mulberry32) with the helpers the generators need. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const bytes = (length: number): Hex =>
    `0x${Array.from({ length }, () => int(256).toString(16).padStart(2, "0")).join("")}`;
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const word = (): bigint => BigInt(bytes(32));
  return { next, int, bytes, pick, word };
}
export type Random = ReturnType<typeof createRandom>;

/** A real lookup to mutate: the resolver that sent it and the callData of its OffchainLookup. */
export type BaseLookup = { kind: string; sender: Address; callData: Hex };

/** One mutated lookup: which operator made it, and what is sent as sender and data. */
export type MutatedLookup = { operator: string; sender: string; data: string };

/**
 * The lookup envelope with raw words: `owner` and `epoch` as uint256 so that dirty words (high
 * bits set) can be encoded on purpose.
 */
const RAW_ENVELOPE = parseAbiParameters("bytes, bytes, bytes, uint256, uint256, uint256");
const MAX_UINT256 = 2n ** 256n - 1n;

/** Values a hostile head word, offset or length takes. */
const SPECIAL_WORDS = [
  0n,
  1n,
  31n,
  32n,
  33n,
  0xc0n,
  0xbfn,
  0x100n,
  2n ** 32n,
  2n ** 64n - 1n,
  2n ** 64n,
  2n ** 128n,
  2n ** 160n,
  2n ** 255n,
  MAX_UINT256,
  MAX_UINT256 - 31n,
];

/** Selectors of the resolver's record functions (and a few others), for inner-call mutations. */
const RECORD_SELECTORS = [
  "text(bytes32,string)",
  "addr(bytes32)",
  "addr(bytes32,uint256)",
  "contenthash(bytes32)",
  "pubkey(bytes32)",
  "name(bytes32)",
  "interfaceImplementer(bytes32,bytes4)",
  "ABI(bytes32,uint256)",
  "zonehash(bytes32)",
  "dnsRecord(bytes32,bytes32,uint16)",
  "dnsRecord(bytes32,bytes,uint16)",
  "resolve(bytes,bytes)",
  "multicall(bytes[])",
  "supportsInterface(bytes4)",
].map((signature) => toFunctionSelector(signature));

/** Names that are malformed, unnormalized or simply other (valid) names. */
const OTHER_NAMES = [
  "bob.eth",
  "sub.alice.eth",
  "a.b.c.d.e.f.alice.eth",
  "eth",
  "Alice.eth",
  "a_b.eth",
  "xn--ab.eth",
  "zero\u200dwidth.eth",
  "💩.eth",
  "ｆｕｌｌｗｉｄｔｈ.eth",
  `${"a".repeat(63)}.eth`,
  `${"x".repeat(60)}.${"y".repeat(60)}.${"z".repeat(60)}.${"w".repeat(60)}.eth`,
];

/** The body of `hex` (no 0x) as bytes-of-hex helpers. */
const strip = (hex: string) => (hex.startsWith("0x") ? hex.slice(2) : hex);
const wordHex = (value: bigint) => value.toString(16).padStart(64, "0").slice(-64);

/** `data` (0x + selector + body) with 32-byte word `index` of the body replaced by `value`. */
function setWord(data: Hex, index: number, value: bigint): Hex {
  const body = data.slice(10);
  const at = index * 64;
  if (at + 64 > body.length) return data;
  return `${data.slice(0, 10)}${body.slice(0, at)}${wordHex(value)}${body.slice(at + 64)}` as Hex;
}

/** The word at `index` of the body of `data` (selector excluded), or undefined. */
function getWord(data: Hex, index: number): bigint | undefined {
  const body = data.slice(10);
  const at = index * 64;
  return at + 64 <= body.length ? BigInt(`0x${body.slice(at, at + 64)}`) : undefined;
}

/** Mutates one DNS-encoded name at the byte level, or replaces it by another (possibly valid) name. */
function mutateDnsName(random: Random, dnsName: Hex): Hex {
  const bytes = [...Buffer.from(strip(dnsName), "hex")];
  switch (random.int(9)) {
    case 0: // a label length byte changed
      bytes[0] = random.pick([0, 1, 63, 64, 127, 255, (bytes[0] ?? 0) + 1]);
      break;
    case 1: // terminator dropped
      bytes.pop();
      break;
    case 2: // an empty label in the middle
      bytes.splice(1 + (bytes[0] ?? 0), 0, 0);
      break;
    case 3: // upper-case / non-ASCII / NUL / dot bytes inside the first label
      bytes[1 + random.int(Math.max(1, bytes[0] ?? 1))] = random.pick([
        0x41, 0xff, 0x00, 0x2e, 0x80,
      ]);
      break;
    case 4: // trailing garbage after the terminator
      bytes.push(...Buffer.from(strip(random.bytes(1 + random.int(8))), "hex"));
      break;
    case 5: // the root name alone, or nothing
      return random.pick(["0x00", "0x"] as const);
    case 6: // random bytes
      return random.bytes(random.int(40));
    case 7: // a name over 255 bytes
      return `0x${"3f".concat("61".repeat(63)).repeat(5)}00`;
    default: {
      // another name, encoded (if it encodes at all)
      try {
        return dnsEncodeName(random.pick(OTHER_NAMES));
      } catch {
        return random.bytes(random.int(20));
      }
    }
  }
  return `0x${Buffer.from(bytes.map((b) => b & 0xff)).toString("hex")}`;
}

/** Mutates the inner resolver call: its selector, its head words, its string/bytes arguments. */
function mutateInnerCall(random: Random, inner: Hex): Hex {
  const body = inner.slice(10);
  switch (random.int(10)) {
    case 0: // another selector, same arguments
      return `${random.pick(RECORD_SELECTORS)}${body}` as Hex;
    case 1: // a random selector
      return `${random.bytes(4)}${body}` as Hex;
    case 2: // selector only, or less than a selector
      return inner.slice(0, 2 + 2 * random.int(5)) as Hex;
    case 3: // the node word
      return setWord(inner, 0, random.pick([0n, MAX_UINT256, random.word()]));
    case 4: // the second head word (key offset, coinType, interfaceId, contentTypes, nameHash)
      return setWord(inner, 1, random.pick([...SPECIAL_WORDS, random.word(), 15n, 16n, 8n]));
    case 5: // the third word (key length, dnsRecord resource)
      return setWord(inner, 2, random.pick([...SPECIAL_WORDS, 65535n, 65536n, 52n]));
    case 6: // truncated arguments
      return inner.slice(0, 10 + 2 * random.int(body.length / 2)) as Hex;
    case 7: // extended arguments
      return concatHex([inner, random.bytes(1 + random.int(64))]);
    case 8: // a byte flipped anywhere in the arguments
      return flipByte(random, inner, 4);
    default: // random bytes
      return random.bytes(random.int(100));
  }
}

/** Mutates a recordhash: its codec, its varints, its multihash, its length. */
function mutateRecordhash(random: Random, recordhash: Hex): Hex {
  const body = strip(recordhash);
  switch (random.int(11)) {
    case 0: // another codec byte (ipfs, swarm, onion, none, nonsense)
      return `0x${random.pick(["e3", "e4", "bc", "00", "ff", "01", "b2"])}${body.slice(2)}`;
    case 1: // a varint that never ends
      return `0x${body.slice(0, 2)}${"80".repeat(1 + random.int(12))}`;
    case 2: // an over-long varint prefix
      return `0x${"ff".repeat(9)}01${body}`;
    case 3: // truncated
      return `0x${body.slice(0, 2 * random.int(body.length / 2))}`;
    case 4: // extended
      return `0x${body}${strip(random.bytes(1 + random.int(40)))}`;
    case 5: // the short form: 32 random bytes (an ed25519 key that may not be a point)
      return random.bytes(32);
    case 6: // 31 or 33 bytes
      return random.bytes(random.pick([31, 33]));
    case 7: // empty
      return "0x";
    case 8: // a multihash length byte changed
      return `0x${IPNS_ED25519_RECORDHASH_PREFIX.slice(2, 14)}${random.bytes(1).slice(2)}${body.slice(16)}`;
    case 9: // an IPFS CID nobody serves
      return `0xe30101701220${strip(random.bytes(32))}`;
    default:
      return flipByte(random, recordhash, 0);
  }
}

/** `hex` with one random byte at or after `from` replaced. */
function flipByte(random: Random, hex: Hex, from: number): Hex {
  const body = strip(hex);
  const length = body.length / 2;
  if (length <= from) return hex;
  const at = from + random.int(length - from);
  return `0x${body.slice(0, at * 2)}${random.bytes(1).slice(2)}${body.slice(at * 2 + 2)}`;
}

/** The head word of each argument: 0 name, 1 data, 2 recordhash (offsets), 3 owner, 4 chainId, 5 epoch. */
const DYNAMIC_ARGUMENTS = [0, 1, 2] as const;

/** Re-encodes a lookup envelope with raw words. */
function encodeEnvelope(args: readonly [Hex, Hex, Hex, bigint, bigint, bigint]): Hex {
  // Words wrap around (a chained mutation may step past 2^256-1 or below 0).
  const wrap = (value: bigint) => ((value % 2n ** 256n) + 2n ** 256n) % 2n ** 256n;
  const [name, data, recordhash, owner, chainId, epoch] = args;
  args = [name, data, recordhash, wrap(owner), wrap(chainId), wrap(epoch)];
  return `${RESOLVE_OFFCHAIN_SELECTOR}${encodeAbiParameters(RAW_ENVELOPE, args).slice(2)}` as Hex;
}

/** The operators, by name: each turns a real lookup into a hostile one. */
const OPERATORS: Record<string, (random: Random, base: BaseLookup) => MutatedLookup> = {
  headWord: (random, base) => ({
    operator: "headWord",
    sender: base.sender,
    data: setWord(base.callData, random.int(6), random.pick([...SPECIAL_WORDS, random.word()])),
  }),
  offset: (random, base) => {
    const index = random.pick(DYNAMIC_ARGUMENTS);
    const current = getWord(base.callData, index) ?? 0n;
    const bytes = BigInt((base.callData.length - 10) / 2);
    const other = getWord(base.callData, random.pick(DYNAMIC_ARGUMENTS)) ?? 0n;
    const value = random.pick([
      ...SPECIAL_WORDS,
      current + 1n,
      current - 1n,
      current + 32n,
      current - 32n,
      bytes,
      bytes - 32n,
      bytes + 32n,
      other,
    ]);
    return {
      operator: "offset",
      sender: base.sender,
      data: setWord(base.callData, index, value < 0n ? 0n : value),
    };
  },
  length: (random, base) => {
    const index = random.pick(DYNAMIC_ARGUMENTS);
    const offset = Number(getWord(base.callData, index) ?? 0n);
    const lengthWord = offset / 32;
    const current = getWord(base.callData, lengthWord) ?? 0n;
    const value = random.pick([
      ...SPECIAL_WORDS,
      current + 1n,
      current > 0n ? current - 1n : 0n,
      current + 32n,
      current * 2n,
    ]);
    return {
      operator: "length",
      sender: base.sender,
      data: setWord(base.callData, lengthWord, value),
    };
  },
  dirtyAddress: (random, base) => {
    const call = decodeResolveOffchainCall(base.callData);
    const high = BigInt(random.bytes(1 + random.int(12))) << 160n;
    return {
      operator: "dirtyAddress",
      sender: base.sender,
      data: setWord(base.callData, 3, (high === 0n ? 1n << 200n : high) | BigInt(call.owner)),
    };
  },
  dirtyUint: (random, base) => {
    const index = random.pick([4, 5]);
    const value =
      index === 5
        ? random.pick([2n ** 64n, 2n ** 64n + 1n, MAX_UINT256, random.word() | (1n << 64n)])
        : random.pick([0n, MAX_UINT256, 2n ** 255n, random.word()]);
    return {
      operator: "dirtyUint",
      sender: base.sender,
      data: setWord(base.callData, index, value),
    };
  },
  truncate: (random, base) => {
    const nibbles = base.callData.length - 2;
    // Whole bytes mostly, an odd nibble sometimes, sometimes on a word boundary.
    const cut = random.pick([
      2 * random.int(nibbles / 2),
      1 + 2 * random.int(nibbles / 2),
      8 + 64 * random.int((nibbles - 8) / 64),
    ]);
    return { operator: "truncate", sender: base.sender, data: base.callData.slice(0, 2 + cut) };
  },
  extend: (random, base) => ({
    operator: "extend",
    sender: base.sender,
    data: random.pick([
      concatHex([base.callData, random.bytes(1 + random.int(96))]),
      concatHex([base.callData, padHex("0x", { size: 32 * (1 + random.int(4)) })]),
      concatHex([base.callData, `0x${base.callData.slice(10)}`]),
    ]),
  }),
  nameLabels: (random, base) => {
    const call = decodeResolveOffchainCall(base.callData);
    return {
      operator: "nameLabels",
      sender: base.sender,
      data: encodeEnvelope([
        mutateDnsName(random, call.dnsName),
        call.data,
        call.recordhash,
        BigInt(call.owner),
        call.chainId,
        call.epoch,
      ]),
    };
  },
  innerCall: (random, base) => {
    const call = decodeResolveOffchainCall(base.callData);
    return {
      operator: "innerCall",
      sender: base.sender,
      data: encodeEnvelope([
        call.dnsName,
        mutateInnerCall(random, call.data),
        call.recordhash,
        BigInt(call.owner),
        call.chainId,
        call.epoch,
      ]),
    };
  },
  recordhash: (random, base) => {
    const call = decodeResolveOffchainCall(base.callData);
    return {
      operator: "recordhash",
      sender: base.sender,
      data: encodeEnvelope([
        call.dnsName,
        call.data,
        mutateRecordhash(random, call.recordhash),
        BigInt(call.owner),
        call.chainId,
        call.epoch,
      ]),
    };
  },
  owner: (random, base) => {
    const call = decodeResolveOffchainCall(base.callData);
    const owner = random.pick([0n, 1n, BigInt(random.bytes(20)), 2n ** 160n - 1n]);
    return {
      operator: "owner",
      sender: base.sender,
      data: encodeEnvelope([
        call.dnsName,
        call.data,
        call.recordhash,
        owner,
        call.chainId,
        call.epoch,
      ]),
    };
  },
  chainId: (random, base) => {
    const call = decodeResolveOffchainCall(base.callData);
    const chainId = random.pick([
      0n,
      1n,
      call.chainId + 1n,
      call.chainId - 1n,
      2n ** 64n,
      MAX_UINT256,
      BigInt(random.int(2 ** 31)),
    ]);
    return {
      operator: "chainId",
      sender: base.sender,
      data: encodeEnvelope([
        call.dnsName,
        call.data,
        call.recordhash,
        BigInt(call.owner),
        chainId,
        call.epoch,
      ]),
    };
  },
  epoch: (random, base) => {
    const call = decodeResolveOffchainCall(base.callData);
    const epoch = random.pick([1n, 2n ** 64n - 1n, BigInt(random.int(2 ** 31)), call.epoch + 1n]);
    return {
      operator: "epoch",
      sender: base.sender,
      data: encodeEnvelope([
        call.dnsName,
        call.data,
        call.recordhash,
        BigInt(call.owner),
        call.chainId,
        epoch,
      ]),
    };
  },
  sender: (random, base) => ({
    operator: "sender",
    sender: random.pick([
      base.sender.toLowerCase(),
      `0x${base.sender.slice(2).toUpperCase()}`,
      // a wrong EIP-55 checksum
      `${base.sender.slice(0, 3)}${base.sender[3] === "a" ? "A" : "a"}${base.sender.slice(4)}`,
      random.bytes(20),
      "0x0000000000000000000000000000000000000000",
      base.sender.slice(0, 30),
      `${base.sender}00`,
      "0X5FbDB2315678afecb367f032d93F642f64180aa3",
      `0x${"g".repeat(40)}`,
    ]),
    data: base.callData,
  }),
  longArgument: (random, base) => {
    // A text key long enough that its record file URL outgrows what HTTP servers accept.
    const length = random.pick([300, 2000, 5000, 9000, 20000]);
    const unit = random.pick(["k", "é", "🔑"]);
    const key = `${unit.repeat(Math.ceil(length / Buffer.byteLength(unit)))}-${random.int(1e9)}`;
    return { operator: "longArgument", sender: base.sender, data: coldLookup(base, key) };
  },
  hexForm: (random, base) => {
    const body = base.callData.slice(2);
    return {
      operator: "hexForm",
      sender: base.sender,
      data: random.pick([
        `0x${body.toUpperCase()}`,
        `0X${body}`,
        body,
        `0x${body}0`,
        `0x${body.slice(0, 20)}zz${body.slice(22)}`,
        `0x${body.slice(0, 11)}G${body.slice(12)}`,
        "0x",
        "",
        `0x${RESOLVE_OFFCHAIN_SELECTOR.slice(2)}`,
        `0x${body.slice(0, 8)}`,
      ]),
    };
  },
};

export const OPERATOR_NAMES = Object.keys(OPERATORS);

/**
 * One mutation of one of `bases`: an operator picked at random, applied once, or (one time in
 * five) two operators chained, so that one malformed field can hide behind another.
 */
export function mutateLookup(random: Random, bases: readonly BaseLookup[]): MutatedLookup {
  const base = random.pick(bases);
  const first = OPERATORS[random.pick(OPERATOR_NAMES)] as (typeof OPERATORS)[string];
  const once = first(random, base);
  if (random.int(5) !== 0 || !/^0x[0-9a-f]*$/i.test(once.data) || once.data.length % 2 !== 0)
    return once;
  // The second operator works on a structurally valid envelope only when the first left one.
  try {
    decodeResolveOffchainCall(once.data as Hex);
  } catch {
    return once;
  }
  const second = OPERATORS[random.pick(OPERATOR_NAMES)] as (typeof OPERATORS)[string];
  const twice = second(random, {
    kind: base.kind,
    sender: once.sender as Address,
    callData: once.data as Hex,
  });
  return { ...twice, operator: `${once.operator}+${twice.operator}` };
}

/** A cold, well-formed variant of a base lookup (another text key): a lookup no cache holds. */
export function coldLookup(base: BaseLookup, key: string): Hex {
  const call = decodeResolveOffchainCall(base.callData);
  const node = call.data.slice(10, 74).padEnd(64, "0");
  const inner = concatHex([
    toFunctionSelector("text(bytes32,string)"),
    encodeAbiParameters(parseAbiParameters("bytes32, string"), [`0x${node}`, key]),
  ]);
  return encodeEnvelope([
    call.dnsName,
    inner,
    call.recordhash,
    BigInt(call.owner),
    call.chainId,
    call.epoch,
  ]);
}
