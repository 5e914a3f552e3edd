/**
 * One-time prekeys on the server (docs/protocol.md §6.4, §6.5): generating batches with ids that keep
 * counting across batches, the upload IQ, and the count query the client uses to decide when to
 * upload. Nothing here stores keys: the caller saves the batch and the advanced `nextPreKeyId`
 * together before uploading, so a crash cannot reuse an id.
 */
import { AttrsError, type BinaryNode, getChildOrThrow, readAttrs } from '@wakit/binary-node';
import type { CryptoProvider } from '@wakit/crypto';
import { DJB_TYPE, generatePreKeys as generateSignalPreKeys, MAX_PREKEY_ID } from '@wakit/signal';
import { uintBE } from '../_bytes';
import type { DeviceCredentials, PreKey } from '../store/store';
import { SERVER } from './_stanza';

/** How many prekeys a freshly paired device uploads (all three references). */
export const INITIAL_PREKEY_COUNT = 812;
/** Upload more when the server holds fewer than this (all three references). */
export const MIN_PREKEY_COUNT = 5;

/**
 * `count` new prekeys numbered from `credentials.nextPreKeyId`, and the credentials with that
 * counter advanced past them. Ids wrap from 2^24-1 back to 1 (0 is never used).
 *
 * @example
 * const { preKeys, credentials: next } = await generatePreKeys(credentials, INITIAL_PREKEY_COUNT, crypto);
 * await store.storePreKeys(preKeys);
 * await store.saveCredentials(next);
 * await query(buildPreKeyUpload(next, preKeys));
 */
export async function generatePreKeys(
  credentials: DeviceCredentials,
  count: number,
  crypto: CryptoProvider,
): Promise<{ preKeys: PreKey[]; credentials: DeviceCredentials }> {
  const start = credentials.nextPreKeyId;
  // @wakit/signal checks both ranges (RangeError) and wraps the same way.
  const preKeys = await generateSignalPreKeys(start, count, crypto);
  const nextPreKeyId = ((start - 1 + count) % MAX_PREKEY_ID) + 1;
  return { preKeys, credentials: { ...credentials, nextPreKeyId } };
}

/**
 * `<iq xmlns="encrypt" type="set">` with, in this order, `<registration>` (4 bytes BE), `<type>`
 * (0x05), `<identity>` (32 bytes), `<list>` of `<key><id>` (3 bytes BE) `<value>` (32 bytes), and
 * `<skey>` with id, value and the 64-byte signature (docs/protocol.md §6.4).
 *
 * @throws RangeError when a key, signature or id does not have its wire size.
 */
export function buildPreKeyUpload(credentials: DeviceCredentials, preKeys: readonly PreKey[]): BinaryNode {
  const { signedPreKey } = credentials;
  return {
    tag: 'iq',
    attrs: { to: SERVER, type: 'set', xmlns: 'encrypt' },
    content: [
      { tag: 'registration', attrs: {}, content: uintBE(credentials.registrationId, 4) },
      { tag: 'type', attrs: {}, content: Uint8Array.of(DJB_TYPE) },
      { tag: 'identity', attrs: {}, content: sized(credentials.identityKey.publicKey, 32, 'identity key') },
      {
        tag: 'list',
        attrs: {},
        content: preKeys.map((preKey) => ({
          tag: 'key',
          attrs: {},
          content: [
            { tag: 'id', attrs: {}, content: preKeyId(preKey.keyId) },
            {
              tag: 'value',
              attrs: {},
              content: sized(preKey.keyPair.publicKey, 32, `prekey ${preKey.keyId}`),
            },
          ],
        })),
      },
      {
        tag: 'skey',
        attrs: {},
        content: [
          { tag: 'id', attrs: {}, content: preKeyId(signedPreKey.keyId) },
          { tag: 'value', attrs: {}, content: sized(signedPreKey.keyPair.publicKey, 32, 'signed prekey') },
          {
            tag: 'signature',
            attrs: {},
            content: sized(signedPreKey.signature, 64, 'signed prekey signature'),
          },
        ],
      },
    ],
  };
}

/** `<iq xmlns="encrypt" type="get"><count/></iq>`: how many of our prekeys the server still holds. */
export function buildPreKeyCountQuery(): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: SERVER, type: 'get', xmlns: 'encrypt' },
    content: [{ tag: 'count', attrs: {} }],
  };
}

/**
 * The `value` of the `<count>` child: of the count query's result, or of the server's
 * `<notification type="encrypt"><count value/>` push (same shape).
 *
 * @throws MissingChildError without `<count>`; AttrsError when `value` is missing or not a
 *   non-negative integer (both RemoteProtocolErrors from @wakit/binary-node).
 */
export function parsePreKeyCount(result: BinaryNode): number {
  const count = getChildOrThrow(result, 'count');
  const attrs = readAttrs(count);
  const value = attrs.int('value');
  attrs.check();
  if (value < 0)
    throw new AttrsError(count.tag, [{ key: 'value', problem: 'negative', value: String(value) }]);
  return value;
}

function preKeyId(id: number): Uint8Array {
  if (!Number.isInteger(id) || id < 0 || id > MAX_PREKEY_ID) {
    throw new RangeError(`prekey id expected an integer in [0, ${MAX_PREKEY_ID}], got ${id}`);
  }
  return uintBE(id, 3);
}

function sized(bytes: Uint8Array, length: number, what: string): Uint8Array {
  if (bytes.length !== length) throw new RangeError(`${what} expected ${length} bytes, got ${bytes.length}`);
  return new Uint8Array(bytes);
}
