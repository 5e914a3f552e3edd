/**
 * `ByteSlab`: every array it hands out has the asked length, starts zeroed, and shares no byte
 * with any other (writing one never changes another); `copy` equals its input and is independent of
 * it; arrays above `maxLength` own their memory; bad sizes are refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteSlab } from '../src/index';

describe('ByteSlab', () => {
  it('hands out zeroed arrays of the asked length that never overlap (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 64, max: 4096 }),
        fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 200 }),
        (slabSize, lengths) => {
          const slab = new ByteSlab(slabSize, Math.min(512, slabSize));
          const out = lengths.map((length, i) => {
            const bytes = slab.alloc(length);
            expect(bytes.length).toBe(length);
            expect(bytes.every((b) => b === 0)).toBe(true);
            bytes.fill((i % 255) + 1);
            return bytes;
          });
          // Each still holds its own fill: no later array was cut from the same bytes.
          out.forEach((bytes, i) => {
            expect(bytes.every((b) => b === (i % 255) + 1)).toBe(true);
          });
        },
      ),
    );
  });

  it('shares one buffer among small arrays and gives large ones their own', () => {
    const slab = new ByteSlab(1024, 256);
    const a = slab.alloc(100);
    const b = slab.alloc(100);
    expect(a.buffer).toBe(b.buffer);
    expect(b.byteOffset).toBe(104); // 8-byte aligned
    const large = slab.alloc(257);
    expect(large.byteOffset).toBe(0);
    expect(large.buffer.byteLength).toBe(257);
    // A slab that cannot fit the next array is replaced, never overrun.
    const fill = slab.alloc(256);
    const next = slab.alloc(256);
    expect(next.buffer.byteLength).toBe(1024);
    expect(fill.byteOffset + fill.length).toBeLessThanOrEqual(1024);
  });

  it('copies bytes into memory of its own (property)', () => {
    const slab = new ByteSlab();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (input) => {
        const copy = slab.copy(input);
        expect(copy).toEqual(input);
        const before = Uint8Array.from(copy);
        input.fill(0xaa);
        expect(copy).toEqual(before);
      }),
    );
  });

  it('refuses sizes it cannot work with', () => {
    expect(() => new ByteSlab(32)).toThrow(RangeError);
    expect(() => new ByteSlab(1024, 2048)).toThrow(RangeError);
    expect(() => new ByteSlab(1024, -1)).toThrow(RangeError);
    expect(() => new ByteSlab(1000.5)).toThrow(RangeError);
  });
});
