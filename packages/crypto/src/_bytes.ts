/** Byte helpers the providers and XEdDSA share. Internal: not exported from the package. */

/** The concatenation of `parts` in a new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** `bytes` after `reserve` zero bytes, in a new array (or `bytes` itself when reserve is 0). */
export function afterReserve(bytes: Uint8Array, reserve: number): Uint8Array {
  if (reserve === 0) return bytes;
  const out = new Uint8Array(reserve + bytes.length);
  out.set(bytes, reserve);
  return out;
}

/**
 * Equality that takes the same time wherever the arrays differ (for tags and signatures, where an
 * early exit would tell an attacker how many leading bytes were right). Lengths are public.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** True when every byte is zero; constant time in the contents. */
export function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < bytes.length; i++) acc |= bytes[i]!;
  return acc === 0;
}

/**
 * A clamped copy of a 32-byte X25519 private key (RFC 7748 §5 decodeScalar25519): clear the three
 * low bits (a multiple of the cofactor 8), clear bit 255, set bit 254. X25519 clamps on every use
 * anyway; we clamp at generation too because libsignal and WhatsApp store private keys clamped,
 * and XEdDSA (which does not go through X25519) must use the same scalar X25519 would.
 */
export function clampPrivateKey(privateKey: Uint8Array): Uint8Array {
  const k = copyBytes(privateKey);
  k[0]! &= 248;
  k[31]! &= 127;
  k[31]! |= 64;
  return k;
}

/**
 * `bytes` if it spans its whole ArrayBuffer, else a copy that does. Results of both providers have
 * this shape, so `.buffer` never reveals more than the result (noble decrypts into a view of a
 * larger buffer holding the ciphertext and tag).
 */
export function exactBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : copyBytes(bytes);
}

/**
 * A plain `Uint8Array` copy of `bytes`. Never `bytes.slice()` on an input: for a Node `Buffer`,
 * `slice` is a view, so the "copy" would alias (and any change to it would edit) the caller's bytes.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
