/**
 * XEdDSA signing on node:crypto. The signing key (a, A) comes from the provider's cache; the one
 * fixed-base scalar multiplication left per signature, R = rB, is done by OpenSSL's Ed25519 sign
 * under a nonce key of this process's own. RFC 8032 §5.1.6 makes that signature's first half
 * R = rB for r = SHA-512(prefix || M') mod L, where prefix is the second half of SHA-512(seed):
 * with the seed ours, we know prefix, so we know r as well as R. One Ed25519 signature (~55 µs)
 * costs less than importing a fresh seed per signature, as this file did before (a JWK import with
 * its scalar multiplication, ~110 µs, then an export). With the two changes below, a signature of
 * a 200-byte message went from ~170-190 to ~125-140 µs (same-process A/B, 1.36-1.46x).
 *
 * The nonce stays hedged as in XEdDSA §2.3: M' is hash_1(a || M || Z), so r depends on the key,
 * the message and 64 random bytes, and a broken random generator still never repeats r for
 * different messages; r is also keyed by the nonce key's prefix (secret, drawn once per process).
 * It differs from the spec's r = hash_1(...) mod L only in that extra keyed SHA-512, a uniform
 * value mod L either way; the verifier cannot tell. A caller-given `random` (tests) takes the
 * spec's own nonce instead, so both providers then give identical bytes.
 *
 * Not `generateKeyPairSync('ed25519')`: on Node 20 a garbage collection during a key export can
 * finalize an earlier keygen job that waits on a lock the export holds, and the process hangs
 * (seen here after a few thousand signatures). Importing a seed creates no such job.
 */
import { Buffer } from 'node:buffer';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { clampPrivateKey } from '../_bytes';
import type { KeyPair } from '../provider';
import {
  HASH1_PREFIX,
  montgomeryOf,
  type XeddsaSigningKey,
  xeddsaSigningKeyOf,
  xeddsaSignWith,
} from '../xeddsa';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** Syntactically valid `x`; Node derives the public key from `d` (checked once, below). */
const PLACEHOLDER_X = Buffer.alloc(32).toString('base64url');
/** RFC 8032 §7.1 TEST 1: secret key (seed) and public key. */
const RFC8032_SEED = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

function importSeedJwk(seed: Buffer): KeyObject {
  const jwk = { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: PLACEHOLDER_X };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

function importSeedDer(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The Ed25519 public key of a seed, as raw bytes. */
function publicKeyOfSeed(seed: Buffer, importSeed: (seed: Buffer) => KeyObject): Buffer {
  return Buffer.from(createPublicKey(importSeed(seed)).export({ format: 'jwk' }).x!, 'base64url');
}

let seedImporter: ((seed: Buffer) => KeyObject) | undefined;

/**
 * JWK import is ~10x faster than PKCS#8 on Node 20, but relies on Node deriving the public key from
 * `d` alone; if a Node version ever checks `x` instead, fall back to DER rather than sign wrongly.
 * Decided once per process.
 */
function importSeed(seed: Buffer): KeyObject {
  if (seedImporter === undefined) {
    let jwkWorks = false;
    try {
      jwkWorks = publicKeyOfSeed(RFC8032_SEED, importSeedJwk).toString('hex') === RFC8032_PUBLIC;
    } catch {
      jwkWorks = false;
    }
    seedImporter = jwkWorks ? importSeedJwk : importSeedDer;
  }
  return seedImporter(seed);
}

/**
 * A new key pair for XEdDSA signatures whose signing key needs no scalar multiplication of ours.
 * The private key is the secret scalar of a random Ed25519 seed (RFC 8032 §5.1.5: the first half of
 * SHA-512(seed), clamped as X25519 clamps, so it is an ordinary X25519 private key drawn from the
 * same distribution as `generateKeyPair`'s); OpenSSL computes that scalar's Ed25519 public key
 * E = sB, from which the XEdDSA signing key (`xeddsaSigningKeyOf`) and the X25519 public key
 * (`montgomeryOf`) follow. About 185 µs for the pair (measured in a loop of 200), where a random
 * X25519 key pair (~50 µs) then has its signing key multiplied for on @noble/curves at its first
 * signature (~400 µs once compiled, ~1.5 ms before).
 */
export function generateSigningKeyNode(): { keyPair: KeyPair; signingKey: XeddsaSigningKey } {
  const seed = randomBytes(32);
  const edwardsPublic = new Uint8Array(publicKeyOfSeed(seed, importSeed));
  const hash = createHash('sha512').update(seed).digest();
  seed.fill(0);
  const privateKey = clampPrivateKey(new Uint8Array(hash.subarray(0, 32)));
  hash.fill(0);
  return {
    keyPair: { publicKey: montgomeryOf(edwardsPublic), privateKey },
    signingKey: xeddsaSigningKeyOf(privateKey, edwardsPublic),
  };
}

/** The process's nonce key: an Ed25519 key object and the RFC 8032 prefix of its seed. */
interface NonceKey {
  readonly key: KeyObject;
  readonly prefix: Buffer;
}

let nonceKey: NonceKey | undefined;

function getNonceKey(): NonceKey {
  if (nonceKey === undefined) {
    const seed = randomBytes(32);
    const prefix = createHash('sha512').update(seed).digest().subarray(32);
    nonceKey = { key: importSeed(seed), prefix };
    seed.fill(0);
  }
  return nonceKey;
}

/** A 64-byte little-endian number as a bigint (xeddsaSignWith reduces it mod L). */
function littleEndian(bytes: Buffer): bigint {
  return BigInt(`0x${Buffer.from(bytes).reverse().toString('hex')}`);
}

/**
 * The scalar a of each signing key as 32 little-endian bytes, kept as long as the key (which holds
 * a itself): converting it from the bigint took ~8 µs of every signature.
 */
const scalarBytes = new WeakMap<XeddsaSigningKey, Buffer>();

function scalarBytesOf(key: XeddsaSigningKey): Buffer {
  let bytes = scalarBytes.get(key);
  if (bytes === undefined) {
    bytes = Buffer.alloc(32);
    let a = key.a;
    for (let i = 0; i < 32; i++, a >>= 8n) bytes[i] = Number(a & 0xffn);
    scalarBytes.set(key, bytes);
  }
  return bytes;
}

/** An XEdDSA signature of `message` by `key`, with `z` the 64 random bytes of the nonce. */
export function xeddsaSignNode(key: XeddsaSigningKey, message: Uint8Array, z: Uint8Array): Uint8Array {
  const aBytes = scalarBytesOf(key);
  const hash1 = createHash('sha512').update(HASH1_PREFIX).update(aBytes).update(message).update(z).digest();
  const nonce = getNonceKey();
  // RFC 8032 §5.1.6 steps 2-3: r = SHA-512(prefix || M') mod L, and the signature starts with rB.
  const R = new Uint8Array(sign(null, hash1, nonce.key).subarray(0, 32));
  const rHash = createHash('sha512').update(nonce.prefix).update(hash1).digest();
  hash1.fill(0);
  const r = littleEndian(rHash);
  rHash.fill(0);
  // The challenge on OpenSSL's SHA-512 rather than the portable one: ~15 µs less per signature.
  const challenge = createHash('sha512').update(R).update(key.publicKey).update(message).digest();
  return xeddsaSignWith(key, message, { r, R }, challenge);
}
