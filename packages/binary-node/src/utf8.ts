/**
 * UTF-8 helpers tuned for the strings nodes carry: short ASCII (ids, tags, attribute names) takes
 * a fast path that never touches TextEncoder/TextDecoder, whose per-call cost dominates for a few
 * bytes. Longer or non-ASCII text goes through the platform codecs.
 */

// Every runtime this package targets has TextEncoder/TextDecoder, but lib ES2022 without DOM does
// not declare them; these module-local declarations cover exactly what is used.
declare const TextEncoder: new () => {
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
};
declare const TextDecoder: new (
  label: string,
  options: { fatal: boolean; ignoreBOM: boolean },
) => { decode(input: Uint8Array): string };

const textEncoder = new TextEncoder();
// fatal: invalid UTF-8 is a protocol error, not something to paper over with U+FFFD.
// ignoreBOM: keep a leading U+FEFF; the default strips it and the string would not round-trip.
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Up to this many bytes, a hand loop beats TextDecoder for ASCII strings (measured on Node 20). */
const SHORT_STRING = 12;

/** Byte length of `s` in UTF-8. Throws TypeError on a lone surrogate (it has no UTF-8 form). */
export function utf8Length(s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) >= 0x80) return i + nonAsciiLength(s, i);
  }
  return n;
}

function nonAsciiLength(s: string, from: number): number {
  let bytes = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) throw loneSurrogate(i);
      bytes += 4;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) throw loneSurrogate(i);
    else bytes += 3;
  }
  return bytes;
}

function loneSurrogate(index: number): TypeError {
  // Encoding it would silently turn it into U+FFFD (what Baileys does); the caller's data would
  // not survive the round trip, so refuse instead.
  return new TypeError(`string has a lone surrogate at index ${index} and cannot be encoded as UTF-8`);
}

/**
 * Write `s` (whose UTF-8 length is `byteLength`, from utf8Length) into `out` at `offset`.
 * `out` must have room for `byteLength` bytes.
 */
export function writeUtf8(s: string, byteLength: number, out: Uint8Array, offset: number): void {
  if (byteLength === s.length) {
    for (let i = 0; i < byteLength; i++) out[offset + i] = s.charCodeAt(i);
  } else {
    textEncoder.encodeInto(s, out.subarray(offset, offset + byteLength));
  }
}

/** Decode `bytes[start, end)` as UTF-8. Returns undefined when the bytes are not valid UTF-8. */
export function readUtf8(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start <= SHORT_STRING) {
    let s = '';
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      if (b >= 0x80) return decodeWithPlatform(bytes, start, end);
      s += String.fromCharCode(b);
    }
    return s;
  }
  return decodeWithPlatform(bytes, start, end);
}

function decodeWithPlatform(bytes: Uint8Array, start: number, end: number): string | undefined {
  try {
    return textDecoder.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}
