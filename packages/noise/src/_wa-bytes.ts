/** Byte helpers the WhatsApp layer adds to the core's `_bytes.ts` (not exported from the package). */

/** Lowercase or uppercase hex to bytes; the input is ours (constants), so it is only length-checked. */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new RangeError(`hex string of odd length ${hex.length}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const byte = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    if (Number.isNaN(byte)) throw new RangeError(`invalid hex at offset ${2 * i}`);
    out[i] = byte;
  }
  return out;
}

/**
 * Constant-time comparison for keys: the running time depends on the lengths only, never on where
 * the first difference is.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
