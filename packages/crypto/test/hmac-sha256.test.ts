/**
 * The synchronous SHA-256, HMAC-SHA256 and HKDF-SHA256 (`src/_sha256.ts`, `hmacSha256`,
 * `HmacSha256Key`, `hkdfSha256`): FIPS 180-4 examples and every length 0–300 against node:crypto,
 * all Wycheproof HMAC and HKDF cases, RFC 4231 and RFC 5869, and properties against node:crypto.
 * Every HMAC vector runs through the three entry points (one-shot, prepared key, parts), since
 * they share module scratch and each starts the hash from a different place.
 */
import { Buffer } from 'node:buffer';
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../src/_sha256';
import { HmacSha256Key, hkdfSha256, hmacSha256, nobleCrypto } from '../src/index';
import { hex, loadVector, toHex, utf8, type WycheproofFile } from './vectors';

const hmacVectors = loadVector<WycheproofFile<{ tagSize: number; key: string; msg: string; tag: string }>>(
  'wycheproof-hmac-sha256.json',
);
const hkdfVectors = loadVector<
  WycheproofFile<{ ikm: string; salt: string; info: string; size: number; okm: string }>
>('wycheproof-hkdf-sha256.json');
const rfc5869 = loadVector<{
  cases: { name: string; ikm: string; salt: string; info: string; length: number; okm: string }[];
}>('rfc5869-hkdf-sha256.json');

const nodeSha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const nodeHmac = (key: Uint8Array, data: Uint8Array): string =>
  createHmac('sha256', key).update(data).digest('hex');
const nodeHkdf = (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): string =>
  Buffer.from(hkdfSync('sha256', ikm, salt, info, length)).toString('hex');

/** Splits `data` at `cuts` (sorted or not, clamped to its length) into consecutive parts. */
function split(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [0, ...cuts.map((c) => Math.min(c, data.length)).sort((a, b) => a - b), data.length];
  return points.slice(1).map((end, i) => data.subarray(points[i], end));
}

/** All three ways to compute HMAC-SHA256(key, data), as hex. */
function allMacs(key: Uint8Array, data: Uint8Array, cuts: number[] = [1, 64]): string[] {
  const prepared = new HmacSha256Key(key);
  return [hmacSha256(key, data), prepared.mac(data), prepared.macParts(split(data, cuts))].map(toHex);
}

describe('SHA-256 (the engine under HMAC and HKDF)', () => {
  /** FIPS 180-4's examples (as published in its example document: one block, two blocks) plus "". */
  const KATS = [
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ] as const;

  for (const [input, digest] of KATS) {
    it(`hashes the FIPS 180-4 example "${input.slice(0, 12)}" (${input.length} bytes)`, () => {
      expect(toHex(sha256(utf8(input)))).toBe(digest);
    });
  }

  it('hashes one million "a" as FIPS 180-4 gives (many whole blocks straight from the input)', () => {
    expect(toHex(sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('agrees with node:crypto on every length 0–300 (each padding case: 55/56/63/64 bytes and their multiples)', () => {
    for (let length = 0; length <= 300; length++) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 167 + length) & 0xff);
      expect(toHex(sha256(data)), `length ${length}`).toBe(nodeSha256(data));
    }
  });

  it('hashes a subarray view, not its whole buffer, and leaves it unchanged', () => {
    const backing = Uint8Array.from({ length: 200 }, (_, i) => i);
    const view = backing.subarray(7, 150);
    expect(toHex(sha256(view))).toBe(nodeSha256(view));
    expect(backing).toEqual(Uint8Array.from({ length: 200 }, (_, i) => i));
  });

  it('agrees with node:crypto on any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), (data) => {
        expect(toHex(sha256(data))).toBe(nodeSha256(data));
      }),
    );
  });
});

describe('HMAC-SHA256: hmacSha256 and HmacSha256Key', () => {
  it('holds the 174 Wycheproof HMAC-SHA256 tests, 128- and 256-bit tags', () => {
    expect(hmacVectors.tests).toHaveLength(174);
    expect(new Set(hmacVectors.tests.map((t) => t.tagSize))).toEqual(new Set([128, 256]));
  });

  for (const t of hmacVectors.tests) {
    // A truncated HMAC is the tag's prefix (RFC 2104 §5): the invalid cases are tags with bits
    // changed, so their prefix must differ from what we compute.
    it(`${t.result === 'valid' ? 'matches' : 'does not match'} Wycheproof tcId ${t.tcId} (${t.comment}, ${t.tagSize}-bit tag)`, () => {
      const [oneShot, ...others] = allMacs(hex(t.key), hex(t.msg));
      expect(others).toEqual([oneShot, oneShot]);
      const prefix = oneShot!.slice(0, t.tagSize / 4);
      if (t.result === 'valid') expect(prefix).toBe(t.tag);
      else expect(prefix).not.toBe(t.tag);
    });
  }

  /** RFC 4231 §4.2–4.8, HMAC-SHA-256 rows (test case 5's tag is truncated to 128 bits). */
  const RFC4231 = [
    ['0b'.repeat(20), utf8('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    [
      toHex(utf8('Jefe')),
      utf8('what do ya want for nothing?'),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    ],
    [
      'aa'.repeat(20),
      hex('dd'.repeat(50)),
      '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
    ],
    [
      '0102030405060708090a0b0c0d0e0f10111213141516171819',
      hex('cd'.repeat(50)),
      '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
    ],
    ['0c'.repeat(20), utf8('Test With Truncation'), 'a3b6167473100ee06e0c796c2955552b'],
    [
      'aa'.repeat(131),
      utf8('Test Using Larger Than Block-Size Key - Hash Key First'),
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    ],
    [
      'aa'.repeat(131),
      utf8(
        'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
      ),
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    ],
  ] as const;

  RFC4231.forEach(([key, data, tag], i) => {
    it(`computes RFC 4231 test case ${i + 1}`, () => {
      // node:crypto checks the transcription of each value before it judges ours.
      expect(nodeHmac(hex(key), data).slice(0, tag.length)).toBe(tag);
      for (const mac of allMacs(hex(key), data)) expect(mac.slice(0, tag.length)).toBe(tag);
    });
  });

  it('agrees with node:crypto for any key (longer than a block included), message and split into parts', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat({ max: 300 }), { maxLength: 5 }),
        (key, data, cuts) => {
          const reference = nodeHmac(key, data);
          expect(allMacs(key, data, cuts)).toEqual([reference, reference, reference]);
        },
      ),
    );
  });

  it('a prepared key gives the one-shot result for many messages, interleaved with other keys', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        fc.uint8Array({ maxLength: 100 }),
        fc.array(fc.uint8Array({ maxLength: 150 }), { minLength: 2, maxLength: 20 }),
        (keyA, keyB, messages) => {
          const a = new HmacSha256Key(keyA);
          const b = new HmacSha256Key(keyB);
          for (const message of messages) {
            // Another key's MAC and a one-shot in between must not disturb either prepared key.
            expect(toHex(a.mac(message))).toBe(toHex(hmacSha256(keyA, message)));
            expect(toHex(b.mac(message))).toBe(nodeHmac(keyB, message));
            expect(toHex(a.mac(message))).toBe(nodeHmac(keyA, message));
          }
        },
      ),
    );
  });

  it('a prepared key keeps no reference to the key array: changing it afterwards changes nothing', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const prepared = new HmacSha256Key(key);
    const expected = nodeHmac(key, utf8('message'));
    key.fill(0xff);
    expect(toHex(prepared.mac(utf8('message')))).toBe(expected);
  });

  it('reads views and Buffers by their own bytes, returns fresh 32-byte arrays and changes no input', () => {
    const backing = Uint8Array.from({ length: 300 }, (_, i) => i);
    const key = backing.subarray(100, 140);
    const data = Buffer.from(backing.buffer, 150, 120);
    const reference = nodeHmac(key, data);
    const macs = [hmacSha256(key, data), new HmacSha256Key(key).mac(data)];
    for (const mac of macs) {
      expect(toHex(mac)).toBe(reference);
      expect(mac.byteLength).toBe(32);
      expect(mac.buffer.byteLength).toBe(32);
    }
    expect(macs[0]).not.toBe(macs[1]);
    expect(backing).toEqual(Uint8Array.from({ length: 300 }, (_, i) => i));
  });

  it('refuses a key or message that is not a Uint8Array with a TypeError', () => {
    expect(() => hmacSha256('key' as unknown as Uint8Array, new Uint8Array(1))).toThrow(
      new TypeError('"key" expected Uint8Array, got type=string'),
    );
    expect(() => new HmacSha256Key([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => new HmacSha256Key(new Uint8Array(1)).mac(null as unknown as Uint8Array)).toThrow(
      new TypeError('"data" expected Uint8Array, got type=null'),
    );
    expect(() => new HmacSha256Key(new Uint8Array(1)).macParts([new Uint8Array(1), 7 as never])).toThrow(
      TypeError,
    );
  });
});

describe('HKDF-SHA256: hkdfSha256', () => {
  it('holds the 86 Wycheproof HKDF-SHA256 tests', () => {
    expect(hkdfVectors.tests).toHaveLength(86);
  });

  for (const t of hkdfVectors.tests) {
    const options = { salt: hex(t.salt), info: hex(t.info) };
    if (t.result === 'valid') {
      it(`derives Wycheproof tcId ${t.tcId} (${t.comment || t.flags.join(', ')}, ${t.size} bytes)`, () => {
        expect(toHex(hkdfSha256(hex(t.ikm), t.size, options))).toBe(t.okm);
      });
    } else {
      // Every invalid HKDF case asks for more than 255 * 32 bytes (RFC 5869 §2.3).
      it(`refuses Wycheproof tcId ${t.tcId} (${t.flags.join(', ')}: ${t.size} bytes) with a RangeError`, () => {
        expect(() => hkdfSha256(hex(t.ikm), t.size, options)).toThrow(RangeError);
      });
    }
  }

  for (const c of rfc5869.cases) {
    it(`derives ${c.name}`, () => {
      expect(toHex(hkdfSha256(hex(c.ikm), c.length, { salt: hex(c.salt), info: hex(c.info) }))).toBe(c.okm);
    });
  }

  it('takes no salt, an empty salt and any all-zero salt up to 64 bytes as the default (one cached key)', () => {
    const ikm = hex('0b'.repeat(22));
    // RFC 5869 A.3: no salt, no info.
    const a3 = '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8';
    expect(toHex(hkdfSha256(ikm, 42))).toBe(a3);
    for (const length of [0, 1, 32, 64]) {
      expect(toHex(hkdfSha256(ikm, 42, { salt: new Uint8Array(length) })), `${length} zeros`).toBe(a3);
    }
    // 65 zero bytes are longer than a block, so HMAC hashes them: a different key.
    const hashedZeros = nodeHkdf(ikm, new Uint8Array(65), new Uint8Array(0), 42);
    expect(hashedZeros).not.toBe(a3);
    expect(toHex(hkdfSha256(ikm, 42, { salt: new Uint8Array(65) }))).toBe(hashedZeros);
  });

  it('keeps the cached default-salt key intact across derivations with other salts', () => {
    const ikm = utf8('input keying material');
    const info = utf8('WhisperMessageKeys');
    const expected = nodeHkdf(ikm, new Uint8Array(32), info, 80);
    expect(toHex(hkdfSha256(ikm, 80, { info }))).toBe(expected);
    hkdfSha256(ikm, 80, { salt: new Uint8Array(32).fill(1), info });
    hmacSha256(new Uint8Array(32), ikm);
    expect(toHex(hkdfSha256(ikm, 80, { info }))).toBe(expected);
  });

  it('gives the providers’ bytes for Signal’s shapes (80 and 48 bytes, zero salt; 64 bytes, root key salt)', async () => {
    const seed = Uint8Array.from({ length: 32 }, (_, i) => i * 5);
    const rootKey = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
    const shapes = [
      [80, { salt: new Uint8Array(32), info: utf8('WhisperMessageKeys') }],
      [48, { info: utf8('WhisperGroup') }],
      [64, { salt: rootKey, info: utf8('WhisperRatchet') }],
    ] as const;
    for (const [length, options] of shapes) {
      expect(toHex(hkdfSha256(seed, length, options))).toBe(
        toHex(await nobleCrypto.hkdf(seed, length, options)),
      );
    }
  });

  it('derives 0 bytes and the maximum 8160, and refuses 8161 and -1 with the providers’ RangeError', () => {
    expect(hkdfSha256(new Uint8Array(8), 0)).toHaveLength(0);
    expect(toHex(hkdfSha256(new Uint8Array(8), 8160))).toBe(
      nodeHkdf(new Uint8Array(8), new Uint8Array(0), new Uint8Array(0), 8160),
    );
    expect(() => hkdfSha256(new Uint8Array(8), 8161)).toThrow(
      new RangeError('"length" expected integer in [0, 8160], got 8161'),
    );
    expect(() => hkdfSha256(new Uint8Array(8), -1)).toThrow(RangeError);
    expect(() => hkdfSha256(new Uint8Array(8), 1.5)).toThrow(RangeError);
  });

  it('refuses inputs that are not Uint8Arrays with a TypeError', () => {
    expect(() => hkdfSha256('ikm' as unknown as Uint8Array, 32)).toThrow(
      new TypeError('"ikm" expected Uint8Array, got type=string'),
    );
    expect(() => hkdfSha256(new Uint8Array(1), 32, { salt: [0] as unknown as Uint8Array })).toThrow(
      TypeError,
    );
    expect(() => hkdfSha256(new Uint8Array(1), 32, { info: 'x' as unknown as Uint8Array })).toThrow(
      TypeError,
    );
  });

  it('agrees with node:crypto hkdfSync for any input and length', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        // Salts: often all-zero (the cached path), sometimes longer than a block (hashed).
        fc.oneof(
          fc.uint8Array({ maxLength: 100 }),
          fc.nat({ max: 80 }).map((n) => new Uint8Array(n)),
        ),
        fc.uint8Array({ maxLength: 100 }),
        fc.integer({ min: 0, max: 400 }),
        (ikm, salt, info, length) => {
          expect(toHex(hkdfSha256(ikm, length, { salt, info }))).toBe(nodeHkdf(ikm, salt, info, length));
        },
      ),
    );
  });
});
