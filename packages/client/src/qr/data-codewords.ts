/**
 * The data codewords of a byte-mode segment: mode indicator, character count, the bytes, the
 * terminator and the pad codewords, ISO/IEC 18004:2015 §7.4.
 *
 * Only byte mode (§7.3.5): a WhatsApp pairing string mixes letters, digits, `+`, `/`, `=` and `,`,
 * which the numeric and alphanumeric modes cannot hold (alphanumeric has no lower case), so a
 * mode-switching optimiser would buy nothing for the text this package renders.
 */

/** Mode indicator of byte mode (§7.4.1). */
const BYTE_MODE = 0b0100;

/** Width of the byte-mode character count indicator: 8 bits up to version 9, 16 from 10 on (§7.4.1). */
export function byteCountBits(version: number): number {
  return version <= 9 ? 8 : 16;
}

/** How many bytes one byte-mode segment can carry in `dataCodewords` codewords of `version`. */
export function byteCapacity(version: number, dataCodewords: number): number {
  return Math.floor((dataCodewords * 8 - 4 - byteCountBits(version)) / 8);
}

/**
 * The `dataCodewords` data codewords holding `bytes` as one byte-mode segment. The caller has
 * checked that the bytes fit ({@link byteCapacity}).
 */
export function byteModeCodewords(bytes: Uint8Array, version: number, dataCodewords: number): Uint8Array {
  const out = new Uint8Array(dataCodewords);
  let bitLength = 0;
  const append = (value: number, bits: number) => {
    for (let i = bits - 1; i >= 0; i--) {
      if ((value >>> i) & 1) out[bitLength >>> 3] |= 0x80 >>> (bitLength & 7);
      bitLength++;
    }
  };
  append(BYTE_MODE, 4);
  append(bytes.length, byteCountBits(version));
  for (const byte of bytes) append(byte, 8);
  // §7.4.9: a terminator of up to four 0 bits, shortened when the capacity ends first; §7.4.10:
  // then 0 bits to the byte boundary. Both are already 0 in `out`, so only the length moves.
  bitLength = Math.min(bitLength + 4, dataCodewords * 8);
  let index = Math.ceil(bitLength / 8);
  // §7.4.10: fill the remaining codewords with 11101100 and 00010001 alternately.
  for (let pad = 0xec; index < dataCodewords; index++, pad ^= 0xec ^ 0x11) out[index] = pad;
  return out;
}
