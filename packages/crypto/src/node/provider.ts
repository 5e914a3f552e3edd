/**
 * `createNodeCrypto()`: the CryptoProvider on node:crypto (OpenSSL), for Node. Same results as
 * `nobleCrypto` for every input, including the same errors. XEdDSA signing is the shared portable
 * implementation (node:crypto cannot sign with a raw scalar); verification shares its checks and
 * leaves only the Ed25519 equation to OpenSSL (xeddsa-verify.ts).
 */
import type { Buffer } from 'node:buffer';
import * as nodeCryptoModule from 'node:crypto';
import { createHmac, hkdfSync, type KeyObject, pbkdf2Sync, randomFillSync } from 'node:crypto';
import {
  assertBytes,
  assertHashName,
  assertInteger,
  assertOptionalBytes,
  assertReserve,
  LIMITS,
} from '../_assert';
import { clampPrivateKey } from '../_bytes';
import { KeyCache } from '../_key-cache';
import { RandomPool } from '../_random-pool';
import {
  type AesGcmKey,
  type CryptoProvider,
  type HkdfOptions,
  type KeyPair,
  type SealOptions,
  xeddsaSign,
} from '../index';
import { type XeddsaSigningKey, xeddsaSigningKey } from '../xeddsa';
import { toUint8 } from './_buffers';
import { cbcDecrypt, cbcEncrypt, ctrXor, gcmDecrypt, gcmEncrypt } from './aes';
import { x25519Agree, x25519PublicKey } from './x25519';
import { generateSigningKeyNode, xeddsaSignNode } from './xeddsa-sign';
import { type Ed25519KeyCache, xeddsaVerifyNode } from './xeddsa-verify';

/** Options of {@link createNodeCrypto}. */
export interface NodeCryptoOptions {
  /**
   * Capacity of each key cache (X25519 private keys, X25519 public keys, Ed25519 forms of XEdDSA
   * public keys, XEdDSA signing keys), entries.
   * Default 64. 0 disables caching, at a cost of about 2x on X25519 agreement (see _key-cache.ts).
   */
  keyCacheSize?: number;
}

/** Node's `info` limit for hkdfSync; longer infos go through the HMAC construction below. */
const NODE_HKDF_MAX_INFO = 1024;
const EMPTY = new Uint8Array(0);

/** One-shot `crypto.hash` (Node >= 20.12) is ~1.6x faster than createHash for short inputs. */
const oneShotHash = (
  nodeCryptoModule as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer }
).hash;

function digest(algorithm: 'sha256' | 'sha512', data: Uint8Array): Uint8Array {
  if (oneShotHash !== undefined) return toUint8(oneShotHash(algorithm, data, 'buffer'));
  return toUint8(nodeCryptoModule.createHash(algorithm).update(data).digest());
}

/** RFC 5869 written out with HMAC, for the inputs hkdfSync refuses (info over 1024 bytes). */
function hkdfWithHmac(ikm: Uint8Array, length: number, salt: Uint8Array, info: Uint8Array): Uint8Array {
  const prk = createHmac('sha256', salt.length === 0 ? new Uint8Array(32) : salt)
    .update(ikm)
    .digest();
  const out = new Uint8Array(length);
  let previous: Uint8Array = EMPTY;
  for (let offset = 0, counter = 1; offset < length; offset += 32, counter++) {
    previous = createHmac('sha256', prk)
      .update(previous)
      .update(info)
      .update(new Uint8Array([counter]))
      .digest();
    out.set(previous.subarray(0, Math.min(32, length - offset)), offset);
  }
  return out;
}

/** AES-256-GCM sealing; the key and IV are checked by the caller, every other argument here. */
function gcmSeal(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array | undefined,
  options: SealOptions | undefined,
): Uint8Array {
  const data = assertBytes('plaintext', plaintext);
  return gcmEncrypt(key, iv, data, assertOptionalBytes('aad', aad), assertReserve(options));
}

/** The inverse of {@link gcmSeal}; DecryptError when the tag does not verify. */
function gcmOpen(
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array | undefined,
): Uint8Array {
  return gcmDecrypt(key, iv, assertBytes('ciphertext', ciphertext), assertOptionalBytes('aad', aad));
}

/**
 * A node:crypto provider with its own key caches.
 *
 * @example
 * import { createNodeCrypto } from '@wakit/crypto/node';
 * const crypto = createNodeCrypto({ keyCacheSize: 0 }); // no cached key material
 */
export function createNodeCrypto(options: NodeCryptoOptions = {}): CryptoProvider {
  const size = assertInteger('keyCacheSize', options.keyCacheSize ?? 64, 0, 1 << 16);
  const x25519Caches = {
    privateKeys: new KeyCache<KeyObject>(size),
    publicKeys: new KeyCache<KeyObject>(size),
  };
  const ed25519Keys: Ed25519KeyCache = new KeyCache(size);
  const signingKeys = new KeyCache<XeddsaSigningKey>(size);
  // AES keys go to OpenSSL as raw bytes, never through a cache: on Node 20.20 a secret KeyObject
  // makes createCipheriv no faster than the bytes do, so a lookup by content (a string of the key,
  // a map probe) was pure cost, 0.66x of raw node:crypto against 0.79-0.89x without it on 256-byte
  // GCM (bench/crypto.bench.ts). A key used for many messages is prepared once with aesGcmKey.
  const aesKey = (key: Uint8Array, iv: Uint8Array, ivLength: number): Uint8Array => {
    assertBytes('key', key, 32);
    assertBytes('iv', iv, ivLength);
    return key;
  };

  // Small draws (message ids, padding) from a pool: one randomFillSync per 4 KiB, not per call.
  const random = new RandomPool((into) => randomFillSync(into));
  const randomBytes = (length: number): Uint8Array =>
    random.take(assertInteger('length', length, 0, LIMITS.RANDOM_MAX_LENGTH));

  return Object.freeze({
    name: 'node',

    randomBytes,

    async sha256(data: Uint8Array) {
      return digest('sha256', assertBytes('data', data));
    },

    async sha512(data: Uint8Array) {
      return digest('sha512', assertBytes('data', data));
    },

    async hmac(hash, key, data) {
      const algorithm = assertHashName(hash);
      return toUint8(
        createHmac(algorithm, assertBytes('key', key)).update(assertBytes('data', data)).digest(),
      );
    },

    async hkdf(ikm: Uint8Array, length: number, options: HkdfOptions = {}) {
      assertBytes('ikm', ikm);
      assertInteger('length', length, 0, LIMITS.HKDF_MAX_LENGTH);
      // An empty salt is the RFC's default (HashLen zeros): HMAC pads keys with zeros.
      const salt = assertOptionalBytes('salt', options.salt) ?? EMPTY;
      const info = assertOptionalBytes('info', options.info) ?? EMPTY;
      if (info.length > NODE_HKDF_MAX_INFO) return hkdfWithHmac(ikm, length, salt, info);
      return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
    },

    async pbkdf2(password, salt, iterations, length) {
      assertBytes('password', password);
      assertBytes('salt', salt);
      assertInteger('iterations', iterations, 1, LIMITS.PBKDF2_MAX_ITERATIONS);
      assertInteger('length', length, 1, LIMITS.PBKDF2_MAX_LENGTH);
      return toUint8(pbkdf2Sync(password, salt, iterations, length, 'sha256'));
    },

    async aesGcmEncrypt(key, iv, plaintext, aad, options) {
      return gcmSeal(aesKey(key, iv, 12), iv, plaintext, aad, options);
    },

    async aesGcmDecrypt(key, iv, ciphertext, aad) {
      return gcmOpen(aesKey(key, iv, 12), iv, ciphertext, aad);
    },

    aesGcmKey(key) {
      // A private copy (the caller may reuse its array), handed to createCipheriv as bytes (see aesKey).
      const own = new Uint8Array(assertBytes('key', key, 32));
      const encryptSync = (iv: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array, options?: SealOptions) =>
        gcmSeal(own, assertBytes('iv', iv, 12), plaintext, aad, options);
      const decryptSync = (iv: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array) =>
        gcmOpen(own, assertBytes('iv', iv, 12), ciphertext, aad);
      return Object.freeze({
        // The promises wrap the very same calls: an async function turns their throws into rejections.
        encrypt: async (iv, plaintext, aad, options) => encryptSync(iv, plaintext, aad, options),
        decrypt: async (iv, ciphertext, aad) => decryptSync(iv, ciphertext, aad),
        encryptSync,
        decryptSync,
      } satisfies AesGcmKey);
    },

    async aesCbcEncrypt(key, iv, plaintext) {
      return cbcEncrypt(aesKey(key, iv, 16), iv, assertBytes('plaintext', plaintext));
    },

    async aesCbcDecrypt(key, iv, ciphertext) {
      return cbcDecrypt(aesKey(key, iv, 16), iv, assertBytes('ciphertext', ciphertext));
    },

    async aesCtr(key, iv, data) {
      return ctrXor(aesKey(key, iv, 16), iv, assertBytes('data', data));
    },

    async generateKeyPair(): Promise<KeyPair> {
      // Same construction as nobleCrypto (clamped random bytes), rather than OpenSSL's keygen,
      // whose private key would need a PKCS#8 export round trip to come out raw.
      const privateKey = clampPrivateKey(randomBytes(32));
      return { publicKey: x25519PublicKey(x25519Caches, privateKey), privateKey };
    },

    async generateSigningKeyPair(): Promise<KeyPair> {
      const { keyPair, signingKey } = generateSigningKeyNode();
      // Filed as `sign` would have derived it, so its first signature multiplies nothing.
      signingKeys.get(keyPair.privateKey, () => signingKey);
      return keyPair;
    },

    async publicKeyOf(privateKey) {
      return x25519PublicKey(x25519Caches, assertBytes('privateKey', privateKey, 32));
    },

    async sharedKey(privateKey, publicKey) {
      assertBytes('privateKey', privateKey, 32);
      assertBytes('publicKey', publicKey, 32);
      return x25519Agree(x25519Caches, privateKey, publicKey);
    },

    async sign(privateKey, message, random) {
      assertBytes('privateKey', privateKey, 32);
      assertBytes('message', message);
      const key = signingKeys.get(privateKey, () => xeddsaSigningKey(privateKey));
      // A given `random` asks for the spec's nonce: reproducible, and identical to nobleCrypto's.
      if (random !== undefined) return xeddsaSign(privateKey, message, random, key);
      return xeddsaSignNode(key, message, randomBytes(64));
    },

    async verify(publicKey, message, signature) {
      return xeddsaVerifyNode(ed25519Keys, publicKey, message, signature);
    },
  } satisfies CryptoProvider);
}
