/**
 * libsignal-protocol-java's session KATs (ChainKeyTest, RootKeyTest, RatchetingSessionTest) through
 * our own KDF and X3DH functions (the X25519 steps on both providers).
 *
 * Clamping (the file's `clamping_warning`): curve25519-java does not clamp private scalars inside
 * its agreement, and several Java private keys here are unclamped, so an RFC 7748 X25519 (both our
 * providers clamp, as they must) computes a different point with them. The Bob-side X3DH uses only
 * clamped keys and runs on the unmodified providers. Everything that uses an unclamped key runs on
 * the same provider with `sharedKey`/`publicKeyOf` swapped for `rawX25519`, a non-clamping
 * Montgomery ladder written here (RFC 7748 §5 without `decodeScalar25519`'s clamping); the ladder
 * is checked first against the clamped KAT and RFC 7748 vectors, and the public keys of every
 * unclamped private key must come out as the file states. Our code under test is unchanged: only
 * the DH primitive is.
 *
 * Message-version-2 values (legacy HKDF whose expand counter starts at 0) run through the same
 * functions with their `hkdf` parameter set to `hkdfV2`, checked first against HKDFTest's v2
 * vector. So no value in these cases is left unchecked; WhatsApp itself only ever uses version 3.
 *
 * The chain step and message keys use @wakit/crypto's synchronous HMAC/HKDF, not the provider, so
 * their cases run once; the X25519 steps run on each provider.
 */
import { createHmac } from 'node:crypto';
import { type CryptoProvider, nobleCrypto } from '@wakit/crypto';
import { describe, expect, it } from 'vitest';
import { deriveMessageKeys, type Hkdf, ratchetRootKey, stepChainKey } from '../src/_ratchet-kdf';
import { aliceInitialKeys, bobInitialKeys, initializeBobSession } from '../src/x3dh';
import { hex, loadVectors, PROVIDERS, unhex } from './session-helpers';

type Hex = Record<string, string>;
interface Kats {
  curve25519_agreement: { values_hex: Hex };
  hkdf: {
    cases: {
      name: string;
      message_version: number;
      length: number;
      ikm: string;
      salt: string;
      info: string;
      okm: string;
    }[];
  };
  chain_key: {
    cases: {
      name: string;
      message_version: number;
      chain_key: string;
      cipher_key: string;
      mac_key: string;
      next_chain_key: string;
      iv_derived_here: string;
      message_key_seed_derived_here: string;
    }[];
  };
  root_key: { values_hex: Hex; v3_derived_here: { next_root: string; next_chain: string } };
  ratcheting_session: {
    bob: Hex;
    alice: Hex;
    root_key_derived_here: string;
    alice_sending_root_key_derived_here: string;
    alice_sending_chain_derived_here: string;
  };
}

const kats = loadVectors<Kats>('signal-libsignal-java-kats.json');

// RFC 7748 §5 over GF(2^255 - 19), without clamping the scalar.
const P = 2n ** 255n - 19n;
const A24 = 121665n;
const mod = (a: bigint): bigint => ((a % P) + P) % P;
function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}
const toNumber = (bytes: Uint8Array): bigint => BigInt(`0x${hex(bytes.slice().reverse()) || '0'}`);
const toBytes = (n: bigint): Uint8Array => unhex(n.toString(16).padStart(64, '0')).reverse();

/** X25519 with the scalar taken as is (curve25519-java's agreement). */
function rawX25519(scalarBytes: Uint8Array, uBytes: Uint8Array): Uint8Array {
  const k = toNumber(scalarBytes);
  if (k >> 255n) throw new Error('scalar has bit 255 set: the 255-bit ladder would drop it');
  const u = toNumber(uBytes) & ((1n << 255n) - 1n);
  let [x2, z2, x3, z3, swap] = [1n, 0n, u, 1n, 0n];
  for (let t = 254n; t >= 0n; t--) {
    const bit = (k >> t) & 1n;
    swap ^= bit;
    if (swap) [x2, x3, z2, z3] = [x3, x2, z3, z2];
    swap = bit;
    const a = mod(x2 + z2);
    const aa = mod(a * a);
    const b = mod(x2 - z2);
    const bb = mod(b * b);
    const e = mod(aa - bb);
    const c = mod(x3 + z3);
    const d = mod(x3 - z3);
    const da = mod(d * a);
    const cb = mod(c * b);
    x3 = mod((da + cb) ** 2n);
    z3 = mod(u * mod((da - cb) ** 2n));
    x2 = mod(aa * bb);
    z2 = mod(e * mod(aa + A24 * e));
  }
  if (swap) [x2, z2] = [x3, z3];
  return toBytes(mod(x2 * power(z2, P - 2n)));
}

const BASE_POINT = toBytes(9n);

/** `base` with curve25519-java's non-clamping agreement. */
function withRawX25519(base: CryptoProvider): CryptoProvider {
  return {
    ...base,
    name: `${base.name}+raw-x25519`,
    sharedKey: async (privateKey, publicKey) => rawX25519(privateKey, publicKey),
    publicKeyOf: async (privateKey) => rawX25519(privateKey, BASE_POINT),
  };
}

/**
 * Signal's message-version-2 HKDF: RFC 5869 with the expand counter starting at 0. On node:crypto's
 * HMAC, independent of the code under test.
 */
const hkdfV2: Hkdf = (ikm, length, options = {}) => {
  const hmac = (key: Uint8Array, data: Uint8Array) =>
    new Uint8Array(createHmac('sha256', key).update(data).digest());
  const prk = hmac(options.salt ?? new Uint8Array(32), ikm);
  const info = options.info ?? new Uint8Array(0);
  const out = new Uint8Array(length);
  let previous: Uint8Array = new Uint8Array(0);
  for (let i = 0, offset = 0; offset < length; i++) {
    const input = new Uint8Array(previous.length + info.length + 1);
    input.set(previous);
    input.set(info, previous.length);
    input[input.length - 1] = i;
    previous = hmac(prk, input);
    out.set(previous.subarray(0, Math.min(32, length - offset)), offset);
    offset += 32;
  }
  return out;
};

const raw = (key33: string): Uint8Array => unhex(key33).subarray(1);

describe('the test helpers themselves', () => {
  it('rawX25519 equals RFC 7748 X25519 on clamped keys (Curve25519Test agreement, RFC 7748 §6.1)', async () => {
    const v = kats.curve25519_agreement.values_hex;
    expect(hex(rawX25519(unhex(v.alicePrivate!), raw(v.bobPublic!)))).toBe(v.shared);
    expect(hex(rawX25519(unhex(v.bobPrivate!), raw(v.alicePublic!)))).toBe(v.shared);
    expect(hex(rawX25519(unhex(v.alicePrivate!), BASE_POINT))).toBe(v.alicePublic!.slice(2));
    // RFC 7748 §6.1: Alice's private key is given unclamped there; clamp it as the RFC says.
    const rfcAlice = unhex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    rfcAlice[0]! &= 248;
    rfcAlice[31]! = (rfcAlice[31]! & 127) | 64;
    expect(hex(rawX25519(rfcAlice, BASE_POINT))).toBe(
      '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
    );
    expect(hex(rawX25519(rfcAlice, BASE_POINT))).toBe(hex(await nobleCrypto.publicKeyOf(rfcAlice)));
  });

  it('hkdfV2 reproduces HKDFTest testVectorV2', () => {
    const v = kats.hkdf.cases.find((c) => c.message_version === 2)!;
    const okm = hkdfV2(unhex(v.ikm), v.length, {
      salt: unhex(v.salt),
      info: unhex(v.info),
    });
    expect(hex(okm)).toBe(v.okm);
  });
});

describe('libsignal-java session KATs: chain keys', () => {
  for (const v of kats.chain_key.cases) {
    it(`${v.name}: the chain step and message keys equal upstream`, () => {
      const step = stepChainKey(unhex(v.chain_key));
      expect(hex(step.nextChainKey)).toBe(v.next_chain_key);
      expect(hex(step.messageKeySeed)).toBe(v.message_key_seed_derived_here);
      const keys = deriveMessageKeys(step.messageKeySeed, v.message_version === 2 ? hkdfV2 : undefined);
      expect(hex(keys.cipherKey)).toBe(v.cipher_key);
      expect(hex(keys.macKey)).toBe(v.mac_key);
      expect(hex(keys.iv)).toBe(v.iv_derived_here);
    });
  }
});

for (const [providerName, base] of PROVIDERS) {
  describe(`libsignal-java session KATs (${providerName})`, () => {
    it('RootKeyTest: one DH ratchet step (upstream v2 value and the v3 value derived from it)', async () => {
      const v = kats.root_key.values_hex;
      const crypto = withRawX25519(base);
      // The unclamped private key must give the stated public key under curve25519-java's rules.
      expect(hex(await crypto.publicKeyOf(unhex(v.alicePrivate!)))).toBe(v.alicePublic!.slice(2));
      const args = [unhex(v.rootKeySeed!), raw(v.bobPublic!), unhex(v.alicePrivate!)] as const;
      const v3 = await ratchetRootKey(...args, crypto);
      expect(hex(v3.rootKey)).toBe(kats.root_key.v3_derived_here.next_root);
      expect(hex(v3.chainKey)).toBe(kats.root_key.v3_derived_here.next_chain);
      const v2 = await ratchetRootKey(...args, crypto, hkdfV2);
      expect(hex(v2.rootKey)).toBe(v.nextRoot);
      expect(hex(v2.chainKey)).toBe(v.nextChain);
      // What the warning says: a clamping X25519 lands elsewhere with this key.
      expect(hex((await ratchetRootKey(...args, base)).rootKey)).not.toBe(
        kats.root_key.v3_derived_here.next_root,
      );
    });

    it("RatchetingSessionTest, Bob: X3DH gives upstream's sending chain key (clamped keys, unmodified provider)", async () => {
      const v = kats.ratcheting_session.bob;
      const keys = await bobInitialKeys(
        {
          ourIdentityPrivateKey: unhex(v.bobIdentityPrivate!),
          ourSignedPreKeyPrivateKey: unhex(v.bobSignedPreKeyPrivate!),
          theirIdentityKey: raw(v.aliceIdentityPublic!),
          theirBaseKey: raw(v.aliceBasePublic!),
        },
        base,
      );
      expect(hex(keys.chainKey)).toBe(v.senderChain);
      expect(hex(keys.rootKey)).toBe(kats.ratcheting_session.root_key_derived_here);

      // The session state holds that chain as Bob's first sending chain, on his signed prekey.
      const spk = { privateKey: unhex(v.bobSignedPreKeyPrivate!), publicKey: raw(v.bobSignedPreKeyPublic!) };
      const state = await initializeBobSession(
        {
          localIdentityKeyPair: {
            privateKey: unhex(v.bobIdentityPrivate!),
            publicKey: raw(v.bobIdentityPublic!),
          },
          localRegistrationId: 1,
          localSignedPreKey: spk,
          remoteIdentityKey: unhex(v.aliceIdentityPublic!),
          remoteRegistrationId: 2,
          remoteBaseKey: raw(v.aliceBasePublic!),
        },
        base,
      );
      expect(hex(state.senderChain.chainKey)).toBe(v.senderChain);
      expect(hex(state.rootKey)).toBe(kats.ratcheting_session.root_key_derived_here);
      expect(hex(state.localIdentityKey)).toBe(v.bobIdentityPublic);
      expect(state.senderChain.ratchetKeyPair).toBe(spk);
    });

    it("RatchetingSessionTest, Alice: X3DH gives upstream's receiving chain key, then her first sending chain", async () => {
      const v = kats.ratcheting_session.alice;
      const crypto = withRawX25519(base);
      for (const name of ['aliceBase', 'aliceEphemeral', 'aliceIdentity']) {
        expect(hex(await crypto.publicKeyOf(unhex(v[`${name}Private`]!))), name).toBe(
          v[`${name}Public`]!.slice(2),
        );
      }
      const keys = await aliceInitialKeys(
        {
          ourIdentityPrivateKey: unhex(v.aliceIdentityPrivate!),
          ourBasePrivateKey: unhex(v.aliceBasePrivate!),
          theirIdentityKey: raw(v.bobIdentityPublic!),
          theirSignedPreKey: raw(v.bobSignedPreKeyPublic!),
        },
        crypto,
      );
      expect(hex(keys.chainKey)).toBe(v.receiverChain);
      expect(hex(keys.rootKey)).toBe(kats.ratcheting_session.root_key_derived_here);
      // Java's test gives Bob a ratchet key separate from his signed prekey (libsignal-node uses the
      // signed prekey); the ratchet step itself is the same function either way.
      const sending = await ratchetRootKey(
        keys.rootKey,
        raw(v.bobPublic!),
        unhex(v.aliceEphemeralPrivate!),
        crypto,
      );
      expect(hex(sending.rootKey)).toBe(kats.ratcheting_session.alice_sending_root_key_derived_here);
      expect(hex(sending.chainKey)).toBe(kats.ratcheting_session.alice_sending_chain_derived_here);
    });
  });
}
