/**
 * AES-256-GCM, -CBC and -CTR on node:crypto. Keys go in as raw bytes: on Node 20.20 a secret
 * `KeyObject` makes `createCipheriv` no faster (see provider.ts), so nothing is gained by building one.
 */
import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { MESSAGES } from '../_messages';
import { DecryptError } from '../index';
import { toUint8 } from './_buffers';

const GCM_TAG_LENGTH = 16;
const AES_BLOCK = 16;

/** `reserve` zero bytes, then ciphertext || tag, in one fresh array. */
export function gcmEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array | undefined,
  reserve: number,
): Uint8Array {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_LENGTH });
  // Empty associated data authenticates exactly like none; skipping the call saves a native hop.
  if (aad !== undefined && aad.length > 0) cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  cipher.final();
  // Unpooled and not zero-filled: every byte is written below, and a result never shares the
  // Buffer pool's ArrayBuffer. This is the message's one copy; raw node:crypto framing makes it too.
  const out = toUint8(Buffer.allocUnsafeSlow(reserve + body.length + GCM_TAG_LENGTH));
  out.fill(0, 0, reserve);
  out.set(body, reserve);
  out.set(cipher.getAuthTag(), reserve + body.length);
  return out;
}

/** The plaintext of ciphertext || tag, or DecryptError. */
export function gcmDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  sealed: Uint8Array,
  aad?: Uint8Array,
): Uint8Array {
  if (sealed.length < GCM_TAG_LENGTH) throw new DecryptError(MESSAGES.gcmShort);
  const split = sealed.length - GCM_TAG_LENGTH;
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_LENGTH });
  decipher.setAuthTag(sealed.subarray(split));
  // As in gcmEncrypt: empty associated data needs no call (the Noise transport's every frame).
  if (aad !== undefined && aad.length > 0) decipher.setAAD(aad);
  const body = decipher.update(sealed.subarray(0, split));
  try {
    decipher.final();
  } catch (cause) {
    // The plaintext was produced before the tag was checked: never let it out.
    body.fill(0);
    throw new DecryptError(MESSAGES.gcmTag, { cause });
  }
  return toUint8(body);
}

/** Plaintexts below this are padded in `padded`; longer ones (media) go through OpenSSL's padding. */
const PADDED_LIMIT = 4096;
/** Where short plaintexts are padded: wiped after each use, never handed out, never grown. */
const padded = new Uint8Array(PADDED_LIMIT);

/**
 * CBC with PKCS#7 padding. For a message-sized plaintext the padding is ours: padded here, one
 * `update` returns the whole ciphertext as a Buffer owning its memory, which becomes the result as
 * it is, where OpenSSL's padding needs `final` and a join of the two outputs (three arrays instead
 * of one, each off V8's heap above 64 bytes). A long plaintext is not copied into a scratch array.
 */
export function cbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  if (plaintext.length >= PADDED_LIMIT) {
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    return toUint8(Buffer.concat([cipher.update(plaintext), cipher.final()]));
  }
  const length = (Math.floor(plaintext.length / AES_BLOCK) + 1) * AES_BLOCK;
  padded.set(plaintext);
  padded.fill(length - plaintext.length, plaintext.length, length);
  const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const out = cipher.update(padded.subarray(0, length));
  padded.fill(0, 0, length);
  return toUint8(out);
}

/** Inverse of {@link cbcEncrypt}; DecryptError on bad length or padding. */
export function cbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK !== 0) {
    throw new DecryptError(MESSAGES.cbcLength);
  }
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  const body = decipher.update(ciphertext);
  let last: Uint8Array;
  try {
    last = decipher.final();
  } catch (cause) {
    body.fill(0);
    throw new DecryptError(MESSAGES.cbcPadding, { cause });
  }
  const out = new Uint8Array(body.length + last.length);
  out.set(body);
  out.set(last, body.length);
  return out;
}

/** CTR with a full 128-bit big-endian counter block (OpenSSL's, as NIST SP 800-38A). */
export function ctrXor(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  // A stream mode: update() returns every byte and final() nothing.
  return toUint8(createCipheriv('aes-256-ctr', key, iv).update(data));
}
