/**
 * Phone-number pairing end to end: the test plays the primary with node:crypto and Baileys'
 * `derivePairingCodeKey` (WebCrypto PBKDF2), never with src/auth's helpers, and must derive the
 * same ADV secret from what the companion sent. The pair-success that follows then verifies.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { BinaryNode } from '@wakit/binary-node';
import { nodeCrypto } from '@wakit/crypto/node';
import { derivePairingCodeKey } from 'baileys/lib/Utils/crypto.js';
import { bytesToCrockford } from 'baileys/lib/Utils/generics.js';
import { describe, expect, it } from 'vitest';
import { generateCredentials } from '../src/auth/credentials';
import {
  encodePairCode,
  formatPairCode,
  handlePrimaryHello,
  PAIR_CODE_ALPHABET,
  parseCompanionHelloResult,
  startPairCode,
} from '../src/auth/pair-code';
import { handlePairSuccess } from '../src/auth/pair-success';
import { PairCodeError } from '../src/errors';
import { buildPairSuccess, bytes, child, newPrimaryIdentity } from './auth-helpers';

const crypto = nodeCrypto;
const REF = new TextEncoder().encode('2@pairing-ref-from-server');

async function codeKey(code: string, salt: Uint8Array): Promise<Buffer> {
  return Buffer.from(await derivePairingCodeKey(code, Buffer.from(salt)));
}

/** The primary's side of stage 2: its ephemeral key, wrapped with the code, in a primary_hello. */
async function primaryHello(code: string, primaryIdentity: Uint8Array, ref = REF) {
  const ephemeral = await crypto.generateKeyPair();
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const key = await codeKey(code, salt);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  const wrapped = Buffer.concat([salt, iv, cipher.update(ephemeral.publicKey), cipher.final()]);
  const notification: BinaryNode = {
    tag: 'notification',
    attrs: { from: '@s.whatsapp.net', type: 'link_code_companion_reg', id: '77' },
    content: [
      {
        tag: 'link_code_companion_reg',
        attrs: { stage: 'primary_hello' },
        content: [
          { tag: 'link_code_pairing_ref', attrs: {}, content: ref },
          {
            tag: 'link_code_pairing_wrapped_primary_ephemeral_pub',
            attrs: {},
            content: new Uint8Array(wrapped),
          },
          { tag: 'primary_identity_pub', attrs: {}, content: primaryIdentity },
        ],
      },
    ],
  };
  return { ephemeral, notification };
}

describe('pair code', () => {
  it('encodes 5 bytes as 8 characters exactly as Baileys does, with the documented alphabet', () => {
    expect(encodePairCode(new Uint8Array(5))).toBe('11111111');
    expect(encodePairCode(new Uint8Array(5).fill(0xff))).toBe('ZZZZZZZZ');
    for (let i = 0; i < 200; i++) {
      const sample = randomBytes(5);
      const code = encodePairCode(new Uint8Array(sample));
      expect(code).toBe(bytesToCrockford(sample));
      expect(code).toMatch(/^[1-9A-HJ-NP-TV-Z]{8}$/);
    }
    expect(PAIR_CODE_ALPHABET).toHaveLength(32);
    expect(formatPairCode('ABCD1234')).toBe('ABCD-1234');
  });

  it('builds companion_hello with every child in order and a code-wrapped ephemeral key', async () => {
    const credentials = await generateCredentials(crypto);
    const { code, iq, state } = await startPairCode(credentials, '+1 (555) 010-2000', crypto, {
      showPushNotification: false,
      browser: ['Windows', 'Edge'],
    });
    expect(code).toMatch(/^[1-9A-HJ-NP-TV-Z]{8}$/);
    expect(iq.attrs).toEqual({ to: '@s.whatsapp.net', type: 'set', xmlns: 'md' });
    expect(iq.attrs.id).toBeUndefined();
    const reg = child(iq, 'link_code_companion_reg');
    expect(reg.attrs).toEqual({
      jid: '15550102000@s.whatsapp.net',
      stage: 'companion_hello',
      should_show_push_notification: 'false',
    });
    expect((reg.content as BinaryNode[]).map((n) => n.tag)).toEqual([
      'link_code_pairing_wrapped_companion_ephemeral_pub',
      'companion_server_auth_key_pub',
      'companion_platform_id',
      'companion_platform_display',
      'link_code_pairing_nonce',
    ]);
    expect(bytes(child(reg, 'companion_server_auth_key_pub'))).toEqual(credentials.noiseKey.publicKey);
    expect(child(reg, 'companion_platform_id').content).toBe('2');
    expect(child(reg, 'companion_platform_display').content).toBe('Edge (Windows)');
    expect(bytes(child(reg, 'link_code_pairing_nonce'))).toEqual(Uint8Array.of(0));

    // The primary unwraps our ephemeral key with the code (Baileys' PBKDF2 on WebCrypto).
    const wrapped = bytes(child(reg, 'link_code_pairing_wrapped_companion_ephemeral_pub'));
    expect(wrapped).toHaveLength(80);
    const key = await codeKey(code, wrapped.subarray(0, 32));
    const decipher = createDecipheriv('aes-256-ctr', key, wrapped.subarray(32, 48));
    const unwrapped = Buffer.concat([decipher.update(wrapped.subarray(48)), decipher.final()]);
    expect(new Uint8Array(unwrapped)).toEqual(state.ephemeralKeyPair.publicKey);
  });

  it('runs the whole exchange: both sides derive the same ADV secret, and pair-success verifies with it', async () => {
    const credentials = await generateCredentials(crypto);
    const before = structuredClone(credentials);
    const started = await startPairCode(credentials, '15550102000', crypto, { code: 'abcd2345' });
    expect(started.code).toBe('ABCD2345');
    const answer: BinaryNode = {
      tag: 'iq',
      attrs: { from: '@s.whatsapp.net', type: 'result', id: 'x' },
      content: [
        {
          tag: 'link_code_companion_reg',
          attrs: {},
          content: [{ tag: 'link_code_pairing_ref', attrs: {}, content: REF }],
        },
      ],
    };
    const state = parseCompanionHelloResult(answer, started.state);
    expect(state.pairingRef).toEqual(REF);
    expect(started.state.pairingRef).toBeUndefined();

    // Stage 2: the primary shows up with its own wrapped ephemeral key and its identity.
    const primary = newPrimaryIdentity();
    const hello = await primaryHello('ABCD2345', primary.publicKey);
    const { iq, credentials: updated } = await handlePrimaryHello(
      hello.notification,
      state,
      credentials,
      crypto,
    );
    expect(credentials).toEqual(before);
    expect(updated.advSecretKey).not.toEqual(credentials.advSecretKey);
    expect({ ...updated, advSecretKey: undefined }).toEqual({ ...credentials, advSecretKey: undefined });

    expect(iq.attrs).toEqual({ to: '@s.whatsapp.net', type: 'set', xmlns: 'md' });
    const reg = child(iq, 'link_code_companion_reg');
    expect(reg.attrs).toEqual({ jid: '15550102000@s.whatsapp.net', stage: 'companion_finish' });
    expect((reg.content as BinaryNode[]).map((n) => n.tag)).toEqual([
      'link_code_pairing_wrapped_key_bundle',
      'companion_identity_public',
      'link_code_pairing_ref',
    ]);
    expect(bytes(child(reg, 'companion_identity_public'))).toEqual(credentials.identityKey.publicKey);
    expect(bytes(child(reg, 'link_code_pairing_ref'))).toEqual(REF);

    // Stage 3, primary side: open the bundle and derive the ADV secret independently.
    const wrappedBundle = bytes(child(reg, 'link_code_pairing_wrapped_key_bundle'));
    expect(wrappedBundle).toHaveLength(32 + 12 + 96 + 16);
    const ephemeralShared = await crypto.sharedKey(
      hello.ephemeral.privateKey,
      started.state.ephemeralKeyPair.publicKey,
    );
    const bundleKey = Buffer.from(
      hkdfSync(
        'sha256',
        ephemeralShared,
        wrappedBundle.subarray(0, 32),
        'link_code_pairing_key_bundle_encryption_key',
        32,
      ),
    );
    const decipher = createDecipheriv('aes-256-gcm', bundleKey, wrappedBundle.subarray(32, 44));
    decipher.setAuthTag(wrappedBundle.subarray(wrappedBundle.length - 16));
    const bundle = Buffer.concat([
      decipher.update(wrappedBundle.subarray(44, wrappedBundle.length - 16)),
      decipher.final(),
    ]);
    expect(new Uint8Array(bundle.subarray(0, 32))).toEqual(credentials.identityKey.publicKey);
    expect(new Uint8Array(bundle.subarray(32, 64))).toEqual(primary.publicKey);
    const random = bundle.subarray(64, 96);
    const identityShared = await crypto.sharedKey(primary.privateKey, credentials.identityKey.publicKey);
    const advSecret = new Uint8Array(
      hkdfSync(
        'sha256',
        Buffer.concat([ephemeralShared, identityShared, random]),
        Buffer.alloc(0),
        'adv_secret',
        32,
      ),
    );
    expect(updated.advSecretKey).toEqual(advSecret);

    // The primary now signs a pair-success keyed with that secret; the companion accepts it.
    const success = buildPairSuccess(updated, { primary, hmacKey: advSecret });
    const paired = await handlePairSuccess(success.iq, updated, crypto);
    expect(paired.credentials.account?.accountSignatureKey).toEqual(primary.publicKey);
  });

  it('without the companion_hello answer, uses the ref the notification carries', async () => {
    const credentials = await generateCredentials(crypto);
    const { state } = await startPairCode(credentials, '15550102000', crypto, { code: 'ZZZZ1111' });
    const hello = await primaryHello('ZZZZ1111', newPrimaryIdentity().publicKey);
    const { iq } = await handlePrimaryHello(hello.notification, state, credentials, crypto);
    expect(bytes(child(child(iq, 'link_code_companion_reg'), 'link_code_pairing_ref'))).toEqual(REF);
  });

  it('rejects a primary_hello with another pairing ref, stage or key sizes (PairCodeError)', async () => {
    const credentials = await generateCredentials(crypto);
    const started = await startPairCode(credentials, '15550102000', crypto, { code: 'ABCD2345' });
    const state = { ...started.state, pairingRef: REF };
    const primary = newPrimaryIdentity();
    const wrongRef = await primaryHello('ABCD2345', primary.publicKey, new TextEncoder().encode('other'));
    await expect(handlePrimaryHello(wrongRef.notification, state, credentials, crypto)).rejects.toThrow(
      PairCodeError,
    );

    const good = (await primaryHello('ABCD2345', primary.publicKey)).notification;
    const edit = (
      fn: (children: BinaryNode[]) => BinaryNode[],
      attrs = { stage: 'primary_hello' },
    ): BinaryNode => {
      const reg = child(good, 'link_code_companion_reg');
      return { ...good, content: [{ ...reg, attrs, content: fn(reg.content as BinaryNode[]) }] };
    };
    const variants: BinaryNode[] = [
      { ...good, content: [] },
      edit((c) => c, { stage: 'refresh_code' }),
      edit((c) => c.filter((n) => n.tag !== 'primary_identity_pub')),
      edit((c) => c.filter((n) => n.tag !== 'link_code_pairing_ref')),
      edit((c) =>
        c.map((n) => (n.tag === 'primary_identity_pub' ? { ...n, content: bytes(n).subarray(0, 31) } : n)),
      ),
      edit((c) =>
        c.map((n) =>
          n.tag === 'link_code_pairing_wrapped_primary_ephemeral_pub'
            ? { ...n, content: bytes(n).subarray(0, 79) }
            : n,
        ),
      ),
      // A low-order identity key: X25519 with it is all zeros.
      edit((c) =>
        c.map((n) => (n.tag === 'primary_identity_pub' ? { ...n, content: new Uint8Array(32) } : n)),
      ),
    ];
    for (const variant of variants) {
      await expect(handlePrimaryHello(variant, state, credentials, crypto)).rejects.toThrow(PairCodeError);
    }
  });

  it('refuses bad phone numbers and codes with RangeError (caller input)', async () => {
    const credentials = await generateCredentials(crypto);
    await expect(startPairCode(credentials, '123456', crypto)).rejects.toThrow(RangeError);
    await expect(startPairCode(credentials, '0155501020', crypto)).rejects.toThrow(RangeError);
    await expect(startPairCode(credentials, '15550102000', crypto, { code: 'ABCD0123' })).rejects.toThrow(
      RangeError,
    );
    await expect(startPairCode(credentials, '15550102000', crypto, { code: 'ABCD123' })).rejects.toThrow(
      RangeError,
    );
    expect(() => parseCompanionHelloResult({ tag: 'iq', attrs: {} }, {} as never)).toThrow(PairCodeError);
  });
});
