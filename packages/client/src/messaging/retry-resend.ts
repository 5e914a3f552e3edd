/**
 * Answering a peer's retry receipt (docs/protocol.md §7.5, §7.1 "Resend after retry"): the message
 * is taken from the sent-message store, encrypted again for the one device that asked (a fresh
 * session from the keys it sent, when it sent them; our copy for our own devices), and sent to that
 * device alone with the receipt's count. The session change is committed before the resend is
 * written, as for any send. A message we no longer have cannot be resent: that is logged.
 */

import { encryptWithRecord, initSessionFromBundle, NoSessionError } from '@wakit/signal';
import { ownDevice } from './host';
import { parseJid } from './jids';
import { localIdentity, type Messaging } from './messaging';
import { ensureSessions, sessionAddress } from './sessions';
import { decodeMessage, encodePlaintext, wrapDeviceSent } from './wire/message-codec';
import { mediaTypeOf, stanzaTypeOf } from './wire/message-type';
import { buildRetryResend } from './wire/outgoing';
import type { Receipt } from './wire/receipts';

/** The highest retry count answered (the receiver stops at 5, docs/protocol.md §7.5). */
const MAX_RESEND_COUNT = 4;

/** Resends the message a retry receipt names to the device that sent the receipt. */
export async function resendForRetry(m: Messaging, receipt: Receipt): Promise<void> {
  const retry = receipt.retry;
  if (retry === undefined) return;
  const { host } = m;
  if (retry.count > MAX_RESEND_COUNT) {
    host.logger.warn?.('a retry receipt past the last attempt; not resending', { id: retry.id });
    return;
  }
  const device = receipt.sender;
  const fromOwnDevice = receipt.recipient !== undefined;
  const chat = receipt.chat;
  const sent = await host.store.sent.get(await m.peers.canonical(chat), retry.id);
  if (sent === undefined) {
    host.logger.warn?.('a retry receipt for a message no longer kept; cannot resend', {
      id: retry.id,
      device,
    });
    return;
  }
  const message = decodeMessage(sent.message);
  const address = await sessionAddress(m.peers, device);
  if (retry.keys === undefined) await ensureSessions(m.sessions, [device]);
  const own = ownDevice(host);
  const plaintext = encodePlaintext(fromOwnDevice ? wrapDeviceSent(message, chat) : message, () =>
    m.randomByte(),
  );
  const encrypted = await host.signalLock.run(() =>
    host.store.transaction(async (tx) => {
      const stored = await tx.loadSession(address);
      let record = stored === undefined ? undefined : m.sessionCache.decode(address, stored);
      if (retry.keys !== undefined) {
        // The device sent its keys: its old session is gone, start a new one from them.
        record = await initSessionFromBundle(record, retry.keys, localIdentity(host), {
          crypto: host.crypto,
        });
        await tx.saveIdentity(address, retry.keys.identityKey);
      }
      if (record === undefined) throw new NoSessionError(`no session with ${device} to resend on`);
      const result = await encryptWithRecord(record, plaintext, { crypto: host.crypto });
      await tx.storeSession(address, m.sessionCache.encode(address, result.record));
      return result.message;
    }),
  );
  const node = buildRetryResend({
    to: device,
    id: retry.id,
    type: stanzaTypeOf(message),
    count: retry.count,
    enc: { type: encrypted.type, ciphertext: encrypted.ciphertext, mediatype: mediaTypeOf(message) },
    recipient: fromOwnDevice ? chat : undefined,
    deviceIdentity: own.deviceIdentity,
  });
  await host.sendNode(node);
  host.logger.debug?.('resent a message after a retry receipt', {
    id: retry.id,
    device,
    to: parseJid(device).user,
  });
}
