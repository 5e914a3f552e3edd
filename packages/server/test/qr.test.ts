import { describe, expect, it } from 'vitest';
import { toBase64 } from '../src/_bytes';
import { parseQr, QR_DEEP_LINK_PREFIX } from '../src/qr';

const key = (n: number) => toBase64(new Uint8Array(32).fill(n));
const data = `2@abc,${key(1)},${key(2)},${key(3)},1`;

describe('parseQr', () => {
  it('reads the QR with and without the linked-devices prefix', () => {
    for (const qr of [data, QR_DEEP_LINK_PREFIX + data]) {
      const parsed = parseQr(qr);
      expect(parsed.ref).toBe('2@abc');
      expect(parsed.noiseKey).toEqual(new Uint8Array(32).fill(1));
      expect(parsed.advSecret).toEqual(new Uint8Array(32).fill(3));
      expect(parsed.platform).toBe('1');
    }
  });

  it('refuses a missing field and a key of the wrong length', () => {
    expect(() => parseQr(`2@abc,${key(1)},${key(2)},1`)).toThrow(/malformed-qr/);
    expect(() => parseQr(`2@abc,${toBase64(new Uint8Array(31))},${key(2)},${key(3)},1`)).toThrow(/noiseKey/);
  });
});
