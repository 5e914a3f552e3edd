import { nobleCrypto } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { describe, expect, it } from 'vitest';
import { uintBE } from '../src/_bytes';
import { generateCredentials } from '../src/auth/credentials';

describe('generateCredentials', () => {
  it.each([
    ['node', nodeCrypto],
    ['noble', nobleCrypto],
  ])('makes an unpaired device with keys of the right shapes (%s)', async (_, crypto) => {
    const credentials = await generateCredentials(crypto);
    expect(Object.keys(credentials).sort()).toEqual(
      ['advSecretKey', 'identityKey', 'nextPreKeyId', 'noiseKey', 'registrationId', 'signedPreKey'].sort(),
    );
    expect(credentials.account).toBeUndefined();
    for (const pair of [credentials.noiseKey, credentials.identityKey, credentials.signedPreKey.keyPair]) {
      expect(pair.publicKey).toHaveLength(32);
      expect(pair.privateKey).toHaveLength(32);
      expect(await crypto.publicKeyOf(pair.privateKey)).toEqual(pair.publicKey);
    }
    expect(credentials.advSecretKey).toHaveLength(32);
    expect(credentials.nextPreKeyId).toBe(1);
    expect(credentials.signedPreKey.keyId).toBe(1);
    expect(Number.isInteger(credentials.registrationId)).toBe(true);
    expect(credentials.registrationId).toBeGreaterThanOrEqual(1);
    expect(credentials.registrationId).toBeLessThan(1 << 14);
    // The signed prekey is signed by the identity over 0x05 || public key (docs/protocol.md §6.1).
    const serialized = Uint8Array.of(5, ...credentials.signedPreKey.keyPair.publicKey);
    expect(
      await crypto.verify(credentials.identityKey.publicKey, serialized, credentials.signedPreKey.signature),
    ).toBe(true);
  });

  it('draws fresh randomness every time: no key or secret repeats across devices', async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => generateCredentials(nodeCrypto)));
    const seen = new Set<string>();
    for (const c of all) {
      for (const bytes of [
        c.noiseKey.publicKey,
        c.identityKey.publicKey,
        c.signedPreKey.keyPair.publicKey,
        c.advSecretKey,
      ]) {
        seen.add(Buffer.from(bytes).toString('hex'));
      }
    }
    expect(seen.size).toBe(8 * 4);
    expect(new Set(all.map((c) => c.registrationId)).size).toBeGreaterThan(1);
  });
});

describe('byte helpers', () => {
  it('writes fixed-width big-endian integers and refuses what does not fit', () => {
    expect(uintBE(0x010203, 3)).toEqual(Uint8Array.of(1, 2, 3));
    expect(uintBE(0xfffffffe, 4)).toEqual(Uint8Array.of(0xff, 0xff, 0xff, 0xfe));
    expect(() => uintBE(0x1000000, 3)).toThrow(RangeError);
    expect(() => uintBE(-1, 4)).toThrow(RangeError);
  });
});
