/**
 * The modules every symbol of a version shares, ISO/IEC 18004:2015 §6.3: finder patterns with
 * their separators, timing patterns, alignment patterns, the dark module, the version information
 * (§7.10), and the reserved but still empty format information area (§7.9.1, drawn per mask).
 */
import { versionInformationBits } from './bch';
import { emptyGrid, type ModuleGrid, setFunctionModule } from './module-grid';
import { alignmentPatternCentres, symbolSize } from './versions';

const templates = new Map<number, ModuleGrid>();

/**
 * The function patterns of `version`, cached: callers must copy the grid before changing it
 * ({@link copyGrid}).
 */
export function functionPatternGrid(version: number): ModuleGrid {
  let grid = templates.get(version);
  if (!grid) {
    grid = drawFunctionPatterns(version);
    templates.set(version, grid);
  }
  return grid;
}

function drawFunctionPatterns(version: number): ModuleGrid {
  const size = symbolSize(version);
  const grid = emptyGrid(size);

  // §6.3.5: timing patterns in row 6 and column 6, dark on even coordinates. Drawn across the whole
  // symbol first; the finder patterns below overwrite the ends.
  for (let i = 0; i < size; i++) {
    setFunctionModule(grid, 6, i, i % 2 === 0);
    setFunctionModule(grid, i, 6, i % 2 === 0);
  }

  // §6.3.3–6.3.4: a finder pattern in three corners, each with a light separator around it.
  drawFinderPattern(grid, 3, 3);
  drawFinderPattern(grid, 3, size - 4);
  drawFinderPattern(grid, size - 4, 3);

  // §6.3.6: alignment patterns at every pairing of the centre coordinates, except the three
  // pairings that land on a finder pattern (top left, top right, bottom left).
  const centres = alignmentPatternCentres(version);
  const last = centres.length - 1;
  for (let i = 0; i <= last; i++) {
    for (let j = 0; j <= last; j++) {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
      drawAlignmentPattern(grid, centres[i], centres[j]);
    }
  }

  // §7.9.1: reserve both copies of the format information (drawn once the mask is known) — row 8
  // and column 8 beside the top-left finder, row 8 beside the top-right, column 8 beside the
  // bottom-left — and set the module that is always dark, at (size − 8, 8).
  for (let i = 0; i <= 8; i++) {
    if (i !== 6) {
      setFunctionModule(grid, 8, i, false);
      setFunctionModule(grid, i, 8, false);
    }
  }
  for (let i = 0; i < 8; i++) {
    setFunctionModule(grid, 8, size - 1 - i, false);
    setFunctionModule(grid, size - 1 - i, 8, false);
  }
  setFunctionModule(grid, size - 8, 8, true);

  if (version >= 7) drawVersionInformation(grid, version);
  return grid;
}

/** A 7 × 7 finder pattern centred at (row, col) plus its one-module light separator, clipped to the symbol. */
function drawFinderPattern(grid: ModuleGrid, row: number, col: number): void {
  for (let dr = -4; dr <= 4; dr++) {
    for (let dc = -4; dc <= 4; dc++) {
      const r = row + dr;
      const c = col + dc;
      if (r < 0 || r >= grid.size || c < 0 || c >= grid.size) continue;
      // Rings by Chebyshev distance: 0–1 dark core (3 × 3), 2 light, 3 dark, 4 the light separator.
      const ring = Math.max(Math.abs(dr), Math.abs(dc));
      setFunctionModule(grid, r, c, ring !== 2 && ring !== 4);
    }
  }
}

/** A 5 × 5 alignment pattern centred at (row, col): dark centre, light ring, dark ring. */
function drawAlignmentPattern(grid: ModuleGrid, row: number, col: number): void {
  for (let dr = -2; dr <= 2; dr++) {
    for (let dc = -2; dc <= 2; dc++) {
      setFunctionModule(grid, row + dr, col + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
    }
  }
}

/**
 * §7.10: the 18 version information bits, twice: a 6 × 3 block above the bottom-left finder
 * and its transpose left of the top-right finder. Bit i (0 = least significant) lies at row
 * ⌊i / 3⌋, column size − 11 + i mod 3 in the top-right block.
 */
function drawVersionInformation(grid: ModuleGrid, version: number): void {
  const bits = versionInformationBits(version);
  for (let i = 0; i < 18; i++) {
    const dark = ((bits >>> i) & 1) === 1;
    const a = Math.floor(i / 3);
    const b = grid.size - 11 + (i % 3);
    setFunctionModule(grid, a, b, dark);
    setFunctionModule(grid, b, a, dark);
  }
}
