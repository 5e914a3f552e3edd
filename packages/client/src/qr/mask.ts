/**
 * The eight data mask patterns, ISO/IEC 18004:2015 §7.8.2. A mask inverts the data and error
 * correction modules where its condition holds (i = row, j = column), to break up large light or
 * dark areas and shapes that look like finder patterns.
 */
import type { ModuleGrid } from './module-grid';

/** The mask pattern references 000–111 as numbers. */
export type QrMask = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Every mask, in the order the encoder tries them. */
export const QR_MASKS: readonly QrMask[] = [0, 1, 2, 3, 4, 5, 6, 7];

/** Whether mask `mask` inverts the module at row i, column j (§7.8.2's conditions). */
export function maskInverts(mask: QrMask, i: number, j: number): boolean {
  switch (mask) {
    case 0:
      return (i + j) % 2 === 0;
    case 1:
      return i % 2 === 0;
    case 2:
      return j % 3 === 0;
    case 3:
      return (i + j) % 3 === 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    case 7:
      return (((i + j) % 2) + ((i * j) % 3)) % 2 === 0;
  }
}

/** Inverts every unreserved module of `grid` where `mask` says so. */
export function applyMask(grid: ModuleGrid, mask: QrMask): void {
  const { size, dark, reserved } = grid;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const index = i * size + j;
      if (!reserved[index] && maskInverts(mask, i, j)) dark[index] ^= 1;
    }
  }
}
