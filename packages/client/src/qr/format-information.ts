/**
 * The format information, ISO/IEC 18004:2015 §7.9.1: the error correction level and the mask
 * pattern, BCH-protected, drawn twice around the finder patterns.
 */
import { formatInformationBits } from './bch';
import type { QrErrorCorrectionLevel } from './ec-blocks';
import type { ModuleGrid } from './module-grid';

/** §7.9.1: the level indicators; M is 00, so that L (01) is not the all-zero one. */
const LEVEL_INDICATOR: Record<QrErrorCorrectionLevel, number> = { L: 0b01, M: 0b00, Q: 0b11, H: 0b10 };

/**
 * Draws the format information for `level` and `mask` into the area the function patterns
 * reserved. Bit 14 is the most significant.
 */
export function drawFormatInformation(grid: ModuleGrid, level: QrErrorCorrectionLevel, mask: number): void {
  const bits = formatInformationBits(LEVEL_INDICATOR[level], mask);
  const { size, dark } = grid;
  const set = (row: number, col: number, i: number) => {
    dark[row * size + col] = (bits >>> i) & 1;
  };
  for (let i = 0; i < 15; i++) {
    // First copy, around the top-left finder: bits 0–5 down column 8 from row 0, bits 6–8 turn the
    // corner at (7, 8), (8, 8), (8, 7) stepping over the timing pattern, bits 9–14 leftwards along
    // row 8 to column 0.
    if (i < 6) set(i, 8, i);
    else if (i < 8) set(i + 1, 8, i);
    else if (i === 8) set(8, 7, i);
    else set(8, 14 - i, i);
    // Second copy: bits 0–7 leftwards along row 8 from the right edge (below the top-right
    // finder), bits 8–14 down column 8 to the bottom edge (right of the bottom-left finder).
    if (i < 8) set(8, size - 1 - i, i);
    else set(size - 15 + i, 8, i);
  }
}
