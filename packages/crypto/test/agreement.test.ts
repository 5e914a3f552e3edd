/**
 * The contract's central promise: nobleCrypto and nodeCrypto give identical results for identical
 * inputs, including identical failures (same error class and message). One property per method,
 * on random inputs; deterministic methods are compared byte for byte, `sign` with a fixed random.
 *
 * Generators: keys, IVs and randoms of the contract's lengths only (wrong lengths are argument
 * errors, checked by the shared code path in both); X25519 public keys mix random bytes with the
 * curve's low-order points (u = 0, 1, p - 1, the two order-8 points, and their non-canonical
 * + p forms) so the refusal path is compared too; ciphertexts for decryption are random,
 * truncated or tampered, so both acceptance and refusal get compared.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nobleCrypto } from '../src/index';
import { nodeCrypto } from '../src/node';
import { toHex } from './vectors';

type Outcome = { bytes: string } | { error: string };

async function outcome(run: () => Promise<Uint8Array | boolean>): Promise<Outcome | boolean> {
  try {
    const result = await run();
    return typeof result === 'boolean' ? result : { bytes: toHex(result) };
  } catch (error) {
    const e = error as Error & { code?: string };
    return { error: `${e.name} ${e.code ?? ''}: ${e.message}` };
  }
}

/** Both providers on the same call; their outcomes must be equal. */
async function same(call: (crypto: typeof nobleCrypto) => Promise<Uint8Array | boolean>): Promise<void> {
  const [noble, node] = [await outcome(() => call(nobleCrypto)), await outcome(() => call(nodeCrypto))];
  expect(node).toEqual(noble);
}

const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
const data = fc.uint8Array({ maxLength: 300 });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const P = 2n ** 255n - 19n;
const le = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
const LOW_ORDER = [
  0n,
  1n,
  P - 1n,
  325606250916557431795983626356110631294008115727848805560023387167927233504n,
  39382357235489614581723060781553021112529911719440698176882885853963445705823n,
].flatMap((u) => [le(u), ...(u + P < 2n ** 256n ? [le(u + P)] : [])]);
const publicKey = fc.oneof(
  { weight: 4, arbitrary: bytes(32) },
  { weight: 1, arbitrary: fc.constantFrom(...LOW_ORDER) },
);

/** A sealed message, possibly mangled: truncated, one bit flipped, or left intact. */
const mangle = (sealed: Uint8Array, how: number, at: number): Uint8Array => {
  if (how === 0 || sealed.length === 0) return sealed;
  if (how === 1) return sealed.subarray(0, at % sealed.length);
  const out = sealed.slice();
  out[at % out.length]! ^= 1 << (at % 8);
  return out;
};

describe('nobleCrypto and nodeCrypto agree on random inputs', () => {
  it('sha256 and sha512', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 1000 }), async (input) => {
        await same((c) => c.sha256(input));
        await same((c) => c.sha512(input));
      }),
    );
  });

  it('hmac', async () => {
    const hash = fc.constantFrom('sha256' as const, 'sha512' as const);
    await fc.assert(
      fc.asyncProperty(hash, fc.uint8Array({ maxLength: 200 }), data, async (h, key, input) => {
        await same((c) => c.hmac(h, key, input));
      }),
    );
  });

  it('hkdf, salt and info optional, lengths up to past the maximum', async () => {
    await fc.assert(
      fc.asyncProperty(
        data,
        fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 8100, max: 8200 })),
        optional(data),
        optional(fc.uint8Array({ maxLength: 1100 })),
        async (ikm, length, salt, info) => {
          await same((c) => c.hkdf(ikm, length, { salt, info }));
        },
      ),
    );
  });

  it('pbkdf2', async () => {
    await fc.assert(
      fc.asyncProperty(
        data,
        data,
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 100 }),
        async (password, salt, iterations, length) => {
          await same((c) => c.pbkdf2(password, salt, iterations, length));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('aesGcmEncrypt and aesGcmDecrypt (one-shot and prepared), tampered and truncated ciphertexts included', async () => {
    await fc.assert(
      fc.asyncProperty(
        bytes(32),
        bytes(12),
        data,
        optional(fc.uint8Array({ maxLength: 50 })),
        fc.nat(2),
        fc.nat(),
        fc.integer({ min: 0, max: 64 }),
        async (key, iv, plaintext, aad, how, at, reserve) => {
          await same((c) => c.aesGcmEncrypt(key, iv, plaintext, aad));
          await same((c) => c.aesGcmEncrypt(key, iv, plaintext, aad, { reserve }));
          const sealed = mangle(await nobleCrypto.aesGcmEncrypt(key, iv, plaintext, aad), how, at);
          await same((c) => c.aesGcmDecrypt(key, iv, sealed, aad));
          // A prepared key (aesGcmKey) of either provider agrees with that provider's one-shot calls,
          // through its promises and its synchronous methods alike.
          for (const c of [nobleCrypto, nodeCrypto]) {
            const prepared = c.aesGcmKey!(key);
            const sealedOneShot = await outcome(() => c.aesGcmEncrypt(key, iv, plaintext, aad, { reserve }));
            expect(await outcome(() => prepared.encrypt(iv, plaintext, aad, { reserve }))).toEqual(
              sealedOneShot,
            );
            expect(await outcome(async () => prepared.encryptSync!(iv, plaintext, aad, { reserve }))).toEqual(
              sealedOneShot,
            );
            const openedOneShot = await outcome(() => c.aesGcmDecrypt(key, iv, sealed, aad));
            expect(await outcome(() => prepared.decrypt(iv, sealed, aad))).toEqual(openedOneShot);
            expect(await outcome(async () => prepared.decryptSync!(iv, sealed, aad))).toEqual(openedOneShot);
          }
        },
      ),
    );
  });

  it('aesGcmDecrypt of random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(32), bytes(12), fc.uint8Array({ maxLength: 40 }), async (key, iv, junk) => {
        await same((c) => c.aesGcmDecrypt(key, iv, junk));
      }),
    );
  });

  it('aesCbcEncrypt and aesCbcDecrypt, with bad padding and lengths', async () => {
    await fc.assert(
      fc.asyncProperty(
        bytes(32),
        bytes(16),
        data,
        fc.nat(2),
        fc.nat(),
        async (key, iv, plaintext, how, at) => {
          await same((c) => c.aesCbcEncrypt(key, iv, plaintext));
          const ciphertext = mangle(await nobleCrypto.aesCbcEncrypt(key, iv, plaintext), how, at);
          await same((c) => c.aesCbcDecrypt(key, iv, ciphertext));
        },
      ),
    );
  });

  it('aesCtr, counters near the 128-bit wrap included', async () => {
    const counter = fc.oneof(bytes(16), fc.constant(new Uint8Array(16).fill(0xff)));
    await fc.assert(
      fc.asyncProperty(bytes(32), counter, fc.uint8Array({ maxLength: 600 }), async (key, iv, input) => {
        await same((c) => c.aesCtr(key, iv, input));
      }),
    );
  });

  it('publicKeyOf and sharedKey, low-order public keys included', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(32), publicKey, async (privateKey, peer) => {
        await same((c) => c.publicKeyOf(privateKey));
        await same((c) => c.sharedKey(privateKey, peer));
      }),
    );
  });

  it('generateKeyPair output works identically in the other provider', async () => {
    for (const [maker, other] of [
      [nobleCrypto, nodeCrypto],
      [nodeCrypto, nobleCrypto],
    ] as const) {
      const { publicKey: pub, privateKey } = await maker.generateKeyPair();
      expect(toHex(await other.publicKeyOf(privateKey))).toBe(toHex(pub));
    }
  });

  it('sign with a fixed random, and verify of genuine, tampered and random signatures', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(32), data, bytes(64), fc.nat(511), async (privateKey, message, random, bit) => {
        await same((c) => c.sign(privateKey, message, random));
        const key = await nobleCrypto.publicKeyOf(privateKey);
        const signature = await nobleCrypto.sign(privateKey, message, random);
        await same((c) => c.verify(key, message, signature));
        const tampered = signature.slice();
        tampered[bit >> 3]! ^= 1 << (bit & 7);
        await same((c) => c.verify(key, message, tampered));
        await same((c) => c.verify(key, message, random));
      }),
      { numRuns: 50 },
    );
  });

  it('verify on edge-case keys and signatures: low-order, twist and non-canonical keys, s >= L', async () => {
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const privateKey = new Uint8Array(32).fill(11);
    const message = new Uint8Array([1, 2, 3]);
    const genuine = await nobleCrypto.publicKeyOf(privateKey);
    const u = [...genuine].reduceRight((n, b) => (n << 8n) | BigInt(b), 0n);
    const keys = [genuine, le(u + P), le(2n), le(P), ...LOW_ORDER];
    const valid = await nobleCrypto.sign(privateKey, message, new Uint8Array(64));
    const s = [...valid.subarray(32)].reduceRight((n, b) => (n << 8n) | BigInt(b), 0n);
    const flipped = valid.slice();
    flipped[63]! ^= 0x80;
    const identityR = new Uint8Array(64);
    identityR[0] = 1; // R = encoding of the identity, s = 0
    const signatures = [
      valid,
      new Uint8Array([...valid.subarray(0, 32), ...le(s + L)]),
      flipped,
      identityR,
      new Uint8Array(64),
      new Uint8Array(64).fill(0xff),
    ];
    for (const key of keys) {
      for (const signature of signatures) await same((c) => c.verify(key, message, signature));
    }
    expect(await nodeCrypto.verify(genuine, message, valid)).toBe(true);
  });
});
