import { describe, expect, it } from 'vitest';
import { formatInformationBits, versionInformationBits } from '../src/qr/bch';
import { byteModeCodewords } from '../src/qr/data-codewords';
import { blockLayout } from '../src/qr/ec-blocks';
import { functionPatternGrid } from '../src/qr/function-patterns';
import { gfExp, gfMultiply } from '../src/qr/gf256';
import { emptyGrid } from '../src/qr/module-grid';
import { penaltyScores } from '../src/qr/penalty';
import { reedSolomonRemainder } from '../src/qr/reed-solomon';
import { QR_MAX_VERSION, symbolSize, totalCodewords } from '../src/qr/versions';

describe('GF(256) and Reed–Solomon (ISO/IEC 18004:2015 §7.5.2)', () => {
  it('generates the field from x^8 + x^4 + x^3 + x^2 + 1', () => {
    expect([gfExp(0), gfExp(1), gfExp(7), gfExp(8), gfExp(9), gfExp(254)]).toEqual([1, 2, 128, 29, 58, 142]);
    // Every non-zero element has an inverse: α^i · α^(255 − i) = 1.
    for (let i = 1; i < 255; i++) expect(gfMultiply(gfExp(i), gfExp(255 - i))).toBe(1);
  });

  it('computes the codewords of the standard example: 01234567 as version 1-M', () => {
    // The standard's worked encoding example: the 16 data codewords of "01234567" in numeric mode
    // at 1-M, and the 10 error correction codewords it lists for them.
    const data = Uint8Array.from([
      0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11,
    ]);
    expect([...reedSolomonRemainder(data, 10)]).toEqual([
      0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55,
    ]);
  });

  it('gives a codeword whose remainder is zero: the code is systematic', () => {
    const data = Uint8Array.from({ length: 19 }, (_, i) => (i * 73) & 0xff);
    const ec = reedSolomonRemainder(data, 7);
    // Dividing data ‖ ec by the generator leaves nothing: every root α^0..α^6 is a zero of it.
    const word = [...data, ...ec];
    for (let i = 0; i < 7; i++) {
      let value = 0;
      for (const c of word) value = gfMultiply(value, gfExp(i)) ^ c;
      expect(value, `root α^${i}`).toBe(0);
    }
  });
});

describe('format and version information (§7.9.1, §7.10)', () => {
  it('encodes level M with mask 101 as 100000011001110 (Annex C example)', () => {
    expect(formatInformationBits(0b00, 0b101).toString(2).padStart(15, '0')).toBe('100000011001110');
  });

  it('encodes version 7 as 000111110010010100 (Annex D example)', () => {
    expect(versionInformationBits(7).toString(2).padStart(18, '0')).toBe('000111110010010100');
  });

  it('never draws an all-light format area', () => {
    for (let level = 0; level < 4; level++) {
      for (let mask = 0; mask < 8; mask++) expect(formatInformationBits(level, mask)).not.toBe(0);
    }
  });
});

describe('symbol layout', () => {
  it('leaves exactly the codeword modules of totalCodewords unreserved, in every version', () => {
    for (let version = 1; version <= QR_MAX_VERSION; version++) {
      const grid = functionPatternGrid(version);
      expect(grid.size).toBe(symbolSize(version));
      const free = grid.reserved.reduce((n, r) => n + (r ? 0 : 1), 0);
      expect(Math.floor(free / 8), `version ${version}`).toBe(totalCodewords(version));
      // §7.7.3: the leftover remainder bits number 0, 3, 4 or 7.
      expect([0, 3, 4, 7]).toContain(free % 8);
    }
  });

  it('holds the codeword counts the standard lists for sample versions', () => {
    expect([1, 2, 7, 10, 40].map(totalCodewords)).toEqual([26, 44, 196, 346, 3706]);
    expect(blockLayout(5, 'Q')).toEqual({ ecPerBlock: 18, blocks: 4, dataCodewords: 62, shortBlockData: 15 });
  });
});

describe('byte-mode data codewords (§7.4)', () => {
  it('writes mode, count, bytes, a terminator and alternating pad codewords', () => {
    // 1-H holds 9 data codewords: 0100 00000010 'h' 'i' 0000, then 11101100 00010001 … to fill.
    expect([...byteModeCodewords(Uint8Array.from([0x68, 0x69]), 1, 9)]).toEqual([
      0x40, 0x26, 0x86, 0x90, 0xec, 0x11, 0xec, 0x11, 0xec,
    ]);
  });

  it('uses a 16-bit count from version 10 on and shortens the terminator at the capacity', () => {
    // 4 + 16 + 8 · 2 = 36 bits in 5 codewords: 4 bits left, all of them terminator.
    expect([...byteModeCodewords(Uint8Array.from([0xff, 0xff]), 10, 5)]).toEqual([
      0x40, 0x00, 0x2f, 0xff, 0xf0,
    ]);
  });
});

/** A grid from rows of '#' (dark) and '.' (light). */
function gridOf(rows: string[]) {
  const grid = emptyGrid(rows.length);
  rows.forEach((row, r) => {
    for (let c = 0; c < row.length; c++) grid.dark[r * rows.length + c] = row[c] === '#' ? 1 : 0;
  });
  return grid;
}

describe('penalty rules (§7.8.3.1, Table 11)', () => {
  it('scores a run of five as 3 and one point per further module (rule 1)', () => {
    // An 11 × 11 checkerboard has no runs and no blocks; row 0 gets a run of 7 dark modules.
    const rows = Array.from({ length: 11 }, (_, r) =>
      Array.from({ length: 11 }, (_, c) => ((r + c) % 2 ? '.' : '#')).join(''),
    );
    expect(penaltyScores(gridOf(rows)).n1).toBe(0);
    rows[0] = '#######.#.#';
    expect(penaltyScores(gridOf(rows)).n1).toBe(3 + 2);
  });

  it('scores every 2 × 2 block of one colour, overlapping ones each (rule 2)', () => {
    const rows = Array.from({ length: 11 }, (_, r) =>
      Array.from({ length: 11 }, (_, c) => ((r + c) % 2 ? '.' : '#')).join(''),
    );
    rows[0] = '###.#.#.#.#';
    rows[1] = '###.#.#.#.#';
    // A 2 × 3 dark area holds two 2 × 2 blocks.
    expect(penaltyScores(gridOf(rows)).n2).toBe(2 * 3);
  });

  it('scores a finder-like pattern once per side with four light modules inside the symbol (rule 3)', () => {
    const rows = Array.from({ length: 15 }, (_, r) =>
      Array.from({ length: 15 }, (_, c) => ((r + c) % 2 ? '.' : '#')).join(''),
    );
    rows[0] = '#.###.#....#.#.'; // 1011101 then 0000: once
    expect(penaltyScores(gridOf(rows)).n3).toBe(40);
    rows[0] = '....#.###.#....'; // light on both sides: twice
    expect(penaltyScores(gridOf(rows)).n3).toBe(80);
    rows[0] = '#.###.#...#.#.#'; // only three light modules after it, and the symbol edge before it
    expect(penaltyScores(gridOf(rows)).n3).toBe(0);
  });

  it('scores the dark proportion by whole 5 % steps away from 50 %, the same on both sides (rule 4)', () => {
    const withDark = (count: number) => {
      const grid = emptyGrid(21);
      grid.dark.fill(1, 0, count);
      return penaltyScores(grid).n4;
    };
    const total = 21 * 21;
    const at = (percent: number) => withDark(Math.round((total * percent) / 100));
    expect([at(48), at(52), at(44), at(56), at(41), at(59), at(39), at(61)]).toEqual([
      0, 0, 10, 10, 10, 10, 20, 20,
    ]);
    expect([withDark(0), withDark(total)]).toEqual([100, 100]);
  });
});
