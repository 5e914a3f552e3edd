/**
 * Byte helpers for the Noise core. Not exported from the package: callers see plain `Uint8Array`s.
 */

/** The zero-length byte sequence (`zerolen` in the Noise spec). Never written to. */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/**
 * A plain `Uint8Array` copy of `bytes`. Never `bytes.slice()` on a caller's array: for a Node
 * `Buffer` that is a view, so the "copy" would alias the caller's bytes (and change when they do).
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** A plain `Uint8Array` copy of `bytes[start, end)` (see copyBytes). */
export function copyRange(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.subarray(start, end));
}

/** The concatenation of `parts` in a new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
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
 * Throws a `TypeError` unless `value` is a `Uint8Array`, and a `RangeError` unless it holds exactly
 * `length` bytes. `name` is how the caller spelled the argument.
 */
export function assertBytes(name: string, value: unknown, length?: number): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`"${name}" expected Uint8Array, got ${value === null ? 'null' : typeof value}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`"${name}" expected Uint8Array of length ${length}, got length=${value.length}`);
  }
}

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
 * Plain equality, which stops at the first difference: for public values only (certificate keys,
 * the connection header). A secret, MAC or tag would need a constant-time comparison; nothing in
 * this package compares one (AES-GCM checks its own tag).
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
