/**
 * The server side of the key-bundle digest (docs/protocol.md §6.5), written for the tests with
 * node:crypto's SHA-1, so a mistake in key-bundle-digest.ts cannot cancel out.
 */
import { createHash } from 'node:crypto';
import type { BinaryNode } from '@wakit/binary-node';
import type { KeyBundleDigest } from '../src/auth/key-bundle-digest';
import type { DeviceCredentials } from '../src/store/store';

/** `value` as `width` big-endian bytes. */
export const be = (value: number, width: number) =>
  Uint8Array.from({ length: width }, (_, i) => (value >>> (8 * (width - 1 - i))) & 0xff);

/** What a server holding `credentials`' keys and these one-time prekeys (in its order) reports. */
export function serverDigest(
  credentials: DeviceCredentials,
  preKeys: readonly { keyId: number; publicKey: Uint8Array }[],
): KeyBundleDigest {
  const { identityKey, signedPreKey } = credentials;
  const hash = createHash('sha1')
    .update(identityKey.publicKey)
    .update(signedPreKey.keyPair.publicKey)
    .update(signedPreKey.signature);
  for (const preKey of preKeys) hash.update(preKey.publicKey);
  return {
    registrationId: credentials.registrationId,
    identity: identityKey.publicKey,
    signedPreKey: {
      keyId: signedPreKey.keyId,
      publicKey: signedPreKey.keyPair.publicKey,
      signature: signedPreKey.signature,
    },
    preKeyIds: preKeys.map((preKey) => preKey.keyId),
    hash: new Uint8Array(hash.digest()),
  };
}

/** The `<digest>` node for `digest`; `overrides` replaces the content of the parts it names. */
export function digestNode(digest: KeyBundleDigest, overrides: Record<string, Uint8Array> = {}): BinaryNode {
  const part = (tag: string, content: Uint8Array): BinaryNode => ({
    tag,
    attrs: {},
    content: overrides[tag] ?? content,
  });
  return {
    tag: 'digest',
    attrs: {},
    content: [
      part('registration', be(digest.registrationId, 4)),
      part('type', Uint8Array.of(5)),
      part('identity', digest.identity),
      {
        tag: 'skey',
        attrs: {},
        content: [
          part('id', be(digest.signedPreKey.keyId, 3)),
          part('value', digest.signedPreKey.publicKey),
          part('signature', digest.signedPreKey.signature),
        ],
      },
      {
        tag: 'list',
        attrs: {},
        content: digest.preKeyIds.map((id) => ({ tag: 'id', attrs: {}, content: be(id, 3) })),
      },
      part('hash', digest.hash),
    ],
  };
}
