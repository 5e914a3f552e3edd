/**
 * A QR code drawn with text: two module rows per line, using the half blocks `▀` (top), `▄`
 * (bottom), `█` (both) and a space (neither). Plain characters with no ANSI colour codes, so the
 * drawing survives logs, `tmux`, copy-paste and CI output.
 */
import type { QrErrorCorrectionLevel } from './ec-blocks';
import { encodeQr } from './encode';

/** ISO/IEC 18004:2015 §6.3.8 asks for a light quiet zone four modules wide around the symbol. */
export const QR_QUIET_ZONE_MODULES = 4;

/** A narrower quiet zone that most phone scanners still accept; for small terminals. */
export const QR_COMPACT_QUIET_ZONE_MODULES = 2;

/** How {@link renderQr} draws a symbol. */
export interface RenderQrOptions {
  /**
   * Light modules around the symbol, in modules (default {@link QR_QUIET_ZONE_MODULES}).
   * A non-negative integer; below 4 is outside the standard but usually scans.
   */
  quietZone?: number;
  /**
   * Draw the light modules instead of the dark ones (default `false`). A block character is drawn
   * in the terminal's text colour, so on a light terminal (dark text) the dark modules must be
   * the blocks, and on a dark terminal (light text) the light modules must be, or the phone sees
   * a negative image that many scanners reject.
   */
  invert?: boolean;
  /**
   * Default `'L'`: a pairing string is long (over 200 characters) and L gives the smallest
   * symbol, so it fits an 80×24 terminal more often; a screen is not a damaged sticker, so the
   * lower redundancy costs nothing in practice.
   */
  errorCorrectionLevel?: QrErrorCorrectionLevel;
}

// Indexed by (top ? 2 : 0) | (bottom ? 1 : 0), where true means "draw this half".
const HALF_BLOCKS = [' ', '▄', '▀', '█'] as const;

/**
 * Renders `text` as a QR code in terminal characters. Lines are joined by `\n` with no trailing
 * newline, and are never trimmed: in inverted mode the trailing characters are blocks of the
 * quiet zone.
 *
 * A QR symbol always has an odd number of rows (21 + 4 × (version − 1), plus twice the quiet
 * zone), so the bottom half of the last line lies below the symbol and is never drawn.
 *
 * @throws RangeError when the text is too long for a QR code (see {@link qrByteCapacity}) or the
 *   quiet zone is not a non-negative integer.
 * @example
 * ```ts
 * client.on('qr', ({ qr }) => console.log(renderQr(qr, { invert: true }))); // a dark terminal
 * ```
 */
export function renderQr(text: string, options: RenderQrOptions = {}): string {
  const quietZone = options.quietZone ?? QR_QUIET_ZONE_MODULES;
  if (!Number.isInteger(quietZone) || quietZone < 0) {
    throw new RangeError(`"quietZone" expected a non-negative integer, got ${quietZone}`);
  }
  const invert = options.invert ?? false;
  const { size: symbolSize, modules } = encodeQr(text, {
    errorCorrectionLevel: options.errorCorrectionLevel ?? 'L',
  });
  const size = symbolSize + 2 * quietZone;

  // Whether the cell at (row, col) of the padded square gets ink; rows past the square (the lower
  // half of an odd last line) never do, in either mode, so they show the terminal background.
  const ink = (row: number, col: number): boolean => {
    if (row >= size) return false;
    const r = row - quietZone;
    const c = col - quietZone;
    const inSymbol = r >= 0 && r < symbolSize && c >= 0 && c < symbolSize;
    const dark = inSymbol && modules[r * symbolSize + c] === 1;
    return dark !== invert;
  };

  const lines: string[] = [];
  for (let row = 0; row < size; row += 2) {
    let line = '';
    for (let col = 0; col < size; col++) {
      line += HALF_BLOCKS[(ink(row, col) ? 2 : 0) | (ink(row + 1, col) ? 1 : 0)];
    }
    lines.push(line);
  }
  return lines.join('\n');
}
