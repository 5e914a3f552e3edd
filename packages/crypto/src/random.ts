/**
 * The platform CSPRNG, reached through `globalThis.crypto.getRandomValues` (WebCrypto), which
 * browsers, Deno, Bun, workers and Node >= 19 all provide. The portable build's lib has no DOM
 * types, so the one member used is declared here rather than pulling in `lib.dom`.
 */
import { assertInteger, LIMITS } from './_assert';
import { RandomPool } from './_random-pool';
import { NoRandomSourceError } from './errors';

interface RandomSource {
  getRandomValues<T extends Uint8Array>(array: T): T;
}

/** WebCrypto refuses requests over 65,536 bytes (QuotaExceededError); larger ones are chunked. */
const GET_RANDOM_VALUES_MAX_BYTES = 65_536;

/**
 * `length` cryptographically secure random bytes from the platform's WebCrypto (small draws through
 * a pool filled 4 KiB at a time).
 *
 * @throws RangeError when `length` is not an integer in [0, 2^30].
 * @throws NoRandomSourceError when the platform has no `crypto.getRandomValues`.
 */
export function randomBytes(length: number): Uint8Array {
  return pool.take(assertInteger('length', length, 0, LIMITS.RANDOM_MAX_LENGTH));
}

/** Fills `out` from WebCrypto, in chunks it accepts. */
function fillFromWebCrypto(out: Uint8Array): void {
  const source = (globalThis as { crypto?: RandomSource }).crypto;
  if (typeof source?.getRandomValues !== 'function') {
    throw new NoRandomSourceError('no crypto.getRandomValues on this platform (a CSPRNG is required)');
  }
  for (let offset = 0; offset < out.length; offset += GET_RANDOM_VALUES_MAX_BYTES) {
    source.getRandomValues(out.subarray(offset, Math.min(out.length, offset + GET_RANDOM_VALUES_MAX_BYTES)));
  }
}

/** Small draws come from a pool (see `_random-pool.ts`): one WebCrypto call per 4 KiB. */
const pool = new RandomPool(fillFromWebCrypto);
