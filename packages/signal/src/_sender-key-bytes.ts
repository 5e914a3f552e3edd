/**
 * Byte helpers of the sender-key files. Internal.
 */

/**
 * A copy sharing no memory with `bytes`, as a plain Uint8Array. Not `bytes.slice()`: on a Node
 * `Buffer` (what Baileys and most stores hand over), `slice` returns a view, not a copy.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** True when `a` and `b` hold the same bytes; the time taken depends on the length only. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
