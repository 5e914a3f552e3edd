/**
 * Interop with npm `libsignal@6.0.0` (WhiskeySockets/libsignal-node, what Baileys uses), whose
 * curve functions are curve25519-js: the older libsignal signature scheme (no key negation; the
 * signer's sign bit stored in the top bit of byte 63) and node:crypto X25519. Signatures made
 * here must verify there, and theirs here, whichever sign bit their key has.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIGNING_PROVIDERS } from './providers';
import { toHex } from './vectors';

interface LibsignalCurve {
  generateKeyPair(): { pubKey: Buffer; privKey: Buffer };
  calculateSignature(privKey: Buffer, message: Buffer): Buffer;
  verifySignature(pubKey: Buffer, message: Buffer, signature: Buffer): boolean;
  calculateAgreement(pubKey: Buffer, privKey: Buffer): Buffer;
}

const curve = createRequire(import.meta.url)('libsignal/src/curve.js') as LibsignalCurve;
const KEY_TYPE = Buffer.from([0x05]);
const withType = (publicKey: Uint8Array) => Buffer.concat([KEY_TYPE, publicKey]);
const message = fc.uint8Array({ maxLength: 200 });

describe.each(SIGNING_PROVIDERS)('interop with libsignal 6.0.0, $name provider', (crypto) => {
  it('produces signatures libsignal verifies, and libsignal refuses them once tampered', async () => {
    await fc.assert(
      fc.asyncProperty(message, fc.nat(511), async (data, bit) => {
        const { publicKey, privateKey } = await crypto.generateKeyPair();
        const signature = await crypto.sign(privateKey, data);
        expect(curve.verifySignature(withType(publicKey), Buffer.from(data), Buffer.from(signature))).toBe(
          true,
        );
        const tampered = Buffer.from(signature);
        tampered[bit >> 3]! ^= 1 << (bit & 7);
        expect(curve.verifySignature(withType(publicKey), Buffer.from(data), tampered)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('signs with generateSigningKeyPair keys as libsignal verifies (sender keys take their signing key from it)', async () => {
    const generate = crypto.generateSigningKeyPair?.bind(crypto) ?? crypto.generateKeyPair.bind(crypto);
    await fc.assert(
      fc.asyncProperty(message, async (data) => {
        const { publicKey, privateKey } = await generate();
        const signature = await crypto.sign(privateKey, data);
        expect(curve.verifySignature(withType(publicKey), Buffer.from(data), Buffer.from(signature))).toBe(
          true,
        );
      }),
      { numRuns: 50 },
    );
  });

  it("verifies libsignal's signatures, with the sign bit both set and clear", async () => {
    const signBits = new Set<number>();
    await fc.assert(
      fc.asyncProperty(message, async (data) => {
        const { pubKey, privKey } = curve.generateKeyPair();
        const signature = curve.calculateSignature(privKey, Buffer.from(data));
        signBits.add(signature[63]! >> 7);
        expect(await crypto.verify(pubKey.subarray(1), data, signature)).toBe(true);
        expect(await crypto.verify(pubKey.subarray(1), new Uint8Array([...data, 0]), signature)).toBe(false);
      }),
      { numRuns: 60 },
    );
    // Half of all keys have an odd x: 60 runs with a single sign bit would be a 2^-59 event.
    expect([...signBits].sort()).toEqual([0, 1]);
  });

  it('derives the same X25519 secrets and public keys as libsignal', async () => {
    for (let i = 0; i < 20; i++) {
      const theirs = curve.generateKeyPair();
      const ours = await crypto.generateKeyPair();
      expect(toHex(await crypto.publicKeyOf(theirs.privKey))).toBe(toHex(theirs.pubKey.subarray(1)));
      const expected = curve.calculateAgreement(withType(ours.publicKey), theirs.privKey);
      expect(toHex(await crypto.sharedKey(ours.privateKey, theirs.pubKey.subarray(1)))).toBe(toHex(expected));
    }
  });
});
