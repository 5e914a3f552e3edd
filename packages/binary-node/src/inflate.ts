/**
 * zlib inflation with a hard cap on output, synchronously and without `node:zlib` (this package
 * runs in browsers too). fflate's streaming inflater is fed small slices of input so that no single
 * step can expand far past the cap (deflate expands at most ~1032x), and the Adler-32 trailer is
 * verified here because fflate does not check it.
 */

import { isWakitError } from '@wakit/errors';
import { Unzlib } from 'fflate';
import { DecompressError, InflatedSizeError } from './errors';

/** Input fed per step: at most ~1 MiB of output per step at deflate's maximum ratio. */
const INPUT_STEP = 1024;

/** Inflate an RFC 1950 zlib stream whose output must not exceed `maxSize` bytes. */
export function inflateZlib(data: Uint8Array, maxSize: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const stream = new Unzlib((chunk, final) => {
    total += chunk.length;
    if (total > maxSize) throw new InflatedSizeError(`zlib body inflates beyond ${maxSize} bytes`);
    chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    if (data.length === 0) stream.push(data, true);
    for (let i = 0; i < data.length; i += INPUT_STEP) {
      const end = Math.min(i + INPUT_STEP, data.length);
      stream.push(data.subarray(i, end), end === data.length);
    }
  } catch (error) {
    if (isWakitError(error)) throw error;
    throw new DecompressError(`corrupt zlib body: ${(error as Error).message}`, { cause: error });
  }
  if (!ended) throw new DecompressError('zlib body ends before the deflate stream does');
  const out = concat(chunks, total);
  if (data.length < 6 || adler32(out) !== readU32(data, data.length - 4)) {
    throw new DecompressError('zlib body fails its Adler-32 check');
  }
  return out;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function readU32(data: Uint8Array, at: number): number {
  return ((data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!) >>> 0;
}

/** RFC 1950 §9 Adler-32, summing in blocks small enough that the sums never overflow 2^53. */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  const BLOCK = 5552; // largest n with 255 n (n+1)/2 + (n+1)(65520) < 2^32, zlib's NMAX
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + BLOCK, data.length);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
