/**
 * Codeword placement, ISO/IEC 18004:2015 §7.7.3: the bits go into the modules not reserved for
 * function patterns, in two-module-wide columns that snake upwards and downwards from the
 * bottom-right corner, right module before left, skipping the vertical timing pattern.
 */
import type { ModuleGrid } from './module-grid';

/**
 * Writes `codewords` (most significant bit first) into the free modules of `grid`. Modules left
 * over once the codewords run out are the remainder bits and stay light (0).
 */
export function placeCodewords(grid: ModuleGrid, codewords: Uint8Array): void {
  const { size, dark, reserved } = grid;
  const totalBits = codewords.length * 8;
  let bit = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    // Column 6 is the vertical timing pattern: the column pair left of it starts at column 5.
    if (right === 6) right = 5;
    // Pairs alternate direction, starting upwards at the right edge. Counted from the right
    // edge, pairs 0, 2, 4, … go up; the shift after column 6 keeps that parity.
    const upwards = ((right + 1) & 2) === 0;
    for (let step = 0; step < size; step++) {
      const row = upwards ? size - 1 - step : step;
      for (let col = right; col >= right - 1; col--) {
        const i = row * size + col;
        if (reserved[i]) continue;
        if (bit < totalBits) dark[i] = (codewords[bit >>> 3] >>> (7 - (bit & 7))) & 1;
        bit++;
      }
    }
  }
}
