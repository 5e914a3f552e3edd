import { Buffer } from 'node:buffer';
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AesGcmKey, isDecryptError } from '../src/index';
import { PROVIDERS } from './providers';
import { hex, loadVector, toHex, type WycheproofFile } from './vectors';

const gcmVectors = loadVector<
  WycheproofFile<{ key: string; iv: string; aad: string; msg: string; ct: string; tag: string }>
>('wycheproof-aes256-gcm.json');
const cbcVectors = loadVector<WycheproofFile<{ key: string; iv: string; msg: string; ct: string }>>(
  'wycheproof-aes256-cbc-pkcs7.json',
);

/** NIST SP 800-38A, Appendix F.5.5 CTR-AES256.Encrypt. */
const SP800_38A_F55 = {
  key: '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4',
  counter: 'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff',
  plaintext:
    '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51' +
    '30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
  ciphertext:
    '601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5' +
    '2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6',
};

/** Expects a promise to reject with the package's DecryptError (from any copy of the package). */
async function expectDecryptError(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isDecryptError(error), `expected DecryptError, got ${String(error)}`).toBe(true);
}

describe.each(PROVIDERS)('AES-256-GCM, $name provider', (crypto) => {
  it('holds the 66 Wycheproof AES-256-GCM tests with 12-byte IVs and 16-byte tags', () => {
    expect(gcmVectors.tests).toHaveLength(66);
    for (const t of gcmVectors.tests) {
      expect(t.iv).toHaveLength(24);
      expect(t.tag).toHaveLength(32);
    }
  });

  for (const t of gcmVectors.tests) {
    const [key, iv, aad, msg] = [hex(t.key), hex(t.iv), hex(t.aad), hex(t.msg)];
    const sealed = hex(t.ct + t.tag);
    if (t.result === 'valid') {
      it(`encrypts and decrypts Wycheproof tcId ${t.tcId} (${t.comment})`, async () => {
        expect(toHex(await crypto.aesGcmEncrypt(key, iv, msg, aad))).toBe(t.ct + t.tag);
        expect(toHex(await crypto.aesGcmDecrypt(key, iv, sealed, aad))).toBe(t.msg);
      });
    } else {
      // The file has no "acceptable" GCM cases; every invalid one is a modified tag.
      it(`refuses Wycheproof tcId ${t.tcId} (${t.comment}) with DecryptError`, async () => {
        await expectDecryptError(crypto.aesGcmDecrypt(key, iv, sealed, aad));
      });
    }
  }

  const key = new Uint8Array(32).fill(1);
  const iv = new Uint8Array(12).fill(2);

  it('treats a missing AAD as empty AAD', async () => {
    const data = new Uint8Array([1, 2, 3]);
    const sealed = await crypto.aesGcmEncrypt(key, iv, data);
    expect(toHex(sealed)).toBe(toHex(await crypto.aesGcmEncrypt(key, iv, data, new Uint8Array(0))));
    expect(toHex(await crypto.aesGcmDecrypt(key, iv, sealed, new Uint8Array(0)))).toBe('010203');
  });

  it('refuses a ciphertext decrypted with different AAD', async () => {
    const sealed = await crypto.aesGcmEncrypt(key, iv, new Uint8Array(5), new Uint8Array([1]));
    await expectDecryptError(crypto.aesGcmDecrypt(key, iv, sealed, new Uint8Array([2])));
    await expectDecryptError(crypto.aesGcmDecrypt(key, iv, sealed));
  });

  it('refuses a ciphertext shorter than the tag with DecryptError, not a RangeError', async () => {
    for (const length of [0, 1, 15]) {
      await expectDecryptError(crypto.aesGcmDecrypt(key, iv, new Uint8Array(length)));
    }
  });

  it('seals the empty plaintext to a bare tag that opens again', async () => {
    const sealed = await crypto.aesGcmEncrypt(key, iv, new Uint8Array(0));
    expect(sealed).toHaveLength(16);
    expect(await crypto.aesGcmDecrypt(key, iv, sealed)).toHaveLength(0);
  });

  it('leaves the reserved zero bytes in front of ciphertext || tag and nothing else changes', async () => {
    const key = new Uint8Array(32).fill(7);
    const iv = new Uint8Array(12).fill(9);
    const plaintext = new TextEncoder().encode('frame payload');
    const plain = await crypto.aesGcmEncrypt(key, iv, plaintext);
    for (const reserve of [0, 1, 3, 64]) {
      const sealed = await crypto.aesGcmEncrypt(key, iv, plaintext, undefined, { reserve });
      expect(sealed.length).toBe(reserve + plain.length);
      expect(sealed.subarray(0, reserve)).toEqual(new Uint8Array(reserve));
      expect(sealed.subarray(reserve)).toEqual(plain);
      expect(sealed.byteOffset).toBe(0);
      expect(sealed.buffer.byteLength).toBe(sealed.length);
      expect(await crypto.aesGcmDecrypt(key, iv, sealed.subarray(reserve))).toEqual(plaintext);
    }
  });

  it('rejects a reserve that is not an integer in [0, 64]', async () => {
    const key = new Uint8Array(32);
    const iv = new Uint8Array(12);
    for (const reserve of [-1, 65, 1.5]) {
      await expect(crypto.aesGcmEncrypt(key, iv, new Uint8Array(1), undefined, { reserve })).rejects.toThrow(
        RangeError,
      );
    }
  });

  it('rejects keys and IVs of the wrong size with precise RangeErrors', async () => {
    await expect(crypto.aesGcmEncrypt(new Uint8Array(31), iv, new Uint8Array(1))).rejects.toThrow(
      new RangeError('"key" expected Uint8Array of length 32, got length=31'),
    );
    await expect(crypto.aesGcmDecrypt(key, new Uint8Array(16), new Uint8Array(16))).rejects.toThrow(
      new RangeError('"iv" expected Uint8Array of length 12, got length=16'),
    );
    await expect(crypto.aesGcmEncrypt(key, iv, 'text' as unknown as Uint8Array)).rejects.toThrow(
      new TypeError('"plaintext" expected Uint8Array, got type=string'),
    );
  });

  it('round-trips any plaintext and AAD, leaving its inputs untouched', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 600 }),
        fc.uint8Array({ maxLength: 40 }),
        async (data, aad) => {
          const before = toHex(data);
          const sealed = await crypto.aesGcmEncrypt(key, iv, data, aad);
          expect(toHex(data)).toBe(before);
          expect(toHex(await crypto.aesGcmDecrypt(key, iv, sealed, aad))).toBe(before);
        },
      ),
    );
  });
});

describe.each(PROVIDERS)('prepared AES-256-GCM keys (aesGcmKey), $name provider', (crypto) => {
  /** The provider's prepared key; both of this package's providers must offer one. */
  const prepare = (key: Uint8Array): AesGcmKey => {
    expect(crypto.aesGcmKey, `${crypto.name} has no aesGcmKey`).toBeTypeOf('function');
    return crypto.aesGcmKey!(key);
  };

  it('encrypts, decrypts and refuses every Wycheproof AES-256-GCM test as the one-shot methods do', async () => {
    let valid = 0;
    let refused = 0;
    for (const t of gcmVectors.tests) {
      const prepared = prepare(hex(t.key));
      const [iv, aad, sealed] = [hex(t.iv), hex(t.aad), hex(t.ct + t.tag)];
      if (t.result === 'valid') {
        expect(toHex(await prepared.encrypt(iv, hex(t.msg), aad)), `tcId ${t.tcId}`).toBe(t.ct + t.tag);
        expect(toHex(await prepared.decrypt(iv, sealed, aad)), `tcId ${t.tcId}`).toBe(t.msg);
        valid++;
      } else {
        await expectDecryptError(prepared.decrypt(iv, sealed, aad));
        refused++;
      }
    }
    expect([valid, refused]).toEqual([39, 27]);
  });

  it("copies its key: rewriting the caller's array afterwards changes nothing", async () => {
    const key = Buffer.alloc(32, 5);
    const iv = new Uint8Array(12).fill(6);
    const prepared = prepare(key);
    key.fill(0);
    const plaintext = Uint8Array.of(1, 2, 3);
    const expected = await crypto.aesGcmEncrypt(new Uint8Array(32).fill(5), iv, plaintext);
    expect(await prepared.encrypt(iv, plaintext)).toEqual(expected);
    expect(await prepared.decrypt(iv, expected)).toEqual(plaintext);
  });

  it('reads the IV before the call returns, so the caller may rewrite it at once', async () => {
    const key = new Uint8Array(32).fill(8);
    const prepared = prepare(key);
    const iv = new Uint8Array(12);
    const plaintext = Uint8Array.of(4, 5, 6);
    const sealed: Promise<Uint8Array>[] = [];
    const opened: Promise<Uint8Array>[] = [];
    const references: Uint8Array[] = [];
    for (let n = 0; n < 3; n++) {
      iv[11] = n;
      references.push(await crypto.aesGcmEncrypt(key, iv, plaintext));
    }
    for (let n = 0; n < 3; n++) {
      iv[11] = n;
      sealed.push(prepared.encrypt(iv, plaintext));
      opened.push(prepared.decrypt(iv, references[n]!));
    }
    iv.fill(0xff);
    expect(await Promise.all(sealed)).toEqual(references);
    expect(await Promise.all(opened)).toEqual([plaintext, plaintext, plaintext]);
  });

  it('returns plain Uint8Arrays that own their buffer, with the reserved bytes in front', async () => {
    const prepared = prepare(new Uint8Array(32).fill(2));
    const iv = new Uint8Array(12);
    const sealed = await prepared.encrypt(iv, new Uint8Array(20), undefined, { reserve: 3 });
    const opened = await prepared.decrypt(iv, sealed.subarray(3));
    for (const result of [sealed, opened]) {
      expect(Object.getPrototypeOf(result)).toBe(Uint8Array.prototype);
      expect(result.byteOffset).toBe(0);
      expect(result.byteLength).toBe(result.buffer.byteLength);
    }
    expect(sealed.subarray(0, 3)).toEqual(new Uint8Array(3));
    expect(opened).toEqual(new Uint8Array(20));
  });

  it("refuses misuse with the one-shot methods' errors: the key at once, the rest as rejections", async () => {
    expect(() => crypto.aesGcmKey!(new Uint8Array(31))).toThrow(
      new RangeError('"key" expected Uint8Array of length 32, got length=31'),
    );
    expect(() => crypto.aesGcmKey!('k' as unknown as Uint8Array)).toThrow(
      new TypeError('"key" expected Uint8Array, got type=string'),
    );
    const prepared = prepare(new Uint8Array(32));
    await expect(prepared.encrypt(new Uint8Array(16), new Uint8Array(1))).rejects.toThrow(
      new RangeError('"iv" expected Uint8Array of length 12, got length=16'),
    );
    await expect(prepared.decrypt(new Uint8Array(11), new Uint8Array(16))).rejects.toThrow(
      new RangeError('"iv" expected Uint8Array of length 12, got length=11'),
    );
    await expect(prepared.encrypt(new Uint8Array(12), 'text' as unknown as Uint8Array)).rejects.toThrow(
      new TypeError('"plaintext" expected Uint8Array, got type=string'),
    );
    await expect(
      prepared.encrypt(new Uint8Array(12), new Uint8Array(1), undefined, { reserve: 65 }),
    ).rejects.toThrow(RangeError);
    await expectDecryptError(prepared.decrypt(new Uint8Array(12), new Uint8Array(15)));
  });
});

describe.each(PROVIDERS)('prepared AES-256-GCM keys, synchronous methods, $name provider', (crypto) => {
  /** The provider's prepared key with its synchronous methods; both of this package's providers offer them. */
  const prepare = (key: Uint8Array): Required<AesGcmKey> => {
    const prepared = crypto.aesGcmKey!(key);
    expect(prepared.encryptSync, `${crypto.name} has no encryptSync`).toBeTypeOf('function');
    expect(prepared.decryptSync, `${crypto.name} has no decryptSync`).toBeTypeOf('function');
    return prepared as Required<AesGcmKey>;
  };

  /** What `run` throws, or a failure when it returns. */
  const thrown = (run: () => unknown): unknown => {
    try {
      run();
    } catch (error) {
      return error;
    }
    return expect.fail('expected a throw, got a return');
  };

  it('encrypts, decrypts and refuses every Wycheproof AES-256-GCM test, refusals thrown as DecryptError', () => {
    let valid = 0;
    let refused = 0;
    for (const t of gcmVectors.tests) {
      const prepared = prepare(hex(t.key));
      const [iv, aad, sealed] = [hex(t.iv), hex(t.aad), hex(t.ct + t.tag)];
      if (t.result === 'valid') {
        expect(toHex(prepared.encryptSync(iv, hex(t.msg), aad)), `tcId ${t.tcId}`).toBe(t.ct + t.tag);
        expect(toHex(prepared.decryptSync(iv, sealed, aad)), `tcId ${t.tcId}`).toBe(t.msg);
        valid++;
      } else {
        const error = thrown(() => prepared.decryptSync(iv, sealed, aad));
        expect(isDecryptError(error), `tcId ${t.tcId}: ${String(error)}`).toBe(true);
        refused++;
      }
    }
    expect([valid, refused]).toEqual([39, 27]);
  });

  it('returns plain Uint8Arrays that own their buffer, with the reserved bytes in front', () => {
    const prepared = prepare(new Uint8Array(32).fill(2));
    const iv = new Uint8Array(12);
    const sealed = prepared.encryptSync(iv, new Uint8Array(20), undefined, { reserve: 3 });
    const opened = prepared.decryptSync(iv, sealed.subarray(3));
    for (const result of [sealed, opened]) {
      expect(Object.getPrototypeOf(result)).toBe(Uint8Array.prototype);
      expect(result.byteOffset).toBe(0);
      expect(result.byteLength).toBe(result.buffer.byteLength);
    }
    expect(sealed.subarray(0, 3)).toEqual(new Uint8Array(3));
    expect(opened).toEqual(new Uint8Array(20));
  });

  it('throws, at once, what the promises reject with on misuse', () => {
    const prepared = prepare(new Uint8Array(32));
    expect(() => prepared.encryptSync(new Uint8Array(16), new Uint8Array(1))).toThrow(
      new RangeError('"iv" expected Uint8Array of length 12, got length=16'),
    );
    expect(() => prepared.decryptSync(new Uint8Array(11), new Uint8Array(16))).toThrow(
      new RangeError('"iv" expected Uint8Array of length 12, got length=11'),
    );
    expect(() => prepared.encryptSync(new Uint8Array(12), 'text' as unknown as Uint8Array)).toThrow(
      new TypeError('"plaintext" expected Uint8Array, got type=string'),
    );
    expect(() => prepared.decryptSync(new Uint8Array(12), [1, 2] as unknown as Uint8Array)).toThrow(
      TypeError,
    );
    expect(() =>
      prepared.encryptSync(new Uint8Array(12), new Uint8Array(1), undefined, { reserve: 65 }),
    ).toThrow(RangeError);
    expect(isDecryptError(thrown(() => prepared.decryptSync(new Uint8Array(12), new Uint8Array(15))))).toBe(
      true,
    );
  });

  it('gives what the promises give, byte for byte and error for error, on any input', async () => {
    /** The result as hex, or the error's class, code and message: comparable across the two paths. */
    const settle = async (run: () => Uint8Array | Promise<Uint8Array>): Promise<string> => {
      try {
        return toHex(await run());
      } catch (error) {
        const e = error as Error & { code?: string };
        return `${e.name} ${e.code ?? ''}: ${e.message}`;
      }
    };
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.option(fc.uint8Array({ maxLength: 40 }), { nil: undefined }),
        fc.integer({ min: -1, max: 65 }),
        fc.nat(2),
        fc.nat(),
        async (key, iv, plaintext, aad, reserve, how, at) => {
          const prepared = prepare(key);
          const options = { reserve };
          expect(await settle(() => prepared.encryptSync(iv, plaintext, aad, options))).toBe(
            await settle(() => prepared.encrypt(iv, plaintext, aad, options)),
          );
          // Intact, truncated or with one bit flipped, so refusals are compared as well as results.
          let sealed = await prepared.encrypt(iv, plaintext, aad);
          if (how === 1) sealed = sealed.subarray(0, at % sealed.length);
          if (how === 2) sealed[at % sealed.length]! ^= 1 << (at % 8);
          const opened = await settle(() => prepared.decryptSync(iv, sealed, aad));
          expect(opened).toBe(await settle(() => prepared.decrypt(iv, sealed, aad)));
          expect(opened === toHex(plaintext)).toBe(how === 0);
        },
      ),
    );
  });
});

describe.each(PROVIDERS)('AES-256-CBC with PKCS#7, $name provider', (crypto) => {
  it('holds the 72 Wycheproof AES-256-CBC-PKCS5 tests', () => {
    expect(cbcVectors.tests).toHaveLength(72);
  });

  for (const t of cbcVectors.tests) {
    const [key, iv, msg, ct] = [hex(t.key), hex(t.iv), hex(t.msg), hex(t.ct)];
    if (t.result === 'valid') {
      it(`encrypts and decrypts Wycheproof tcId ${t.tcId} (${t.comment})`, async () => {
        expect(toHex(await crypto.aesCbcEncrypt(key, iv, msg))).toBe(t.ct);
        expect(toHex(await crypto.aesCbcDecrypt(key, iv, ct))).toBe(t.msg);
      });
    } else {
      // No "acceptable" CBC cases exist in the file: invalid means bad padding or no ciphertext.
      it(`refuses Wycheproof tcId ${t.tcId} (${t.comment}) with DecryptError`, async () => {
        await expectDecryptError(crypto.aesCbcDecrypt(key, iv, ct));
      });
    }
  }

  const key = new Uint8Array(32).fill(3);
  const iv = new Uint8Array(16).fill(4);

  it("gives the bytes of node:crypto with OpenSSL padding at every length around the node provider's switch (4096) and for a long plaintext", async () => {
    const key = new Uint8Array(32).fill(7);
    const iv = new Uint8Array(16).fill(9);
    for (const length of [0, 15, 16, 17, ...Array.from({ length: 40 }, (_, i) => 4076 + i), 100_000]) {
      const plaintext = Uint8Array.from({ length }, (_, i) => (i * 31) & 0xff);
      const cipher = createCipheriv('aes-256-cbc', key, iv);
      const expected = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const sealed = await crypto.aesCbcEncrypt(key, iv, plaintext);
      expect(Buffer.from(sealed).equals(expected), `length ${length}`).toBe(true);
      expect(await crypto.aesCbcDecrypt(key, iv, sealed)).toEqual(plaintext);
    }
  });

  it('refuses ciphertexts that are not a positive multiple of 16 bytes', async () => {
    for (const length of [0, 1, 15, 17, 33]) {
      await expectDecryptError(crypto.aesCbcDecrypt(key, iv, new Uint8Array(length)));
    }
  });

  it('pads a whole block when the plaintext is a multiple of 16 bytes', async () => {
    expect(await crypto.aesCbcEncrypt(key, iv, new Uint8Array(32))).toHaveLength(48);
    expect(await crypto.aesCbcEncrypt(key, iv, new Uint8Array(0))).toHaveLength(16);
  });

  it('rejects an IV of the wrong size with a RangeError', async () => {
    await expect(crypto.aesCbcEncrypt(key, new Uint8Array(12), new Uint8Array(1))).rejects.toThrow(
      new RangeError('"iv" expected Uint8Array of length 16, got length=12'),
    );
  });

  it('round-trips any plaintext', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (data) => {
        const ct = await crypto.aesCbcEncrypt(key, iv, data);
        expect(ct.length).toBe((Math.floor(data.length / 16) + 1) * 16);
        expect(toHex(await crypto.aesCbcDecrypt(key, iv, ct))).toBe(toHex(data));
      }),
    );
  });
});

describe.each(PROVIDERS)('AES-256-CTR, $name provider', (crypto) => {
  const v = SP800_38A_F55;

  it('encrypts the NIST SP 800-38A F.5.5 CTR-AES256 example and decrypts it back', async () => {
    expect(toHex(await crypto.aesCtr(hex(v.key), hex(v.counter), hex(v.plaintext)))).toBe(v.ciphertext);
    expect(toHex(await crypto.aesCtr(hex(v.key), hex(v.counter), hex(v.ciphertext)))).toBe(v.plaintext);
  });

  it('handles a final partial block as a prefix of the keystream', async () => {
    const out = await crypto.aesCtr(hex(v.key), hex(v.counter), hex(v.plaintext.slice(0, 2 * 37)));
    expect(toHex(out)).toBe(v.ciphertext.slice(0, 2 * 37));
  });

  it('carries the counter through all 128 bits, as node:crypto (OpenSSL) does', async () => {
    const key = hex(v.key);
    for (const counter of ['ffffffffffffffffffffffffffffffff', '00000000000000000000ffffffffffff']) {
      const data = new Uint8Array(64).fill(0x5a);
      const reference = createCipheriv('aes-256-ctr', key, hex(counter)).update(data);
      expect(toHex(await crypto.aesCtr(key, hex(counter), data))).toBe(toHex(reference));
    }
  });

  it('rejects a 12-byte nonce: the contract takes the full 16-byte counter block', async () => {
    await expect(crypto.aesCtr(hex(v.key), new Uint8Array(12), new Uint8Array(1))).rejects.toThrow(
      new RangeError('"iv" expected Uint8Array of length 16, got length=12'),
    );
  });
});
