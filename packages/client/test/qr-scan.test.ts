import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeQr, QR_ERROR_CORRECTION_LEVELS, qrByteCapacity, renderQr } from '../src/qr/index';
import { parseHalfBlocks, randomPairingString, scan } from './qr-helpers';

const utf8 = (text: string) => new TextEncoder().encode(text);

// jsqr is an independent decoder (its own locator, sampler and Reed–Solomon decoder): what it
// reads back from our modules, painted as pixels, is what a phone camera would read.
describe('encodeQr output scanned by jsqr', () => {
  it('scans a pairing string at every level', () => {
    for (const level of QR_ERROR_CORRECTION_LEVELS) {
      const bytes = utf8(randomPairingString());
      const qr = encodeQr(bytes, { errorCorrectionLevel: level });
      expect(scan(qr.modules, qr.size), level).toEqual(bytes);
    }
  });

  it('scans symbols from version 1 to 40, with and without version information', () => {
    for (const [version, level] of [
      [1, 'H'],
      [2, 'L'],
      [6, 'Q'],
      [7, 'M'],
      [14, 'L'],
      [27, 'H'],
      [40, 'L'],
    ] as const) {
      const bytes = new Uint8Array(qrByteCapacity(level, version)).map((_, i) => (i * 31 + version) & 0xff);
      const qr = encodeQr(bytes, { errorCorrectionLevel: level });
      expect(qr.version).toBe(version);
      expect(scan(qr.modules, qr.size), `${version}-${level}`).toEqual(bytes);
    }
  });

  it('scans with every one of the eight masks', () => {
    const bytes = utf8(randomPairingString());
    for (const mask of [0, 1, 2, 3, 4, 5, 6, 7] as const) {
      const qr = encodeQr(bytes, { errorCorrectionLevel: 'M', mask });
      expect(scan(qr.modules, qr.size), `mask ${mask}`).toEqual(bytes);
    }
  });

  // Arbitrary bytes (not only text) up to 300, at any level: jsqr returns the raw bytes it read.
  it('scans arbitrary bytes at every level', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(...QR_ERROR_CORRECTION_LEVELS),
        (bytes, level) => {
          const qr = encodeQr(bytes, { errorCorrectionLevel: level });
          expect(scan(qr.modules, qr.size)).toEqual(bytes);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('fails to scan when the symbol is damaged beyond what level L corrects (the check can fail)', () => {
    const bytes = utf8(randomPairingString());
    const qr = encodeQr(bytes, { errorCorrectionLevel: 'L' });
    const damaged = qr.modules.slice();
    // Invert the right half of every row below the top finders: far more than 7 % of codewords.
    for (let r = 9; r < qr.size; r++)
      for (let c = qr.size >> 1; c < qr.size; c++) damaged[r * qr.size + c] ^= 1;
    expect(scan(damaged, qr.size)).toBeNull();
  });
});

describe('renderQr output scanned by jsqr', () => {
  it('scans the terminal drawing of a pairing string, read back from the characters', () => {
    const text = randomPairingString();
    for (const invert of [false, true]) {
      const drawing = renderQr(text, { invert, quietZone: 2 });
      const width = [...drawing.split('\n')[0]!].length;
      // The drawing's cells with ink; on a dark terminal (invert) the ink is the light modules.
      const { ink } = parseHalfBlocks(drawing, width);
      const dark = ink.flat().map((cell) => cell !== invert);
      // The drawing already holds its 2-module quiet zone; scan() adds 2 more to reach the standard 4.
      expect(scan(dark, width, 2), `invert ${invert}`).toEqual(utf8(text));
    }
  });
});
