/**
 * `encodeQr`: bytes or text to a QR code symbol, ISO/IEC 18004:2015 §7.1's encode procedure in
 * byte mode: choose the version, build the data and error correction codewords, place them, and
 * mask with the pattern that scores lowest.
 */

import { interleaveCodewords } from './codeword-sequence';
import { byteCapacity, byteModeCodewords } from './data-codewords';
import { blockLayout, QR_ERROR_CORRECTION_LEVELS, type QrErrorCorrectionLevel } from './ec-blocks';
import { drawFormatInformation } from './format-information';
import { functionPatternGrid } from './function-patterns';
import { applyMask, QR_MASKS, type QrMask } from './mask';
import { copyGrid, type ModuleGrid } from './module-grid';
import { penaltyScore } from './penalty';
import { placeCodewords } from './placement';
import { QR_MAX_VERSION, QR_MIN_VERSION } from './versions';

// Every runtime has TextEncoder, but lib ES2022 without DOM does not declare it; this module-local
// declaration covers exactly what is used (as in @wakit/binary-node).
declare const TextEncoder: new () => { encode(input: string): Uint8Array };

/** A QR code symbol: its parameters and its modules. */
export interface QrCode {
  /** 1–40; the symbol is 17 + 4 × version modules wide. */
  readonly version: number;
  readonly errorCorrectionLevel: QrErrorCorrectionLevel;
  /** The data mask pattern reference, 0–7 (§7.8.2). */
  readonly mask: QrMask;
  /** Modules per side. */
  readonly size: number;
  /**
   * `size × size` modules, row by row: `modules[row * size + col]` is 1 for dark, 0 for light.
   * The quiet zone is not included.
   */
  readonly modules: Uint8Array;
}

/** Choices for {@link encodeQr}; each defaults to what the standard's procedure picks. */
export interface EncodeQrOptions {
  /** Default `'M'`, the common default of QR encoders. */
  errorCorrectionLevel?: QrErrorCorrectionLevel;
  /** Exactly this version (1–40) instead of the smallest that fits. */
  version?: number;
  /** Exactly this mask (0–7) instead of the one with the lowest penalty score. */
  mask?: QrMask;
}

/**
 * How many bytes a symbol of `version` holds at `level` in byte mode; with the default version
 * 40, the most any QR code holds: 2953 (L), 2331 (M), 1663 (Q) or 1273 (H) bytes.
 *
 * @example
 * ```ts
 * if (new TextEncoder().encode(text).length > qrByteCapacity('L')) throw new Error('too long');
 * ```
 */
export function qrByteCapacity(level: QrErrorCorrectionLevel, version: number = QR_MAX_VERSION): number {
  checkLevel(level);
  checkVersion(version);
  return byteCapacity(version, blockLayout(version, level).dataCodewords);
}

/**
 * Encodes `data` (text is encoded as UTF-8) as a QR code in byte mode, without ECI: phone
 * scanners read such bytes as UTF-8.
 *
 * @throws RangeError when the data does not fit (the message gives the maximum), or an option is
 *   out of range.
 * @example
 * ```ts
 * const qr = encodeQr('2@AbC…,1', { errorCorrectionLevel: 'L' });
 * const dark = qr.modules[row * qr.size + col] === 1;
 * ```
 */
export function encodeQr(data: string | Uint8Array, options: EncodeQrOptions = {}): QrCode {
  const bytes = toBytes(data);
  const level = options.errorCorrectionLevel ?? 'M';
  checkLevel(level);
  if (options.mask !== undefined && !QR_MASKS.includes(options.mask)) {
    throw new RangeError(`"mask" expected an integer from 0 to 7, got ${options.mask}`);
  }
  const version = chooseVersion(bytes.length, level, options.version);

  const layout = blockLayout(version, level);
  const codewords = interleaveCodewords(byteModeCodewords(bytes, version, layout.dataCodewords), layout);
  const unmasked = copyGrid(functionPatternGrid(version));
  placeCodewords(unmasked, codewords);

  let best: { mask: QrMask; grid: ModuleGrid } | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const mask of options.mask === undefined ? QR_MASKS : [options.mask]) {
    const grid = copyGrid(unmasked);
    applyMask(grid, mask);
    drawFormatInformation(grid, level, mask);
    // §7.8.3: the lowest score wins; on a tie the standard is silent and the first mask stays.
    const score = options.mask === undefined ? penaltyScore(grid) : 0;
    if (score < bestScore) {
      best = { mask, grid };
      bestScore = score;
    }
  }
  const { mask, grid } = best!;
  return { version, errorCorrectionLevel: level, mask, size: grid.size, modules: grid.dark };
}

function toBytes(data: string | Uint8Array): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof Uint8Array) return data;
  throw new TypeError(`"data" expected a string or Uint8Array, got ${typeof data}`);
}

/** The requested version if the data fits it, else the smallest version that holds `length` bytes. */
function chooseVersion(length: number, level: QrErrorCorrectionLevel, requested: number | undefined): number {
  if (requested !== undefined) {
    checkVersion(requested);
    const capacity = qrByteCapacity(level, requested);
    if (length > capacity) {
      throw new RangeError(
        `"data" expected at most ${capacity} bytes for a version ${requested} QR code at error correction level ${level}, got ${length} bytes`,
      );
    }
    return requested;
  }
  for (let version = QR_MIN_VERSION; version <= QR_MAX_VERSION; version++) {
    if (length <= qrByteCapacity(level, version)) return version;
  }
  throw new RangeError(
    `"data" expected at most ${qrByteCapacity(level)} bytes for a QR code at error correction level ${level} (version 40), got ${length} bytes`,
  );
}

function checkLevel(level: QrErrorCorrectionLevel): void {
  if (!QR_ERROR_CORRECTION_LEVELS.includes(level)) {
    throw new RangeError(`"errorCorrectionLevel" expected one of L, M, Q, H, got ${JSON.stringify(level)}`);
  }
}

function checkVersion(version: number): void {
  if (!Number.isInteger(version) || version < QR_MIN_VERSION || version > QR_MAX_VERSION) {
    throw new RangeError(`"version" expected an integer from 1 to 40, got ${version}`);
  }
}
