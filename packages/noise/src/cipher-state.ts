/**
 * The Noise `CipherState` (Noise §5.1) for the AESGCM cipher functions (Noise §12.4): a key `k`
 * (possibly empty) and a 64-bit nonce `n`. During a handshake it lives inside the `SymmetricState`;
 * after `Split()` each side holds one per direction.
 */
import {
  type AesGcmKey,
  type CryptoProvider,
  isDecryptError,
  nobleCrypto,
  type SealOptions,
} from '@wakit/crypto';
import { assertBytes, copyBytes, EMPTY_BYTES } from './_bytes';
import {
  HandshakeStateError,
  NoiseDecryptError,
  NonceExhaustedError,
  SyncCipherUnavailableError,
} from './errors';

/** Noise §5.1: the nonce 2^64-1 is reserved (for `Rekey`); a CipherState may use 0 .. 2^64-2. */
export const NOISE_NONCE_LIMIT: bigint = 2n ** 64n - 1n;

/** Bytes of a cipher key (Noise §4.2). */
export const CIPHER_KEY_LENGTH = 32;

/** Bytes of the AES-GCM tag appended to every ciphertext (Noise §12.4). */
export const AEAD_TAG_LENGTH = 16;

const ZEROS_32 = new Uint8Array(32);

/** A prepared key that also works synchronously (`AesGcmKey.encryptSync`/`decryptSync`). */
type SyncAesGcmKey = AesGcmKey & Required<Pick<AesGcmKey, 'encryptSync' | 'decryptSync'>>;
// Noise §4.2: REKEY(k) encrypts with maxnonce = 2^64-1, laid out as an AESGCM nonce (§12.4).
const REKEY_IV = new Uint8Array([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

/** Options of a `CipherState`. */
export interface CipherStateOptions {
  /** Provider of AES-256-GCM. Defaults to `nobleCrypto`. */
  crypto?: CryptoProvider;
  /**
   * The first nonce this CipherState may not use: once `n` reaches it, encrypt and decrypt throw
   * `NonceExhaustedError`. Defaults to `NOISE_NONCE_LIMIT` (2^64-1, Noise §5.1). WhatsApp peers count
   * nonces in 32 bits, so its transport passes `2 ** 32`.
   */
  nonceLimit?: bigint | number;
}

/**
 * A cipher key and nonce counter (Noise §5.1). With no key, encrypt and decrypt return their input
 * unchanged, as the handshake's first messages require.
 *
 * Calls take their nonce when they are made, so overlapping calls get nonces in call order.
 *
 * When the provider prepares keys with synchronous methods (both of @wakit/crypto's do),
 * `encryptWithAdSync`/`decryptWithAdSync` do the same work without a promise (`supportsSync` says
 * whether they can); the promise-returning methods then run them too, and all of them share one
 * nonce, so the two kinds of call may be mixed.
 *
 * @example
 * const [send, receive] = await handshake.split();
 * const frame = await send.encryptWithAd(new Uint8Array(0), plaintext);
 */
export class CipherState {
  #key: Uint8Array | undefined;
  // The key prepared once (CryptoProvider.aesGcmKey), when the provider offers it: transport frames
  // then skip the provider's per-call key handling. Undefined without a key or on other providers.
  #gcm: AesGcmKey | undefined;
  // The same prepared key when it has synchronous methods, else undefined: the sync methods need it.
  #gcmSync: SyncAesGcmKey | undefined;
  // n = hi * 2^32 + lo, both uint32: exact over the whole 64-bit range without bigint arithmetic.
  #hi = 0;
  #lo = 0;
  readonly #limitHi: number;
  readonly #limitLo: number;
  readonly #crypto: CryptoProvider;
  // One IV buffer for every call while a prepared key is in use, else while no call is in flight
  // (see #nextIv).
  readonly #iv = new Uint8Array(12);
  readonly #ivView = new DataView(this.#iv.buffer);
  #inFlight = 0;

  /**
   * @param key a 32-byte key, or `undefined` for the empty key (`InitializeKey(empty)`).
   * @param options provider and nonce limit.
   */
  constructor(key?: Uint8Array, options: CipherStateOptions = {}) {
    if (key !== undefined) assertBytes('key', key, CIPHER_KEY_LENGTH);
    this.#crypto = options.crypto ?? nobleCrypto;
    if (key !== undefined) this.#setKey(copyBytes(key));
    const limit = toUint64('nonceLimit', options.nonceLimit ?? NOISE_NONCE_LIMIT);
    this.#limitHi = limit.hi;
    this.#limitLo = limit.lo;
  }

  /** Noise §5.1 `HasKey()`: true once a key is set. */
  hasKey(): boolean {
    return this.#key !== undefined;
  }

  /**
   * True when `encryptWithAdSync` and `decryptWithAdSync` can run: there is no key yet (they pass
   * their input through), or the provider prepared the key with synchronous methods.
   */
  get supportsSync(): boolean {
    return this.#key === undefined || this.#gcmSync !== undefined;
  }

  /** The nonce the next encrypt or decrypt will use. */
  get nonce(): bigint {
    return (BigInt(this.#hi) << 32n) | BigInt(this.#lo);
  }

  /** The first nonce this CipherState may not use (`nonceLimit`). */
  get nonceLimit(): bigint {
    return (BigInt(this.#limitHi) << 32n) | BigInt(this.#limitLo);
  }

  /** Noise §5.1 `SetNonce(nonce)`, for out-of-order transport messages (Noise §11.4). */
  setNonce(nonce: bigint | number): void {
    const n = toUint64('nonce', nonce);
    this.#hi = n.hi;
    this.#lo = n.lo;
  }

  /**
   * Noise §5.1 `EncryptWithAd(ad, plaintext)`: `ciphertext || tag` under the current nonce, which
   * then advances. Without a key, returns `plaintext` itself.
   *
   * `options.reserve` puts that many zero bytes in front of the result, for a header the caller
   * writes in place (see `SealOptions`); without a key the plaintext is then copied behind them.
   *
   * @throws NonceExhaustedError when the nonce reached `nonceLimit`.
   */
  async encryptWithAd(ad: Uint8Array, plaintext: Uint8Array, options?: SealOptions): Promise<Uint8Array> {
    const key = this.#key;
    if (key === undefined || this.#gcmSync !== undefined)
      return this.encryptWithAdSync(ad, plaintext, options);
    const iv = this.#nextIv();
    this.#advance();
    const gcm = this.#gcm;
    if (gcm !== undefined) return await gcm.encrypt(iv, plaintext, ad, options);
    this.#inFlight++;
    try {
      return await this.#crypto.aesGcmEncrypt(key, iv, plaintext, ad, options);
    } finally {
      this.#inFlight--;
    }
  }

  /**
   * `encryptWithAd` completed before it returns: the same result and the same nonce rules, and its
   * errors are thrown.
   *
   * @throws NonceExhaustedError when the nonce reached `nonceLimit`.
   * @throws SyncCipherUnavailableError when `supportsSync` is false (the provider has no synchronous
   *   AES-GCM); the nonce is then not used.
   */
  encryptWithAdSync(ad: Uint8Array, plaintext: Uint8Array, options?: SealOptions): Uint8Array {
    if (this.#key === undefined) {
      const reserve = options?.reserve ?? 0;
      if (reserve === 0) return plaintext;
      const out = new Uint8Array(reserve + plaintext.length);
      out.set(plaintext, reserve);
      return out;
    }
    const gcm = this.#gcmSync ?? unavailable(this.#crypto);
    const iv = this.#nextIv();
    this.#advance();
    return gcm.encryptSync(iv, plaintext, ad, options);
  }

  /**
   * Noise §5.1 `DecryptWithAd(ad, ciphertext)`: the plaintext, after which the nonce advances.
   * Without a key, returns `ciphertext` itself.
   *
   * @throws NoiseDecryptError when the ciphertext does not authenticate. The nonce is then not
   *   advanced (Noise §5.1), so the next message can still be read; with overlapping calls this holds
   *   only if no later call has taken a nonce meanwhile.
   * @throws NonceExhaustedError when the nonce reached `nonceLimit`.
   */
  async decryptWithAd(ad: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
    const key = this.#key;
    if (key === undefined || this.#gcmSync !== undefined) return this.decryptWithAdSync(ad, ciphertext);
    const iv = this.#nextIv();
    const hi = this.#hi;
    const lo = this.#lo;
    this.#advance();
    const advancedHi = this.#hi;
    const advancedLo = this.#lo;
    const gcm = this.#gcm;
    this.#inFlight++;
    try {
      return await (gcm === undefined
        ? this.#crypto.aesGcmDecrypt(key, iv, ciphertext, ad)
        : gcm.decrypt(iv, ciphertext, ad));
    } catch (cause) {
      if (this.#hi === advancedHi && this.#lo === advancedLo) {
        this.#hi = hi;
        this.#lo = lo;
      }
      throw decryptFailure(cause, ciphertext);
    } finally {
      this.#inFlight--;
    }
  }

  /**
   * `decryptWithAd` completed before it returns: the same result and the same nonce rules, and its
   * errors are thrown.
   *
   * @throws NoiseDecryptError when the ciphertext does not authenticate; the nonce is then not advanced.
   * @throws NonceExhaustedError when the nonce reached `nonceLimit`.
   * @throws SyncCipherUnavailableError when `supportsSync` is false; the nonce is then not used.
   */
  decryptWithAdSync(ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    if (this.#key === undefined) return ciphertext;
    const gcm = this.#gcmSync ?? unavailable(this.#crypto);
    const iv = this.#nextIv();
    let plaintext: Uint8Array;
    try {
      plaintext = gcm.decryptSync(iv, ciphertext, ad);
    } catch (cause) {
      throw decryptFailure(cause, ciphertext);
    }
    // Advanced only once the tag verified (Noise §5.1): nothing can take a nonce in between.
    this.#advance();
    return plaintext;
  }

  /**
   * Noise §5.1 `Rekey()`: `k = REKEY(k)`, the first 32 bytes of encrypting 32 zero bytes under the
   * reserved nonce 2^64-1 (Noise §4.2). The nonce is not reset (Noise §11.3).
   *
   * @throws HandshakeStateError when there is no key to replace.
   */
  async rekey(): Promise<void> {
    const key = this.#key;
    if (key === undefined)
      throw new HandshakeStateError('rekey() needs a key; this CipherState has none yet');
    const out = await this.#crypto.aesGcmEncrypt(key, REKEY_IV, ZEROS_32, EMPTY_BYTES);
    this.#setKey(out.slice(0, CIPHER_KEY_LENGTH));
  }

  /**
   * A copy with the same key, nonce, limit and provider. Encrypting with both copies would reuse
   * nonces: this exists for trial processing where one copy is thrown away (a `HandshakeState`
   * reads each message into copies and keeps them only if the whole message verifies).
   */
  clone(): CipherState {
    const copy = new CipherState(undefined, { crypto: this.#crypto, nonceLimit: this.nonceLimit });
    // Key and prepared key are never mutated, only replaced (rekey), so sharing them is safe.
    copy.#key = this.#key;
    copy.#gcm = this.#gcm;
    copy.#gcmSync = this.#gcmSync;
    copy.#hi = this.#hi;
    copy.#lo = this.#lo;
    return copy;
  }

  /** The 12-byte AESGCM nonce for the current `n`: 4 zero bytes || n as 8 bytes big-endian (Noise §12.4). */
  #nextIv(): Uint8Array {
    if (this.#hi > this.#limitHi || (this.#hi === this.#limitHi && this.#lo >= this.#limitLo)) {
      throw new NonceExhaustedError(`nonce ${this.nonce} reached the limit ${this.nonceLimit}`);
    }
    // A prepared key reads the IV before its call returns (AesGcmKey), so the shared buffer serves
    // every call. The provider's one-shot methods only read it before their promise settles: the
    // buffer is then safe to rewrite once no call is in flight, and an overlapping call gets its own.
    const iv = this.#gcm !== undefined || this.#inFlight === 0 ? this.#iv : new Uint8Array(12);
    const view = iv === this.#iv ? this.#ivView : new DataView(iv.buffer);
    view.setUint32(4, this.#hi);
    view.setUint32(8, this.#lo);
    return iv;
  }

  /** Takes `key` (owned, never mutated) as the key, prepared when the provider can prepare keys. */
  #setKey(key: Uint8Array): void {
    const gcm = this.#crypto.aesGcmKey?.(key);
    this.#key = key;
    this.#gcm = gcm;
    // The contract offers both synchronous methods or neither; a key with one only is used async.
    this.#gcmSync =
      gcm?.encryptSync !== undefined && gcm.decryptSync !== undefined ? (gcm as SyncAesGcmKey) : undefined;
  }

  #advance(): void {
    this.#lo = (this.#lo + 1) >>> 0;
    if (this.#lo === 0) this.#hi = (this.#hi + 1) >>> 0;
  }
}

/** What a failed decrypt throws: DecryptError (the tag did not verify) as NoiseDecryptError, anything else as it is. */
function decryptFailure(cause: unknown, ciphertext: Uint8Array): unknown {
  // The provider contract: DecryptError means the tag did not verify; anything else is not ours to relabel.
  if (!isDecryptError(cause)) return cause;
  return new NoiseDecryptError(`ciphertext of ${ciphertext.length} bytes does not authenticate`, { cause });
}

function unavailable(crypto: CryptoProvider): never {
  throw new SyncCipherUnavailableError(
    `the ${crypto.name} provider has no synchronous AES-GCM (AesGcmKey.encryptSync/decryptSync): use the async methods`,
  );
}

/** `value` as two uint32 halves; a RangeError unless it is an integer in [0, 2^64-1]. */
function toUint64(name: string, value: bigint | number): { hi: number; lo: number } {
  const big = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof big !== 'bigint' || big < 0n || big > NOISE_NONCE_LIMIT) {
    throw new RangeError(`"${name}" expected an integer in [0, 2^64-1], got ${String(value)}`);
  }
  return { hi: Number(big >> 32n), lo: Number(big & 0xffff_ffffn) };
}
