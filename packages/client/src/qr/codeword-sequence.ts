/**
 * The final message codeword sequence, ISO/IEC 18004:2015 §7.6: the data codewords are cut into
 * blocks, each block gets its Reed–Solomon codewords, and the blocks are interleaved so that a
 * local smudge on the symbol spreads over many blocks instead of wiping one out.
 */
import type { BlockLayout } from './ec-blocks';
import { reedSolomonRemainder } from './reed-solomon';

/**
 * Interleaves `data` (the symbol's data codewords, in order) with their error correction
 * codewords: first data codeword 1 of every block, then codeword 2 of every block, and so on
 * (the longer blocks, which come last, supply the final round alone), then the error correction
 * codewords in the same column order.
 */
export function interleaveCodewords(data: Uint8Array, layout: BlockLayout): Uint8Array {
  const { blocks, ecPerBlock, shortBlockData } = layout;
  // §7.6: the blocks with one more data codeword follow those without.
  const shortBlocks = blocks - (data.length % blocks);
  const dataBlocks: Uint8Array[] = [];
  const ecBlocks: Uint8Array[] = [];
  let offset = 0;
  for (let b = 0; b < blocks; b++) {
    const length = shortBlockData + (b < shortBlocks ? 0 : 1);
    const block = data.subarray(offset, offset + length);
    offset += length;
    dataBlocks.push(block);
    ecBlocks.push(reedSolomonRemainder(block, ecPerBlock));
  }

  const out = new Uint8Array(data.length + blocks * ecPerBlock);
  let n = 0;
  for (let i = 0; i <= shortBlockData; i++) {
    for (const block of dataBlocks) if (i < block.length) out[n++] = block[i];
  }
  for (let i = 0; i < ecPerBlock; i++) {
    for (const block of ecBlocks) out[n++] = block[i];
  }
  return out;
}
