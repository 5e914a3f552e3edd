/**
 * `nobleCrypto`: the portable CryptoProvider, pure JavaScript on @noble/hashes, @noble/ciphers and
 * @noble/curves. Runs anywhere with `crypto.getRandomValues`; it is also the reference the node
 * provider is tested against.
 */
import { cbc, ctr, gcm } from '@noble/ciphers/aes.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import {
  assertBytes,
  assertHashName,
  assertInteger,
  assertOptionalBytes,
  assertReserve,
  LIMITS,
} from './_assert';
import { afterReserve, clampPrivateKey, exactBytes, isAllZero } from './_bytes';
import { KeyCache } from './_key-cache';
import { MESSAGES } from './_messages';
import { DecryptError, InvalidKeyError } from './errors';
import type { AesGcmKey, CryptoProvider, HkdfOptions, KeyPair, SealOptions } from './provider';
import { randomBytes } from './random';
import { type XeddsaSigningKey, xeddsaSign, xeddsaSigningKey, xeddsaVerify } from './xeddsa';

/** Signing keys (a, A) of recent private keys: one scalar multiplication less per signature. */
const signingKeys = /* @__PURE__ */ new KeyCache<XeddsaSigningKey>(64);

const GCM_TAG_LENGTH = 16;
const AES_BLOCK = 16;

function checkKeyIv(key: Uint8Array, iv: Uint8Array, ivLength: number): void {
  assertBytes('key', key, 32);
  assertBytes('iv', iv, ivLength);
}

function checkCbcLength(ciphertext: Uint8Array): void {
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK !== 0) {
    throw new DecryptError(MESSAGES.cbcLength);
  }
}

/** AES-256-GCM sealing under a checked 32-byte key: every argument but the key checked here. */
function gcmSeal(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array | undefined,
  options: SealOptions | undefined,
): Uint8Array {
  assertBytes('iv', iv, 12);
  assertBytes('plaintext', plaintext);
  const additional = assertOptionalBytes('aad', aad);
  const reserve = assertReserve(options);
  // @noble's gcm has no output parameter, so a reserve costs this provider the copy it saves node.
  return afterReserve(gcm(key, iv, additional).encrypt(plaintext), reserve);
}

/** The inverse of {@link gcmSeal}; DecryptError when the tag does not verify. */
function gcmOpen(
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array | undefined,
): Uint8Array {
  assertBytes('iv', iv, 12);
  assertBytes('ciphertext', ciphertext);
  const additional = assertOptionalBytes('aad', aad);
  if (ciphertext.length < GCM_TAG_LENGTH) throw new DecryptError(MESSAGES.gcmShort);
  try {
    return exactBytes(gcm(key, iv, additional).decrypt(ciphertext));
  } catch (cause) {
    throw new DecryptError(MESSAGES.gcmTag, { cause });
  }
}

/** X25519 that reports an all-zero result as InvalidKeyError, whoever noticed it. */
function agree(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(privateKey, publicKey);
  } catch (cause) {
    // Lengths were checked above, so noble's only refusal left is its low-order check: a u in
    // its small-order list or a zero result. Both mean the result would be all zeros.
    throw new InvalidKeyError(MESSAGES.zeroShared, { cause });
  }
  if (isAllZero(shared)) throw new InvalidKeyError(MESSAGES.zeroShared);
  return shared;
}

/**
 * The portable provider. Every method completes synchronously inside its promise.
 *
 * @example
 * import { nobleCrypto as crypto } from '@wakit/crypto';
 * const { publicKey, privateKey } = await crypto.generateKeyPair();
 */
export const nobleCrypto: CryptoProvider = Object.freeze({
  name: 'noble',

  randomBytes,

  async sha256(data: Uint8Array) {
    return sha256(assertBytes('data', data));
  },

  async sha512(data: Uint8Array) {
    return sha512(assertBytes('data', data));
  },

  async hmac(hash, key, data) {
    const fn = assertHashName(hash) === 'sha256' ? sha256 : sha512;
    return hmac(fn, assertBytes('key', key), assertBytes('data', data));
  },

  async hkdf(ikm: Uint8Array, length: number, options: HkdfOptions = {}) {
    assertBytes('ikm', ikm);
    assertInteger('length', length, 0, LIMITS.HKDF_MAX_LENGTH);
    const salt = assertOptionalBytes('salt', options.salt);
    const info = assertOptionalBytes('info', options.info);
    return hkdf(sha256, ikm, salt, info, length);
  },

  async pbkdf2(password, salt, iterations, length) {
    assertBytes('password', password);
    assertBytes('salt', salt);
    assertInteger('iterations', iterations, 1, LIMITS.PBKDF2_MAX_ITERATIONS);
    assertInteger('length', length, 1, LIMITS.PBKDF2_MAX_LENGTH);
    return pbkdf2(sha256, password, salt, { c: iterations, dkLen: length });
  },

  async aesGcmEncrypt(key, iv, plaintext, aad, options) {
    assertBytes('key', key, 32);
    return gcmSeal(key, iv, plaintext, aad, options);
  },

  async aesGcmDecrypt(key, iv, ciphertext, aad) {
    assertBytes('key', key, 32);
    return gcmOpen(key, iv, ciphertext, aad);
  },

  aesGcmKey(key) {
    // A copy, so the caller's later changes to its array cannot reach the prepared key.
    const own = new Uint8Array(assertBytes('key', key, 32));
    return Object.freeze({
      // The promises wrap the synchronous calls: an async function turns their throws into rejections.
      encrypt: async (iv, plaintext, aad, options) => gcmSeal(own, iv, plaintext, aad, options),
      decrypt: async (iv, ciphertext, aad) => gcmOpen(own, iv, ciphertext, aad),
      encryptSync: (iv, plaintext, aad, options) => gcmSeal(own, iv, plaintext, aad, options),
      decryptSync: (iv, ciphertext, aad) => gcmOpen(own, iv, ciphertext, aad),
    } satisfies AesGcmKey);
  },

  async aesCbcEncrypt(key, iv, plaintext) {
    checkKeyIv(key, iv, 16);
    return cbc(key, iv).encrypt(assertBytes('plaintext', plaintext));
  },

  async aesCbcDecrypt(key, iv, ciphertext) {
    checkKeyIv(key, iv, 16);
    checkCbcLength(assertBytes('ciphertext', ciphertext));
    try {
      return exactBytes(cbc(key, iv).decrypt(ciphertext));
    } catch (cause) {
      throw new DecryptError(MESSAGES.cbcPadding, { cause });
    }
  },

  async aesCtr(key, iv, data) {
    checkKeyIv(key, iv, 16);
    return ctr(key, iv).encrypt(assertBytes('data', data));
  },

  async generateKeyPair(): Promise<KeyPair> {
    const privateKey = clampPrivateKey(randomBytes(32));
    return { publicKey: x25519.getPublicKey(privateKey), privateKey };
  },

  async publicKeyOf(privateKey) {
    return x25519.getPublicKey(assertBytes('privateKey', privateKey, 32));
  },

  async sharedKey(privateKey, publicKey) {
    assertBytes('privateKey', privateKey, 32);
    assertBytes('publicKey', publicKey, 32);
    return agree(privateKey, publicKey);
  },

  async sign(privateKey, message, random) {
    assertBytes('privateKey', privateKey, 32);
    return xeddsaSign(
      privateKey,
      message,
      random,
      signingKeys.get(privateKey, () => xeddsaSigningKey(privateKey)),
    );
  },

  async verify(publicKey, message, signature) {
    return xeddsaVerify(publicKey, message, signature);
  },
} satisfies CryptoProvider);
