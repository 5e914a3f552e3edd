import { afterEach, describe, expect, it, vi } from 'vitest';
import { RandomPool } from '../src/_random-pool';
import { NoRandomSourceError, randomBytes } from '../src/index';
import { PROVIDERS } from './providers';
import { toHex } from './vectors';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A fill that writes a running counter (so every served byte can be traced) and records its calls. */
function countingFill() {
  let next = 0;
  const calls: Uint8Array[] = [];
  const fill = (into: Uint8Array) => {
    calls.push(into);
    for (let i = 0; i < into.length; i++) into[i] = ++next & 0xff;
  };
  return { fill, calls };
}

describe('RandomPool', () => {
  it('serves the filled bytes once each, in order, refilling once per 4 KiB', () => {
    const { fill, calls } = countingFill();
    const pool = new RandomPool(fill);
    const served: number[] = [];
    for (let i = 0; i < 600; i++) served.push(...pool.take(16));
    // 9,600 bytes: the first fill, then a refill at 4,096 and at 8,192.
    expect(calls).toHaveLength(3);
    expect(served).toEqual(Array.from({ length: 9600 }, (_, i) => (i + 1) & 0xff));
  });

  it('zeroes what it served, so handed-out bytes do not stay in the pool', () => {
    const { fill, calls } = countingFill();
    const pool = new RandomPool(fill);
    const first = pool.take(32);
    const buffer = calls[0]!;
    expect(buffer.subarray(0, 32).every((b) => b === 0)).toBe(true);
    expect(buffer[32]).not.toBe(0);
    // The caller owns its copy: the zeroing did not touch it.
    expect(first.some((b) => b !== 0)).toBe(true);
  });

  it('sends requests over 256 bytes straight to the fill, leaving the pool as it was', () => {
    const { fill, calls } = countingFill();
    const pool = new RandomPool(fill);
    pool.take(8);
    const big = pool.take(1000);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.length).toBe(1000);
    expect(big.length).toBe(1000);
    // The next small draw continues where the pool was.
    expect(pool.take(1)[0]).toBe(9);
  });

  it('a draw that does not fit what is left refills first: no byte is served twice', () => {
    const { fill, calls } = countingFill();
    const pool = new RandomPool(fill);
    for (let i = 0; i < 16; i++) pool.take(255);
    // 4,080 bytes served, 16 left: ten more fit, the next ten do not.
    expect([...pool.take(10)]).toEqual(Array.from({ length: 10 }, (_, i) => (4080 + i + 1) & 0xff));
    expect(calls).toHaveLength(1);
    const straddling = pool.take(10);
    expect(calls).toHaveLength(2);
    // The six bytes left of the first fill are dropped, never served: the second fill's first ten.
    expect([...straddling]).toEqual(Array.from({ length: 10 }, (_, i) => (4096 + i + 1) & 0xff));
  });
});

describe.each([{ name: 'portable randomBytes', randomBytes }, ...PROVIDERS])('$name', (source) => {
  it('gives the lengths asked for, as fresh plain Uint8Arrays', () => {
    for (const length of [0, 1, 16, 255, 256, 257, 4096, 5000]) {
      const bytes = source.randomBytes(length);
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(bytes.constructor).toBe(Uint8Array);
      expect(bytes.length).toBe(length);
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(length);
    }
  });

  it('never repeats a 16-byte draw, across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(toHex(source.randomBytes(16)));
    expect(seen.size).toBe(5000);
  });

  it('rejects a length that is not an integer in range', () => {
    expect(() => source.randomBytes(-1)).toThrow(RangeError);
    expect(() => source.randomBytes(1.5)).toThrow(RangeError);
  });
});

describe('portable randomBytes without a CSPRNG', () => {
  it('throws NoRandomSourceError when it has to draw from the platform', () => {
    vi.stubGlobal('crypto', undefined);
    expect(() => randomBytes(1024)).toThrow(NoRandomSourceError);
  });
});
