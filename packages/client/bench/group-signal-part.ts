/**
 * wakit's own Signal code doing exactly what the bridge row does (`group-bridge.ts`), so the two
 * compare like with like: a sender key created, its distribution message encrypted pairwise for
 * every device over sessions started from bundles (each a `pkmsg`), the message encrypted once with
 * the key. Sessions are kept as record bytes in a map, read through the client's `SessionCache`
 * and written back as bytes, as `pairwise-encrypt.ts` does inside the send's transaction. No
 * transaction, no stanza, no device lists, no marks: what the whole send (`wakit cold`) adds to
 * this row is the client around the Signal part.
 */
import type { CryptoProvider } from '@wakit/crypto';
import {
  createSenderKeyDistributionMessage,
  encryptWithRecord,
  generateIdentityKeyPair,
  generateSignedPreKey,
  groupEncrypt,
  initSessionFromBundle,
  serializePublicKey,
} from '@wakit/signal';
import { SessionCache } from '../src/messaging/session-cache';
import { encodeMessage } from '../src/messaging/wire/message-codec';
import { padPlaintext } from '../src/messaging/wire/padding';

const GROUP = '120363000000000001@g.us';
const MESSAGE = new TextEncoder().encode('group bench message, padded as wakit pads it: ~32 bytes');

/** One cold send's Signal work: resolves with the number of ciphertexts. */
export type SignalColdSend = () => Promise<number>;

/** A sender with sessions to `devices` devices, ready for cold sends on `crypto`. */
export async function wakitSignalColdSend(devices: number, crypto: CryptoProvider): Promise<SignalColdSend> {
  const local = { identityKeyPair: await generateIdentityKeyPair(crypto), registrationId: 1234 };
  const sessions = new Map<string, Uint8Array>();
  for (let i = 0; i < devices; i++) {
    const identity = await generateIdentityKeyPair(crypto);
    const signed = await generateSignedPreKey(identity, 1, crypto);
    const record = await initSessionFromBundle(
      undefined,
      {
        registrationId: 1234,
        identityKey: serializePublicKey(identity.publicKey),
        signedPreKey: {
          keyId: 1,
          publicKey: serializePublicKey(signed.keyPair.publicKey),
          signature: signed.signature,
        },
      },
      local,
      { crypto },
    );
    sessions.set(`1555100${String(i).padStart(4, '0')}.0`, record.serialize({ file: false }));
  }
  // Decoded once here, as a running client has them cached after its first send.
  const cache = new SessionCache();
  for (const [address, bytes] of sessions) cache.decode(address, bytes);
  const plaintextOf = (skdm: Uint8Array) =>
    padPlaintext(
      encodeMessage({
        senderKeyDistributionMessage: { groupId: GROUP, axolotlSenderKeyDistributionMessage: skdm },
      }),
      () => 7,
    );
  return async () => {
    const created = await createSenderKeyDistributionMessage(undefined, { crypto });
    const plaintext = plaintextOf(created.message.serialized);
    let count = 0;
    for (const [address, bytes] of sessions) {
      const { message, record } = await encryptWithRecord(cache.decode(address, bytes), plaintext, {
        crypto,
      });
      if (message.type !== 'pkmsg') throw new Error(`wakit sent a ${message.type}, expected a pkmsg`);
      sessions.set(address, cache.encode(address, record));
      count += message.ciphertext.length > 0 ? 1 : 0;
    }
    const sealed = await groupEncrypt(created.record, MESSAGE, { crypto });
    return count + (sealed.ciphertext.length > 0 ? 1 : 0);
  };
}
