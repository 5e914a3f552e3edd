import { unpadRandomMax16, writeRandomPadMax16 } from 'baileys/lib/Utils/generics.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageDecodeError } from '../src/errors';
import { MAX_PADDING, padPlaintext, unpadPlaintext } from '../src/messaging/wire/padding';
import { expectOnly, withRandomBytes } from './messaging-wire-helpers';

describe('padPlaintext', () => {
  it('appends N bytes of value N, N = (random & 0x0f) + 1 (docs/protocol.md §6.3)', () => {
    const plaintext = Uint8Array.of(0x0a, 0x02, 0x68, 0x69);
    expect([...padPlaintext(plaintext, () => 0x00)]).toEqual([0x0a, 0x02, 0x68, 0x69, 1]);
    expect([...padPlaintext(plaintext, () => 0x02)]).toEqual([0x0a, 0x02, 0x68, 0x69, 3, 3, 3]);
    // Only the low four bits count: 0xff -> 16, 0x10 -> 1.
    expect([...padPlaintext(plaintext, () => 0xff)]).toEqual([...plaintext, ...new Array(16).fill(16)]);
    expect([...padPlaintext(plaintext, () => 0x10)]).toEqual([...plaintext, 1]);
    expect([...padPlaintext(new Uint8Array(0), () => 0x0f)]).toEqual(new Array(16).fill(16));
  });

  it('reaches every N in 1..16 and no other', () => {
    const seen = new Set<number>();
    for (let byte = 0; byte < 256; byte++) {
      const padded = padPlaintext(new Uint8Array(3), () => byte);
      seen.add(padded.length - 3);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: MAX_PADDING }, (_, i) => i + 1));
  });

  it('round-trips through unpadPlaintext, and leaves the input alone', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 255 }), (plaintext, byte) => {
        const before = plaintext.slice();
        const padded = padPlaintext(plaintext, () => byte);
        expect(padded.length - plaintext.length).toBe((byte & 0x0f) + 1);
        expect(unpadPlaintext(padded)).toEqual(plaintext);
        expect(plaintext).toEqual(before);
      }),
    );
  });

  it('is byte-identical to Baileys writeRandomPadMax16 given the same random byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 255 }), (plaintext, byte) => {
        const theirs = withRandomBytes(
          (size) => new Uint8Array(size).fill(byte),
          () => writeRandomPadMax16(plaintext),
        );
        expect(new Uint8Array(theirs)).toEqual(padPlaintext(plaintext, () => byte));
      }),
    );
  });
});

describe('unpadPlaintext', () => {
  it('strips N = the last byte', () => {
    expect([...unpadPlaintext(Uint8Array.of(7, 8, 2, 2))]).toEqual([7, 8]);
    expect([...unpadPlaintext(Uint8Array.of(1))]).toEqual([]);
    expect([...unpadPlaintext(Uint8Array.of(3, 3, 3))]).toEqual([]);
  });

  it('returns v="3" plaintexts as they are (unpadded version)', () => {
    const bytes = Uint8Array.of(1, 2, 0);
    expect(unpadPlaintext(bytes, '3')).toBe(bytes);
    expect(unpadPlaintext(new Uint8Array(0), '3')).toEqual(new Uint8Array(0));
    // Any other version is padded, as in whatsmeow and whatsapp-rust.
    expect([...unpadPlaintext(Uint8Array.of(5, 1), '7')]).toEqual([5]);
  });

  it('refuses an empty plaintext, N = 0 and N beyond the length', () => {
    expect(() => unpadPlaintext(new Uint8Array(0))).toThrow(MessageDecodeError);
    expect(() => unpadPlaintext(Uint8Array.of(5, 0))).toThrow(MessageDecodeError);
    expect(() => unpadPlaintext(Uint8Array.of(3, 3))).toThrow(/padding length is 3/);
  });

  it('refuses padding bytes that differ from N (whatsmeow and whatsapp-rust check them all)', () => {
    expect(() => unpadPlaintext(Uint8Array.of(9, 2, 3, 3))).toThrow(MessageDecodeError);
    expect(() => unpadPlaintext(Uint8Array.of(9, 4, 3, 3, 3))).not.toThrow();
  });

  it('throws nothing but MessageDecodeError, and accepts exactly what Baileys accepts among well-formed pads', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        expectOnly(MessageDecodeError, () => unpadPlaintext(bytes));
        let ours: Uint8Array | undefined;
        try {
          ours = unpadPlaintext(bytes);
        } catch {}
        let theirs: Uint8Array | undefined;
        try {
          theirs = unpadRandomMax16(bytes);
        } catch {}
        // Baileys accepts N = 0 and mixed padding bytes; where we accept, it agrees on the result.
        if (ours !== undefined) expect(theirs).toEqual(ours);
      }),
    );
  });

  it('strips what Baileys pads', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (plaintext) => {
        expect(unpadPlaintext(new Uint8Array(writeRandomPadMax16(plaintext)))).toEqual(plaintext);
      }),
    );
  });
});
