import { type BinaryNode, MissingChildError } from '@wakit/binary-node';
import type { KeyPair } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { describe, expect, test } from 'vitest';
import { generateCredentials } from '../src/auth/credentials';
import {
  buildDigestQuery,
  checkKeyBundle,
  type KeyBundleDigest,
  keyBundleHash,
  parseDigest,
} from '../src/auth/key-bundle-digest';
import { generatePreKeys } from '../src/auth/prekeys';
import { MalformedDigestError } from '../src/errors';
import { digestNode, serverDigest } from './digest-helpers';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** A device's keys, its stored prekeys, and the digest a server holding them would send. */
async function device(preKeyCount = 5) {
  const credentials = await generateCredentials(nodeCrypto);
  const { preKeys } = await generatePreKeys(credentials, preKeyCount, nodeCrypto);
  const stored = new Map<number, KeyPair>(preKeys.map((p) => [p.keyId, p.keyPair]));
  const loadPreKey = async (id: number) => stored.get(id);
  const digest = serverDigest(
    credentials,
    preKeys.map((p) => ({ keyId: p.keyId, publicKey: p.keyPair.publicKey })),
  );
  return { credentials, preKeys, stored, loadPreKey, digest };
}

/** The server's IQ result carrying `digestNode(d, overrides)`. */
const reply = (d: KeyBundleDigest, overrides?: Record<string, Uint8Array>): BinaryNode => ({
  tag: 'iq',
  attrs: { type: 'result', id: '1' },
  content: [digestNode(d, overrides)],
});

describe('the key-bundle digest', () => {
  test('the query is <iq xmlns="encrypt" type="get"><digest/></iq>', () => {
    expect(buildDigestQuery()).toEqual({
      tag: 'iq',
      attrs: { to: '@s.whatsapp.net', type: 'get', xmlns: 'encrypt' },
      content: [{ tag: 'digest', attrs: {} }],
    });
  });

  test('parses every field of a server digest', async () => {
    const { digest } = await device();
    expect(parseDigest(reply(digest))).toEqual(digest);
  });

  test('our hash equals a server-side SHA-1 over the same keys', async () => {
    const { credentials, preKeys, digest } = await device(7);
    const ours = keyBundleHash(
      credentials.identityKey.publicKey,
      credentials.signedPreKey.keyPair.publicKey,
      credentials.signedPreKey.signature,
      preKeys.map((p) => p.keyPair.publicKey),
    );
    expect(hex(ours)).toBe(hex(digest.hash));
  });

  test('a missing part or a part of the wrong size is a RemoteProtocolError', async () => {
    const { digest } = await device();
    expect(() => parseDigest({ tag: 'iq', attrs: {}, content: [] })).toThrow(MissingChildError);
    for (const tag of ['registration', 'identity', 'hash', 'value', 'signature']) {
      expect(() => parseDigest(reply(digest, { [tag]: new Uint8Array(3) })), tag).toThrow(
        MalformedDigestError,
      );
    }
    // A listed prekey id that is not 3 bytes.
    const node = reply({ ...digest, preKeyIds: [] });
    const parts = (node.content as BinaryNode[])[0]!.content as BinaryNode[];
    parts.find((part) => part.tag === 'list')!.content = [
      { tag: 'id', attrs: {}, content: Uint8Array.of(1) },
    ];
    expect(() => parseDigest(node)).toThrow(MalformedDigestError);
  });

  test('a digest of exactly our keys matches, with or without one-time prekeys left', async () => {
    const { credentials, loadPreKey, digest } = await device();
    expect(await checkKeyBundle(digest, credentials, loadPreKey)).toBeUndefined();
    const hash = keyBundleHash(
      credentials.identityKey.publicKey,
      credentials.signedPreKey.keyPair.publicKey,
      credentials.signedPreKey.signature,
      [],
    );
    expect(await checkKeyBundle({ ...digest, preKeyIds: [], hash }, credentials, loadPreKey)).toBeUndefined();
  });

  test('names the first difference', async () => {
    const { credentials, stored, loadPreKey, digest } = await device();
    const other = await device();
    const check = (d: KeyBundleDigest) => checkKeyBundle(d, credentials, loadPreKey);
    expect(await check({ ...digest, registrationId: (digest.registrationId + 1) & 0x3fff })).toBe(
      'registration-id',
    );
    expect(await check({ ...digest, identity: other.digest.identity })).toBe('identity');
    expect(await check({ ...digest, signedPreKey: { ...digest.signedPreKey, keyId: 99 } })).toBe(
      'signed-prekey',
    );
    expect(await check({ ...digest, signedPreKey: other.digest.signedPreKey })).toBe('signed-prekey');
    const id = digest.preKeyIds[2]!;
    const original = stored.get(id)!;
    stored.delete(id);
    expect(await check(digest)).toBe('missing-prekeys');
    // A different key under a listed id: only the hash can tell.
    stored.set(id, other.preKeys[0]!.keyPair);
    expect(await check(digest)).toBe('hash');
    stored.set(id, original);
    expect(await check(digest)).toBeUndefined();
    const flipped = digest.hash.slice();
    flipped[19]! ^= 1;
    expect(await check({ ...digest, hash: flipped })).toBe('hash');
  });
});
