/** Byte helpers shared by the session and sender-key code. Internal: not exported from the package. */

/**
 * A copy sharing no memory with `bytes`, as a plain Uint8Array. Never `bytes.slice()` on a caller's
 * array: on a Node `Buffer` (what Baileys and most stores hand over) `slice` is a view, not a copy.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

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

/**
 * Plain equality, which stops at the first difference: for public values (keys used as
 * identifiers). MACs and secrets go through {@link constantTimeEqual}.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Equality that takes the same time wherever the arrays differ, for MACs: an early exit would tell
 * an attacker how many leading bytes were right. Lengths are public.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** UTF-8 bytes of an ASCII label (KDF info strings). */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
