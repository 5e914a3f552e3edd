/**
 * XEdDSA signing on node:crypto. The signing key (a, A) comes from the provider's cache; the one
 * fixed-base scalar multiplication left per signature, R = rB, is done by OpenSSL: the nonce is
 * made an Ed25519 seed, and the public key OpenSSL derives from a seed is exactly R for
 * r = the clamped first half of SHA-512(seed) (RFC 8032 §5.1.5). About twice as fast as the
 * portable path's bigint arithmetic on Node 20.
 *
 * The nonce stays hedged as in XEdDSA §2.3: the seed is the first 32 bytes of
 * hash_1(a || M || Z), so r depends on the key, the message and 64 random bytes, and a broken
 * random generator still never repeats r for different messages. It differs from the spec's
 * r = hash_1(...) mod L only in the extra SHA-512 and clamping; the verifier cannot tell, r stays
 * secret, and r mod L is uniform to within 2^-125 (clamping fixes 4 of 255 bits, and 8 is
 * invertible mod L), so no nonce bias is introduced. A caller-given `random` (tests) takes the
 * spec's own nonce instead, so both providers then give identical bytes.
 *
 * Not `generateKeyPairSync('ed25519')`: on Node 20 a garbage collection during a key export can
 * finalize an earlier keygen job that waits on a lock the export holds, and the process hangs
 * (seen here after a few thousand signatures). Importing a seed creates no such job.
 */
import { Buffer } from 'node:buffer';
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { HASH1_PREFIX, type XeddsaSigningKey, xeddsaSignWith } from '../xeddsa';

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

/**
 * JWK import is ~10x faster than PKCS#8 on Node 20, but relies on Node deriving the public key from
 * `d` alone; if a Node version ever checks `x` instead, fall back to DER rather than sign wrongly.
 */
let importSeed = (seed: Buffer): KeyObject => {
  let jwkWorks = false;
  try {
    jwkWorks = publicKeyOfSeed(RFC8032_SEED, importSeedJwk).toString('hex') === RFC8032_PUBLIC;
  } catch {
    jwkWorks = false;
  }
  importSeed = jwkWorks ? importSeedJwk : importSeedDer;
  return importSeed(seed);
};

/** 256-bit little-endian bytes with RFC 8032 clamping applied (bits 0-2 and 255 cleared, 254 set). */
function clampedScalar(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = 31; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return (value & ((1n << 255n) - 8n)) | (1n << 254n);
}

/** An XEdDSA signature of `message` by `key`, with `z` the 64 random bytes of the nonce. */
export function xeddsaSignNode(key: XeddsaSigningKey, message: Uint8Array, z: Uint8Array): Uint8Array {
  const aBytes = Buffer.alloc(32);
  let a = key.a;
  for (let i = 0; i < 32; i++, a >>= 8n) aBytes[i] = Number(a & 0xffn);
  const hash1 = createHash('sha512').update(HASH1_PREFIX).update(aBytes).update(message).update(z).digest();
  aBytes.fill(0);
  const seed = hash1.subarray(0, 32);
  const R = new Uint8Array(publicKeyOfSeed(seed, importSeed));
  const expanded = createHash('sha512').update(seed).digest();
  hash1.fill(0);
  const r = clampedScalar(expanded.subarray(0, 32));
  expanded.fill(0);
  return xeddsaSignWith(key, message, { r, R });
}
