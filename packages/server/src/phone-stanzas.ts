/**
 * The stanzas a virtual phone sends, built as the references build them, and the receipts it reads
 * (docs/protocol.md §7.1-§7.5). Pure: ids, times and keys come in as arguments.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { type PreKeyBundle, serializePublicKey } from '@wakit/signal';
import { bytesToUint, uintToBytes } from './_bytes';
import { bytesNode, child, children, contentBytes } from './nodes';
import type { PhoneReceipt } from './phone-inbox';
import type { PairwiseType } from './phone-signal';

/** One device's ciphertext in an outgoing message. */
export interface ParticipantEnc {
  /** The device JID, in the namespace of the message's `to`. */
  jid: string;
  type: PairwiseType;
  ciphertext: Uint8Array;
}

/** What `outgoingMessage` needs. */
export interface OutgoingMessage {
  to: string;
  id: string;
  type: string;
  mediatype?: string | undefined;
  edit?: string | undefined;
  participants: ParticipantEnc[];
}

function encNode(type: PairwiseType, ciphertext: Uint8Array, mediatype: string | undefined, count?: number) {
  const attrs: Record<string, string> = { v: '2', type };
  if (mediatype !== undefined) attrs.mediatype = mediatype;
  if (count !== undefined) attrs.count = String(count);
  return bytesNode('enc', ciphertext, attrs);
}

/**
 * `<message to id type [edit]><participants><to jid><enc v="2" type [mediatype]/></to>…</participants>
 * </message>` (docs/protocol.md §7.1). No `<device-identity>`: it is the sender's ADV identity, which
 * a primary device does not have (its identity key IS the account key); neither Baileys
 * (`decode-wa-message.js`) nor whatsmeow (`message.go`) reads it when decrypting a `pkmsg`.
 */
export function outgoingMessage(input: OutgoingMessage): BinaryNode {
  const attrs: Record<string, string> = { to: input.to, id: input.id, type: input.type };
  if (input.edit !== undefined) attrs.edit = input.edit;
  return {
    tag: 'message',
    attrs,
    content: [
      {
        tag: 'participants',
        attrs: {},
        content: input.participants.map((p) => ({
          tag: 'to',
          attrs: { jid: p.jid },
          content: [encNode(p.type, p.ciphertext, input.mediatype)],
        })),
      },
    ],
  };
}

/** What `retryResend` needs. */
export interface RetryResend {
  /** The device that asked (the retry receipt's `from`). */
  to: string;
  id: string;
  type: string;
  mediatype?: string | undefined;
  edit?: string | undefined;
  /** The chat, for a resend to one of the phone's own companions. */
  recipient?: string | undefined;
  /** The retry's `t` (the original message's time). */
  t?: string | undefined;
  count: number;
  enc: { type: PairwiseType; ciphertext: Uint8Array };
}

/**
 * A resend to the one device that sent a retry receipt (docs/protocol.md §7.1 "Resend after retry";
 * server-for-baileys7 §3): a top-level `<enc count=N>` and no `<participants>`; whatsmeow
 * (retry.go `handleRetryReceipt`) also sets `t`, `device_fanout="false"` and keeps `recipient`.
 */
export function retryResend(input: RetryResend): BinaryNode {
  const attrs: Record<string, string> = { to: input.to, id: input.id, type: input.type };
  if (input.t !== undefined) attrs.t = input.t;
  attrs.device_fanout = 'false';
  if (input.recipient !== undefined) attrs.recipient = input.recipient;
  if (input.edit !== undefined) attrs.edit = input.edit;
  return {
    tag: 'message',
    attrs,
    content: [encNode(input.enc.type, input.enc.ciphertext, input.mediatype, input.count)],
  };
}

/** `id`, `to` = the sender device, and `recipient`/`participant` copied: the base of a receipt (whatsmeow). */
function receiptBase(message: BinaryNode): Record<string, string> {
  const attrs: Record<string, string> = { id: message.attrs.id ?? '', to: message.attrs.from ?? '' };
  if (message.attrs.recipient !== undefined) attrs.recipient = message.attrs.recipient;
  if (message.attrs.participant !== undefined) attrs.participant = message.attrs.participant;
  return attrs;
}

/**
 * The delivery receipt for a received `message` (docs/protocol.md §7.4): no type for a peer's message
 * (the phone is always in the foreground, so never `inactive`), `type="sender"` for a copy from one
 * of the account's own companions, whose `recipient` (the chat) it keeps, and `type="peer_msg"` for
 * an own device's peer message (`category="peer"`; whatsmeow `sendMessageReceipt`).
 */
export function deliveryReceipt(message: BinaryNode, fromOwnDevice: boolean): BinaryNode {
  const attrs = receiptBase(message);
  if (fromOwnDevice) attrs.type = message.attrs.category === 'peer' ? 'peer_msg' : 'sender';
  return { tag: 'receipt', attrs };
}

/** The keys a retry receipt offers from its second attempt (docs/protocol.md §7.5). */
export interface RetryKeys {
  /** The phone's identity public key, raw 32 bytes. */
  identity: Uint8Array;
  preKey: { id: number; publicKey: Uint8Array };
  signedPreKey: { id: number; publicKey: Uint8Array; signature: Uint8Array };
}

/** What `retryReceipt` needs. */
export interface RetryReceiptInput {
  /** The message that did not decrypt. */
  message: BinaryNode;
  count: number;
  registrationId: number;
  /** docs/protocol.md §7.5 reason code (0 unknown, 1 no session, 3 invalid key id, 4 invalid message, 7 bad MAC ...). */
  reason: number;
  keys?: RetryKeys | undefined;
}

/**
 * `<receipt id to type="retry" [recipient] [participant]><retry v="1" id t count error/><registration/>
 * [<keys>…</keys>]</receipt>` (docs/protocol.md §7.5). The keys carry no `<device-identity>`: the
 * phone is device 0 and has no ADV identity; Baileys' `extractE2ESessionFromRetryReceipt` and
 * whatsmeow's `nodeToPreKeyBundle` build the bundle without it.
 */
export function retryReceipt(input: RetryReceiptInput): BinaryNode {
  const { message } = input;
  const content: BinaryNode[] = [
    {
      tag: 'retry',
      attrs: {
        v: '1',
        id: message.attrs.id ?? '',
        t: message.attrs.t ?? '',
        count: String(input.count),
        error: String(input.reason),
      },
    },
    bytesNode('registration', uintToBytes(input.registrationId, 4)),
  ];
  if (input.keys !== undefined) {
    const { identity, preKey, signedPreKey } = input.keys;
    content.push({
      tag: 'keys',
      attrs: {},
      content: [
        bytesNode('type', Uint8Array.of(5)),
        bytesNode('identity', identity),
        {
          tag: 'key',
          attrs: {},
          content: [bytesNode('id', uintToBytes(preKey.id, 3)), bytesNode('value', preKey.publicKey)],
        },
        {
          tag: 'skey',
          attrs: {},
          content: [
            bytesNode('id', uintToBytes(signedPreKey.id, 3)),
            bytesNode('value', signedPreKey.publicKey),
            bytesNode('signature', signedPreKey.signature),
          ],
        },
      ],
    });
  }
  return { tag: 'receipt', attrs: { ...receiptBase(message), type: 'retry' }, content };
}

/**
 * `<ack class=<tag> id to=<from> [participant] [recipient] [type]/>` for a received receipt or
 * notification (docs/protocol.md §7.3; `type` copied except for messages, as whatsmeow does).
 */
export function ackFor(node: BinaryNode): BinaryNode {
  const attrs: Record<string, string> = {
    class: node.tag,
    id: node.attrs.id ?? '',
    to: node.attrs.from ?? '',
  };
  if (node.attrs.participant !== undefined) attrs.participant = node.attrs.participant;
  if (node.attrs.recipient !== undefined) attrs.recipient = node.attrs.recipient;
  if (node.tag !== 'message' && node.attrs.type !== undefined) attrs.type = node.attrs.type;
  return { tag: 'ack', attrs };
}

/**
 * A receipt the phone sends about messages it received: `<receipt id=<first> to=<chat> type t
 * [participant]>[<list><item id/>…</list>]` (docs/protocol.md §7.4; whatsmeow `MarkRead`).
 */
export function outgoingReceipt(input: {
  to: string;
  ids: string[];
  type: string;
  t: string;
  participant?: string | undefined;
}): BinaryNode {
  const [first, ...rest] = input.ids;
  const attrs: Record<string, string> = { id: first ?? '', to: input.to, type: input.type, t: input.t };
  if (input.participant !== undefined) attrs.participant = input.participant;
  const node: BinaryNode = { tag: 'receipt', attrs };
  if (rest.length > 0) {
    node.content = [{ tag: 'list', attrs: {}, content: rest.map((id) => ({ tag: 'item', attrs: { id } })) }];
  }
  return node;
}

/** Reads a receipt for something the phone sent. */
export function parseReceipt(node: BinaryNode): PhoneReceipt {
  const id = node.attrs.id ?? '';
  const items = children(child(node, 'list'), 'item').flatMap((item) =>
    item.attrs.id === undefined ? [] : [item.attrs.id],
  );
  const receipt: PhoneReceipt = {
    id,
    ids: [id, ...items],
    from: node.attrs.from ?? '',
    type: node.attrs.type,
  };
  if (node.attrs.recipient !== undefined) receipt.recipient = node.attrs.recipient;
  if (node.attrs.participant !== undefined) receipt.participant = node.attrs.participant;
  const t = Number(node.attrs.t);
  if (node.attrs.t !== undefined && Number.isSafeInteger(t)) receipt.timestamp = t;
  return receipt;
}

/** A retry receipt's `<retry>` and, when it offers keys, the requester's bundle. */
export interface RetryRequest {
  count: number;
  id: string;
  t: string | undefined;
  registrationId: number | undefined;
  bundle: PreKeyBundle | undefined;
}

/**
 * Reads the retry part of a `type="retry"` receipt (docs/protocol.md §7.5); `undefined` without a
 * usable `<retry>`. Keys that are malformed give no bundle, as Baileys ignores them.
 */
export function parseRetry(node: BinaryNode): RetryRequest | undefined {
  const retry = child(node, 'retry');
  const count = Number(retry?.attrs.count);
  if (retry === undefined || !Number.isSafeInteger(count) || count < 1) return undefined;
  const registration = contentBytes(child(node, 'registration'));
  const registrationId = registration?.length === 4 ? bytesToUint(registration) : undefined;
  return {
    count,
    id: retry.attrs.id ?? node.attrs.id ?? '',
    t: retry.attrs.t,
    registrationId,
    bundle: registrationId === undefined ? undefined : bundleOf(child(node, 'keys'), registrationId),
  };
}

function bundleOf(keys: BinaryNode | undefined, registrationId: number): PreKeyBundle | undefined {
  if (keys === undefined) return undefined;
  const identity = contentBytes(child(keys, 'identity'));
  const skey = child(keys, 'skey');
  const skeyId = contentBytes(child(skey, 'id'));
  const skeyValue = contentBytes(child(skey, 'value'));
  const signature = contentBytes(child(skey, 'signature'));
  if (
    identity?.length !== 32 ||
    skeyId?.length !== 3 ||
    skeyValue?.length !== 32 ||
    signature?.length !== 64
  ) {
    return undefined;
  }
  const bundle: PreKeyBundle = {
    registrationId,
    identityKey: serializePublicKey(identity),
    signedPreKey: { keyId: bytesToUint(skeyId), publicKey: serializePublicKey(skeyValue), signature },
  };
  const key = child(keys, 'key');
  if (key !== undefined) {
    const id = contentBytes(child(key, 'id'));
    const value = contentBytes(child(key, 'value'));
    if (id?.length !== 3 || value?.length !== 32) return undefined;
    bundle.preKey = { keyId: bytesToUint(id), publicKey: serializePublicKey(value) };
  }
  return bundle;
}
