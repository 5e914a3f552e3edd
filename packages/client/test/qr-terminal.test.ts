import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeQr,
  QR_COMPACT_QUIET_ZONE_MODULES,
  QR_QUIET_ZONE_MODULES,
  type QrErrorCorrectionLevel,
  renderQr,
} from '../src/qr/index';
import { parseHalfBlocks, randomPairingString } from './qr-helpers';

/** The symbol encodeQr computes for `text`, as rows of booleans (true = dark). */
function expectedModules(text: string, level: QrErrorCorrectionLevel = 'L'): boolean[][] {
  const { size, modules } = encodeQr(text, { errorCorrectionLevel: level });
  return Array.from({ length: size }, (_, r) =>
    Array.from({ length: size }, (_, c) => modules[r * size + c] === 1),
  );
}

/**
 * Decodes a rendering back into dark modules and checks its frame: a square, a quiet zone of
 * `quietZone` light modules on every side and, for an odd row count, an undrawn overhang.
 * Returns the symbol inside the quiet zone.
 */
function decodeSymbol(text: string, quietZone: number, invert: boolean): boolean[][] {
  const width = [...text.split('\n')[0]!].length;
  const { ink, overhang } = parseHalfBlocks(text, width);
  for (const row of ink) expect(row).toHaveLength(width);
  if (width % 2 === 1) expect(overhang).toEqual(new Array(width).fill(false));
  const dark = ink.map((row) => row.map((cell) => cell !== invert));
  for (let r = 0; r < width; r++) {
    for (let c = 0; c < width; c++) {
      const inZone = r < quietZone || c < quietZone || r >= width - quietZone || c >= width - quietZone;
      if (inZone && dark[r]![c]) throw new Error(`quiet zone module (${r}, ${c}) is dark`);
    }
  }
  return dark.slice(quietZone, width - quietZone).map((row) => row.slice(quietZone, width - quietZone));
}

describe('renderQr', () => {
  const samples = [
    ['a one-character string', 'a'],
    ['a URL', 'https://wa.me/settings/linked_devices#2@abc,def,ghi,jkl,1'],
    ['non-ASCII text', 'wakit 😀 ünïcödé'],
    ['a random WhatsApp pairing string', randomPairingString()],
  ] as const;

  for (const [what, text] of samples) {
    it(`draws exactly the level L symbol of encodeQr for ${what}`, () => {
      expect(decodeSymbol(renderQr(text), QR_QUIET_ZONE_MODULES, false)).toEqual(expectedModules(text));
    });

    it(`draws the light modules instead in inverted mode for ${what}`, () => {
      const rendered = renderQr(text, { invert: true });
      expect(decodeSymbol(rendered, QR_QUIET_ZONE_MODULES, true)).toEqual(expectedModules(text));
    });
  }

  it('draws another level when asked', () => {
    const text = randomPairingString();
    const drawn = decodeSymbol(renderQr(text, { errorCorrectionLevel: 'H' }), QR_QUIET_ZONE_MODULES, false);
    expect(drawn).toEqual(expectedModules(text, 'H'));
    expect(drawn.length).toBeGreaterThan(expectedModules(text).length);
  });

  it('draws a four-module quiet zone by default and a two-module one when asked', () => {
    const text = randomPairingString();
    const size = expectedModules(text).length;
    const standard = renderQr(text);
    const compact = renderQr(text, { quietZone: QR_COMPACT_QUIET_ZONE_MODULES });
    expect([...standard.split('\n')[0]!]).toHaveLength(size + 8);
    expect([...compact.split('\n')[0]!]).toHaveLength(size + 4);
    expect(decodeSymbol(compact, 2, false)).toEqual(expectedModules(text));
    // The first line of a standard rendering is two rows of quiet zone: blank, or solid when inverted.
    expect(standard.split('\n')[0]).toBe(' '.repeat(size + 8));
    expect(renderQr(text, { invert: true }).split('\n')[0]).toBe('█'.repeat(size + 8));
  });

  it('draws the bare symbol when the quiet zone is zero', () => {
    const text = 'no margin';
    expect(decodeSymbol(renderQr(text, { quietZone: 0 }), 0, false)).toEqual(expectedModules(text));
  });

  it('leaves the half row below an odd-sized drawing blank for every quiet zone and mode', () => {
    const text = randomPairingString();
    for (const quietZone of [0, 1, 2, 3, 4, 5]) {
      for (const invert of [false, true]) {
        const rendered = renderQr(text, { quietZone, invert });
        expect(decodeSymbol(rendered, quietZone, invert)).toEqual(expectedModules(text));
      }
    }
  });

  it('draws symbols of many versions, whose sizes are all odd', () => {
    const sizes = new Set<number>();
    for (const length of [1, 20, 40, 80, 150, 300, 600, 1200]) {
      const text = 'x'.repeat(length);
      const expected = expectedModules(text);
      sizes.add(expected.length);
      expect(decodeSymbol(renderQr(text), 4, false)).toEqual(expected);
    }
    expect(sizes.size).toBe(8);
    for (const size of sizes) expect(size % 2).toBe(1);
  });

  it('emits only the four half-block characters and newlines, never an escape sequence', () => {
    expect(renderQr(randomPairingString(), { invert: true })).toMatch(/^[ ▀▄█\n]+$/u);
  });

  it('rejects a quiet zone that is negative or fractional', () => {
    expect(() => renderQr('x', { quietZone: -1 })).toThrow(RangeError);
    expect(() => renderQr('x', { quietZone: 1.5 })).toThrow(
      '"quietZone" expected a non-negative integer, got 1.5',
    );
  });

  it('rejects text too long for any QR code with the maximum in the message', () => {
    expect(() => renderQr('x'.repeat(3000))).toThrow(
      new RangeError(
        '"data" expected at most 2953 bytes for a QR code at error correction level L (version 40), got 3000 bytes',
      ),
    );
  });

  // Up to 300 UTF-16 units, so even four-byte characters stay far below level L's 2953 bytes.
  it('round-trips arbitrary text through the drawing', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 6 }),
        (text, invert, quietZone) => {
          expect(decodeSymbol(renderQr(text, { invert, quietZone }), quietZone, invert)).toEqual(
            expectedModules(text),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
