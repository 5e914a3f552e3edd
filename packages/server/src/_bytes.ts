/** Byte helpers for the server's own code (`Buffer` stays at the socket boundary). */

/** The concatenation of `parts` in a fresh array. */
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

/**
 * Plain equality, which stops at the first difference: for public values (keys, signed details).
 * MACs and secrets go through {@link constantTimeEqual}.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Equality that takes the same time wherever the arrays differ, for MACs: an early exit would tell
 * whoever submits a forgery how many leading bytes were right. Lengths are public.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** `value` as `length` big-endian bytes (registration ids take 4, prekey ids 3). */
export function uintToBytes(value: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = rest & 0xff;
    rest = Math.floor(rest / 256);
  }
  return out;
}

/** The big-endian unsigned integer in `bytes` (at most 6 bytes, to stay exact). */
export function bytesToUint(bytes: Uint8Array): number {
  if (bytes.length > 6) throw new RangeError(`expected at most 6 bytes, got ${bytes.length}`);
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return value;
}

/** Standard base64 with padding, as QR strings carry keys. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Decodes standard base64; `undefined` when `text` is not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The UTF-8 text of `bytes`. */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
