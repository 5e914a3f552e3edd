import { hkdfSync, pbkdf2Sync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from './providers';
import { hex, loadVector, toHex, utf8, type WycheproofFile } from './vectors';

const wycheproof = loadVector<
  WycheproofFile<{ ikm: string; salt: string; info: string; size: number; okm: string }>
>('wycheproof-hkdf-sha256.json');
const rfc5869 = loadVector<{
  cases: { name: string; ikm: string; salt: string; info: string; length: number; okm: string }[];
}>('rfc5869-hkdf-sha256.json');
const signalHkdf = loadVector<{
  hkdf: {
    cases: {
      name: string;
      message_version: number;
      length: number;
      ikm: string;
      salt: string;
      info: string;
      okm: string;
    }[];
  };
}>('signal-libsignal-java-kats.json').hkdf.cases;

/**
 * PBKDF2-HMAC-SHA256 known answers: RFC 7914 §11 (the first two) and the RFC 6070 inputs with
 * SHA-256 (as published in several libraries' tests). Each is also recomputed below with
 * node:crypto, so a mistyped constant cannot pass.
 */
const PBKDF2_KATS = [
  {
    password: 'passwd',
    salt: 'salt',
    iterations: 1,
    okm: '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783',
  },
  {
    password: 'Password',
    salt: 'NaCl',
    iterations: 80000,
    okm: '4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d',
  },
  {
    password: 'password',
    salt: 'salt',
    iterations: 1,
    okm: '120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b',
  },
  {
    password: 'password',
    salt: 'salt',
    iterations: 2,
    okm: 'ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43',
  },
  {
    password: 'password',
    salt: 'salt',
    iterations: 4096,
    okm: 'c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a',
  },
  {
    password: 'passwordPASSWORDpassword',
    salt: 'saltSALTsaltSALTsaltSALTsaltSALTsalt',
    iterations: 4096,
    okm: '348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9',
  },
  { password: 'pass\0word', salt: 'sa\0lt', iterations: 4096, okm: '89b69d0516f829893c696226650a8687' },
];

describe.each(PROVIDERS)('HKDF-SHA256, $name provider', (crypto) => {
  it('holds the 86 Wycheproof HKDF-SHA256 tests', () => {
    expect(wycheproof.tests).toHaveLength(86);
  });

  for (const t of wycheproof.tests) {
    const options = { salt: hex(t.salt), info: hex(t.info) };
    if (t.result === 'valid') {
      it(`derives Wycheproof tcId ${t.tcId} (${t.comment || t.flags.join(', ')}, ${t.size} bytes)`, async () => {
        expect(toHex(await crypto.hkdf(hex(t.ikm), t.size, options))).toBe(t.okm);
      });
    } else {
      // Every invalid HKDF case asks for more than 255 * 32 bytes (RFC 5869 §2.3).
      it(`refuses Wycheproof tcId ${t.tcId} (${t.flags.join(', ')}: ${t.size} bytes) with a RangeError`, async () => {
        await expect(crypto.hkdf(hex(t.ikm), t.size, options)).rejects.toThrow(RangeError);
      });
    }
  }

  for (const c of rfc5869.cases) {
    it(`derives ${c.name}`, async () => {
      const okm = await crypto.hkdf(hex(c.ikm), c.length, { salt: hex(c.salt), info: hex(c.info) });
      expect(toHex(okm)).toBe(c.okm);
    });
  }

  const v3 = signalHkdf.filter((c) => c.message_version === 3);
  it('runs both libsignal-java version-3 HKDF cases (version 2 is a pre-RFC variant WhatsApp never uses)', () => {
    expect(v3.map((c) => c.name)).toEqual(['testVectorV3', 'testVectorLongV3']);
  });
  for (const c of v3) {
    it(`derives libsignal-java HKDFTest ${c.name}`, async () => {
      const okm = await crypto.hkdf(hex(c.ikm), c.length, { salt: hex(c.salt), info: hex(c.info) });
      expect(toHex(okm)).toBe(c.okm);
    });
  }

  it('defaults the salt to 32 zero bytes and the info to empty (RFC 5869 §2.2)', async () => {
    const ikm = hex('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b');
    const a3 = '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8';
    expect(toHex(await crypto.hkdf(ikm, 42))).toBe(a3);
    expect(toHex(await crypto.hkdf(ikm, 42, { salt: new Uint8Array(32) }))).toBe(a3);
  });

  it('derives the maximum 8160 bytes and refuses 8161 with a precise RangeError', async () => {
    expect(await crypto.hkdf(new Uint8Array(8), 8160)).toHaveLength(8160);
    await expect(crypto.hkdf(new Uint8Array(8), 8161)).rejects.toThrow(
      new RangeError('"length" expected integer in [0, 8160], got 8161'),
    );
  });

  it('agrees with node:crypto hkdfSync for any input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.integer({ min: 1, max: 300 }),
        async (ikm, salt, info, length) => {
          const reference = Buffer.from(hkdfSync('sha256', ikm, salt, info, length)).toString('hex');
          expect(toHex(await crypto.hkdf(ikm, length, { salt, info }))).toBe(reference);
        },
      ),
    );
  });
});

describe.each(PROVIDERS)('PBKDF2-HMAC-SHA256, $name provider', (crypto) => {
  for (const k of PBKDF2_KATS) {
    it(`derives "${k.password}"/"${k.salt}" with ${k.iterations} iterations`, async () => {
      const length = k.okm.length / 2;
      const reference = pbkdf2Sync(k.password, k.salt, k.iterations, length, 'sha256').toString('hex');
      expect(reference).toBe(k.okm);
      expect(toHex(await crypto.pbkdf2(utf8(k.password), utf8(k.salt), k.iterations, length))).toBe(k.okm);
    });
  }

  it('refuses zero iterations and a zero length with RangeErrors', async () => {
    await expect(crypto.pbkdf2(utf8('p'), utf8('s'), 0, 32)).rejects.toThrow(
      new RangeError('"iterations" expected integer in [1, 2147483647], got 0'),
    );
    await expect(crypto.pbkdf2(utf8('p'), utf8('s'), 1, 0)).rejects.toThrow(RangeError);
  });
});
