/**
 * The one interface through which every wakit package does cryptography. Two implementations give
 * identical results for identical inputs: `nobleCrypto` (portable, @noble/*) and `nodeCrypto`
 * (node:crypto, from the `@wakit/crypto/node` entry). Tests run every vector suite against both.
 *
 * Methods return promises so that providers backed by asynchronous engines (WebCrypto, a KMS
 * holding identity keys) fit the same shape; the noble and node providers complete synchronously
 * inside. `randomBytes` alone is synchronous: every platform has a synchronous CSPRNG. A prepared
 * AES-GCM key (`aesGcmKey`) may also offer synchronous methods, for the one caller where a promise
 * per call shows: the Noise transport's frames.
 *
 * Keys and outputs are plain `Uint8Array`s. Curve25519 keys are the raw 32-byte forms (no 0x05
 * type prefix; that belongs to the Signal wire format, not to the curve).
 */

/** A Curve25519 key pair, raw 32-byte keys. */
export interface KeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** Hash functions a provider offers for HMAC. */
export type HashName = 'sha256' | 'sha512';

/** Optional HKDF inputs (RFC 5869 §2.2 and §2.3). */
export interface HkdfOptions {
  /** Defaults to HashLen zero bytes (RFC 5869 §2.2). */
  salt?: Uint8Array;
  /** Defaults to empty. */
  info?: Uint8Array;
}

/** Options of `aesGcmEncrypt`. */
export interface SealOptions {
  /**
   * Zero bytes to leave in front of ciphertext || tag in the returned array, for a header the
   * caller then writes in place (the Noise transport's 3-byte frame length). It saves copying the
   * whole message once more, which at 64 KiB costs about a third as much as the encryption itself.
   */
  reserve?: number;
}

/**
 * An AES-256-GCM key prepared once for many messages under it, from `CryptoProvider.aesGcmKey`:
 * the Noise transport seals every frame of a connection under one key per direction, and a
 * prepared key spares each frame the provider's per-call key handling.
 *
 * Same results and the same errors as the provider's `aesGcmEncrypt`/`aesGcmDecrypt` under that
 * key. Each call reads its arguments before it returns (not merely before its promise settles), so
 * a caller may rewrite an IV buffer for its next call at once: the Noise `CipherState` encodes every
 * nonce into one buffer. An engine that works asynchronously must copy what it reads later.
 *
 * `encryptSync`/`decryptSync` are optional, and offered together or not at all: the same
 * operations completed before they return, for an engine that computes synchronously anyway (both
 * providers of this package), so that a connection can encrypt and decrypt its frames without a
 * promise per frame. An engine that can only work asynchronously (WebCrypto's `subtle`) leaves
 * them out, and callers fall back to the promises.
 */
export interface AesGcmKey {
  /** As `aesGcmEncrypt(key, iv, plaintext, aad, options)`. */
  encrypt(
    iv: Uint8Array,
    plaintext: Uint8Array,
    aad?: Uint8Array,
    options?: SealOptions,
  ): Promise<Uint8Array>;
  /** As `aesGcmDecrypt(key, iv, ciphertext, aad)`: rejects with `DecryptError` when the tag does not verify. */
  decrypt(iv: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array): Promise<Uint8Array>;
  /**
   * Optional: `encrypt`, returning its result instead of a promise. What `encrypt` rejects with
   * (`TypeError`/`RangeError` for misuse) is thrown.
   */
  encryptSync?(iv: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array, options?: SealOptions): Uint8Array;
  /**
   * Optional: `decrypt`, returning its result instead of a promise; throws `DecryptError` when the
   * tag does not verify, and whatever else `decrypt` rejects with.
   */
  decryptSync?(iv: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array): Uint8Array;
}

/**
 * Every cryptographic operation the WhatsApp stack needs. Misuse (a key or IV of the wrong length,
 * a length out of range, a non-`Uint8Array` argument) rejects with `TypeError`/`RangeError`; bad
 * input from the peer rejects with the package's `DecryptError`/`InvalidKeyError`. Outputs are
 * always fresh arrays: no method returns or mutates one of its inputs.
 */
export interface CryptoProvider {
  /** Short name for logs and benchmark tables: `noble`, `node`. */
  readonly name: string;

  /** `length` cryptographically secure random bytes. */
  randomBytes(length: number): Uint8Array;

  /** SHA-256 digest (32 bytes). */
  sha256(data: Uint8Array): Promise<Uint8Array>;
  /** SHA-512 digest (64 bytes). */
  sha512(data: Uint8Array): Promise<Uint8Array>;
  /** The full HMAC (32 or 64 bytes); truncated MACs (WhatsApp uses 8 and 10 bytes) are its prefix. */
  hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  /** HKDF-SHA256 (RFC 5869): `length` bytes of output keying material, at most 255 * 32. */
  hkdf(ikm: Uint8Array, length: number, options?: HkdfOptions): Promise<Uint8Array>;
  /** PBKDF2-HMAC-SHA256. */
  pbkdf2(password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Promise<Uint8Array>;

  /**
   * AES-256-GCM with a 12-byte IV: returns ciphertext || 16-byte tag, after `options.reserve`
   * leading zero bytes when asked for them.
   */
  aesGcmEncrypt(
    key: Uint8Array,
    iv: Uint8Array,
    plaintext: Uint8Array,
    aad?: Uint8Array,
    options?: SealOptions,
  ): Promise<Uint8Array>;
  /** Inverse of aesGcmEncrypt; rejects with `DecryptError` when the tag does not verify. */
  aesGcmDecrypt(
    key: Uint8Array,
    iv: Uint8Array,
    ciphertext: Uint8Array,
    aad?: Uint8Array,
  ): Promise<Uint8Array>;
  /**
   * Optional: `key` (32 bytes) prepared for repeated AES-256-GCM (see `AesGcmKey`). The key is
   * copied, so later changes to the caller's array do not affect it. Synchronous, so a constructor
   * can prepare its key; a wrong length throws `RangeError` at once. Both providers of this package
   * implement it, with the synchronous methods; callers fall back to `aesGcmEncrypt`/`aesGcmDecrypt`
   * on a provider without it.
   */
  aesGcmKey?(key: Uint8Array): AesGcmKey;
  /** AES-256-CBC with PKCS#7 padding and a 16-byte IV. */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** Inverse of aesCbcEncrypt; rejects with `DecryptError` on bad length or padding. */
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array>;
  /** AES-256-CTR with a 16-byte initial counter block; encryption and decryption are the same. */
  aesCtr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array>;

  /** A new random X25519 key pair (the private key clamped, as libsignal and WhatsApp store it). */
  generateKeyPair(): Promise<KeyPair>;
  /**
   * A new X25519 key pair meant for XEdDSA signatures (a sender key's signing key), like
   * `generateKeyPair`'s in every way a caller can see, made so that signing with it first costs
   * less: the node provider draws it as an Ed25519 key, so OpenSSL computes the point a first
   * signature would otherwise multiply for. Optional: callers fall back to `generateKeyPair`.
   */
  generateSigningKeyPair?(): Promise<KeyPair>;
  /** The X25519 public key of a 32-byte private key. */
  publicKeyOf(privateKey: Uint8Array): Promise<Uint8Array>;
  /**
   * X25519(privateKey, publicKey) per RFC 7748. Rejects with `InvalidKeyError` when the result is
   * all zeros (a low-order public key), as node:crypto/OpenSSL does, so both providers agree.
   */
  sharedKey(privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array>;
  /**
   * XEdDSA signature (libsignal's curve25519 signatures) of `message` by an X25519 private key;
   * 64 bytes. `random` (64 bytes) is drawn from randomBytes unless given (tests pin it).
   */
  sign(privateKey: Uint8Array, message: Uint8Array, random?: Uint8Array): Promise<Uint8Array>;
  /** True when `signature` is a valid XEdDSA signature of `message` under the X25519 `publicKey`. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
}
