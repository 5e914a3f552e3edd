/**
 * Helpers of the QR tests: the peer encoder (`qrcode`) in byte mode, an independent decoder
 * (`jsqr`) fed with pixels, and the inverse of the half-block drawing.
 */
import { randomBytes } from 'node:crypto';
import jsQR from 'jsqr';
import { type BitMatrix, create, type QRCode } from 'qrcode';
import type { QrErrorCorrectionLevel, QrMask } from '../src/qr/index';

/** A pairing string shaped like docs/protocol.md §5.2 (ref, noise pub, identity pub, adv secret, platform), all random. */
export function randomPairingString(): string {
  const b64 = (n: number) => randomBytes(n).toString('base64');
  return [`2@${b64(66)}`, b64(32), b64(32), b64(32), '1'].join(',');
}

/**
 * What `qrcode` makes of `bytes` as one byte-mode segment. Given as bytes, not text, so that
 * `qrcode` does not switch to numeric or alphanumeric mode where those are shorter: we encode in
 * byte mode only.
 */
export function peerQr(
  bytes: Uint8Array,
  level: QrErrorCorrectionLevel,
  fixed: { version?: number; mask?: QrMask } = {},
): QRCode {
  return create([{ data: bytes, mode: 'byte' }], {
    errorCorrectionLevel: level,
    version: fixed.version,
    maskPattern: fixed.mask,
  });
}

/** A `qrcode` module matrix as 0/1 bytes, row-major like `QrCode.modules`. */
export function peerModules(matrix: BitMatrix): Uint8Array {
  return Uint8Array.from(matrix.data, (bit) => (bit ? 1 : 0));
}

/** Pixels per module in {@link toRgba}: enough for jsqr's sampling to be unambiguous. */
const PIXELS_PER_MODULE = 4;

/**
 * Paints `dark` (row-major, `size × size`, truthy = dark) as an RGBA image, black on white, with
 * a light border of `quietZone` modules, for a decoder.
 */
export function toRgba(
  dark: ArrayLike<number | boolean>,
  size: number,
  quietZone: number,
): { data: Uint8ClampedArray; width: number } {
  const width = (size + 2 * quietZone) * PIXELS_PER_MODULE;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.floor(y / PIXELS_PER_MODULE) - quietZone;
      const c = Math.floor(x / PIXELS_PER_MODULE) - quietZone;
      if (r < 0 || c < 0 || r >= size || c >= size || !dark[r * size + c]) continue;
      const p = (y * width + x) * 4;
      data[p] = data[p + 1] = data[p + 2] = 0;
    }
  }
  return { data, width };
}

/** The bytes jsqr reads from the symbol `dark`, or `null` when it finds no QR code. */
export function scan(dark: ArrayLike<number | boolean>, size: number, quietZone = 4): Uint8Array | null {
  const { data, width } = toRgba(dark, size, quietZone);
  const found = jsQR(data, width, width, { inversionAttempts: 'dontInvert' });
  return found ? Uint8Array.from(found.binaryData) : null;
}

const HALVES: Record<string, [top: boolean, bottom: boolean]> = {
  ' ': [false, false],
  '▀': [true, false],
  '▄': [false, true],
  '█': [true, true],
};

/** A half-block drawing read back into cells: `ink[row][col]`, plus the half row below an odd last line. */
export interface HalfBlockImage {
  ink: boolean[][];
  /** The lower halves of the last line when the drawing has an odd number of rows, else `null`. */
  overhang: boolean[] | null;
}

/**
 * The inverse of the renderer: reads half-block text back into rows of drawn cells; `rows` says
 * how many real rows the drawing has. Written from the character table alone, not from
 * `renderQr`, so a mistake in one is not mirrored in the other.
 */
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

/**
 * Where two module matrices of side `size` first differ, as "(row, col)", or `null` when they are
 * equal. Faster than `toEqual` on long typed arrays, and the message names the module.
 */
export function firstDifference(actual: Uint8Array, expected: Uint8Array, size: number): string | null {
  if (actual.length !== size * size || expected.length !== size * size) {
    return `lengths ${actual.length} and ${expected.length}, expected ${size * size}`;
  }
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) return `(${Math.floor(i / size)}, ${i % size})`;
  }
  return null;
}
