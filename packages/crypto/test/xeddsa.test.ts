import { ED25519_TORSION_SUBGROUP, ed25519, x25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xeddsaSign } from '../src/index';
import { edwardsPublicKey, montgomeryOf, xeddsaSigningKey, xeddsaSigningKeyOf } from '../src/xeddsa';
import { SIGNING_PROVIDERS } from './providers';
import { hex, loadVector, toHex } from './vectors';

interface SignalKats {
  curve25519_signature: {
    values_hex: {
      aliceIdentityPrivate: string;
      aliceIdentityPublic: string;
      aliceEphemeralPublic: string;
      aliceSignature: string;
    };
  };
}
interface Certificate {
  details_hex: string;
  signature_hex: string;
  details: { key_hex: string };
}
interface WaTrace {
  constants: { wa_cert_root_public_key_hex: string };
  cert_chain_from_trace: { leaf: Certificate; intermediate: Certificate };
}

const kat = loadVector<SignalKats>('signal-libsignal-java-kats.json').curve25519_signature.values_hex;
const chain = loadVector<WaTrace>('wa-noise-handshake-recorded.json');
/** WhatsApp's Noise certificate root (Baileys `WA_CERT_DETAILS.PUBLIC_KEY`, whatsapp-rust `handshake.rs`). */
const WA_ROOT_KEY = '142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b';

/** libsignal serialises public keys as 0x05 || u; the curve functions take the 32-byte u. */
const stripType = (key: Uint8Array): Uint8Array => {
  expect(key[0]).toBe(0x05);
  return key.subarray(1);
};

const flipBit = (bytes: Uint8Array, bit: number): Uint8Array => {
  const out = bytes.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
};

const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });

describe.each(SIGNING_PROVIDERS)('XEdDSA known answers, $name provider', (crypto) => {
  const publicKey = stripType(hex(kat.aliceIdentityPublic));
  const message = hex(kat.aliceEphemeralPublic);
  const signature = hex(kat.aliceSignature);

  it("accepts libsignal-java's Curve25519Test signature, whose sign bit is set in byte 63", async () => {
    expect(signature[63]! & 0x80).toBe(0x80);
    expect(await crypto.verify(publicKey, message, signature)).toBe(true);
  });

  it('derives the KAT public key from its private key', async () => {
    expect(toHex(await crypto.publicKeyOf(hex(kat.aliceIdentityPrivate)))).toBe(toHex(publicKey));
  });

  it('rejects every single-bit flip of the KAT signature (all 512 bits)', async () => {
    const accepted: number[] = [];
    for (let bit = 0; bit < 512; bit++) {
      if (await crypto.verify(publicKey, message, flipBit(signature, bit))) accepted.push(bit);
    }
    expect(accepted).toEqual([]);
  });

  it('rejects the KAT signature over a message with any single bit flipped', async () => {
    for (let bit = 0; bit < message.length * 8; bit++) {
      expect(await crypto.verify(publicKey, flipBit(message, bit), signature)).toBe(false);
    }
  });

  it('verifies the real WhatsApp intermediate certificate under the WhatsApp root key', async () => {
    expect(chain.constants.wa_cert_root_public_key_hex).toBe(WA_ROOT_KEY);
    const { intermediate } = chain.cert_chain_from_trace;
    const valid = await crypto.verify(
      hex(WA_ROOT_KEY),
      hex(intermediate.details_hex),
      hex(intermediate.signature_hex),
    );
    expect(valid).toBe(true);
  });

  it('verifies the real WhatsApp leaf certificate under the intermediate key', async () => {
    const { intermediate, leaf } = chain.cert_chain_from_trace;
    const key = hex(intermediate.details.key_hex);
    expect(await crypto.verify(key, hex(leaf.details_hex), hex(leaf.signature_hex))).toBe(true);
  });

  it('refuses the leaf certificate under the root key (a chain must not skip the intermediate)', async () => {
    const { leaf } = chain.cert_chain_from_trace;
    expect(await crypto.verify(hex(WA_ROOT_KEY), hex(leaf.details_hex), hex(leaf.signature_hex))).toBe(false);
  });

  it('rejects every single-bit flip of the real intermediate certificate signature', async () => {
    const { intermediate } = chain.cert_chain_from_trace;
    const details = hex(intermediate.details_hex);
    const sig = hex(intermediate.signature_hex);
    for (let bit = 0; bit < 512; bit++) {
      expect(await crypto.verify(hex(WA_ROOT_KEY), details, flipBit(sig, bit))).toBe(false);
    }
  });

  it('answers false, without throwing, for signatures of the wrong length', async () => {
    expect(await crypto.verify(publicKey, message, signature.subarray(0, 63))).toBe(false);
    expect(await crypto.verify(publicKey, message, new Uint8Array(65))).toBe(false);
    expect(await crypto.verify(publicKey, message, new Uint8Array(0))).toBe(false);
  });

  it('rejects a 33-byte public key with a RangeError naming the parameter', async () => {
    await expect(crypto.verify(hex(kat.aliceIdentityPublic), message, signature)).rejects.toThrow(
      new RangeError('"publicKey" expected Uint8Array of length 32, got length=33'),
    );
  });

  it('signs deterministically for a fixed random, with the top bit of byte 63 clear', async () => {
    const privateKey = hex(kat.aliceIdentityPrivate);
    const random = new Uint8Array(64).fill(7);
    const first = await crypto.sign(privateKey, message, random);
    expect(first).toHaveLength(64);
    expect(first[63]! & 0x80).toBe(0);
    expect(toHex(await crypto.sign(privateKey, message, random))).toBe(toHex(first));
    expect(toHex(await crypto.sign(privateKey, message, new Uint8Array(64).fill(8)))).not.toBe(toHex(first));
    expect(await crypto.verify(publicKey, message, first)).toBe(true);
  });

  it('draws a fresh random nonce when none is given, so two signatures differ', async () => {
    const privateKey = hex(kat.aliceIdentityPrivate);
    const a = await crypto.sign(privateKey, message);
    const b = await crypto.sign(privateKey, message);
    expect(toHex(a)).not.toBe(toHex(b));
    expect(await crypto.verify(publicKey, message, a)).toBe(true);
    expect(await crypto.verify(publicKey, message, b)).toBe(true);
  });

  it('rejects a random of the wrong length', async () => {
    await expect(crypto.sign(hex(kat.aliceIdentityPrivate), message, new Uint8Array(32))).rejects.toThrow(
      new RangeError('"random" expected Uint8Array of length 64, got length=32'),
    );
  });
});

describe.each(SIGNING_PROVIDERS)('XEdDSA properties, $name provider', (crypto) => {
  it('verifies what it signs, for any key, message and random', async () => {
    await fc.assert(
      fc.asyncProperty(
        bytes(32),
        fc.uint8Array({ maxLength: 300 }),
        bytes(64),
        async (seed, message, random) => {
          const publicKey = await crypto.publicKeyOf(seed);
          const signature = await crypto.sign(seed, message, random);
          expect(await crypto.verify(publicKey, message, signature)).toBe(true);
        },
      ),
    );
  });

  it('never verifies a signature after a bit of the message, the signature or the key changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        bytes(32),
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.nat(),
        fc.nat(511),
        fc.nat(254),
        async (seed, message, messageBit, signatureBit, keyBit) => {
          const publicKey = await crypto.publicKeyOf(seed);
          const signature = await crypto.sign(seed, message);
          const tamperedMessage = flipBit(message, messageBit % (message.length * 8));
          expect(await crypto.verify(publicKey, tamperedMessage, signature)).toBe(false);
          expect(await crypto.verify(publicKey, message, flipBit(signature, signatureBit))).toBe(false);
          // Bit 255 of u is outside the field encoding; flipping it is covered by the non-canonical test.
          expect(await crypto.verify(flipBit(publicKey, keyBit), message, signature)).toBe(false);
        },
      ),
    );
  });

  it('never verifies under a different key pair', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(32), bytes(32), fc.uint8Array({ maxLength: 64 }), async (a, b, message) => {
        const [publicA, publicB] = [await crypto.publicKeyOf(a), await crypto.publicKeyOf(b)];
        fc.pre(toHex(publicA) !== toHex(publicB));
        expect(await crypto.verify(publicB, message, await crypto.sign(a, message))).toBe(false);
      }),
    );
  });
});

describe.each(SIGNING_PROVIDERS)(
  'XEdDSA verification stricter than libsignal where that only refuses forgeries, $name provider',
  (crypto) => {
    const Point = ed25519.Point;
    const L = Point.Fn.ORDER;
    const P = Point.Fp.ORDER;
    const message = new TextEncoder().encode('forged');

    it('refuses a signature that satisfies sB = R + hA under the low-order key u = 0', async () => {
      // u = 0 maps to y = -1, the point (0, -1) of order 2: when h is even, hA vanishes and any
      // R = sB passes the plain equation. Find such a forgery, prove it passes the equation, and
      // check that verify still refuses it.
      const A = Point.fromBytes(numberToBytesLE(P - 1n, 32));
      for (let s = 1n; ; s++) {
        const R = Point.BASE.multiply(s).toBytes();
        const h = bytesToNumberLE(sha512(new Uint8Array([...R, ...A.toBytes(), ...message]))) % L;
        if (h % 2n !== 0n) continue;
        expect(Point.BASE.multiply(s).equals(Point.fromBytes(R).add(A.multiplyUnsafe(h)))).toBe(true);
        const forged = new Uint8Array([...R, ...numberToBytesLE(s, 32)]);
        expect(await crypto.verify(new Uint8Array(32), message, forged)).toBe(false);
        return;
      }
    });

    it('refuses every low-order key and u = p - 1, whatever the signature', async () => {
      const signature = xeddsaSign(new Uint8Array(32).fill(1), message, new Uint8Array(64));
      for (const u of LOW_ORDER_U) {
        for (const signBit of [0, 0x80]) {
          const sig = signature.slice();
          sig[63] = (sig[63]! & 0x7f) | signBit;
          expect(await crypto.verify(numberToBytesLE(u, 32), message, sig)).toBe(false);
        }
      }
    });

    it('refuses a public key given in non-canonical form (u + p)', async () => {
      const seed = new Uint8Array(32).fill(3);
      const signature = xeddsaSign(seed, message, new Uint8Array(64));
      const u = bytesToNumberLE(x25519.getPublicKey(seed));
      expect(await crypto.verify(numberToBytesLE(u, 32), message, signature)).toBe(true);
      expect(await crypto.verify(numberToBytesLE(u + P, 32), message, signature)).toBe(false);
    });

    it('refuses s >= L, the malleable twin s + L of a valid signature', async () => {
      const seed = new Uint8Array(32).fill(4);
      const signature = xeddsaSign(seed, message, new Uint8Array(64));
      const s = bytesToNumberLE(signature.subarray(32));
      const twin = new Uint8Array([...signature.subarray(0, 32), ...numberToBytesLE(s + L, 32)]);
      expect(twin[63]! & 0x80).toBe(0); // s + L < 2^253: libsignal would accept it
      expect(await crypto.verify(x25519.getPublicKey(seed), message, twin)).toBe(false);
    });

    it('refuses a key on the twist, which has no Edwards point', async () => {
      // u = 2 is on the twist of Curve25519: y = 1/3 has no x on edwards25519.
      expect(() => Point.fromBytes(edwardsPublicKey(numberToBytesLE(2n, 32), 0)!)).toThrow();
      const signature = xeddsaSign(new Uint8Array(32).fill(5), message, new Uint8Array(64));
      expect(await crypto.verify(numberToBytesLE(2n, 32), message, signature)).toBe(false);
    });
  },
);

/** u = 0, 1, p - 1 and the two order-8 points: every Montgomery u of order <= 8. */
const LOW_ORDER_U = [
  0n,
  1n,
  ed25519.Point.Fp.ORDER - 1n,
  325606250916557431795983626356110631294008115727848805560023387167927233504n,
  39382357235489614581723060781553021112529911719440698176882885853963445705823n,
];

describe('the low-order key list of the shared XEdDSA checks', () => {
  it("covers every point of @noble's ED25519_TORSION_SUBGROUP that has a Montgomery u", () => {
    const Fp = ed25519.Point.Fp;
    let covered = 0;
    for (const encoded of ED25519_TORSION_SUBGROUP) {
      const { y } = ed25519.Point.fromHex(encoded).toAffine();
      if (y === 1n) continue; // the identity: u = (1 + y) / (1 - y) is infinite
      const u = Fp.div(Fp.add(1n, y), Fp.sub(1n, y));
      expect(edwardsPublicKey(numberToBytesLE(u, 32), 0)).toBeUndefined();
      expect(edwardsPublicKey(numberToBytesLE(u, 32), 0x80)).toBeUndefined();
      covered++;
    }
    expect(covered).toBe(7);
  });
});

describe.each(SIGNING_PROVIDERS)('XEdDSA signing without a given random, $name provider', (crypto) => {
  it('signs with a fresh nonce each time, and every signature verifies (the node provider takes its nonce from OpenSSL)', async () => {
    const { privateKey, publicKey } = await crypto.generateKeyPair();
    const message = new TextEncoder().encode('skmsg');
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const signature = await crypto.sign(privateKey, message);
      expect(signature[63]! & 0x80).toBe(0);
      expect(await crypto.verify(publicKey, message, signature)).toBe(true);
      seen.add(toHex(signature.subarray(0, 32)));
    }
    expect(seen.size).toBe(20);
  });

  it('signs with a key whose public Edwards point is negative (the cached signing key keeps the negation)', async () => {
    // About half of all keys need negation; 16 keys miss both kinds with probability 2^-15.
    for (let i = 0; i < 16; i++) {
      const { privateKey, publicKey } = await crypto.generateKeyPair();
      const message = Uint8Array.of(i);
      expect(await crypto.verify(publicKey, message, await crypto.sign(privateKey, message))).toBe(true);
      expect(await crypto.verify(publicKey, message, await crypto.sign(privateKey, message))).toBe(true);
    }
  });
});

describe('signing keys from a known Edwards point (xeddsaSigningKeyOf, montgomeryOf)', () => {
  it('equal calculate_key_pair(k) and the X25519 public key for any private key (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const clamped = Uint8Array.from(bytes);
        clamped[0]! &= 248;
        clamped[31]! &= 127;
        clamped[31]! |= 64;
        const E = ed25519.Point.BASE.multiply(ed25519.Point.Fn.create(bytesToNumberLE(clamped))).toBytes();
        // Unclamped bytes on purpose: both derivations clamp, as X25519 does.
        const fromPoint = xeddsaSigningKeyOf(bytes, E);
        const computed = xeddsaSigningKey(bytes);
        expect(fromPoint.a).toBe(computed.a);
        expect(toHex(fromPoint.publicKey)).toBe(toHex(computed.publicKey));
        expect(toHex(montgomeryOf(E))).toBe(toHex(x25519.getPublicKey(bytes)));
      }),
      { numRuns: 200 },
    );
  });
});

describe.each(SIGNING_PROVIDERS)('generateSigningKeyPair, $name provider', (crypto) => {
  it('gives ordinary X25519 key pairs that sign like any other, both sign bits of E', async () => {
    const generate = crypto.generateSigningKeyPair?.bind(crypto) ?? crypto.generateKeyPair.bind(crypto);
    const negated = new Set<boolean>();
    for (let i = 0; i < 24; i++) {
      const { privateKey, publicKey } = await generate();
      expect(privateKey[0]! & 7).toBe(0);
      expect(privateKey[31]! & 0xc0).toBe(0x40);
      expect(toHex(await crypto.publicKeyOf(privateKey))).toBe(toHex(publicKey));
      const message = Uint8Array.of(i, 1, 2);
      expect(await crypto.verify(publicKey, message, await crypto.sign(privateKey, message))).toBe(true);
      // With a given random both providers take the spec's nonce: the same bytes as a key derived anew.
      const random = new Uint8Array(64).fill(i);
      expect(toHex(await crypto.sign(privateKey, message, random))).toBe(
        toHex(xeddsaSign(privateKey, message, random)),
      );
      negated.add(xeddsaSigningKey(privateKey).publicKey[31] !== edwardsSign(privateKey));
    }
    // Keys whose E = kB is negative and keys whose E is not both occurred (each ~1/2).
    expect(negated.size).toBe(2);
  });
});

/** The sign bit of E = kB for a private key, computed on @noble/curves. */
function edwardsSign(privateKey: Uint8Array): number {
  const k = Uint8Array.from(privateKey);
  k[0]! &= 248;
  k[31]! &= 127;
  k[31]! |= 64;
  const E = ed25519.Point.BASE.multiply(ed25519.Point.Fn.create(bytesToNumberLE(k))).toBytes();
  return E[31]!;
}
