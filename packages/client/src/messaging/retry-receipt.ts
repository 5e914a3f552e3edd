/**
 * Asking a sender to send again (docs/protocol.md §7.5): a message that does not decrypt gets a
 * retry receipt. From the second attempt on, it carries our keys (identity, signed prekey, a fresh
 * one-time prekey that is stored but not uploaded, our device identity), so the sender can start a
 * new session even when ours is gone. After five attempts we give up and report the loss.
 * Counts are kept in the store per message, so a restart does not reset them.
 */
import { BadMacError, InvalidMessageError, MissingPreKeyError, NoSessionError } from '@wakit/signal';
import { generatePreKeys } from '../auth/prekeys';
import type { Stanza } from '../pipeline/stanza-handler';
import type { MessageKey } from '../store/store';
import { ownDevice } from './host';
import { messageInfo } from './message-info';
import type { Messaging } from './messaging';
import type { IncomingMessage } from './wire/incoming';
import { type RetryKeys, retryReceipt } from './wire/receipts';

/** Retry receipts per message before the message is reported lost (whatsapp-rust `MAX_RETRY_COUNT`). */
export const MAX_RETRY_COUNT = 5;
/** The attempt from which our keys go along (whatsapp-rust `MIN_RETRY_COUNT_FOR_KEYS`). */
export const MIN_RETRY_COUNT_FOR_KEYS = 2;

const RETRIES = 'messaging:retries';

/** The retry reason code for a decrypt error (docs/protocol.md §7.5). */
export function retryReason(error: unknown): number {
  if (error instanceof NoSessionError) return 1;
  if (error instanceof MissingPreKeyError) return 3;
  if (error instanceof InvalidMessageError) return 4;
  if (error instanceof BadMacError) return 7;
  return 0;
}

/** Handles a message that failed to decrypt with `error`; the pipeline acks it afterwards. */
export async function sendRetryReceipt(
  m: Messaging,
  stanza: Stanza,
  incoming: IncomingMessage,
  key: MessageKey,
  error: unknown,
): Promise<void> {
  const info = messageInfo(incoming);
  const { kv } = m.host.store;
  const name = `${key.chat} ${key.sender} ${key.id}`;
  const previous = await kv.get(RETRIES, name);
  const count = (previous === undefined ? 0 : previous[0]!) + 1;
  if (count > MAX_RETRY_COUNT) {
    await kv.delete(RETRIES, name);
    m.host.emit('undecryptable', { info, reason: 'retries-exhausted', error, retryCount: count - 1 });
    return;
  }
  const keys = count >= MIN_RETRY_COUNT_FOR_KEYS ? await retryKeys(m) : undefined;
  await kv.put(RETRIES, name, Uint8Array.of(count));
  await stanza.send(
    retryReceipt({
      msg: incoming,
      count,
      registrationId: m.host.credentials().registrationId,
      keys,
      reason: retryReason(error),
    }),
  );
  m.host.emit('undecryptable', { info, reason: 'decrypt-failed', error, retryCount: count });
}

/** Our keys for a retry receipt, with a fresh one-time prekey stored before it is handed out. */
async function retryKeys(m: Messaging): Promise<RetryKeys> {
  const { host } = m;
  // Under the Signal lock: the prekey refill after login also advances `nextPreKeyId`.
  const preKey = await host.signalLock.run(async () => {
    const generated = await generatePreKeys(host.credentials(), 1, host.crypto);
    await host.store.storePreKeys(generated.preKeys);
    await host.saveCredentials(generated.credentials);
    return generated.preKeys[0]!;
  });
  const credentials = host.credentials();
  return {
    identity: credentials.identityKey.publicKey,
    preKey: { id: preKey.keyId, publicKey: preKey.keyPair.publicKey },
    signedPreKey: {
      id: credentials.signedPreKey.keyId,
      publicKey: credentials.signedPreKey.keyPair.publicKey,
      signature: credentials.signedPreKey.signature,
    },
    deviceIdentity: ownDevice(host).deviceIdentity,
  };
}
