import { type AesGcmKey, type CryptoProvider, nobleCrypto } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CipherState,
  HandshakeStateError,
  NOISE_NONCE_LIMIT,
  NoiseDecryptError,
  NonceExhaustedError,
  SyncCipherUnavailableError,
} from '../src/index';
import { thrown, withoutPreparedKeys, withoutSyncKeys } from './wa-helpers';

// Both providers with their prepared keys (aesGcmKey, synchronous methods included), and node twice
// more: prepared keys with promises only (the async prepared path), and no prepared keys (one-shot).
const PROVIDERS: readonly CryptoProvider[] = [
  nobleCrypto,
  nodeCrypto,
  withoutSyncKeys(nodeCrypto),
  withoutPreparedKeys(nodeCrypto),
];
// The providers whose keys work synchronously, and those whose keys do not.
const SYNC_PROVIDERS: readonly CryptoProvider[] = [nobleCrypto, nodeCrypto];
const ASYNC_ONLY_PROVIDERS: readonly CryptoProvider[] = [
  withoutSyncKeys(nodeCrypto),
  withoutPreparedKeys(nodeCrypto),
];
const EMPTY = new Uint8Array(0);
const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);

/** Noise §12.4: 4 zero bytes, then n as 8 bytes big-endian. */
function aesGcmNonce(n: bigint): Uint8Array {
  const iv = new Uint8Array(12);
  new DataView(iv.buffer).setBigUint64(4, n);
  return iv;
}

/**
 * `base`, except that AES-GCM reads its arguments only after a pause, like an engine that awaits
 * first. Such an engine cannot offer prepared keys (they read before returning), so it has none.
 */
function deferredReads(base: CryptoProvider): CryptoProvider {
  const later = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
  return {
    ...withoutPreparedKeys(base),
    name: `${base.name}-deferred`,
    aesGcmEncrypt: async (key, iv, plaintext, aad) => {
      await later();
      return base.aesGcmEncrypt(key, iv, plaintext, aad);
    },
    aesGcmDecrypt: async (key, iv, ciphertext, aad) => {
      await later();
      return base.aesGcmDecrypt(key, iv, ciphertext, aad);
    },
  };
}

describe.each(PROVIDERS.map((crypto) => [crypto.name, crypto] as const))(
  'CipherState with %s',
  (_, crypto) => {
    const key = bytes(32, 7);

    it('encrypts under the AESGCM nonce 0^32 || n as 64-bit big-endian, n counting from 0', async () => {
      const cs = new CipherState(key, { crypto });
      const ad = bytes(5, 1);
      for (const n of [0n, 1n, 2n]) {
        expect(cs.nonce).toBe(n);
        const expected = await crypto.aesGcmEncrypt(key, aesGcmNonce(n), bytes(3, 9), ad);
        expect(await cs.encryptWithAd(ad, bytes(3, 9))).toEqual(expected);
      }
      expect(cs.nonce).toBe(3n);
    });

    it('lays out nonces at and beyond 2^32 in the upper counter bytes', async () => {
      for (const n of [2n ** 32n - 1n, 2n ** 32n, 2n ** 40n + 5n, 2n ** 64n - 2n]) {
        const cs = new CipherState(key, { crypto });
        cs.setNonce(n);
        const expected = await crypto.aesGcmEncrypt(key, aesGcmNonce(n), bytes(4, 2), EMPTY);
        expect(await cs.encryptWithAd(EMPTY, bytes(4, 2))).toEqual(expected);
        expect(cs.nonce).toBe(n + 1n);
      }
    });

    it('passes plaintext and ciphertext through unchanged while it has no key', async () => {
      const cs = new CipherState(undefined, { crypto });
      expect(cs.hasKey()).toBe(false);
      expect(await cs.encryptWithAd(bytes(2, 1), bytes(4, 3))).toEqual(bytes(4, 3));
      expect(await cs.decryptWithAd(bytes(2, 1), bytes(4, 3))).toEqual(bytes(4, 3));
      expect(cs.nonce).toBe(0n);
    });

    it('decrypts what it encrypts, for any key, associated data and plaintext', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ minLength: 32, maxLength: 32 }),
          fc.uint8Array({ maxLength: 64 }),
          fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 5 }),
          async (k, ad, plaintexts) => {
            const sender = new CipherState(k, { crypto });
            const receiver = new CipherState(k, { crypto });
            for (const plaintext of plaintexts) {
              const ciphertext = await sender.encryptWithAd(ad, plaintext);
              expect(ciphertext.length).toBe(plaintext.length + 16);
              expect(await receiver.decryptWithAd(ad, ciphertext)).toEqual(plaintext);
            }
            expect(receiver.nonce).toBe(sender.nonce);
          },
        ),
        { numRuns: 50 },
      );
    });

    it('rejects a tampered ciphertext with NoiseDecryptError without advancing the nonce', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 100 }),
          fc.nat(),
          fc.integer({ min: 1, max: 255 }),
          async (plaintext, at, flip) => {
            const sender = new CipherState(key, { crypto });
            const receiver = new CipherState(key, { crypto });
            const ciphertext = await sender.encryptWithAd(EMPTY, plaintext);
            const tampered = ciphertext.slice();
            tampered[at % tampered.length] ^= flip;
            await expect(receiver.decryptWithAd(EMPTY, tampered)).rejects.toBeInstanceOf(NoiseDecryptError);
            expect(receiver.nonce).toBe(0n);
            expect(await receiver.decryptWithAd(EMPTY, ciphertext)).toEqual(plaintext);
            expect(receiver.nonce).toBe(1n);
          },
        ),
        { numRuns: 50 },
      );
    });

    it('rejects a ciphertext shorter than the tag, or under other associated data, with NoiseDecryptError', async () => {
      const cs = new CipherState(key, { crypto });
      await expect(cs.decryptWithAd(EMPTY, bytes(15, 0))).rejects.toBeInstanceOf(NoiseDecryptError);
      const ciphertext = await new CipherState(key, { crypto }).encryptWithAd(bytes(1, 1), bytes(8, 8));
      await expect(cs.decryptWithAd(bytes(1, 2), ciphertext)).rejects.toBeInstanceOf(NoiseDecryptError);
      expect(cs.nonce).toBe(0n);
    });

    it('refuses the reserved nonce 2^64-1 with NonceExhaustedError by default (Noise §5.1)', async () => {
      expect(new CipherState(key, { crypto }).nonceLimit).toBe(NOISE_NONCE_LIMIT);
      const cs = new CipherState(key, { crypto });
      cs.setNonce(2n ** 64n - 2n);
      await cs.encryptWithAd(EMPTY, bytes(1, 1));
      expect(cs.nonce).toBe(2n ** 64n - 1n);
      await expect(cs.encryptWithAd(EMPTY, bytes(1, 1))).rejects.toBeInstanceOf(NonceExhaustedError);
      await expect(cs.decryptWithAd(EMPTY, bytes(17, 1))).rejects.toBeInstanceOf(NonceExhaustedError);
      expect(cs.nonce).toBe(2n ** 64n - 1n);
    });

    it('stops at a lower nonceLimit: 2^32 allows exactly the nonces of a 32-bit counter', async () => {
      const sender = new CipherState(key, { crypto, nonceLimit: 2 ** 32 });
      const receiver = new CipherState(key, { crypto, nonceLimit: 2n ** 32n });
      sender.setNonce(2 ** 32 - 1);
      receiver.setNonce(2 ** 32 - 1);
      const last = await sender.encryptWithAd(EMPTY, bytes(2, 2));
      expect(await receiver.decryptWithAd(EMPTY, last)).toEqual(bytes(2, 2));
      await expect(sender.encryptWithAd(EMPTY, bytes(2, 2))).rejects.toBeInstanceOf(NonceExhaustedError);
      await expect(receiver.decryptWithAd(EMPTY, last)).rejects.toBeInstanceOf(NonceExhaustedError);
    });

    it('rekeys to the first 32 bytes of encrypting 32 zeros under nonce 2^64-1, keeping n (Noise §4.2, §11.3)', async () => {
      const cs = new CipherState(key, { crypto });
      await cs.encryptWithAd(EMPTY, bytes(1, 1));
      await cs.rekey();
      expect(cs.nonce).toBe(1n);
      const rekeyed = (
        await crypto.aesGcmEncrypt(key, aesGcmNonce(2n ** 64n - 1n), bytes(32, 0), EMPTY)
      ).slice(0, 32);
      const expected = await crypto.aesGcmEncrypt(rekeyed, aesGcmNonce(1n), bytes(6, 6), EMPTY);
      expect(await cs.encryptWithAd(EMPTY, bytes(6, 6))).toEqual(expected);
    });

    it('refuses to rekey without a key', async () => {
      await expect(new CipherState(undefined, { crypto }).rekey()).rejects.toBeInstanceOf(
        HandshakeStateError,
      );
    });

    it('gives overlapping calls their nonces in call order, even when the provider reads the IV late', async () => {
      const slow = deferredReads(crypto);
      const cs = new CipherState(key, { crypto: slow });
      const plaintexts = [bytes(5, 1), bytes(5, 2), bytes(5, 3)];
      const overlapping = await Promise.all(plaintexts.map((p) => cs.encryptWithAd(EMPTY, p)));
      const sequential = new CipherState(key, { crypto });
      for (const [i, p] of plaintexts.entries()) {
        expect(overlapping[i]).toEqual(await sequential.encryptWithAd(EMPTY, p));
      }
      // After the overlap, sequential calls reuse the shared IV buffer and still use the right nonce.
      expect(await cs.encryptWithAd(EMPTY, bytes(5, 4))).toEqual(
        await sequential.encryptWithAd(EMPTY, bytes(5, 4)),
      );
    });

    it('keeps clones independent: advancing one leaves the other at its nonce', async () => {
      const cs = new CipherState(key, { crypto });
      const copy = cs.clone();
      await copy.encryptWithAd(EMPTY, bytes(1, 1));
      expect(copy.nonce).toBe(1n);
      expect(cs.nonce).toBe(0n);
      expect(await cs.encryptWithAd(EMPTY, bytes(1, 1))).toEqual(
        await crypto.aesGcmEncrypt(key, aesGcmNonce(0n), bytes(1, 1), EMPTY),
      );
    });

    it("copies its key, so later changes to the caller's array do not affect it", async () => {
      const mutable = key.slice();
      const cs = new CipherState(mutable, { crypto });
      mutable.fill(0);
      expect(await cs.encryptWithAd(EMPTY, bytes(1, 1))).toEqual(
        await crypto.aesGcmEncrypt(key, aesGcmNonce(0n), bytes(1, 1), EMPTY),
      );
    });
  },
);

describe.each(SYNC_PROVIDERS.map((crypto) => [crypto.name, crypto] as const))(
  'CipherState synchronous methods with %s',
  (_, crypto) => {
    const key = bytes(32, 7);

    it('supports them with a key and without one', () => {
      expect(new CipherState(key, { crypto }).supportsSync).toBe(true);
      expect(new CipherState(undefined, { crypto }).supportsSync).toBe(true);
      expect(new CipherState(key, { crypto }).clone().supportsSync).toBe(true);
    });

    it('encrypts under the AESGCM nonce 0^32 || n, as the one-shot method does, advancing n', async () => {
      const cs = new CipherState(key, { crypto });
      cs.setNonce(2n ** 32n - 1n);
      const ad = bytes(5, 1);
      for (const n of [2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n]) {
        const expected = await crypto.aesGcmEncrypt(key, aesGcmNonce(n), bytes(3, 9), ad);
        expect(cs.encryptWithAdSync(ad, bytes(3, 9))).toEqual(expected);
        expect(cs.nonce).toBe(n + 1n);
      }
    });

    it('decrypts what the async methods encrypt and the other way round, one nonce for both kinds of call', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ minLength: 32, maxLength: 32 }),
          fc.uint8Array({ maxLength: 64 }),
          fc.array(fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.boolean(), fc.boolean()), {
            minLength: 1,
            maxLength: 6,
          }),
          async (k, ad, messages) => {
            const sender = new CipherState(k, { crypto });
            const receiver = new CipherState(k, { crypto });
            const reference = new CipherState(k, { crypto: withoutPreparedKeys(crypto) });
            for (const [plaintext, sealSync, openSync] of messages) {
              const ciphertext = sealSync
                ? sender.encryptWithAdSync(ad, plaintext)
                : await sender.encryptWithAd(ad, plaintext);
              expect(ciphertext).toEqual(await reference.encryptWithAd(ad, plaintext));
              const opened = openSync
                ? receiver.decryptWithAdSync(ad, ciphertext)
                : await receiver.decryptWithAd(ad, ciphertext);
              expect(opened).toEqual(plaintext);
            }
            expect([sender.nonce, receiver.nonce]).toEqual([reference.nonce, reference.nonce]);
          },
        ),
        { numRuns: 50 },
      );
    });

    it('throws NoiseDecryptError for a tampered ciphertext without advancing the nonce', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 100 }),
          fc.nat(),
          fc.integer({ min: 1, max: 255 }),
          async (plaintext, at, flip) => {
            const ciphertext = new CipherState(key, { crypto }).encryptWithAdSync(EMPTY, plaintext);
            const tampered = ciphertext.slice();
            tampered[at % tampered.length] ^= flip;
            const receiver = new CipherState(key, { crypto });
            const error = thrown(() => receiver.decryptWithAdSync(EMPTY, tampered));
            expect(error).toBeInstanceOf(NoiseDecryptError);
            expect(receiver.nonce).toBe(0n);
            expect(receiver.decryptWithAdSync(EMPTY, ciphertext)).toEqual(plaintext);
            expect(receiver.nonce).toBe(1n);
          },
        ),
        { numRuns: 50 },
      );
    });

    it('throws NoiseDecryptError for a ciphertext shorter than the tag or under other AD; argument errors pass as they are', async () => {
      const cs = new CipherState(key, { crypto });
      expect(thrown(() => cs.decryptWithAdSync(EMPTY, bytes(15, 0)))).toBeInstanceOf(NoiseDecryptError);
      const ciphertext = new CipherState(key, { crypto }).encryptWithAdSync(bytes(1, 1), bytes(8, 8));
      expect(thrown(() => cs.decryptWithAdSync(bytes(1, 2), ciphertext))).toBeInstanceOf(NoiseDecryptError);
      expect(() => cs.decryptWithAdSync(EMPTY, 'x' as unknown as Uint8Array)).toThrow(TypeError);
      expect(cs.nonce).toBe(0n);
    });

    it('throws NonceExhaustedError at the limit, leaving the nonce there', () => {
      const cs = new CipherState(key, { crypto, nonceLimit: 2 ** 32 });
      cs.setNonce(2 ** 32 - 1);
      const last = cs.encryptWithAdSync(EMPTY, bytes(2, 2));
      expect(() => cs.encryptWithAdSync(EMPTY, bytes(2, 2))).toThrow(NonceExhaustedError);
      expect(() => cs.decryptWithAdSync(EMPTY, last)).toThrow(NonceExhaustedError);
      expect(cs.nonce).toBe(2n ** 32n);
    });

    it('passes bytes through while it has no key, behind reserved bytes when asked', () => {
      const cs = new CipherState(undefined, { crypto });
      const plaintext = Uint8Array.of(1, 2, 3);
      expect(cs.encryptWithAdSync(EMPTY, plaintext)).toBe(plaintext);
      expect(cs.encryptWithAdSync(EMPTY, plaintext, { reserve: 2 })).toEqual(Uint8Array.of(0, 0, 1, 2, 3));
      expect(cs.decryptWithAdSync(EMPTY, plaintext)).toBe(plaintext);
      expect(cs.nonce).toBe(0n);
    });

    it('uses the rekeyed key', async () => {
      const cs = new CipherState(key, { crypto });
      const reference = new CipherState(key, { crypto: withoutPreparedKeys(crypto) });
      await cs.rekey();
      await reference.rekey();
      expect(cs.supportsSync).toBe(true);
      expect(cs.encryptWithAdSync(EMPTY, bytes(3, 3))).toEqual(
        await reference.encryptWithAd(EMPTY, bytes(3, 3)),
      );
    });
  },
);

describe.each(ASYNC_ONLY_PROVIDERS.map((crypto) => [crypto.name, crypto] as const))(
  'CipherState synchronous methods with %s (no synchronous AES-GCM)',
  (_, crypto) => {
    const key = bytes(32, 7);

    it('reports supportsSync false once it has a key, and refuses them without using a nonce', async () => {
      const cs = new CipherState(key, { crypto });
      expect(cs.supportsSync).toBe(false);
      expect(() => cs.encryptWithAdSync(EMPTY, bytes(1, 1))).toThrow(SyncCipherUnavailableError);
      expect(() => cs.decryptWithAdSync(EMPTY, bytes(17, 1))).toThrow(SyncCipherUnavailableError);
      expect(cs.nonce).toBe(0n);
      // The async methods still work, from nonce 0.
      expect(await cs.encryptWithAd(EMPTY, bytes(1, 1))).toEqual(
        await nodeCrypto.aesGcmEncrypt(key, aesGcmNonce(0n), bytes(1, 1), EMPTY),
      );
    });

    it('passes bytes through synchronously while it has no key', () => {
      const cs = new CipherState(undefined, { crypto });
      expect(cs.supportsSync).toBe(true);
      expect(cs.encryptWithAdSync(EMPTY, bytes(2, 2))).toEqual(bytes(2, 2));
    });
  },
);

describe('CipherState arguments', () => {
  it('rejects a key that is not 32 bytes with a RangeError naming the length', () => {
    expect(() => new CipherState(new Uint8Array(31))).toThrow(
      new RangeError('"key" expected Uint8Array of length 32, got length=31'),
    );
    expect(() => new CipherState('k' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('rejects nonces and limits outside [0, 2^64-1]', () => {
    const cs = new CipherState(new Uint8Array(32));
    expect(() => cs.setNonce(-1)).toThrow(RangeError);
    expect(() => cs.setNonce(2n ** 64n)).toThrow(RangeError);
    expect(() => cs.setNonce(1.5)).toThrow(RangeError);
    expect(() => new CipherState(undefined, { nonceLimit: 2n ** 64n })).toThrow(RangeError);
  });
});

describe('CipherState reserve option', () => {
  it('puts reserved zero bytes in front of the ciphertext, which still decrypts', async () => {
    const key = new Uint8Array(32).fill(3);
    const sender = new CipherState(key);
    const receiver = new CipherState(key);
    const plaintext = new TextEncoder().encode('hello');
    const sealed = await sender.encryptWithAd(new Uint8Array(0), plaintext, { reserve: 3 });
    expect(sealed.length).toBe(3 + plaintext.length + 16);
    expect(sealed.subarray(0, 3)).toEqual(new Uint8Array(3));
    expect(await receiver.decryptWithAd(new Uint8Array(0), sealed.subarray(3))).toEqual(plaintext);
  });

  it('copies the plaintext behind the reserved bytes when there is no key yet', async () => {
    const plaintext = Uint8Array.of(1, 2, 3);
    const out = await new CipherState().encryptWithAd(new Uint8Array(0), plaintext, { reserve: 2 });
    expect(out).toEqual(Uint8Array.of(0, 0, 1, 2, 3));
  });
});

describe('CipherState with a provider that prepares keys', () => {
  /**
   * nodeCrypto whose prepared keys record each call's IV (a copy, and the array itself), with the
   * prepared key's synchronous methods when `sync` (counted apart from its promises).
   */
  function recording({ sync = false } = {}) {
    const ivs: { bytes: Uint8Array; array: Uint8Array }[] = [];
    let prepared = 0;
    let oneShot = 0;
    let syncCalls = 0;
    const crypto: CryptoProvider = {
      ...nodeCrypto,
      name: 'node-recording',
      aesGcmEncrypt: (...args) => {
        oneShot++;
        return nodeCrypto.aesGcmEncrypt(...args);
      },
      aesGcmDecrypt: (...args) => {
        oneShot++;
        return nodeCrypto.aesGcmDecrypt(...args);
      },
      aesGcmKey: (key) => {
        prepared++;
        const inner = nodeCrypto.aesGcmKey!(key);
        return {
          encrypt: (iv, ...rest) => {
            ivs.push({ bytes: iv.slice(), array: iv });
            return inner.encrypt(iv, ...rest);
          },
          decrypt: (iv, ...rest) => {
            ivs.push({ bytes: iv.slice(), array: iv });
            return inner.decrypt(iv, ...rest);
          },
          ...(sync
            ? {
                encryptSync: (iv, ...rest) => {
                  syncCalls++;
                  ivs.push({ bytes: iv.slice(), array: iv });
                  return inner.encryptSync!(iv, ...rest);
                },
                decryptSync: (iv, ...rest) => {
                  syncCalls++;
                  ivs.push({ bytes: iv.slice(), array: iv });
                  return inner.decryptSync!(iv, ...rest);
                },
              }
            : {}),
        } satisfies AesGcmKey;
      },
    };
    return { crypto, ivs, counts: () => ({ prepared, oneShot }), syncCalls: () => syncCalls };
  }

  const key = bytes(32, 4);

  it('prepares its key once and seals and opens every message with it, never one-shot', async () => {
    const { crypto, counts } = recording();
    const sender = new CipherState(key, { crypto });
    const receiver = new CipherState(key, { crypto });
    for (let i = 0; i < 3; i++) {
      const sealed = await sender.encryptWithAd(EMPTY, bytes(10, i));
      expect(sealed).toEqual(
        await nodeCrypto.aesGcmEncrypt(key, aesGcmNonce(BigInt(i)), bytes(10, i), EMPTY),
      );
      expect(await receiver.decryptWithAd(EMPTY, sealed)).toEqual(bytes(10, i));
    }
    // A clone shares the prepared key: no preparation, and still no one-shot call.
    const copy = sender.clone();
    expect(await receiver.decryptWithAd(EMPTY, await copy.encryptWithAd(EMPTY, bytes(4, 4)))).toEqual(
      bytes(4, 4),
    );
    expect(counts()).toEqual({ prepared: 2, oneShot: 0 });
  });

  it("hands the prepared key one IV buffer per direction holding each call's nonce, overlapping calls included", async () => {
    const { crypto, ivs } = recording();
    const cs = new CipherState(key, { crypto });
    cs.setNonce(2n ** 32n + 7n);
    const overlapping = await Promise.all([1, 2, 3].map((n) => cs.encryptWithAd(EMPTY, bytes(5, n))));
    const reference = new CipherState(key, { crypto: withoutPreparedKeys(nodeCrypto) });
    reference.setNonce(2n ** 32n + 7n);
    for (const [i, sealed] of overlapping.entries()) {
      expect(sealed).toEqual(await reference.encryptWithAd(EMPTY, bytes(5, i + 1)));
    }
    const receiver = new CipherState(key, { crypto });
    receiver.setNonce(2n ** 32n + 7n);
    const opened = await Promise.all(overlapping.map((sealed) => receiver.decryptWithAd(EMPTY, sealed)));
    expect(opened).toEqual([1, 2, 3].map((n) => bytes(5, n)));
    const nonces = [7n, 8n, 9n].map((n) => aesGcmNonce(2n ** 32n + n));
    expect(ivs.map(({ bytes }) => bytes)).toEqual([...nonces, ...nonces]);
    expect(new Set(ivs.slice(0, 3).map(({ array }) => array)).size).toBe(1);
    expect(new Set(ivs.slice(3).map(({ array }) => array)).size).toBe(1);
  });

  it('prepares the new key after rekey()', async () => {
    const { crypto, counts } = recording();
    const cs = new CipherState(key, { crypto });
    await cs.rekey();
    expect(counts().prepared).toBe(2);
    const reference = new CipherState(key, { crypto: withoutPreparedKeys(nodeCrypto) });
    await reference.rekey();
    expect(await cs.encryptWithAd(EMPTY, bytes(3, 3))).toEqual(
      await reference.encryptWithAd(EMPTY, bytes(3, 3)),
    );
  });

  it('with synchronous prepared keys, runs every call through them, async calls too, on one IV buffer per direction', async () => {
    const { crypto, ivs, counts, syncCalls } = recording({ sync: true });
    const sender = new CipherState(key, { crypto });
    const receiver = new CipherState(key, { crypto });
    const reference = new CipherState(key, { crypto: withoutPreparedKeys(nodeCrypto) });
    const sealed = [
      sender.encryptWithAdSync(EMPTY, bytes(6, 1)),
      await sender.encryptWithAd(EMPTY, bytes(6, 2)),
      ...(await Promise.all([3, 4].map((n) => sender.encryptWithAd(EMPTY, bytes(6, n))))),
    ];
    for (const [i, ciphertext] of sealed.entries()) {
      expect(ciphertext).toEqual(await reference.encryptWithAd(EMPTY, bytes(6, i + 1)));
    }
    expect(receiver.decryptWithAdSync(EMPTY, sealed[0]!)).toEqual(bytes(6, 1));
    expect(await receiver.decryptWithAd(EMPTY, sealed[1]!)).toEqual(bytes(6, 2));
    expect(await Promise.all(sealed.slice(2).map((c) => receiver.decryptWithAd(EMPTY, c)))).toEqual([
      bytes(6, 3),
      bytes(6, 4),
    ]);
    // Eight calls, each through a synchronous method: no promise of the provider, no one-shot call.
    expect(syncCalls()).toBe(8);
    expect(ivs).toHaveLength(8);
    expect(counts()).toEqual({ prepared: 2, oneShot: 0 });
    const nonces = [0n, 1n, 2n, 3n].map(aesGcmNonce);
    expect(ivs.map(({ bytes }) => bytes)).toEqual([...nonces, ...nonces]);
    expect(new Set(ivs.slice(0, 4).map(({ array }) => array)).size).toBe(1);
    expect(new Set(ivs.slice(4).map(({ array }) => array)).size).toBe(1);
  });

  it('uses a prepared key that has only one of the two synchronous methods through its promises', async () => {
    const half: CryptoProvider = {
      ...nodeCrypto,
      aesGcmKey: (k) => {
        const { encrypt, decrypt, encryptSync } = nodeCrypto.aesGcmKey!(k);
        return { encrypt, decrypt, encryptSync };
      },
    };
    const cs = new CipherState(key, { crypto: half });
    expect(cs.supportsSync).toBe(false);
    expect(() => cs.encryptWithAdSync(EMPTY, bytes(1, 1))).toThrow(SyncCipherUnavailableError);
    expect(await cs.encryptWithAd(EMPTY, bytes(1, 1))).toEqual(
      await nodeCrypto.aesGcmEncrypt(key, aesGcmNonce(0n), bytes(1, 1), EMPTY),
    );
  });
});
