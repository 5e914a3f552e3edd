import { describe, expect, it } from 'vitest';
import { KeyCache } from '../src/_key-cache';
import { nobleCrypto } from '../src/index';
import { createNodeCrypto, nodeCrypto } from '../src/node';
import { privateKeyImportFormat } from '../src/node/x25519';
import { PROVIDERS } from './providers';
import { toHex } from './vectors';

describe.each(PROVIDERS)('results of the $name provider', (crypto) => {
  it('are plain Uint8Arrays, never Buffers (whose slice() is a view)', async () => {
    const key = new Uint8Array(32).fill(1);
    const pair = await crypto.generateKeyPair();
    const results: Uint8Array[] = [
      crypto.randomBytes(8),
      await crypto.sha256(key),
      await crypto.sha512(key),
      await crypto.hmac('sha256', key, key),
      await crypto.hkdf(key, 40),
      await crypto.pbkdf2(key, key, 2, 20),
      await crypto.aesGcmEncrypt(key, new Uint8Array(12), key),
      await crypto.aesGcmDecrypt(
        key,
        new Uint8Array(12),
        await crypto.aesGcmEncrypt(key, new Uint8Array(12), key),
      ),
      await crypto.aesCbcEncrypt(key, new Uint8Array(16), key),
      await crypto.aesCbcDecrypt(
        key,
        new Uint8Array(16),
        await crypto.aesCbcEncrypt(key, new Uint8Array(16), key),
      ),
      await crypto.aesCtr(key, new Uint8Array(16), key),
      pair.publicKey,
      pair.privateKey,
      await crypto.publicKeyOf(key),
      await crypto.sharedKey(key, pair.publicKey),
      await crypto.sign(key, key),
    ];
    for (const result of results) {
      expect(Object.getPrototypeOf(result)).toBe(Uint8Array.prototype);
      // Not a window on a shared allocation pool.
      expect(result.byteLength).toBe(result.buffer.byteLength);
    }
  });
});

describe('node provider key caches', () => {
  it('imports private keys as JWK on this Node (the fast path, ~13x quicker than DER)', () => {
    expect(privateKeyImportFormat()).toBe('jwk');
  });

  it('looks keys up by content: one array mutated between calls still gives the right results', async () => {
    const key = new Uint8Array(32);
    const iv = new Uint8Array(12);
    const data = new Uint8Array([1, 2, 3]);
    const peer = (await nobleCrypto.generateKeyPair()).publicKey;
    for (let round = 0; round < 3; round++) {
      key.fill(round + 1);
      expect(toHex(await nodeCrypto.aesGcmEncrypt(key, iv, data))).toBe(
        toHex(await nobleCrypto.aesGcmEncrypt(key, iv, data)),
      );
      expect(toHex(await nodeCrypto.publicKeyOf(key))).toBe(toHex(await nobleCrypto.publicKeyOf(key)));
      expect(toHex(await nodeCrypto.sharedKey(key, peer))).toBe(
        toHex(await nobleCrypto.sharedKey(key, peer)),
      );
    }
  });

  it('keeps working past its capacity (evicted keys are simply imported again)', async () => {
    const crypto = createNodeCrypto({ keyCacheSize: 2 });
    const keys = [1, 2, 3, 4].map((n) => new Uint8Array(32).fill(n));
    for (let pass = 0; pass < 2; pass++) {
      for (const key of keys) {
        expect(toHex(await crypto.publicKeyOf(key))).toBe(toHex(await nobleCrypto.publicKeyOf(key)));
      }
    }
  });

  it('refuses a negative cache size', () => {
    expect(() => createNodeCrypto({ keyCacheSize: -1 })).toThrow(RangeError);
  });

  it('evicts the least recently used entry first', () => {
    const cache = new KeyCache<string>(2);
    const made: string[] = [];
    const get = (n: number) =>
      cache.get(new Uint8Array([n]), () => {
        made.push(String(n));
        return String(n);
      });
    get(1);
    get(2);
    get(1); // 1 is now the most recent
    get(3); // evicts 2
    get(1);
    get(2);
    expect(made).toEqual(['1', '2', '3', '2']);
    expect(cache.size).toBe(2);
  });

  it('caches nothing at capacity 0', () => {
    const cache = new KeyCache<number>(0);
    let calls = 0;
    cache.get(new Uint8Array([1]), () => ++calls);
    cache.get(new Uint8Array([1]), () => ++calls);
    expect(calls).toBe(2);
    expect(cache.size).toBe(0);
  });
});

describe('node provider HKDF beyond node:crypto limits', () => {
  it('derives with an info longer than the 1024 bytes hkdfSync accepts, as noble does', async () => {
    const ikm = new Uint8Array(20).fill(7);
    for (const infoLength of [1024, 1025, 5000]) {
      const options = { salt: new Uint8Array([1, 2]), info: new Uint8Array(infoLength).fill(9) };
      expect(toHex(await nodeCrypto.hkdf(ikm, 100, options))).toBe(
        toHex(await nobleCrypto.hkdf(ikm, 100, options)),
      );
      const noSalt = { info: options.info };
      expect(toHex(await nodeCrypto.hkdf(ikm, 64, noSalt))).toBe(
        toHex(await nobleCrypto.hkdf(ikm, 64, noSalt)),
      );
    }
  });
});
