/**
 * The penalty score of a masked symbol, ISO/IEC 18004:2015 §7.8.3.1 (Table 11). The encoder
 * draws the symbol with each of the eight masks, format information included (the standard
 * evaluates the complete symbol), and keeps the mask with the lowest score.
 *
 * Two points of the table are read differently by different encoders; the choices here:
 *
 * - Rule 3 (a 1:1:3:1:1 dark:light:dark:light:dark pattern "preceded or followed by light area
 *   4 modules wide"; the table's NOTE 3 says "more than 4"): each 11-module window inside the
 *   symbol that reads 1011101 0000 or 0000 1011101 scores 40, so a pattern with light on both
 *   sides scores twice. The quiet zone is not counted as light: §6.3.8 puts it around the
 *   symbol, and the table evaluates the symbol. This is the `qrcode` npm package's reading;
 *   ZXing, libqrencode and Nayuki's generator count the area outside the symbol as light
 *   (fukuchi/libqrencode#220 lists the ambiguities). The standard does not settle it, every
 *   reading gives a valid symbol, and sharing `qrcode`'s lets the tests compare whole symbols.
 * - Rule 4 (proportion of dark modules): 10 points for every *whole* 5 % step that the proportion
 *   lies away from 50 %; NOTE 4 of the table gives 0 points for 45–55 % and 10 for 40–60 %.
 *   Here we differ from `qrcode` 1.5.4, which computes |⌈p / 5⌉ − 10|: one step too many for any
 *   proportion above 50 % (10 points at 52 %, none at 48 %), so it sometimes picks another mask
 *   (soldair/node-qrcode#412, open). ZXing and Nayuki's generator follow the standard here.
 */
import type { ModuleGrid } from './module-grid';

/** Table 11's weights. */
const N1 = 3;
const N2 = 3;
const N3 = 40;
const N4 = 10;

/** A finder-like pattern followed by four light modules, and the mirror image, as 11-bit words. */
const FINDER_THEN_LIGHT = 0b1011101_0000;
const LIGHT_THEN_FINDER = 0b0000_1011101;

/** The four rules' scores of one masked symbol. */
export interface PenaltyScores {
  /** Runs of five or more same-coloured modules in a row or column: 3 + (length − 5) each. */
  n1: number;
  /** 2 × 2 blocks of one colour, overlapping ones counted each: 3 each. */
  n2: number;
  /** Finder-like patterns with four light modules on one side: 40 each (see above). */
  n3: number;
  /** The dark proportion's distance from 50 %: 10 per whole 5 % step. */
  n4: number;
}

/** The penalty scores of `grid` as drawn. */
export function penaltyScores(grid: ModuleGrid): PenaltyScores {
  const { size, dark } = grid;
  let n1 = 0;
  let n3 = 0;
  // Rules 1 and 3 along every row (horizontal) and every column (vertical).
  for (const horizontal of [true, false]) {
    for (let line = 0; line < size; line++) {
      let run = 0;
      let previous = -1;
      let window = 0;
      for (let k = 0; k < size; k++) {
        const module = horizontal ? dark[line * size + k] : dark[k * size + line];
        if (module === previous) {
          run++;
        } else {
          if (run >= 5) n1 += N1 + run - 5;
          run = 1;
          previous = module;
        }
        window = ((window << 1) | module) & 0x7ff;
        if (k >= 10 && (window === FINDER_THEN_LIGHT || window === LIGHT_THEN_FINDER)) n3 += N3;
      }
      if (run >= 5) n1 += N1 + run - 5;
    }
  }

  let n2 = 0;
  let darkCount = 0;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const i = r * size + c;
      darkCount += dark[i];
      if (r + 1 < size && c + 1 < size) {
        const sum = dark[i] + dark[i + 1] + dark[i + size] + dark[i + size + 1];
        if (sum === 0 || sum === 4) n2 += N2;
      }
    }
  }

  // k = ⌊|p − 50| / 5⌋ with p = 100 · dark / total, kept in integers: ⌊|20 · dark − 10 · total| / total⌋.
  // The total is an odd square, so p is never exactly on a 5 % boundary.
  const total = size * size;
  const n4 = N4 * Math.floor(Math.abs(20 * darkCount - 10 * total) / total);
  return { n1, n2, n3, n4 };
}

/** The sum of the four scores: the mask with the lowest total wins. */
export function penaltyScore(grid: ModuleGrid): number {
  const { n1, n2, n3, n4 } = penaltyScores(grid);
  return n1 + n2 + n3 + n4;
}
