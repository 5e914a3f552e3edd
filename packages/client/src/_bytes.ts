/**
 * Byte helpers of the client. The names mean the same in every wakit package (a conformance test in
 * tools/arch-check checks each `_bytes.ts`): `equalBytes` is plain equality, `constantTimeEqual`
 * compares without an early exit, `concatBytes` is variadic, `copyBytes` returns a fresh copy.
 */

/** `value` as `width` big-endian bytes; throws RangeError when it does not fit. */
export function uintBE(value: number, width: 3 | 4): Uint8Array {
  const max = width === 3 ? 0xffffff : 0xffffffff;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`expected an integer in [0, ${max}] for ${width} bytes, got ${value}`);
  }
  const out = new Uint8Array(width);
  for (let i = width - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

/** The bytes of an ASCII string (pair codes, version strings); throws RangeError on anything else. */
export function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) throw new RangeError(`expected an ASCII string, got ${JSON.stringify(text)}`);
    out[i] = c;
  }
  return out;
}

/** The concatenation of `parts`, in a fresh array. */
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

/** A fresh plain `Uint8Array` with the contents of `bytes` (never a view of a Buffer's pool). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/**
 * Plain equality, which stops at the first difference: for public values (keys, signatures,
 * digests of public keys, references). MACs and secrets go through {@link constantTimeEqual}.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Equality in time independent of where the first difference is, for MACs: an early exit would let
 * whoever submits a forgery learn it byte by byte. Lengths are public.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
