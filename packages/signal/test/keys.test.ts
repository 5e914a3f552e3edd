/**
 * Identity, registration id and prekey generation: ranges, id wrapping, and signed prekey
 * signatures that libsignal-node (curve25519-js) accepts, and the other way round.
 */
import { createRequire } from 'node:module';
import type { CryptoProvider } from '@wakit/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateIdentityKeyPair,
  generatePreKeys,
  generateRegistrationId,
  generateSignedPreKey,
  MAX_PREKEY_ID,
  MAX_REGISTRATION_ID,
} from '../src/keys';
import { serializePublicKey } from '../src/public-key';
import { hex, PROVIDERS } from './session-helpers';

const libsignal = createRequire(import.meta.url)('libsignal') as {
  curve: {
    verifySignature(publicKey: Buffer, message: Buffer, signature: Buffer): boolean;
    generateKeyPair(): { pubKey: Buffer; privKey: Buffer };
  };
  keyhelper: {
    generateSignedPreKey(
      identity: { pubKey: Buffer; privKey: Buffer },
      keyId: number,
    ): { keyId: number; keyPair: { pubKey: Buffer; privKey: Buffer }; signature: Buffer };
  };
};

/** `base` whose randomBytes returns `words` (16-bit big-endian values) one after the other. */
function scriptedRandom(base: CryptoProvider, words: number[]): CryptoProvider & { used: () => number } {
  let next = 0;
  return {
    ...base,
    used: () => next,
    randomBytes: (length: number) => {
      if (length !== 2) throw new Error(`expected 2-byte draws, got ${length}`);
      const word = words[next++];
      if (word === undefined) throw new Error('script exhausted');
      return Uint8Array.of(word >> 8, word & 0xff);
    },
  };
}

describe('generateRegistrationId', () => {
  const [, crypto] = PROVIDERS[0]!;

  it('draws uniformly from 1..16380 by rejecting 0 and 16381..16383', () => {
    const script = scriptedRandom(crypto, [0x0000, 0x3ffd, 0x3ffe, 0x3fff, 0xc000, 0x4001]);
    // 0xc000 & 0x3fff = 0 is rejected too; 0x4001 & 0x3fff = 1 is taken.
    expect(generateRegistrationId(script)).toBe(1);
    expect(script.used()).toBe(6);
    expect(generateRegistrationId(scriptedRandom(crypto, [0x3ffc]))).toBe(MAX_REGISTRATION_ID);
  });

  it('returns the low 14 bits of any accepted draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (word) => {
        const low = word & 0x3fff;
        fc.pre(low >= 1 && low <= MAX_REGISTRATION_ID);
        expect(generateRegistrationId(scriptedRandom(crypto, [word]))).toBe(low);
      }),
    );
  });

  for (const [name, provider] of PROVIDERS) {
    it(`stays within 1..16380 with real randomness (${name})`, () => {
      for (let i = 0; i < 2000; i++) {
        const id = generateRegistrationId(provider);
        expect(id >= 1 && id <= MAX_REGISTRATION_ID).toBe(true);
      }
    });
  }
});

describe('generatePreKeys', () => {
  const [, crypto] = PROVIDERS[0]!;

  it('numbers keys consecutively from start, each with its own key pair', async () => {
    const keys = await generatePreKeys(100, 5, crypto);
    expect(keys.map((k) => k.keyId)).toEqual([100, 101, 102, 103, 104]);
    expect(new Set(keys.map((k) => hex(k.keyPair.publicKey))).size).toBe(5);
    for (const key of keys)
      expect(hex(await crypto.publicKeyOf(key.keyPair.privateKey))).toBe(hex(key.keyPair.publicKey));
  });

  it('wraps from 2^24-1 to 1, never using id 0', async () => {
    const keys = await generatePreKeys(MAX_PREKEY_ID - 1, 4, crypto);
    expect(keys.map((k) => k.keyId)).toEqual([MAX_PREKEY_ID - 1, MAX_PREKEY_ID, 1, 2]);
  });

  it('gives ids in 1..2^24-1 that follow start modulo the wrap, for any start', () => {
    // Only ids are checked here, so key generation is stubbed to keep the property fast.
    const stub: CryptoProvider = {
      ...crypto,
      generateKeyPair: async () => ({ privateKey: new Uint8Array(32), publicKey: new Uint8Array(32) }),
    };
    return fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: MAX_PREKEY_ID }),
        fc.integer({ min: 0, max: 20 }),
        async (start, count) => {
          const ids = (await generatePreKeys(start, count, stub)).map((k) => k.keyId);
          expect(ids).toHaveLength(count);
          ids.forEach((id, i) => {
            expect(id).toBe(((start - 1 + i) % MAX_PREKEY_ID) + 1);
            expect(id >= 1 && id <= MAX_PREKEY_ID).toBe(true);
          });
        },
      ),
    );
  });

  it('rejects a start outside 1..2^24-1 and a negative or fractional count', async () => {
    await expect(generatePreKeys(0, 1, crypto)).rejects.toThrow(RangeError);
    await expect(generatePreKeys(MAX_PREKEY_ID + 1, 1, crypto)).rejects.toThrow(RangeError);
    await expect(generatePreKeys(1, -1, crypto)).rejects.toThrow(RangeError);
    await expect(generatePreKeys(1, 1.5, crypto)).rejects.toThrow(RangeError);
  });
});

for (const [name, crypto] of PROVIDERS) {
  describe(`identity and signed prekeys (${name})`, () => {
    it('generates identity key pairs whose public key matches the private key', async () => {
      const identity = await generateIdentityKeyPair(crypto);
      expect(identity.publicKey).toHaveLength(32);
      expect(hex(await crypto.publicKeyOf(identity.privateKey))).toBe(hex(identity.publicKey));
    });

    it('signs the 33-byte serialized signed prekey, not the raw key', async () => {
      const identity = await generateIdentityKeyPair(crypto);
      const signed = await generateSignedPreKey(identity, 7, crypto);
      expect(signed.keyId).toBe(7);
      expect(signed.signature).toHaveLength(64);
      const serialized = serializePublicKey(signed.keyPair.publicKey);
      expect(await crypto.verify(identity.publicKey, serialized, signed.signature)).toBe(true);
      expect(await crypto.verify(identity.publicKey, signed.keyPair.publicKey, signed.signature)).toBe(false);
    });

    it('makes signatures libsignal-node verifies, and verifies libsignal-node signatures', async () => {
      const identity = await generateIdentityKeyPair(crypto);
      const ours = await generateSignedPreKey(identity, 1, crypto);
      expect(
        libsignal.curve.verifySignature(
          Buffer.from(serializePublicKey(identity.publicKey)),
          Buffer.from(serializePublicKey(ours.keyPair.publicKey)),
          Buffer.from(ours.signature),
        ),
      ).toBe(true);

      const theirIdentity = libsignal.curve.generateKeyPair();
      const theirs = libsignal.keyhelper.generateSignedPreKey(theirIdentity, 2);
      expect(
        await crypto.verify(theirIdentity.pubKey.subarray(1), theirs.keyPair.pubKey, theirs.signature),
      ).toBe(true);
    });

    it('rejects a signed prekey id outside 0..2^24-1', async () => {
      const identity = await generateIdentityKeyPair(crypto);
      await expect(generateSignedPreKey(identity, -1, crypto)).rejects.toThrow(RangeError);
      await expect(generateSignedPreKey(identity, MAX_PREKEY_ID + 1, crypto)).rejects.toThrow(RangeError);
    });
  });
}
