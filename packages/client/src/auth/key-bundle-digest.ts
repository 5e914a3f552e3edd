/**
 * The key-bundle digest check (docs/protocol.md §6.5): the server describes the bundle it holds for
 * this device (registration id, identity, signed prekey, the ids of the one-time prekeys left) with
 * a SHA-1 over the public keys, and the client checks it against its own keys. A mismatch means
 * peers may be starting sessions with keys this device does not have, which would fail to decrypt.
 *
 *     <iq xmlns="encrypt" type="get"><digest/></iq>
 *     -> <digest><registration>4B</registration><type>05</type><identity>32B</identity>
 *          <skey><id>3B</id><value>32B</value><signature>64B</signature></skey>
 *          <list><id>3B</id>...</list><hash>20B</hash></digest>
 *
 * hash = SHA-1(identity || skey value || skey signature || the listed prekeys' public keys, in the
 * listed order) [whatsapp-rust wacore/src/prekeys.rs `compute_key_bundle_digest`, Baileys
 * `digestKeyBundle`].
 */

import { sha1 } from '@noble/hashes/legacy.js';
import {
  type BinaryNode,
  getBinaryContent,
  getChild,
  getChildOrThrow,
  getChildren,
} from '@wakit/binary-node';
import type { KeyPair } from '@wakit/crypto';
import { equalBytes } from '../_bytes';
import { MalformedDigestError } from '../errors';
import type { DeviceCredentials } from '../store/store';
import { SERVER } from './_stanza';

/** The server's description of the bundle it holds for this device. */
export interface KeyBundleDigest {
  registrationId: number;
  identity: Uint8Array;
  signedPreKey: { keyId: number; publicKey: Uint8Array; signature: Uint8Array };
  /** The one-time prekeys the server still holds, in its order (the hash follows it). */
  preKeyIds: number[];
  /** 20 bytes. */
  hash: Uint8Array;
}

/** What differs between the server's bundle and ours; the first difference found, in this order. */
export type KeyBundleProblem =
  /** The server has no bundle for this device (IQ error 404). */
  | 'absent'
  | 'registration-id'
  | 'identity'
  | 'signed-prekey'
  /** The server lists prekeys this device no longer (or never) stored. */
  | 'missing-prekeys'
  /** Everything named matches, but the hash does not. */
  | 'hash';

/**
 * What a digest check found: the server's bundle is ours (`ok`), it had none and a fresh one was
 * uploaded (`reuploaded`), or it differs (`mismatch`, reported and left alone; see login.ts).
 */
export type KeyBundleCheck =
  | { status: 'ok' }
  | { status: 'reuploaded'; problem: 'absent' }
  | { status: 'mismatch'; problem: Exclude<KeyBundleProblem, 'absent'> };

/** `<iq xmlns="encrypt" type="get"><digest/></iq>`. */
export function buildDigestQuery(): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: SERVER, type: 'get', xmlns: 'encrypt' },
    content: [{ tag: 'digest', attrs: {} }],
  };
}

/** The bytes of `node`, which must be exactly `length` long. */
function sized(node: BinaryNode, length: number): Uint8Array {
  const bytes = getBinaryContent(node);
  if (bytes?.length !== length) {
    throw new MalformedDigestError(
      `<${node.tag}> of the digest has ${bytes?.length ?? 'no'} bytes, not ${length}`,
    );
  }
  return bytes;
}

const bytesOf = (parent: BinaryNode, tag: string, length: number) =>
  sized(getChildOrThrow(parent, tag), length);

/** A big-endian unsigned integer (3 or 4 bytes here). */
function uintBEOf(bytes: Uint8Array): number {
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return value;
}

/**
 * The `<digest>` of the query's result.
 *
 * @throws MissingChildError (from @wakit/binary-node) or MalformedDigestError when a part is
 *   absent or has the wrong size: both RemoteProtocolErrors.
 */
export function parseDigest(result: BinaryNode): KeyBundleDigest {
  const digest = getChildOrThrow(result, 'digest');
  const skey = getChildOrThrow(digest, 'skey');
  const list = getChild(digest, 'list');
  return {
    registrationId: uintBEOf(bytesOf(digest, 'registration', 4)),
    identity: bytesOf(digest, 'identity', 32),
    signedPreKey: {
      keyId: uintBEOf(bytesOf(skey, 'id', 3)),
      publicKey: bytesOf(skey, 'value', 32),
      signature: bytesOf(skey, 'signature', 64),
    },
    preKeyIds: list === undefined ? [] : getChildren(list, 'id').map((id) => uintBEOf(sized(id, 3))),
    hash: bytesOf(digest, 'hash', 20),
  };
}

/** The digest hash over the given public keys (32 bytes each, raw) and the signed prekey's signature. */
export function keyBundleHash(
  identity: Uint8Array,
  signedPreKey: Uint8Array,
  signature: Uint8Array,
  preKeys: readonly Uint8Array[],
): Uint8Array {
  const hash = sha1.create().update(identity).update(signedPreKey).update(signature);
  for (const preKey of preKeys) hash.update(preKey);
  return hash.digest();
}

/**
 * Checks the server's digest against our credentials and stored prekeys: undefined when they
 * match, else the first problem.
 */
export async function checkKeyBundle(
  digest: KeyBundleDigest,
  credentials: DeviceCredentials,
  loadPreKey: (id: number) => Promise<KeyPair | undefined>,
): Promise<Exclude<KeyBundleProblem, 'absent'> | undefined> {
  const { signedPreKey } = credentials;
  if (digest.registrationId !== credentials.registrationId) return 'registration-id';
  // Plain equality throughout: every value compared is public (keys, a signature, a hash of them).
  if (!equalBytes(digest.identity, credentials.identityKey.publicKey)) return 'identity';
  if (
    digest.signedPreKey.keyId !== signedPreKey.keyId ||
    !equalBytes(digest.signedPreKey.publicKey, signedPreKey.keyPair.publicKey) ||
    !equalBytes(digest.signedPreKey.signature, signedPreKey.signature)
  ) {
    return 'signed-prekey';
  }
  const preKeys: Uint8Array[] = [];
  for (const id of digest.preKeyIds) {
    const preKey = await loadPreKey(id);
    if (preKey === undefined) return 'missing-prekeys';
    preKeys.push(preKey.publicKey);
  }
  const ours = keyBundleHash(
    credentials.identityKey.publicKey,
    signedPreKey.keyPair.publicKey,
    signedPreKey.signature,
    preKeys,
  );
  return equalBytes(ours, digest.hash) ? undefined : 'hash';
}
