/**
 * Answering a peer's retry receipt (docs/protocol.md §7.5, §7.1 "Resend after retry"): the message
 * is taken from the sent-message store, encrypted again for the one device that asked (a fresh
 * session from the keys it sent, when it sent them; our copy for our own devices), and sent to that
 * device alone with the receipt's count. The session change is committed before the resend is
 * written, as for any send. A message we no longer have cannot be resent: that is logged.
 */

import { create, type Message, Message_SenderKeyDistributionMessageSchema } from '@wakit/proto';
import {
  createSenderKeyDistributionMessage,
  decodeSenderKeyRecord,
  encodeSenderKeyRecord,
  encryptWithRecord,
  initSessionFromBundle,
  NoSessionError,
} from '@wakit/signal';
import { ownDevice } from './host';
import { parseJid, STATUS_BROADCAST } from './jids';
import { localIdentity, type Messaging } from './messaging';
import { groupTargets } from './send-group';
import { senderKeyName } from './sender-key-names';
import { ensureSessions, sessionAddress } from './sessions';
import { isGroupJid } from './wire/group-participants';
import { decodeMessage, encodeMessage, encodePlaintext, wrapDeviceSent } from './wire/message-codec';
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
  const group = isGroupJid(chat) || chat === STATUS_BROADCAST;
  // Groups and status: the message and our SKDM together, pairwise (whatsmeow `handleRetryReceipt`), so the
  // device can read this message and what follows even when it lost our sender key.
  const content = group
    ? await withDistribution(m, chat, message)
    : fromOwnDevice
      ? wrapDeviceSent(message, chat)
      : message;
  const plaintext = encodePlaintext(content, () => m.randomByte());
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
      // The device is not marked as holding our key: marked here, a resend lost to a crash after
      // this commit, or one whose key was dropped (a member left) before it, would leave it marked
      // without our current key. The next group send gives it the key again, and marks it once
      // acked (distributions.ts): one duplicate SKDM per retry, which is harmless.
      return result.message;
    }),
  );
  const node = buildRetryResend({
    to: group ? chat : device,
    id: retry.id,
    type: stanzaTypeOf(message),
    count: retry.count,
    enc: { type: encrypted.type, ciphertext: encrypted.ciphertext, mediatype: mediaTypeOf(message) },
    recipient: fromOwnDevice && !group ? chat : undefined,
    deviceIdentity: own.deviceIdentity,
    // A group resend goes to the group, naming the device (whatsmeow `handleRetryReceipt`).
    attrs: group ? { participant: device } : undefined,
  });
  await host.sendNode(node);
  host.logger.debug?.('resent a message after a retry receipt', {
    id: retry.id,
    device,
    to: parseJid(device).user,
  });
}

/**
 * `message` with our current SKDM for `group` attached (creating our sender key when there is none:
 * the next group send then distributes it to the others).
 */
async function withDistribution(m: Messaging, group: string, message: Message): Promise<Message> {
  const { host } = m;
  // Our sender key's device: a status is sent from our PN device (`statusTargets`).
  const { self } = group === STATUS_BROADCAST ? { self: ownDevice(host).pn } : await groupTargets(m, group);
  const name = senderKeyName(group, self);
  const given = await host.signalLock.run(() =>
    host.store.transaction(async (tx) => {
      const stored = await tx.loadSenderKey(name);
      const created = await createSenderKeyDistributionMessage(
        stored === undefined ? undefined : decodeSenderKeyRecord(stored),
        { crypto: host.crypto },
      );
      if (created.created) {
        await tx.storeSenderKey(name, encodeSenderKeyRecord(created.record));
        await tx.senderKeyDevices.clear(group);
      }
      return created;
    }),
  );
  if (given.created) m.distributions.forget(group);
  const copy = decodeMessage(encodeMessage(message));
  copy.senderKeyDistributionMessage = create(Message_SenderKeyDistributionMessageSchema, {
    groupId: group,
    axolotlSenderKeyDistributionMessage: given.message.serialized,
  });
  return copy;
}
