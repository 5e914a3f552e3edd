/**
 * XEdDSA over Curve25519: Ed25519-style signatures made with X25519 keys, as libsignal and WhatsApp
 * use them (identity keys sign prekeys, WhatsApp's root key signs the Noise certificate chain).
 * Specification: Signal, "The XEdDSA and VXEdDSA Signature Schemes", rev. 1 (2016), §2.3 and §3.
 *
 * Built on @noble/curves' Ed25519 point arithmetic. Both providers use this one implementation:
 * node:crypto has Ed25519 only for seeds it hashes itself, not for a raw scalar, so it cannot
 * produce or check these signatures.
 *
 * Compatibility with libsignal's verifier: the public key is a Montgomery u; its Edwards form is
 * y = (u - 1) / (u + 1) with the sign of x taken from the top bit of the signature's last byte
 * (libsignal's older curve25519 signatures put the signer's real sign bit there; XEdDSA signers
 * always have sign 0 and leave the bit clear). That bit is cleared before `s` is read. Signatures
 * from both libsignal generations verify here, and ours verify under both.
 *
 * Deliberately stricter than libsignal when verifying (it can only refuse forgeries, never an
 * honest signature): a non-canonical u (>= p, including any u with bit 255 set, which libsignal
 * masks), u = -1 (no Edwards point), a low-order key (any point of order <= 8: every message has
 * trivial forgeries under such a key), and s >= L (RFC 8032's malleability rule; the XEdDSA text
 * only requires s < 2^253).
 *
 * Verification is split in two so that the node provider can run the costly equation in OpenSSL's
 * Ed25519 (~15x faster) while refusing exactly the same inputs: `splitSignature` and
 * `edwardsPublicKey` hold every check of our own; what remains is plain RFC 8032 verification
 * of (A, R || s), cofactorless, as both OpenSSL and the code below perform it.
 */
import type { EdwardsPoint } from '@noble/curves/abstract/edwards.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { assertBytes } from './_assert';
import { clampPrivateKey, concatBytes, constantTimeEqual, copyBytes } from './_bytes';
import { randomBytes } from './random';

/** Bytes in a signature: R (32) || s (32). */
export const XEDDSA_SIGNATURE_LENGTH = 64;
/** Bytes of the random nonce input Z (XEdDSA §2.3: 64 bytes of fresh randomness per signature). */
export const XEDDSA_RANDOM_LENGTH = 64;

const Point = ed25519.Point;
const Fp = Point.Fp;
const Fn = Point.Fn;
const P = Fp.ORDER;
const L = Fn.ORDER;

/**
 * XEdDSA §2.5 hash_1: SHA-512 of the 32-byte little-endian encoding of 2^256 - 1 - 1 (0xFE then
 * 31 bytes of 0xFF) ahead of the input, so the nonce hash is domain-separated from the challenge.
 */
export const HASH1_PREFIX = /* @__PURE__ */ (() => {
  const prefix = new Uint8Array(32).fill(0xff);
  prefix[0] = 0xfe;
  return prefix;
})();

const scalarFromHash = (digest: Uint8Array): bigint => Fn.create(bytesToNumberLE(digest));

/**
 * The Ed25519 signing key of an X25519 private key (XEdDSA §2.3 calculate_key_pair): the clamped
 * scalar `a` and its public point A = aB, negated together when needed so that A's sign bit is 0.
 * The same for every message signed with the key, so providers cache it (one fixed-base scalar
 * multiplication saved per signature). Internal.
 */
export interface XeddsaSigningKey {
  readonly a: bigint;
  /** Ed25519 encoding of A (sign bit 0). */
  readonly publicKey: Uint8Array;
}

/** calculate_key_pair(k). */
export function xeddsaSigningKey(privateKey: Uint8Array): XeddsaSigningKey {
  assertBytes('privateKey', privateKey, 32);
  // A negative E = kB is replaced by -E and k by -k. (k mod L is never 0: k is a multiple of 8
  // below 2^255.)
  let a = Fn.create(bytesToNumberLE(clampPrivateKey(privateKey)));
  let A = Point.BASE.multiply(a);
  if (A.toBytes()[31]! & 0x80) {
    a = Fn.neg(a);
    A = A.negate();
  }
  return { a, publicKey: A.toBytes() };
}

/**
 * calculate_key_pair(k) when E = kB is already known (`edwardsPublic`, its Ed25519 encoding, from
 * something trusted to have computed it: OpenSSL deriving an Ed25519 public key, whose secret scalar
 * is the clamped `privateKey`). No scalar multiplication: the sign of E is read, not computed.
 */
export function xeddsaSigningKeyOf(privateKey: Uint8Array, edwardsPublic: Uint8Array): XeddsaSigningKey {
  assertBytes('privateKey', privateKey, 32);
  assertBytes('edwardsPublic', edwardsPublic, 32);
  const a = Fn.create(bytesToNumberLE(clampPrivateKey(privateKey)));
  const publicKey = copyBytes(edwardsPublic);
  if ((publicKey[31]! & 0x80) === 0) return { a, publicKey };
  publicKey[31]! &= 0x7f;
  return { a: Fn.neg(a), publicKey };
}

/** The X25519 public key (u) of an Ed25519 public key (y): u = (1 + y) / (1 - y), RFC 7748 §4.1. */
export function montgomeryOf(edwardsPublic: Uint8Array): Uint8Array {
  assertBytes('edwardsPublic', edwardsPublic, 32);
  // y is the encoding without its sign bit; one inversion, no square root (u does not need x).
  const y = Fp.create(bytesToNumberLE(edwardsPublic) & ((1n << 255n) - 1n));
  return numberToBytesLE(Fp.div(Fp.add(1n, y), Fp.sub(1n, y)), 32);
}

/** A signature nonce: the secret scalar r and the encoding of R = rB. */
export interface XeddsaNonce {
  readonly r: bigint;
  readonly R: Uint8Array;
}

/** XEdDSA §2.3's nonce: r = hash_1(a || M || Z) mod L, R = rB. */
export function xeddsaSpecNonce(key: XeddsaSigningKey, message: Uint8Array, z: Uint8Array): XeddsaNonce {
  const aBytes = numberToBytesLE(key.a, 32);
  const r = scalarFromHash(sha512(concatBytes(HASH1_PREFIX, aBytes, message, z)));
  aBytes.fill(0);
  // r = 0 has probability ~2^-252; multiply() refuses 0, so take the identity explicitly.
  return { r, R: (r === 0n ? Point.ZERO : Point.BASE.multiply(r)).toBytes() };
}

/**
 * The signature R || s with s = r + hash(R || A || M) a (mod L). `challenge` is that SHA-512
 * digest when the caller has a faster SHA-512 than the portable one (the node provider's).
 */
export function xeddsaSignWith(
  key: XeddsaSigningKey,
  message: Uint8Array,
  nonce: XeddsaNonce,
  challenge: Uint8Array = sha512(concatBytes(nonce.R, key.publicKey, message)),
): Uint8Array {
  const h = scalarFromHash(challenge);
  const s = Fn.add(Fn.create(nonce.r), Fn.mul(h, key.a));
  return concatBytes(nonce.R, numberToBytesLE(s, 32));
}

/**
 * Sign `message` with an X25519 private key (XEdDSA §2.3). Deterministic given `random`; without
 * it, 64 fresh random bytes are drawn. The key is clamped first, as X25519 would, so the signature
 * verifies under the X25519 public key of `privateKey` whether or not the caller stored it clamped.
 *
 * @param privateKey - 32-byte X25519 private key.
 * @param random - 64 bytes Z; pass it only to reproduce a signature (tests), never reuse it.
 * @param signingKey - the key's `xeddsaSigningKey`, when the caller has it cached.
 * @returns 64-byte signature R || s, with the top bit of the last byte clear.
 * @example
 * const signature = xeddsaSign(identity.privateKey, signedPreKeyPublic33);
 * xeddsaVerify(identity.publicKey, signedPreKeyPublic33, signature); // true
 */
export function xeddsaSign(
  privateKey: Uint8Array,
  message: Uint8Array,
  random?: Uint8Array,
  signingKey: XeddsaSigningKey = xeddsaSigningKey(privateKey),
): Uint8Array {
  assertBytes('message', message);
  const z =
    random === undefined
      ? randomBytes(XEDDSA_RANDOM_LENGTH)
      : assertBytes('random', random, XEDDSA_RANDOM_LENGTH);
  return xeddsaSignWith(signingKey, message, xeddsaSpecNonce(signingKey, message, z));
}

/**
 * The u coordinates of the Curve25519 points of order 1, 2, 4 and 8 that have an Edwards image
 * (u = 0 and 1 and the two order-8 points, the list libsodium and @noble refuse in X25519): under
 * such a key every message has trivial forgeries. u = p - 1 has no Edwards image and is refused
 * separately. test/xeddsa.test.ts checks this list against @noble's ED25519_TORSION_SUBGROUP.
 */
const LOW_ORDER_U: ReadonlySet<bigint> = /* @__PURE__ */ new Set([
  0n,
  1n,
  325606250916557431795983626356110631294008115727848805560023387167927233504n,
  39382357235489614581723060781553021112529911719440698176882885853963445705823n,
]);

/**
 * The Ed25519 encoding of the Edwards form of X25519 public key `u`, with sign bit `signBit`
 * (0 or 0x80): y = (u - 1) / (u + 1). Undefined for the keys every verifier here refuses:
 * u >= p (non-canonical, bit 255 included), u = p - 1 (no Edwards image), and low-order u.
 * Whether y decodes to a curve point is left to the verifier, which decodes it anyway.
 *
 * Internal: shared by the portable verifier below and the node provider's (which hands the
 * equation to OpenSSL's Ed25519), so both refuse exactly the same keys.
 */
export function edwardsPublicKey(u: Uint8Array, signBit: number): Uint8Array | undefined {
  const uValue = bytesToNumberLE(u);
  if (uValue >= P || uValue === P - 1n || LOW_ORDER_U.has(uValue)) return undefined;
  const bytes = numberToBytesLE(Fp.div(Fp.sub(uValue, 1n), Fp.add(uValue, 1n)), 32);
  bytes[31]! |= signBit;
  return bytes;
}

/**
 * An XEdDSA signature split into the sign bit of the signer's Edwards key (top bit of byte 63) and
 * the plain Ed25519 signature R || s that remains once it is cleared. Undefined when the length is
 * not 64 or s >= L. Internal, shared like {@link edwardsPublicKey}.
 */
export function splitSignature(signature: Uint8Array): { signBit: number; ed25519: Uint8Array } | undefined {
  if (signature.length !== XEDDSA_SIGNATURE_LENGTH) return undefined;
  const ed25519Signature = copyBytes(signature);
  const signBit = ed25519Signature[63]! & 0x80;
  ed25519Signature[63]! &= 0x7f;
  if (bytesToNumberLE(ed25519Signature.subarray(32)) >= L) return undefined;
  return { signBit, ed25519: ed25519Signature };
}

/**
 * True when `signature` is a valid XEdDSA (or libsignal curve25519) signature of `message` under
 * the X25519 `publicKey`. Never throws for a malformed signature (wrong length, bad encoding): the
 * answer is false.
 *
 * @param publicKey - 32-byte X25519 public key, without libsignal's 0x05 type prefix.
 * @throws RangeError when `publicKey` is not 32 bytes (33 usually means the prefix was left on).
 */
export function xeddsaVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  assertBytes('publicKey', publicKey, 32);
  assertBytes('message', message);
  assertBytes('signature', signature);
  const split = splitSignature(signature);
  if (split === undefined) return false;
  const aBytes = edwardsPublicKey(publicKey, split.signBit);
  if (aBytes === undefined) return false;
  let A: EdwardsPoint;
  try {
    // zip215 = false: strict RFC 8032 decoding. Fails when y has no x (u on the twist).
    A = Point.fromBytes(aBytes, false);
  } catch {
    return false;
  }
  const rBytes = split.ed25519.subarray(0, 32);
  const s = bytesToNumberLE(split.ed25519.subarray(32));
  const h = scalarFromHash(sha512(concatBytes(rBytes, aBytes, message)));
  // Cofactorless check sB - hA == R, compared as encodings like libsignal (ref10 and
  // curve25519-dalek both do) and OpenSSL's Ed25519: a non-canonical R can never match. Inputs
  // are public, so the variable-time multiplications are fine.
  const check = Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(h));
  return constantTimeEqual(check.toBytes(), rBytes);
}
