/**
 * The inverse of the renderer, for tests: reads half-block text back into a grid of drawn cells.
 * Written from the character table alone, not from `renderQr`, so a mistake in one is not
 * mirrored in the other.
 */

const HALVES: Record<string, [top: boolean, bottom: boolean]> = {
  ' ': [false, false],
  '▀': [true, false],
  '▄': [false, true],
  '█': [true, true],
};

/** The parsed drawing: `ink[row][col]` for every full row, plus the half row below an odd last line. */
export interface HalfBlockImage {
  ink: boolean[][];
  /** The lower halves of the last line when the drawing has an odd number of rows, else `null`. */
  overhang: boolean[] | null;
}

/** Parses `text` into rows of drawn cells; `rows` says how many real rows the drawing has. */
export function parseHalfBlocks(text: string, rows: number): HalfBlockImage {
  const lines = text.split('\n');
  if (lines.length !== Math.ceil(rows / 2)) {
    throw new Error(`expected ${Math.ceil(rows / 2)} lines for ${rows} rows, got ${lines.length}`);
  }
  const ink: boolean[][] = [];
  let overhang: boolean[] | null = null;
  for (const line of lines) {
    const halves = [...line].map((ch) => {
      const pair = HALVES[ch];
      if (!pair) throw new Error(`unexpected character ${JSON.stringify(ch)} in ${JSON.stringify(line)}`);
      return pair;
    });
    ink.push(halves.map(([top]) => top));
    const bottoms = halves.map(([, bottom]) => bottom);
    if (ink.length < rows) ink.push(bottoms);
    else overhang = bottoms;
  }
  return { ink, overhang };
}
