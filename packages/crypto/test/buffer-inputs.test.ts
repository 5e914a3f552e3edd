/**
 * Regression: callers on Node often pass `Buffer`s, whose `slice` is a view rather than a copy. No
 * provider method may change its inputs, whatever their type (XEdDSA verify once cleared the sign
 * bit of a Buffer signature in place, and clamping edited a Buffer private key).
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from './providers';
import { loadVector } from './vectors';

describe.each(PROVIDERS)('$name provider leaves Buffer inputs untouched', (crypto) => {
  it('verify does not clear the sign bit of a Buffer signature', async () => {
    // libsignal-java's Curve25519Test signature carries the signer's sign bit in byte 63.
    const { values_hex: kat } = loadVector<{
      curve25519_signature: {
        values_hex: Record<'aliceIdentityPublic' | 'aliceEphemeralPublic' | 'aliceSignature', string>;
      };
    }>('signal-libsignal-java-kats.json').curve25519_signature;
    const signature = Buffer.from(kat.aliceSignature, 'hex');
    expect(signature[63]! & 0x80).toBe(0x80);
    const before = Buffer.from(signature);
    const publicKey = Buffer.from(kat.aliceIdentityPublic, 'hex').subarray(1);
    expect(await crypto.verify(publicKey, Buffer.from(kat.aliceEphemeralPublic, 'hex'), signature)).toBe(
      true,
    );
    expect(signature).toEqual(before);
  });

  it('sign, publicKeyOf and sharedKey do not clamp an unclamped Buffer private key in place', async () => {
    const unclamped = Buffer.alloc(32, 0xff);
    const before = Buffer.from(unclamped);
    const peer = await crypto.generateKeyPair();
    await crypto.sign(unclamped, Buffer.from('x'), new Uint8Array(64));
    await crypto.publicKeyOf(unclamped);
    await crypto.sharedKey(unclamped, peer.publicKey);
    expect(unclamped).toEqual(before);
  });
});
