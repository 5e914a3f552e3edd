/**
 * Receipts (docs/protocol.md §7.4, §7.5): the delivery, read and retry receipts this client sends
 * for messages it received, and the parser for receipts the server forwards about messages it sent.
 */
import {
  type BinaryNode,
  formatJid,
  getChild,
  getChildren,
  isLidUser,
  isPnUser,
  isStatusBroadcast,
  readAttrs,
  SERVERS,
  toNonAd,
} from '@wakit/binary-node';
import { DJB_TYPE } from '@wakit/signal';
import { uintBE } from '../../_bytes';
import { checkAttrs, malformed, readUintBE } from './_node';
import { type FetchedBundle, readKeyBundle } from './bundles';
import type { IncomingMessage } from './incoming';

/** The delivery receipt types a receiver sends (no type = delivered to an active client). */
export type DeliveryReceiptType = 'sender' | 'inactive' | 'peer_msg';

/**
 * The `type` of the delivery receipt for `msg` (whatsapp-rust `delivery_receipt_type`, after WA
 * Web): `peer_msg` for a message between our own devices (`category="peer"`), `sender` for our own
 * message synced from another device, `inactive` while the client is not active (not for status
 * updates), else none.
 *
 * @param active  the client has announced itself available (Baileys: after presence `available`).
 */
export function deliveryReceiptType(msg: IncomingMessage, active: boolean): DeliveryReceiptType | undefined {
  if (msg.category === 'peer') return 'peer_msg';
  if (msg.fromMe) return 'sender';
  if (!active && !isStatusBroadcast(msg.chat)) return 'inactive';
  return undefined;
}

/**
 * The delivery receipt for a message that was decrypted and stored:
 * `<receipt to [type] [recipient] [participant] [context] id/>` (whatsapp-rust
 * `delivery_receipt_builder`, whatsmeow `sendMessageReceipt`). `to` echoes the message's `from`
 * (the sender device in 1:1, the group otherwise); groups and status name the sender device in
 * `participant`; a `sender` receipt names the chat in `recipient` (device stripped); status
 * receipts add `context="status"`.
 *
 * @param type  usually `deliveryReceiptType(msg, active)`.
 */
export function deliveryReceipt(msg: IncomingMessage, type?: DeliveryReceiptType): BinaryNode {
  const attrs: Record<string, string> = { to: msg.from };
  if (type !== undefined) attrs.type = type;
  if (type === 'sender' && msg.recipient !== undefined) attrs.recipient = toNonAd(msg.recipient);
  if (msg.isGroup && msg.participant !== undefined) attrs.participant = msg.participant;
  if (isStatusBroadcast(msg.chat)) attrs.context = 'status';
  attrs.id = msg.id;
  return { tag: 'receipt', attrs };
}

/**
 * `<receipt id=ids[0] to=chat type t [participant]><list><item id/>…</list></receipt>` marking
 * messages of one chat (and one sender, in groups) as read (docs/protocol.md §7.4; whatsmeow
 * `MarkRead`). `participant` (the sender without device) is only set for chats that are not a
 * PN or LID user: in 1:1 chats the chat is the sender.
 *
 * @param type  `read`, or `read-self` when the own read-receipt privacy setting is "nobody".
 * @param t  the time of reading, in unix seconds.
 * @throws RangeError when `ids` is empty.
 */
export function readReceipt(
  chat: string,
  ids: readonly string[],
  sender: string | undefined,
  t: number,
  type: 'read' | 'read-self',
): BinaryNode {
  if (ids.length === 0) throw new RangeError('"ids" is empty: a read receipt names at least one message');
  const attrs: Record<string, string> = { id: ids[0]!, to: chat, type, t: String(Math.floor(t)) };
  if (sender !== undefined && !isPnUser(chat) && !isLidUser(chat)) attrs.participant = toNonAd(sender);
  const receipt: BinaryNode = { tag: 'receipt', attrs };
  if (ids.length > 1) {
    receipt.content = [
      {
        tag: 'list',
        attrs: {},
        content: ids.slice(1).map((id): BinaryNode => ({ tag: 'item', attrs: { id } })),
      },
    ];
  }
  return receipt;
}

/** Our keys, sent with a retry receipt so the sender can start a new session (§7.5). */
export interface RetryKeys {
  /** Our identity public key, raw 32 bytes. */
  identity: Uint8Array;
  /** A one-time prekey given to this sender only (mark it used; it is not uploaded). */
  preKey: { id: number; publicKey: Uint8Array };
  signedPreKey: { id: number; publicKey: Uint8Array; signature: Uint8Array };
  /** Our ADVSignedDeviceIdentity bytes. */
  deviceIdentity: Uint8Array;
}

/** What `retryReceipt` needs. */
export interface RetryReceiptInput {
  /** The message that did not decrypt. */
  msg: IncomingMessage;
  /** This retry's number, from 1. */
  count: number;
  /** Our registration id. */
  registrationId: number;
  /** Our keys: send them from the second retry on (docs/protocol.md §7.5), or when forced. */
  keys?: RetryKeys;
  /** The reason code (0..13, §7.5); whatsapp-rust sends it, whatsmeow does not. */
  reason?: number;
}

/**
 * The retry receipt asking the sender to encrypt `msg` again (docs/protocol.md §7.5; whatsapp-rust
 * `send_retry_receipt`, whatsmeow `sendRetryReceipt`):
 * `<receipt to id type="retry" [participant] [category="peer" | recipient]><retry v="1" id t count
 * [error]/><registration>4 bytes</registration>[<keys><type>05</type><identity/><key/><skey/>
 * <device-identity/></keys>]</receipt>`. `to` is the message's `from`; groups name the sender in
 * `participant`; for our own messages a peer message says `category="peer"`, any other names its
 * chat in `recipient`, so our other device can find the message.
 *
 * @throws RangeError when a key or id does not have its wire size.
 */
export function retryReceipt(input: RetryReceiptInput): BinaryNode {
  const { msg } = input;
  if (!Number.isInteger(input.count) || input.count < 1) {
    throw new RangeError(`"count" expected a positive integer, got ${input.count}`);
  }
  const attrs: Record<string, string> = { to: msg.from, id: msg.id, type: 'retry' };
  if (msg.isGroup && msg.participant !== undefined) attrs.participant = msg.participant;
  if (!msg.isGroup && msg.fromMe) {
    if (msg.category === 'peer') attrs.category = 'peer';
    // The chat (the recipient without device), as whatsapp-rust sends it.
    else attrs.recipient = msg.chat;
  }
  const retry: Record<string, string> = {
    v: '1',
    id: msg.id,
    t: String(msg.timestamp),
    count: String(input.count),
  };
  if (input.reason !== undefined) retry.error = String(input.reason);
  const content: BinaryNode[] = [
    { tag: 'retry', attrs: retry },
    { tag: 'registration', attrs: {}, content: uintBE(input.registrationId, 4) },
  ];
  if (input.keys !== undefined) content.push(keysNode(input.keys));
  return { tag: 'receipt', attrs, content };
}

function keysNode(keys: RetryKeys): BinaryNode {
  const { preKey, signedPreKey } = keys;
  return {
    tag: 'keys',
    attrs: {},
    content: [
      { tag: 'type', attrs: {}, content: Uint8Array.of(DJB_TYPE) },
      { tag: 'identity', attrs: {}, content: sized(keys.identity, 32, 'identity') },
      {
        tag: 'key',
        attrs: {},
        content: [
          { tag: 'id', attrs: {}, content: uintBE(preKey.id, 3) },
          { tag: 'value', attrs: {}, content: sized(preKey.publicKey, 32, 'preKey.publicKey') },
        ],
      },
      {
        tag: 'skey',
        attrs: {},
        content: [
          { tag: 'id', attrs: {}, content: uintBE(signedPreKey.id, 3) },
          { tag: 'value', attrs: {}, content: sized(signedPreKey.publicKey, 32, 'signedPreKey.publicKey') },
          {
            tag: 'signature',
            attrs: {},
            content: sized(signedPreKey.signature, 64, 'signedPreKey.signature'),
          },
        ],
      },
      { tag: 'device-identity', attrs: {}, content: keys.deviceIdentity },
    ],
  };
}

/** A receipt the server forwards about a message we sent. */
export interface Receipt {
  /** The first (or only) message id. */
  id: string;
  /** Every message id: `id`, then the `<list><item id>` entries. */
  ids: string[];
  /** The `from` attribute as received. */
  from: string;
  /** The chat: the group, or the user JID (device stripped) of the peer or of `recipient`. */
  chat: string;
  /** The device that sent the receipt (`participant` in groups, else `from`). */
  sender: string;
  /** The `participant` attribute as received. */
  participant?: string;
  /** The `recipient` attribute as received (receipts from our own other devices). */
  recipient?: string;
  /** Undefined for a delivery receipt, else `read`, `read-self`, `played`, `sender`, `retry`… */
  type: string | undefined;
  /** `t`, in unix seconds. */
  timestamp?: number;
  /** The `<retry>` request of a `type="retry"` receipt. */
  retry?: {
    count: number;
    /** The id of the message to resend. */
    id: string;
    /** The original message's `t`, as sent. */
    t?: string;
    registrationId?: number;
    /** The retrying device's keys (a bundle to start a new session with), when it sent them. */
    keys?: FetchedBundle;
  };
}

/**
 * Reads a `<receipt>` (docs/protocol.md §7.4; whatsmeow `parseReceipt`). The chat is the group for
 * group and broadcast receipts, else `recipient` when present (a receipt from our own other
 * device, about a message in that chat), else `from`; device parts are stripped.
 *
 * Grouped group receipts (no `participant`, one `<participants>` per message) are read by
 * `grouped-receipts.ts`.
 *
 * @throws MalformedStanzaError when `id` or `from` is missing or invalid, `from`, `participant` or
 *   `recipient` is a bare server, `t` is not a time, a group receipt has no `participant`, a
 *   retry receipt has no valid `<retry>`, or its `<keys>` are malformed.
 */
export function parseReceipt(node: BinaryNode): Receipt {
  const attrs = readAttrs(node);
  const id = attrs.string('id');
  const from = attrs.jid('from');
  const participant = attrs.optionalJid('participant');
  const recipient = attrs.optionalJid('recipient');
  const type = attrs.optionalString('type');
  const t = attrs.optionalUnixTime('t');
  checkAttrs(attrs, 'receipt', node);
  if (from.user === '') throw malformed(node, `receipt: from "${node.attrs.from}" is a server, not a sender`);
  if (participant?.user === '' || recipient?.user === '') {
    throw malformed(node, 'receipt: participant and recipient must name users, not a server');
  }

  const isGroup = from.server === SERVERS.group || from.server === SERVERS.broadcast;
  if (isGroup && participant === undefined)
    throw malformed(node, 'receipt: a group receipt has no participant');
  const receipt: Receipt = {
    id,
    ids: [id, ...listIds(node)],
    from: node.attrs.from!,
    chat: isGroup ? formatJid(from) : formatJid(toNonAd(recipient ?? from)),
    sender: formatJid(participant ?? from),
    type,
  };
  if (node.attrs.participant !== undefined) receipt.participant = node.attrs.participant;
  if (node.attrs.recipient !== undefined) receipt.recipient = node.attrs.recipient;
  if (t !== undefined) receipt.timestamp = t.getTime() / 1000;
  if (type === 'retry') receipt.retry = parseRetry(node);
  return receipt;
}

function parseRetry(node: BinaryNode): NonNullable<Receipt['retry']> {
  const child = getChild(node, 'retry');
  if (child === undefined) throw malformed(node, 'retry receipt: no <retry> child');
  const attrs = readAttrs(child);
  const count = attrs.int('count');
  const id = attrs.string('id');
  const t = attrs.optionalString('t');
  checkAttrs(attrs, 'retry receipt <retry>', node);
  if (count < 0) throw malformed(node, `retry receipt: count ${count} is negative`);
  const retry: NonNullable<Receipt['retry']> = { count, id };
  if (t !== undefined) retry.t = t;

  const registration = getChild(node, 'registration');
  if (registration !== undefined) {
    const bytes = registration.content;
    if (!(bytes instanceof Uint8Array) || bytes.length !== 4) {
      throw malformed(node, 'retry receipt: <registration> is not 4 bytes');
    }
    retry.registrationId = readUintBE(bytes);
  }
  if (getChild(node, 'keys') !== undefined) {
    // <registration> sits under <receipt>, the keys under <keys> (whatsmeow `nodeToPreKeyBundle`).
    const keys = readKeyBundle(node, node);
    if (typeof keys === 'string') throw malformed(node, `retry receipt <keys>: ${keys}`);
    retry.keys = keys;
  }
  return retry;
}

function listIds(node: BinaryNode): string[] {
  const list = getChild(node, 'list');
  if (list === undefined) return [];
  // whatsmeow keeps the `<item>`s that carry an id and skips the rest.
  return getChildren(list, 'item').flatMap((item) => {
    const id = item.attrs?.id;
    return typeof id === 'string' && Object.hasOwn(item.attrs, 'id') ? [id] : [];
  });
}

function sized(bytes: Uint8Array, length: number, name: string): Uint8Array {
  if (bytes.length !== length) {
    throw new RangeError(`"${name}" expected Uint8Array of length ${length}, got length=${bytes.length}`);
  }
  return bytes;
}
