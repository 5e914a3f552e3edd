/**
 * Nibble and hex packing (docs/protocol.md §3.5): two characters per byte, high nibble first; an odd
 * length sets bit 7 of the length byte and pads the last low nibble with 15.
 * Nibble digits: '0'-'9' = 0-9, '-' = 10, '.' = 11. Hex digits: '0'-'9', 'A'-'F' (upper case only:
 * all three references pick hex only for upper case, so lower case stays a raw string).
 */
import type { ByteWriter } from './byte-writer';
import { type NIBBLE_8, PACKED_MAX } from './tags';

/** 0: not packable; 1: nibble; 2: hex. Nibble wins when both apply (digits only), as in every reference. */
export function packedKind(s: string): 0 | 1 | 2 {
  const n = s.length;
  if (n > PACKED_MAX) return 0;
  let nibble = true;
  let hex = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    if (c === 0x2d || c === 0x2e) {
      if (!nibble) return 0;
      hex = false;
    } else if (c >= 0x41 && c <= 0x46) {
      if (!hex) return 0;
      nibble = false;
    } else {
      return 0;
    }
  }
  return nibble ? 1 : hex ? 2 : 0;
}

/** Value of one character; the caller has checked it with packedKind. */
function digit(c: number): number {
  if (c <= 0x39 && c >= 0x30) return c - 0x30;
  if (c === 0x2d) return 10;
  if (c === 0x2e) return 11;
  return c - 0x41 + 10;
}

export const PACK_PAD = 15;

/** Write the tag, the length byte and the packed digits of `s` (already checked by packedKind). */
export function writePacked(writer: ByteWriter, s: string, tag: typeof NIBBLE_8 | number): void {
  const n = s.length;
  const pairs = n >>> 1;
  writer.u8x2(tag, ((n + 1) >>> 1) | (n & 1 ? 0x80 : 0));
  for (let i = 0; i < pairs; i++) {
    writer.u8((digit(s.charCodeAt(2 * i)) << 4) | digit(s.charCodeAt(2 * i + 1)));
  }
  if (n & 1) writer.u8((digit(s.charCodeAt(n - 1)) << 4) | PACK_PAD);
}
