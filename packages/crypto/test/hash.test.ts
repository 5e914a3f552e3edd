import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../src/index';
import { PROVIDERS } from './providers';
import { hex, loadVector, toHex, utf8, type WycheproofFile } from './vectors';

const hmacVectors = loadVector<WycheproofFile<{ tagSize: number; key: string; msg: string; tag: string }>>(
  'wycheproof-hmac-sha256.json',
);

/** FIPS 180-2 Appendix B/C examples (SHA-256: "abc", 448-bit; SHA-512: "abc", 896-bit) plus "". */
const SHA_KATS = [
  {
    input: '',
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    sha512:
      'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
  },
  {
    input: 'abc',
    sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    sha512:
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
  },
  {
    input: 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    sha256: '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  },
  {
    input:
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
    sha512:
      '8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909',
  },
];

describe.each(PROVIDERS)('SHA-2, $name provider', (crypto) => {
  for (const kat of SHA_KATS) {
    it(`hashes the FIPS 180-2 example "${kat.input.slice(0, 12)}..." (${kat.input.length} bytes)`, async () => {
      if (kat.sha256) expect(toHex(await crypto.sha256(utf8(kat.input)))).toBe(kat.sha256);
      if (kat.sha512) expect(toHex(await crypto.sha512(utf8(kat.input)))).toBe(kat.sha512);
    });
  }

  it('hashes one million "a" as FIPS 180-2 gives', async () => {
    const input = new Uint8Array(1_000_000).fill(0x61);
    expect(toHex(await crypto.sha256(input))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
    expect(toHex(await crypto.sha512(input))).toBe(
      'e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b',
    );
  });

  it('agrees with node:crypto on every length around the block boundaries', async () => {
    for (let length = 0; length <= 260; length++) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
      expect(toHex(await crypto.sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
      expect(toHex(await crypto.sha512(data))).toBe(createHash('sha512').update(data).digest('hex'));
    }
  });

  it('hashes a subarray view, not its whole buffer', async () => {
    const backing = Uint8Array.from({ length: 64 }, (_, i) => i);
    const view = backing.subarray(10, 20);
    expect(toHex(await crypto.sha256(view))).toBe(createHash('sha256').update(view).digest('hex'));
  });
});

describe("sha256 (synchronous, the package's own SHA-256)", () => {
  it('hashes the FIPS 180-2 examples and one million "a"', () => {
    for (const kat of SHA_KATS) if (kat.sha256) expect(toHex(sha256(utf8(kat.input)))).toBe(kat.sha256);
    expect(toHex(sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('agrees with node:crypto on any input, and on a subarray view', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(20), (data, cut) => {
        const view = data.subarray(Math.min(cut, data.length));
        expect(toHex(sha256(view))).toBe(createHash('sha256').update(view).digest('hex'));
      }),
    );
  });

  it('refuses what is not a Uint8Array', () => {
    expect(() => sha256('abc' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe.each(PROVIDERS)('HMAC, $name provider', (crypto) => {
  it('holds the 174 Wycheproof HMAC-SHA256 tests, truncated tags included', () => {
    expect(hmacVectors.tests).toHaveLength(174);
    expect(new Set(hmacVectors.tests.map((t) => t.tagSize)).size).toBeGreaterThan(1);
  });

  for (const t of hmacVectors.tests) {
    const tagLength = t.tagSize / 8;
    // A truncated HMAC is the leftmost bytes of the full tag (RFC 2104 §5), as WhatsApp uses 10
    // (media) and 8 (Signal) of them: compare that prefix.
    it(`${t.result === 'valid' ? 'matches' : 'does not match'} Wycheproof tcId ${t.tcId} (${t.comment}, ${t.tagSize}-bit tag)`, async () => {
      const mac = await crypto.hmac('sha256', hex(t.key), hex(t.msg));
      expect(mac).toHaveLength(32);
      const prefix = toHex(mac.subarray(0, tagLength));
      if (t.result === 'valid') expect(prefix).toBe(t.tag);
      else expect(prefix).not.toBe(t.tag);
    });
  }

  it('computes RFC 4231 test case 2 for SHA-256 and SHA-512', async () => {
    const key = utf8('Jefe');
    const data = utf8('what do ya want for nothing?');
    expect(toHex(await crypto.hmac('sha256', key, data))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(toHex(await crypto.hmac('sha512', key, data))).toBe(
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    );
  });

  it('agrees with node:crypto for any key and message, keys longer than a block included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('sha256' as const, 'sha512' as const),
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 300 }),
        async (hash, key, data) => {
          const reference = createHmac(hash, key).update(data).digest('hex');
          expect(toHex(await crypto.hmac(hash, key, data))).toBe(reference);
        },
      ),
    );
  });

  it('refuses an unknown hash name with a RangeError', async () => {
    await expect(crypto.hmac('sha1' as 'sha256', new Uint8Array(1), new Uint8Array(1))).rejects.toThrow(
      new RangeError(`"hash" expected 'sha256' or 'sha512', got 'sha1'`),
    );
  });
});
