/**
 * X25519. Wycheproof "acceptable" cases are inputs RFC 7748 defines but a protocol may refuse:
 * public keys on the twist, non-canonical u (>= p, or with bit 255 set), and low-order points.
 * Both providers follow RFC 7748 exactly (mask bit 255, reduce mod p, accept twist points), so they
 * must produce the listed shared secret for every acceptable case, with one exception the contract
 * makes on purpose: when the shared secret is all zeros (a low-order public key, flag
 * ZeroSharedSecret), `sharedKey` rejects with InvalidKeyError, as node:crypto/OpenSSL does and as
 * RFC 7748 §6.1 allows ("MAY check ... and abort if so").
 */
import { describe, expect, it } from 'vitest';
import { isInvalidKeyError } from '../src/index';
import { PROVIDERS } from './providers';
import { hex, loadVector, toHex, type WycheproofFile } from './vectors';

const wycheproof =
  loadVector<WycheproofFile<{ public: string; private: string; shared: string }>>('wycheproof-x25519.json');
const rfc = loadVector<{
  scalar_mult: { scalar: string; u_in: string; u_out: string }[];
  iterated: { after_1: string; after_1000: string };
  diffie_hellman_6_1: Record<
    'alice_private' | 'alice_public' | 'bob_private' | 'bob_public' | 'shared',
    string
  >;
}>('rfc7748-x25519.json');
const signal = loadVector<{
  curve25519_agreement: {
    values_hex: Record<'alicePublic' | 'alicePrivate' | 'bobPublic' | 'bobPrivate' | 'shared', string>;
  };
  clamping_warning: { rfc7748_x25519_reproduces: { curve25519_agreement: boolean } };
}>('signal-libsignal-java-kats.json');

const ZERO_SHARED = '00'.repeat(32);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe.each(PROVIDERS)('X25519, $name provider', (crypto) => {
  it('holds all 518 Wycheproof X25519 tests; the zero-shared ones are exactly those flagged', () => {
    expect(wycheproof.tests).toHaveLength(518);
    const zero = wycheproof.tests.filter((t) => t.shared === ZERO_SHARED);
    expect(zero.length).toBe(31);
    for (const t of zero) expect(t.flags).toContain('ZeroSharedSecret');
  });

  for (const t of wycheproof.tests) {
    const label = `Wycheproof tcId ${t.tcId} (${t.result}: ${t.comment}; ${t.flags.join(', ')})`;
    if (t.result === 'invalid' || t.shared === ZERO_SHARED) {
      it(`refuses ${label} with InvalidKeyError`, async () => {
        const error = await rejection(crypto.sharedKey(hex(t.private), hex(t.public)));
        expect(isInvalidKeyError(error), String(error)).toBe(true);
      });
    } else {
      it(`agrees on ${label}`, async () => {
        expect(toHex(await crypto.sharedKey(hex(t.private), hex(t.public)))).toBe(t.shared);
      });
    }
  }

  for (const [i, v] of rfc.scalar_mult.entries()) {
    it(`computes RFC 7748 §5.2 scalar multiplication #${i + 1}`, async () => {
      expect(toHex(await crypto.sharedKey(hex(v.scalar), hex(v.u_in)))).toBe(v.u_out);
    });
  }

  it('reaches the RFC 7748 §5.2 iterated values after 1 and 1,000 iterations', async () => {
    let k = hex(`09${'00'.repeat(31)}`);
    let u = k;
    for (let i = 1; i <= 1000; i++) {
      [k, u] = [await crypto.sharedKey(k, u), k];
      if (i === 1) expect(toHex(k)).toBe(rfc.iterated.after_1);
    }
    expect(toHex(k)).toBe(rfc.iterated.after_1000);
  });

  it('runs the RFC 7748 §6.1 Diffie-Hellman example both ways', async () => {
    const v = rfc.diffie_hellman_6_1;
    expect(toHex(await crypto.publicKeyOf(hex(v.alice_private)))).toBe(v.alice_public);
    expect(toHex(await crypto.publicKeyOf(hex(v.bob_private)))).toBe(v.bob_public);
    expect(toHex(await crypto.sharedKey(hex(v.alice_private), hex(v.bob_public)))).toBe(v.shared);
    expect(toHex(await crypto.sharedKey(hex(v.bob_private), hex(v.alice_public)))).toBe(v.shared);
  });

  it('reproduces the libsignal-java Curve25519Test agreement (keys flagged clamped) both ways', async () => {
    expect(signal.clamping_warning.rfc7748_x25519_reproduces.curve25519_agreement).toBe(true);
    const v = signal.curve25519_agreement.values_hex;
    const [alicePublic, bobPublic] = [hex(v.alicePublic).subarray(1), hex(v.bobPublic).subarray(1)];
    expect(toHex(await crypto.publicKeyOf(hex(v.alicePrivate)))).toBe(toHex(alicePublic));
    expect(toHex(await crypto.sharedKey(hex(v.alicePrivate), bobPublic))).toBe(v.shared);
    expect(toHex(await crypto.sharedKey(hex(v.bobPrivate), alicePublic))).toBe(v.shared);
  });

  it('generates clamped private keys whose public key is publicKeyOf(private)', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { privateKey, publicKey } = await crypto.generateKeyPair();
      expect(privateKey).toHaveLength(32);
      expect(privateKey[0]! & 7).toBe(0);
      expect(privateKey[31]! & 0xc0).toBe(0x40);
      expect(toHex(await crypto.publicKeyOf(privateKey))).toBe(toHex(publicKey));
      seen.add(toHex(privateKey));
    }
    expect(seen.size).toBe(20);
  });

  it('clamps on use: an unclamped private key acts as its clamped form', async () => {
    const raw = new Uint8Array(32).fill(0xff);
    const clamped = raw.slice();
    clamped[0]! &= 248;
    clamped[31]! = (clamped[31]! & 127) | 64;
    const peer = (await crypto.generateKeyPair()).publicKey;
    expect(toHex(await crypto.publicKeyOf(raw))).toBe(toHex(await crypto.publicKeyOf(clamped)));
    expect(toHex(await crypto.sharedKey(raw, peer))).toBe(toHex(await crypto.sharedKey(clamped, peer)));
  });

  it('agrees with the peer: both sides of a fresh exchange derive the same secret', async () => {
    const [a, b] = [await crypto.generateKeyPair(), await crypto.generateKeyPair()];
    const shared = await crypto.sharedKey(a.privateKey, b.publicKey);
    expect(toHex(await crypto.sharedKey(b.privateKey, a.publicKey))).toBe(toHex(shared));
  });

  it('rejects keys of the wrong length with precise RangeErrors', async () => {
    const key = new Uint8Array(32).fill(9);
    await expect(crypto.sharedKey(key, new Uint8Array(33))).rejects.toThrow(
      new RangeError('"publicKey" expected Uint8Array of length 32, got length=33'),
    );
    await expect(crypto.sharedKey(new Uint8Array(31), key)).rejects.toThrow(
      new RangeError('"privateKey" expected Uint8Array of length 32, got length=31'),
    );
    await expect(crypto.publicKeyOf(new Uint8Array(0))).rejects.toThrow(RangeError);
  });
});

describe.each(PROVIDERS)('randomBytes, $name provider', (crypto) => {
  it('returns the requested number of bytes, beyond the 64 KiB WebCrypto limit too', () => {
    expect(crypto.randomBytes(0)).toHaveLength(0);
    expect(crypto.randomBytes(33)).toHaveLength(33);
    const big = crypto.randomBytes(200_000);
    expect(big).toHaveLength(200_000);
    // Each 64 KiB chunk is filled: the last bytes are not all zero (probability 2^-8000).
    expect(big.subarray(199_000).some((b) => b !== 0)).toBe(true);
  });

  it('never repeats itself', () => {
    expect(toHex(crypto.randomBytes(32))).not.toBe(toHex(crypto.randomBytes(32)));
  });

  it('refuses negative or fractional lengths with a RangeError', () => {
    expect(() => crypto.randomBytes(-1)).toThrow(RangeError);
    expect(() => crypto.randomBytes(1.5)).toThrow(RangeError);
  });
});
