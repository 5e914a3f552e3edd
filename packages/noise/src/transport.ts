/**
 * The encrypted transport after a WhatsApp handshake (docs/protocol.md §2.2 step 4): AES-256-GCM, one key
 * and one counter per direction, empty associated data, IV = 8 zero bytes || 32-bit BE counter.
 * Every frame payload is one ciphertext (plaintext + 16-byte tag).
 *
 * Sans-IO: `encryptFrame` returns the bytes to write, `decrypt` takes the payload of a frame the
 * caller's `FrameDecoder` split out. The counters live in the two `CipherState`s of `split()`.
 *
 * Order: each call takes its counter when it is made, so frames must reach the wire in call order,
 * and received frames must be decrypted in arrival order (await each call, or queue them).
 *
 * Synchronous: when `supportsSync` is true (the provider prepares keys with synchronous AES-GCM, as
 * both of @wakit/crypto's do), `encryptFrameSync`/`encryptSync`/`decryptSync` return their result
 * directly, so an IO shell can write each frame as it is made and read each one as it arrives
 * without a promise per frame. They share the counters with the promise-returning methods.
 */
import type { SealOptions } from '@wakit/crypto';
import { EMPTY_BYTES } from './_bytes';
import type { CipherState } from './cipher-state';
import { checkFramePayloadLength, writeFrameLength } from './framing';
import { AEAD_TAG_SIZE, FRAME_LENGTH_SIZE } from './wa-constants';

/** `encryptFrame`'s seal options, one frozen object for every frame. */
const FRAME_SEAL: SealOptions = Object.freeze({ reserve: FRAME_LENGTH_SIZE });

/**
 * Both directions of an established session.
 *
 * @example
 * ```ts
 * const { transport } = client.result;
 * socket.write(await transport.encryptFrame(encodeNode(node)));
 * for (const frame of decoder.push(chunk)) handle(await transport.decrypt(frame));
 * // Or, when transport.supportsSync:
 * socket.write(transport.encryptFrameSync(encodeNode(node)));
 * for (const frame of decoder.push(chunk)) handle(transport.decryptSync(frame));
 * ```
 */
export class NoiseTransport {
  readonly #send: CipherState;
  readonly #receive: CipherState;

  /**
   * @param send the CipherState this side encrypts with (the client: the first of `split()`).
   * @param receive the CipherState this side decrypts with.
   */
  constructor(send: CipherState, receive: CipherState) {
    this.#send = send;
    this.#receive = receive;
  }

  /**
   * True when `encryptSync`, `encryptFrameSync` and `decryptSync` can run: both directions' keys
   * were prepared with synchronous AES-GCM. Fixed for the session's life.
   */
  get supportsSync(): boolean {
    return this.#send.supportsSync && this.#receive.supportsSync;
  }

  /** Messages encrypted so far: the counter the next `encrypt` uses. */
  get sendCounter(): number {
    return Number(this.#send.nonce);
  }

  /** Messages decrypted so far: the counter the next `decrypt` expects. */
  get receiveCounter(): number {
    return Number(this.#receive.nonce);
  }

  /**
   * The ciphertext of `plaintext` (16 bytes longer), unframed.
   *
   * @throws NonceExhaustedError after 2^32 messages: the session must be re-established.
   */
  encrypt(plaintext: Uint8Array): Promise<Uint8Array> {
    return this.#send.encryptWithAd(EMPTY_BYTES, plaintext);
  }

  /**
   * The ciphertext of `plaintext` as a frame (3-byte length, then the ciphertext), ready to write.
   *
   * @throws FrameTooLargeError when the ciphertext would not fit a frame (plaintext >= 2^24 - 16
   *   bytes); the counter is then not used.
   * @throws NonceExhaustedError after 2^32 messages.
   */
  async encryptFrame(plaintext: Uint8Array): Promise<Uint8Array> {
    if (this.#send.supportsSync) return this.encryptFrameSync(plaintext);
    checkFramePayloadLength(plaintext.length + AEAD_TAG_SIZE);
    // The provider leaves room for the length in front of the ciphertext, so the frame is built
    // without copying the message again (at 64 KiB that copy is a third of the encryption's cost).
    const frame = await this.#send.encryptWithAd(EMPTY_BYTES, plaintext, FRAME_SEAL);
    writeFrameLength(frame.length - FRAME_LENGTH_SIZE, frame);
    return frame;
  }

  /**
   * `encrypt`, returning the ciphertext directly.
   *
   * @throws NonceExhaustedError after 2^32 messages.
   * @throws SyncCipherUnavailableError unless `supportsSync`; the counter is then not used.
   */
  encryptSync(plaintext: Uint8Array): Uint8Array {
    return this.#send.encryptWithAdSync(EMPTY_BYTES, plaintext);
  }

  /**
   * `encryptFrame`, returning the frame directly.
   *
   * @throws FrameTooLargeError when the ciphertext would not fit a frame; the counter is then not used.
   * @throws NonceExhaustedError after 2^32 messages.
   * @throws SyncCipherUnavailableError unless `supportsSync`; the counter is then not used.
   */
  encryptFrameSync(plaintext: Uint8Array): Uint8Array {
    checkFramePayloadLength(plaintext.length + AEAD_TAG_SIZE);
    // As in encryptFrame: the length goes into the room the provider left in front.
    const frame = this.#send.encryptWithAdSync(EMPTY_BYTES, plaintext, FRAME_SEAL);
    writeFrameLength(frame.length - FRAME_LENGTH_SIZE, frame);
    return frame;
  }

  /**
   * The plaintext of one received frame payload.
   *
   * @throws NoiseDecryptError when it does not authenticate (tampered, reordered, wrong key); the
   *   receive counter is then unchanged.
   * @throws NonceExhaustedError after 2^32 messages.
   */
  decrypt(ciphertext: Uint8Array): Promise<Uint8Array> {
    return this.#receive.decryptWithAd(EMPTY_BYTES, ciphertext);
  }

  /**
   * `decrypt`, returning the plaintext directly.
   *
   * @throws NoiseDecryptError when it does not authenticate; the receive counter is then unchanged.
   * @throws NonceExhaustedError after 2^32 messages.
   * @throws SyncCipherUnavailableError unless `supportsSync`; the counter is then not used.
   */
  decryptSync(ciphertext: Uint8Array): Uint8Array {
    return this.#receive.decryptWithAdSync(EMPTY_BYTES, ciphertext);
  }
}
