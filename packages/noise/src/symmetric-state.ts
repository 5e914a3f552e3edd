/**
 * The Noise `SymmetricState` (Noise §5.2) for SHA256 (Noise §12.5): a chaining key `ck`, a handshake
 * hash `h` and the handshake's `CipherState`.
 */
import { type CryptoProvider, nobleCrypto } from '@wakit/crypto';
import { assertBytes, concatBytes, EMPTY_BYTES } from './_bytes';
import { CIPHER_KEY_LENGTH, CipherState, type CipherStateOptions } from './cipher-state';

/** HASHLEN of SHA256 (Noise §12.5). */
export const HASH_LENGTH = 32;

/**
 * Chaining key, handshake hash and cipher of a handshake in progress (Noise §5.2).
 *
 * Create one with `SymmetricState.initialize` (hashing a long protocol name is asynchronous).
 *
 * @example
 * const ss = await SymmetricState.initialize('Noise_XX_25519_AESGCM_SHA256');
 * await ss.mixHash(prologue);
 */
export class SymmetricState {
  #ck: Uint8Array;
  #h: Uint8Array;
  #cipher: CipherState;
  readonly #crypto: CryptoProvider;

  private constructor(ck: Uint8Array, h: Uint8Array, cipher: CipherState, crypto: CryptoProvider) {
    this.#ck = ck;
    this.#h = h;
    this.#cipher = cipher;
    this.#crypto = crypto;
  }

  /**
   * Noise §5.2 `InitializeSymmetric(protocol_name)`: a name of at most HASHLEN (32) bytes is
   * zero-padded to 32 and used as `h` directly; a longer one (`Noise_XXfallback_25519_AESGCM_SHA256`
   * is 36) is hashed. `ck = h`; the cipher key is empty.
   *
   * @param protocolName ASCII protocol name (Noise §8), or its bytes.
   */
  static async initialize(
    protocolName: string | Uint8Array,
    crypto: CryptoProvider = nobleCrypto,
  ): Promise<SymmetricState> {
    const name = typeof protocolName === 'string' ? asciiBytes(protocolName) : protocolName;
    assertBytes('protocolName', name);
    let h: Uint8Array;
    if (name.length <= HASH_LENGTH) {
      h = new Uint8Array(HASH_LENGTH);
      h.set(name);
    } else {
      h = await crypto.sha256(name);
    }
    return new SymmetricState(h, h, new CipherState(undefined, { crypto }), crypto);
  }

  /** The handshake hash `h` (Noise §5.2 `GetHandshakeHash()`), a copy. */
  get handshakeHash(): Uint8Array {
    return this.#h.slice();
  }

  /** The chaining key `ck`, a copy. Secret: for known-answer tests of the key schedule only. */
  get chainingKey(): Uint8Array {
    return this.#ck.slice();
  }

  /** True once a `mixKey` has set a cipher key: from then on `s` and payloads are encrypted. */
  hasKey(): boolean {
    return this.#cipher.hasKey();
  }

  /**
   * Noise §5.2 `MixKey(input_key_material)`: `ck, temp_k = HKDF(ck, ikm, 2)`, then the cipher
   * starts over with key `temp_k` and nonce 0.
   */
  async mixKey(inputKeyMaterial: Uint8Array): Promise<void> {
    const [ck, key] = await this.#hkdf2(inputKeyMaterial);
    this.#ck = ck;
    this.#cipher = new CipherState(key, { crypto: this.#crypto });
  }

  /** Noise §5.2 `MixHash(data)`: `h = HASH(h || data)`. */
  async mixHash(data: Uint8Array): Promise<void> {
    this.#h = await this.#crypto.sha256(concatBytes(this.#h, data));
  }

  /**
   * Noise §5.2 `EncryptAndHash(plaintext)`: encrypts with `h` as associated data (or passes the
   * plaintext through while there is no key), then mixes the ciphertext into `h`.
   */
  async encryptAndHash(plaintext: Uint8Array): Promise<Uint8Array> {
    const ciphertext = await this.#cipher.encryptWithAd(this.#h, plaintext);
    await this.mixHash(ciphertext);
    return ciphertext;
  }

  /**
   * Noise §5.2 `DecryptAndHash(ciphertext)`: the inverse of `encryptAndHash`. `h` changes only when
   * the ciphertext authenticates.
   *
   * @throws NoiseDecryptError when it does not.
   */
  async decryptAndHash(ciphertext: Uint8Array): Promise<Uint8Array> {
    const plaintext = await this.#cipher.decryptWithAd(this.#h, ciphertext);
    await this.mixHash(ciphertext);
    return plaintext;
  }

  /**
   * Noise §5.2 `Split()`: `temp_k1, temp_k2 = HKDF(ck, zerolen, 2)` as two fresh CipherStates, the
   * first for initiator-to-responder messages. `options` apply to both (e.g. a nonce limit).
   */
  async split(options: Omit<CipherStateOptions, 'crypto'> = {}): Promise<[CipherState, CipherState]> {
    const [k1, k2] = await this.#hkdf2(EMPTY_BYTES);
    const cipherOptions = { ...options, crypto: this.#crypto };
    return [new CipherState(k1, cipherOptions), new CipherState(k2, cipherOptions)];
  }

  /** An independent copy, for trial processing of a message that may not authenticate. */
  clone(): SymmetricState {
    return new SymmetricState(this.#ck, this.#h, this.#cipher.clone(), this.#crypto);
  }

  /**
   * Noise §4.3 `HKDF(ck, ikm, 2)`. That function is RFC 5869 HKDF with salt `ck` and empty info
   * (Noise §4.3 says so): `temp_key = HMAC(ck, ikm)` is HKDF-Extract with salt `ck`, and
   * `output1 = HMAC(temp_key, 0x01)`, `output2 = HMAC(temp_key, output1 || 0x02)` are T(1), T(2) of
   * HKDF-Expand with empty info (RFC 5869 §2.3). So 64 bytes of `crypto.hkdf` are output1 || output2.
   * `ck` is always HASHLEN bytes here, never the provider's default salt. HASHLEN = 32 = key length,
   * so no truncation (Noise §5.2) is needed.
   */
  async #hkdf2(inputKeyMaterial: Uint8Array): Promise<[Uint8Array, Uint8Array]> {
    const okm = await this.#crypto.hkdf(inputKeyMaterial, 2 * HASH_LENGTH, { salt: this.#ck });
    return [okm.slice(0, HASH_LENGTH), okm.slice(HASH_LENGTH, HASH_LENGTH + CIPHER_KEY_LENGTH)];
  }
}

/** Noise §8: protocol names are ASCII. */
function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) throw new RangeError(`"protocolName" must be ASCII, got ${JSON.stringify(text)}`);
    out[i] = code;
  }
  return out;
}
