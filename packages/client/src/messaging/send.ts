/**
 * Sending a 1:1 message (docs/protocol.md §7.1): every device of the peer and every other device
 * of our own account, in the namespace (PN or LID) the chat was given in. Our own devices get the
 * message wrapped in `deviceSentMessage`, so they show it as sent by us.
 *
 * Order and durability: the send runs in the chat's send lane, so stanzas to one chat reach the
 * wire in call order even when the caller does not await. Every ratchet step of the fan-out, and
 * the message itself (kept for retry receipts), is committed in ONE store transaction before the
 * stanza is written: a process killed at any point never sends a ciphertext whose key it could
 * reuse after a restart. The ack is awaited outside the lane, so the next message of the chat does
 * not wait a round trip.
 */

import type { BinaryNode } from '@wakit/binary-node';
import { create, type Message, MessageSchema } from '@wakit/proto';
import { NoRecipientDevicesError, NotConnectedError } from '../errors';
import type { OutgoingMessage } from '../modules/module';
import { ownDevice } from './host';
import { GROUP_SERVER, isPersonJid, LID_SERVER, parseJid, STATUS_BROADCAST, userJid } from './jids';
import type { MessageAck } from './message-acks';
import type { Messaging } from './messaging';
import { encryptPairwise } from './pairwise-encrypt';
import { checkAckPhash, fanOutGroup } from './send-group';
import { ensureSessions, sessionAddress } from './sessions';
import { hidesDecryptFailure } from './wire/decrypt-fail';
import { encodeDeviceSent } from './wire/device-sent-bytes';
import { encodeMessage, type MessageInput } from './wire/message-codec';
import { generateMessageId } from './wire/message-id';
import { mediaTypeOf, stanzaTypeOf } from './wire/message-type';
import { buildMessageStanza } from './wire/outgoing';
import { padPlaintext } from './wire/padding';

/** Options of `sendMessage`. */
export interface SendOptions {
  /** The message id (default: a fresh `3EB0…` id). */
  id?: string | undefined;
  /** The `edit` attribute (`EDIT_ATTRIBUTE`): edits, pins, revokes. */
  edit?: string | undefined;
  /** Further attributes on the `<message>` stanza. */
  attrs?: Readonly<Record<string, string>> | undefined;
  /** Further children after `<participants>` and `<device-identity>`. */
  children?: readonly BinaryNode[] | undefined;
  /**
   * The people a status (`status@broadcast`) goes to, as PN or LID user JIDs: required there (the
   * server delivers a status to the devices the stanza lists, nobody else), ignored elsewhere. Our
   * own other devices get it too.
   */
  recipients?: readonly string[] | undefined;
}

/** The message as a `Message`, whichever form was given. */
export function asMessage(input: MessageInput): Message {
  return '$typeName' in input && input.$typeName === 'whatsapp.Message'
    ? (input as Message)
    : create(MessageSchema, input as Parameters<typeof create<typeof MessageSchema>>[1]);
}

/**
 * Sends `input` to the user `to` (PN or LID JID); resolves with the message id once the server
 * acked it.
 *
 * @throws RangeError when `to` is not a person's JID; NotConnectedError when not logged in;
 *   NoRecipientDevicesError when the server lists no device; MessageRejectedError on an error ack;
 *   TimeoutError when no ack comes; ConnectionClosedError when the connection closes first.
 */
export async function sendMessage(
  m: Messaging,
  to: string,
  input: MessageInput,
  options: SendOptions = {},
): Promise<string> {
  const chat = parseJid(to);
  if (chat.server === GROUP_SERVER) return sendGroupMessage(m, userJid(chat), input, options);
  if (userJid(chat) === STATUS_BROADCAST) return sendGroupMessage(m, STATUS_BROADCAST, input, options);
  if (!isPersonJid(chat))
    throw new RangeError(`sendMessage() sends to PN or LID users, groups and status@broadcast, got "${to}"`);
  const message = asMessage(input);
  const own = ownDevice(m.host);
  const id =
    options.id ??
    generateMessageId(parseJid(own.pn).user, m.host.timers.now(), m.host.crypto.randomBytes(16));
  let ack!: Promise<MessageAck>;
  let outgoing!: OutgoingMessage;
  await new Promise<void>((resolve, reject) => {
    void m.sendLanes.push({
      lane: () => m.peers.resolve(to),
      run: async () => {
        ({ ack, outgoing } = await fanOut(m, userJid(chat), message, id, options));
        resolve();
      },
      fail: reject,
    });
  });
  await ack;
  m.host.messageSent(outgoing);
  return id;
}

/**
 * `sendMessage` to a group, or a status to `options.recipients`: sender-key fan-out in the chat's
 * send lane (`send-group.ts`).
 */
async function sendGroupMessage(
  m: Messaging,
  group: string,
  input: MessageInput,
  options: SendOptions,
): Promise<string> {
  const status = group === STATUS_BROADCAST ? options.recipients : undefined;
  if (group === STATUS_BROADCAST && (status === undefined || status.length === 0))
    throw new RangeError('a status needs options.recipients: the people it goes to');
  for (const jid of status ?? []) {
    if (!isPersonJid(parseJid(jid)))
      throw new RangeError(`a status recipient must be a person, got "${jid}"`);
  }
  const message = asMessage(input);
  const own = ownDevice(m.host);
  const id =
    options.id ??
    generateMessageId(parseJid(own.pn).user, m.host.timers.now(), m.host.crypto.randomBytes(16));
  let sent!: Awaited<ReturnType<typeof fanOutGroup>>;
  await new Promise<void>((resolve, reject) => {
    void m.sendLanes.push({
      lane: () => group,
      run: async () => {
        sent = await fanOutGroup(m, group, message, id, options, status);
        resolve();
      },
      fail: reject,
    });
  });
  // No messageSent hook: it is for 1:1 messages (module.ts), and no group stanza takes module children.
  const ack = await sent.ack;
  // A status's audience is the caller's list, not something to refetch.
  if (status === undefined) await checkAckPhash(m, group, sent.phash, ack);
  return id;
}

/** Encrypts for every device, commits, writes the stanza; returns the pending ack. */
async function fanOut(
  m: Messaging,
  chat: string,
  message: Message,
  id: string,
  options: SendOptions,
): Promise<{ ack: Promise<MessageAck>; outgoing: OutgoingMessage }> {
  const { host } = m;
  const own = ownDevice(host);
  const ownJid = parseJid(chat).server === LID_SERVER ? own.lid : own.pn;
  if (ownJid === undefined) throw new NotConnectedError('the own LID is not known yet; send to the PN form');
  const self = parseJid(ownJid);
  const ownUser = userJid(self);
  const listed = await m.directory.devicesOf([chat, ownUser]);
  const others = listed.filter((device) => {
    const parsed = parseJid(device);
    return !(parsed.user === self.user && parsed.server === self.server && parsed.device === self.device);
  });
  const devices = await ensureSessions(m.sessions, others);
  if (!devices.some((device) => userJid(device) === chat)) {
    throw new NoRecipientDevicesError(`the server lists no device of ${chat} to encrypt for`);
  }
  // Encoded once: padded for the peer, wrapped as bytes for our own devices, kept for retries.
  const encoded = encodeMessage(message);
  const padding = host.crypto.randomBytes(2);
  const forPeer = padPlaintext(encoded, () => padding[0]!);
  const forOwn = padPlaintext(encodeDeviceSent(encoded, message, chat), () => padding[1]!);
  const targets = await Promise.all(
    devices.map(async (device) => ({
      device,
      address: await sessionAddress(m.peers, device),
      plaintext: userJid(device) === chat ? forPeer : forOwn,
    })),
  );
  const canonicalChat = await m.peers.canonical(chat);
  const outgoing: OutgoingMessage = { id, to: chat, peer: canonicalChat };
  // Asked before encrypting: a module that must read its store does so meanwhile. Awaited (and its
  // failure reported) after the commit; a catch now keeps a rejection from counting as unhandled.
  const extra = host.messageChildren(outgoing);
  if (extra instanceof Promise) extra.catch(() => {});
  const participants = await host.signalLock.run(() =>
    host.store.transaction(async (tx) => {
      const out = await encryptPairwise(tx, m.sessionCache, host.crypto, targets);
      await tx.sent.put({ chat: canonicalChat, id, message: encoded, at: host.timers.now() });
      return out;
    }),
  );
  const stanza = buildMessageStanza({
    to: chat,
    id,
    type: stanzaTypeOf(message),
    edit: options.edit,
    mediatype: mediaTypeOf(message),
    decryptFail: hidesDecryptFailure(message, options.edit) ? 'hide' : undefined,
    participants,
    deviceIdentity: own.deviceIdentity,
    attrs: options.attrs,
    children: [...(options.children ?? []), ...(extra instanceof Promise ? await extra : extra)],
  });
  return { ...(await writeForAck(m, id, stanza)), outgoing };
}

/**
 * Writes a message stanza; resolves, once written, with the wait for the server's ack of `id`
 * (the 1:1 and the group send), boxed so that awaiting the write does not await the ack. A failed
 * write cancels the wait and rejects.
 */
export async function writeForAck(
  m: Messaging,
  id: string,
  stanza: BinaryNode,
): Promise<{ ack: Promise<MessageAck> }> {
  const ack = m.acks.wait(id, m.host.ackTimeoutMs);
  // Nobody else awaits it until the lane finished: a rejection must not go unhandled meanwhile.
  ack.catch(() => {});
  try {
    await m.host.sendNode(stanza);
  } catch (error) {
    m.acks.cancel(id, error);
    throw error;
  }
  return { ack };
}
