/**
 * Receiving a 1:1 message (docs/protocol.md §7.2), in the chat's lane:
 *
 *   parse --> seen before? --yes--> receipt + ack again, nothing emitted
 *     |no
 *   decrypt + persist in ONE transaction (session, identity, used prekey, dedupe key)
 *     |ok                                  |failed (nothing stored)
 *   unpad + decode, unwrap own copies    retry receipt (keys from count 2), `undecryptable`
 *     |
 *   `message` / `message-edited` / `message-revoked` event, then receipt, then ack
 *
 * The ack and the receipt go out only after the transaction committed: a crash before them makes
 * the server deliver again, and the dedupe key then answers without a second event.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { type Message, Message_ProtocolMessage_Type } from '@wakit/proto';
import { isSignalError } from '@wakit/signal';
import { MessageDecodeError } from '../errors';
import type { Stanza, StanzaHandler } from '../pipeline/stanza-handler';
import type { MessageKey } from '../store/store';
import { chatLane } from './chat-lane';
import { ownDevice } from './host';
import { deviceJid, parseJid, userJid } from './jids';
import type { MessageInfo } from './message-events';
import { messageInfo } from './message-info';
import type { Messaging } from './messaging';
import { decryptOnSession } from './pairwise-decrypt';
import { canonicalSender, receiveGroupMessage } from './receive-group';
import { sendRetryReceipt } from './retry-receipt';
import { sessionAddress } from './sessions';
import { type IncomingEnc, type IncomingMessage, parseIncomingMessage } from './wire/incoming';
import { decodeMessage, unwrapDeviceSent } from './wire/message-codec';
import { unpadPlaintext } from './wire/padding';
import { deliveryReceipt } from './wire/receipts';

/** The pipeline handler for `<message>`. */
export function messageHandler(m: Messaging): StanzaHandler {
  return {
    name: 'messaging:message',
    match: { tag: 'message' },
    // Unreadable: handled (reported and acked) in a lane of its own.
    lane: (node) => chatLane(m.peers, () => parsed(m, node).chat, 'malformed-message'),
    handle: (stanza) => receiveMessage(m, stanza),
  };
}

/** Each stanza is read once: for its lane, then by its handler. */
const readings = new WeakMap<BinaryNode, IncomingMessage>();

function parsed(m: Messaging, node: BinaryNode): IncomingMessage {
  let incoming = readings.get(node);
  if (incoming === undefined) {
    incoming = parseIncomingMessage(node, own(m));
    readings.set(node, incoming);
  }
  return incoming;
}

function own(m: Messaging) {
  const device = ownDevice(m.host);
  return { pn: device.pn, lid: device.lid };
}

async function receiveMessage(m: Messaging, stanza: Stanza): Promise<void> {
  let incoming: IncomingMessage;
  try {
    incoming = parsed(m, stanza.node);
  } catch (error) {
    // Acked (by the pipeline) so the server stops redelivering what no retry can fix.
    m.host.report(error, 'reading a received message');
    return;
  }
  await learnAlternates(m, incoming);
  const enc = incoming.encs.find((e) => e.type === 'pkmsg' || e.type === 'msg');
  const info = messageInfo(incoming);
  if (incoming.isGroup) {
    // Groups, and status and broadcast lists (`@broadcast`): the same sender keys, as whatsmeow reads them.
    await receiveInGroup(m, stanza, incoming, info);
    return;
  }
  if (enc === undefined) {
    // Only a sender-key enc, or none we know, outside a group: nothing to read it with; say so
    // instead of dropping silently.
    m.host.emit('undecryptable', { info, reason: 'unsupported', error: undefined });
    return;
  }
  const key: MessageKey = {
    chat: await m.peers.canonical(incoming.chat),
    sender: await canonicalDevice(m, incoming.sender),
    id: incoming.id,
  };
  if (await m.host.store.received.has(key)) {
    await stanza.ackWith(deliveryReceipt(incoming, receiptType(incoming)));
    return;
  }
  let decrypted: Decrypted;
  try {
    decrypted = await decryptAndCommit(m, incoming, enc, key, info);
  } catch (error) {
    // Also for DuplicateMessageError: a message handled before has its dedupe key (committed with
    // its session change), so a used key under an unknown (chat, sender, id) is not a redelivery.
    // It is a sender that reused a key (a crash without durable state), or a late message whose
    // skipped key was dropped; either way only a resend on a fresh key can show it.
    if (!isSignalError(error)) throw error;
    await sendRetryReceipt(m, stanza, incoming, key, error);
    return;
  }
  m.inbox.committed(decrypted.flushed);
  if (decrypted.message === undefined) {
    m.host.emit('undecryptable', { info, reason: 'malformed-plaintext', error: decrypted.decodeError });
  } else {
    emitContent(m, decrypted.message, info);
    m.inbox.emitted(decrypted.inboxKey);
  }
  await stanza.ackWith(deliveryReceipt(incoming, receiptType(incoming)));
}

/**
 * A message in a group or a broadcast (`receive-group.ts`), with the dedupe check, events and
 * receipt of a 1:1 one.
 */
async function receiveInGroup(
  m: Messaging,
  stanza: Stanza,
  incoming: IncomingMessage,
  info: MessageInfo,
): Promise<void> {
  if (!incoming.encs.some((e) => e.type === 'pkmsg' || e.type === 'msg' || e.type === 'skmsg')) {
    m.host.emit('undecryptable', { info, reason: 'unsupported', error: undefined });
    return;
  }
  const key: MessageKey = {
    chat: incoming.chat,
    sender: await canonicalSender(m, incoming.sender),
    id: incoming.id,
  };
  if (await m.host.store.received.has(key)) {
    await stanza.ackWith(deliveryReceipt(incoming, receiptType(incoming)));
    return;
  }
  const received = await receiveGroupMessage(m, stanza, incoming, key, info);
  if (received === undefined) return;
  if (received !== 'skdm-only') {
    m.inbox.committed(received.flushed);
    if (received.message === undefined) {
      m.host.emit('undecryptable', { info, reason: 'malformed-plaintext', error: received.decodeError });
    } else {
      emitContent(m, received.message, info);
      if (received.inboxKey !== undefined) m.inbox.emitted(received.inboxKey);
    }
  }
  await stanza.ackWith(deliveryReceipt(incoming, receiptType(incoming)));
}

/** What a committed decrypt gives: the message (or why it did not decode) and the inbox keys. */
interface Decrypted {
  message: Message | undefined;
  decodeError: unknown;
  /** The message's inbox key (see `inbox.ts`). */
  inboxKey: string;
  /** Inbox keys of earlier messages this transaction deleted. */
  flushed: string[];
}

/**
 * Decrypts `enc`, decodes the plaintext, and commits the session change, the used prekey, the
 * dedupe key and the message's inbox entry in one transaction.
 */
async function decryptAndCommit(
  m: Messaging,
  incoming: IncomingMessage,
  enc: IncomingEnc,
  key: MessageKey,
  info: MessageInfo,
): Promise<Decrypted> {
  const { host } = m;
  const address = await sessionAddress(m.peers, incoming.sender);
  return host.signalLock.run(() =>
    host.store.transaction(async (tx) => {
      const result = await decryptOnSession(m, tx, address, incoming.sender, enc);
      const now = host.timers.now();
      await tx.received.add(key, now);
      const inboxKey = `${String(now).padStart(15, '0')} ${key.chat} ${key.sender} ${key.id}`;
      // Decoded inside: a plaintext that is not a Message still consumed its key, which is committed.
      let body: Uint8Array;
      let message: Message;
      try {
        body = unpadPlaintext(result.plaintext, enc.v);
        message = decodeMessage(body);
      } catch (error) {
        if (!(error instanceof MessageDecodeError)) throw error;
        return { message: undefined, decodeError: error, inboxKey, flushed: [] };
      }
      // The bytes as received, not the Message encoded again: a replay decodes them like a receive.
      const flushed = await m.inbox.stage(tx, inboxKey, info, body);
      return { message, decodeError: undefined, inboxKey, flushed };
    }),
  );
}

/** The `message`, `message-edited` or `message-revoked` event for a decrypted message. */
export function emitContent(m: Messaging, received: Message, info: MessageInfo): void {
  const message = info.fromMe ? (unwrapDeviceSent(received)?.message ?? received) : received;
  const protocol = message.protocolMessage;
  const target = protocol?.key?.id;
  if (protocol !== undefined && target !== undefined && target !== '') {
    const base = { chat: info.chat, id: target, sender: info.sender, fromMe: info.fromMe };
    if (protocol.type === Message_ProtocolMessage_Type.REVOKE) {
      m.host.emit('message-revoked', base);
      return;
    }
    if (protocol.type === Message_ProtocolMessage_Type.MESSAGE_EDIT && protocol.editedMessage !== undefined) {
      m.host.emit('message-edited', { ...base, message: protocol.editedMessage });
      return;
    }
  }
  m.host.emit('message', { message, info });
}

/** A sender device in the canonical namespace (its user's LID when known). */
async function canonicalDevice(m: Messaging, device: string): Promise<string> {
  return deviceJid(await m.peers.canonical(userJid(device)), parseJid(device).device);
}

/** Learns the LID <-> PN pairs a stanza states (`sender_lid`, `peer_recipient_pn`, …). */
async function learnAlternates(m: Messaging, incoming: IncomingMessage): Promise<void> {
  const pairs: [string, string | undefined][] = [
    [incoming.sender, incoming.senderAlt],
    [incoming.chat, incoming.chatAlt],
  ];
  for (const [one, other] of pairs) {
    if (other === undefined) continue;
    const a = parseJid(one);
    const b = parseJid(other);
    if (a.server === 'lid' && b.server === 's.whatsapp.net') await m.peers.learn(userJid(a), userJid(b));
    else if (a.server === 's.whatsapp.net' && b.server === 'lid') await m.peers.learn(userJid(b), userJid(a));
  }
}

/** The receipt type for a message: `sender` for our own devices' copies, `peer_msg` for peer messages. */
function receiptType(incoming: IncomingMessage): 'sender' | 'peer_msg' | undefined {
  if (incoming.category === 'peer') return 'peer_msg';
  return incoming.fromMe ? 'sender' : undefined;
}
