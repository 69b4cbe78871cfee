import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { type Address, bytesToHex, type Hex, hashMessage, hexToBigInt, hexToBytes } from "viem";

const { Point, Signature } = secp256k1;
const Fn = Point.Fn;
type SecpPoint = InstanceType<typeof Point>;

/** Signers whose public key is kept (least recently used dropped first). */
const MAX_SIGNER_KEYS = 32;
/**
 * A signer's key gets wNAF tables (window 6: about 1,400 points, 200 KB, 21 ms to build) once it
 * has verified this many signatures. With them a verification costs about half as much; building
 * them pays for itself after about 30 uses, and a 100,000-record tree has one signer.
 */
const TABLES_AFTER_USES = 32;
const TABLE_WINDOW = 6;

type SignerKey = { point: SecpPoint; uses: number };
/** Lower-case address → its public key, in least-recently-used order (a Map keeps insertion order). */
const signerKeys = new Map<string, SignerKey>();

/**
 * Whether `signature` (65 bytes r‖s‖v, v 27 or 28, checked canonical by the caller) is an EIP-191
 * `personal_sign` signature of `message` by `expected`: exactly what
 * `isAddressEqual(await recoverMessageAddress({ message, signature }), expected)` answers (the
 * reference, tested against this in test/unit/personalSignature.test.ts), and what
 * OpenZeppelin's `ECDSA.recover` decides on-chain.
 *
 * Why not recover every time: recovering a key costs about 2.6 ms (viem), most of a gateway miss.
 * The first signature of a signer is recovered (about 1.9 ms) and its key kept; later ones are
 * checked against the kept key (1.5 ms, and 0.7 ms once it has tables), which is the same question:
 * with u1 = h/s and u2 = r/s, the point R = u1⋅G + u2⋅P is the one recovery rebuilds from (r, v)
 * exactly when P is the key recovery returns, so "R.x = r and R.y has v's parity" ⇔
 * "recover(signature) = P". A wrong signature never enters the cache: only a recovered key whose
 * address equals `expected` is kept.
 *
 * @example
 * isPersonalSignatureBy("hello", await account.signMessage({ message: "hello" }), account.address)
 * // true
 */
export function isPersonalSignatureBy(message: string, signature: Hex, expected: Address): boolean {
  const signatureBytes = hexToBytes(signature);
  const recovery = (signatureBytes[64] as number) - 27;
  // Throws for r or s outside [1, n): ecrecover answers the zero address for them.
  const parsed = Signature.fromBytes(signatureBytes.subarray(0, 64), "compact").addRecoveryBit(
    recovery,
  );
  const digest = hashMessage(message);
  const address = expected.toLowerCase();
  const known = signerKeys.get(address);
  if (known) {
    signerKeys.delete(address);
    signerKeys.set(address, known);
    known.uses++;
    if (known.uses === TABLES_AFTER_USES) known.point.precompute(TABLE_WINDOW, false);
    return isSignedByKey(parsed, hexToBigInt(digest), known);
  }
  const point = parsed.recoverPublicKey(hexToBytes(digest));
  if (addressOf(point) !== address) return false;
  signerKeys.set(address, { point, uses: 1 });
  if (signerKeys.size > MAX_SIGNER_KEYS)
    signerKeys.delete(signerKeys.keys().next().value as string);
  return true;
}

/** R = u1⋅G + u2⋅P has x = r and y of the signature's parity (see `isPersonalSignatureBy`). */
function isSignedByKey(
  signature: InstanceType<typeof Signature>,
  digest: bigint,
  key: SignerKey,
): boolean {
  const sInverse = Fn.inv(signature.s);
  const u1 = Fn.create(Fn.create(digest) * sInverse);
  const u2 = Fn.create(signature.r * sInverse);
  // With tables, two table-driven multiplications beat one joint (Strauss–Shamir) walk.
  const point =
    key.uses >= TABLES_AFTER_USES
      ? Point.BASE.multiplyUnsafe(u1).add(key.point.multiplyUnsafe(u2))
      : Point.BASE.mulAddUnsafe(u1, key.point, u2);
  if (point.is0()) return false;
  const { x, y } = point.toAffine();
  // x must equal r itself, not r mod n: with v 27 or 28, ecrecover takes r as R's x coordinate.
  return x === signature.r && Number(y & 1n) === signature.recovery;
}

/** The Ethereum address of a public key: the last 20 bytes of keccak256(x ‖ y), lower case. */
function addressOf(point: SecpPoint): string {
  return bytesToHex(keccak_256(point.toBytes(false).subarray(1)).subarray(12));
}
