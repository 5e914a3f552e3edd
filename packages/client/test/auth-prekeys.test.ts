import { type BinaryNode, decodeNode, encodeNode } from '@wakit/binary-node';
import { nodeCrypto } from '@wakit/crypto/node';
import { describe, expect, it } from 'vitest';
import { generateCredentials } from '../src/auth/credentials';
import {
  buildPreKeyCountQuery,
  buildPreKeyUpload,
  generatePreKeys,
  INITIAL_PREKEY_COUNT,
  MIN_PREKEY_COUNT,
  parsePreKeyCount,
} from '../src/auth/prekeys';
import { bytes, child } from './auth-helpers';

const crypto = nodeCrypto;

describe('generatePreKeys', () => {
  it('numbers keys from nextPreKeyId and advances it, without touching the input', async () => {
    const credentials = await generateCredentials(crypto);
    const first = await generatePreKeys(credentials, 3, crypto);
    expect(first.preKeys.map((k) => k.keyId)).toEqual([1, 2, 3]);
    expect(first.credentials.nextPreKeyId).toBe(4);
    expect(credentials.nextPreKeyId).toBe(1);
    const second = await generatePreKeys(first.credentials, 2, crypto);
    expect(second.preKeys.map((k) => k.keyId)).toEqual([4, 5]);
    const publics = new Set(
      [...first.preKeys, ...second.preKeys].map((k) => Buffer.from(k.keyPair.publicKey).toString('hex')),
    );
    expect(publics.size).toBe(5);
  });

  it('wraps below 2^24, skipping 0', async () => {
    const credentials = { ...(await generateCredentials(crypto)), nextPreKeyId: 0xfffffe };
    const { preKeys, credentials: next } = await generatePreKeys(credentials, 4, crypto);
    expect(preKeys.map((k) => k.keyId)).toEqual([0xfffffe, 0xffffff, 1, 2]);
    expect(next.nextPreKeyId).toBe(3);
    const exact = await generatePreKeys({ ...credentials, nextPreKeyId: 0xffffff }, 1, crypto);
    expect(exact.credentials.nextPreKeyId).toBe(1);
    const none = await generatePreKeys(credentials, 0, crypto);
    expect(none.preKeys).toEqual([]);
    expect(none.credentials.nextPreKeyId).toBe(0xfffffe);
  });

  it('refuses an out-of-range counter or count', async () => {
    const credentials = await generateCredentials(crypto);
    await expect(generatePreKeys({ ...credentials, nextPreKeyId: 0 }, 1, crypto)).rejects.toThrow(RangeError);
    await expect(generatePreKeys(credentials, -1, crypto)).rejects.toThrow(RangeError);
  });

  it('keeps the thresholds all references share', () => {
    expect(INITIAL_PREKEY_COUNT).toBe(812);
    expect(MIN_PREKEY_COUNT).toBe(5);
  });
});

describe('buildPreKeyUpload', () => {
  it('has the §6.4 children in order with their exact byte widths', async () => {
    const base = await generateCredentials(crypto);
    const credentials = { ...base, registrationId: 0x1234, nextPreKeyId: 0x010203 };
    const { preKeys } = await generatePreKeys(credentials, 2, crypto);
    const iq = buildPreKeyUpload(credentials, preKeys);

    expect(iq.attrs).toEqual({ to: '@s.whatsapp.net', type: 'set', xmlns: 'encrypt' });
    expect((iq.content as BinaryNode[]).map((n) => n.tag)).toEqual([
      'registration',
      'type',
      'identity',
      'list',
      'skey',
    ]);
    expect(bytes(child(iq, 'registration'))).toEqual(Uint8Array.of(0, 0, 0x12, 0x34));
    expect(bytes(child(iq, 'type'))).toEqual(Uint8Array.of(5));
    expect(bytes(child(iq, 'identity'))).toEqual(credentials.identityKey.publicKey);

    const list = child(iq, 'list').content as BinaryNode[];
    expect(list.map((k) => k.tag)).toEqual(['key', 'key']);
    expect(list.map((k) => (k.content as BinaryNode[]).map((n) => n.tag))).toEqual([
      ['id', 'value'],
      ['id', 'value'],
    ]);
    expect(bytes(child(list[0]!, 'id'))).toEqual(Uint8Array.of(1, 2, 3));
    expect(bytes(child(list[1]!, 'id'))).toEqual(Uint8Array.of(1, 2, 4));
    expect(bytes(child(list[0]!, 'value'))).toEqual(preKeys[0]!.keyPair.publicKey);

    const skey = child(iq, 'skey');
    expect((skey.content as BinaryNode[]).map((n) => n.tag)).toEqual(['id', 'value', 'signature']);
    expect(bytes(child(skey, 'id'))).toEqual(Uint8Array.of(0, 0, 1));
    expect(bytes(child(skey, 'value'))).toEqual(credentials.signedPreKey.keyPair.publicKey);
    expect(bytes(child(skey, 'signature'))).toEqual(credentials.signedPreKey.signature);

    expect(decodeNode(encodeNode(iq))).toEqual(iq);
  });

  it('refuses keys of the wrong size and ids beyond 3 bytes', async () => {
    const credentials = await generateCredentials(crypto);
    const { preKeys } = await generatePreKeys(credentials, 1, crypto);
    const shortKey = [{ keyId: 1, keyPair: { ...preKeys[0]!.keyPair, publicKey: new Uint8Array(33) } }];
    expect(() => buildPreKeyUpload(credentials, shortKey)).toThrow(RangeError);
    expect(() => buildPreKeyUpload(credentials, [{ ...preKeys[0]!, keyId: 0x1000000 }])).toThrow(RangeError);
    const badSignature = {
      ...credentials,
      signedPreKey: { ...credentials.signedPreKey, signature: new Uint8Array(63) },
    };
    expect(() => buildPreKeyUpload(badSignature, preKeys)).toThrow(RangeError);
  });
});

describe('prekey count', () => {
  it('queries <count/> in the encrypt namespace', () => {
    expect(buildPreKeyCountQuery()).toEqual({
      tag: 'iq',
      attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'encrypt' },
      content: [{ tag: 'count', attrs: {} }],
    });
  });

  it('reads the count from a result and from the encrypt notification', () => {
    const result = {
      tag: 'iq',
      attrs: { type: 'result' },
      content: [{ tag: 'count', attrs: { value: '42' } }],
    };
    expect(parsePreKeyCount(result)).toBe(42);
    const push = {
      tag: 'notification',
      attrs: { type: 'encrypt' },
      content: [{ tag: 'count', attrs: { value: '0' } }],
    };
    expect(parsePreKeyCount(push)).toBe(0);
  });

  it.each([
    ['no <count>', { tag: 'iq', attrs: {} }, 'ERR_BINARY_MISSING_CHILD'],
    ['no value', { tag: 'iq', attrs: {}, content: [{ tag: 'count', attrs: {} }] }, 'ERR_ATTRS'],
    [
      'a non-numeric value',
      { tag: 'iq', attrs: {}, content: [{ tag: 'count', attrs: { value: 'x' } }] },
      'ERR_ATTRS',
    ],
    [
      'a negative value',
      { tag: 'iq', attrs: {}, content: [{ tag: 'count', attrs: { value: '-1' } }] },
      'ERR_ATTRS',
    ],
  ])('refuses %s with a remote protocol error', (_, node, code) => {
    expect(() => parsePreKeyCount(node as BinaryNode)).toThrow(
      expect.objectContaining({ code, kind: 'remote' }),
    );
  });
});
