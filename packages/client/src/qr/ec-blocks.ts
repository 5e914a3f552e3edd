/**
 * Error correction levels and how each version splits its codewords into blocks,
 * ISO/IEC 18004:2015 §7.5.1 (the error correction characteristics table).
 */
import { totalCodewords } from './versions';

/**
 * How much of the symbol may be damaged and still decode: about 7 % (L), 15 % (M), 25 % (Q) or
 * 30 % (H) of the codewords (§7.5.1).
 */
export type QrErrorCorrectionLevel = 'L' | 'M' | 'Q' | 'H';

/** Every level, lowest redundancy first. */
export const QR_ERROR_CORRECTION_LEVELS: readonly QrErrorCorrectionLevel[] = ['L', 'M', 'Q', 'H'];

// §7.5.1: error correction codewords per block, by version 1–40.
// biome-ignore format: one row per level, as in the standard's table
const EC_CODEWORDS_PER_BLOCK: Record<QrErrorCorrectionLevel, readonly number[]> = {
  L: [7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  M: [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
  Q: [13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  H: [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
};

// §7.5.1: number of error correction blocks, by version 1–40.
// biome-ignore format: one row per level, as in the standard's table
const EC_BLOCKS: Record<QrErrorCorrectionLevel, readonly number[]> = {
  L: [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
  M: [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
  Q: [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
  H: [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
};

/** How a symbol of one version and level divides its codewords. */
export interface BlockLayout {
  /** Error correction codewords in every block. */
  ecPerBlock: number;
  /** Number of blocks. */
  blocks: number;
  /** Data codewords of the whole symbol. */
  dataCodewords: number;
  /** Data codewords of a short block; the last `dataCodewords % blocks` blocks hold one more. */
  shortBlockData: number;
}

/** The block structure of `version` at `level`. */
export function blockLayout(version: number, level: QrErrorCorrectionLevel): BlockLayout {
  const ecPerBlock = EC_CODEWORDS_PER_BLOCK[level][version - 1]!;
  const blocks = EC_BLOCKS[level][version - 1]!;
  const dataCodewords = totalCodewords(version) - ecPerBlock * blocks;
  return { ecPerBlock, blocks, dataCodewords, shortBlockData: Math.floor(dataCodewords / blocks) };
}
