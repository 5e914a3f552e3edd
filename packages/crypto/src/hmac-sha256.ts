/**
 * Synchronous HMAC-SHA256 (RFC 2104) on the package's own SHA-256, for hot paths that MAC small
 * inputs under already-derived keys: Signal's chain steps and message MACs.
 *
 * Why not a `CryptoProvider` method: the provider is asynchronous so that WebCrypto- or KMS-backed
 * engines fit it, and it is the right place for long-lived secrets (identity keys) and bulk
 * ciphers. These functions only ever see secrets that were derived in this process a moment
 * earlier, on inputs of one or two blocks, where a promise and a native call cost more than the
 * hash itself (node:crypto `createHmac` ~6–10 µs per call here, this ~2–3 µs for a one-block
 * message). So they are plain synchronous functions, identical on every platform.
 */
import { assertBytes } from './_assert';
import {
  beginMac,
  finishMac,
  type HmacMidstates,
  macUpdate,
  newMidstates,
  setKey,
  writeDigest,
} from './_sha256';

/** Bytes of an HMAC-SHA256 tag. */
const TAG_LENGTH = 32;

/** Midstates of the one-shot {@link hmacSha256}: reused, since a key used once needs no object. */
const oneShotKey = newMidstates();

/**
 * An HMAC-SHA256 key prepared once: the SHA-256 states after its ipad and opad blocks are computed
 * in the constructor, so each MAC under it costs two compressions fewer (half the work for a
 * one-block message). Holds only those states, not the key bytes, so changing the key array later
 * changes nothing here. The states are as secret as the key.
 *
 * @example
 * ```ts
 * const chain = new HmacSha256Key(chainKey);
 * const messageKeySeed = chain.mac(Uint8Array.of(1)); // 32 bytes
 * const nextChainKey = chain.mac(Uint8Array.of(2));
 * // A MAC over several pieces, without concatenating them first:
 * const tag = new HmacSha256Key(macKey).macParts([senderIdentity, receiverIdentity, body]).subarray(0, 8);
 * ```
 */
export class HmacSha256Key {
  private readonly midstates: HmacMidstates = newMidstates();

  /** @param key any length (RFC 2104: longer than 64 bytes is hashed first, shorter is zero-padded). */
  constructor(key: Uint8Array) {
    setKey(assertBytes('key', key), this.midstates);
  }

  /** HMAC-SHA256(key, data): the full 32-byte tag; a truncated MAC is its prefix (RFC 2104 §5). */
  mac(data: Uint8Array): Uint8Array {
    assertBytes('data', data);
    beginMac(this.midstates);
    macUpdate(data);
    return tag(this.midstates);
  }

  /** HMAC-SHA256 of the concatenation of `parts`, computed without building it. */
  macParts(parts: readonly Uint8Array[]): Uint8Array {
    for (const part of parts) assertBytes('part', part);
    beginMac(this.midstates);
    for (const part of parts) macUpdate(part);
    return tag(this.midstates);
  }
}

function tag(key: HmacMidstates): Uint8Array {
  const out = new Uint8Array(TAG_LENGTH);
  writeDigest(finishMac(key), out, 0, TAG_LENGTH);
  return out;
}

/**
 * HMAC-SHA256(key, data), synchronously: the full 32-byte tag. For several MACs under one key,
 * {@link HmacSha256Key} saves the key setup on each.
 *
 * @example
 * ```ts
 * const tag = hmacSha256(key, message).subarray(0, 10); // WhatsApp media MACs keep 10 bytes
 * ```
 */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  setKey(assertBytes('key', key), oneShotKey);
  assertBytes('data', data);
  beginMac(oneShotKey);
  macUpdate(data);
  return tag(oneShotKey);
}
