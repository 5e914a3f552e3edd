/**
 * A virtual phone receiving a `<message>` (docs/protocol.md §7.2; server-for-baileys7 §3 "What each
 * recipient device gets"):
 *
 *   pairwise <enc> (pkmsg | msg) -> Signal decrypt -> unpad (v="2") -> Message protobuf
 *     -> a copy from an own companion: unwrap deviceSentMessage, chat = the peer it wrote to
 *     -> recorded in `messages`; answered with the delivery receipt (type="sender" for own copies)
 *   a failure (no session, bad MAC, bad padding or protobuf ...) -> recorded in `undecryptable`;
 *     answered with a retry receipt (keys from the second attempt), until the limit
 *   a duplicate (the ratchet already used that key) -> the delivery receipt again, nothing recorded
 *
 * The receipt is the message's only acknowledgement (server-for-baileys7: Baileys sends no `<ack>`
 * for a decrypted message, and the server removes a message from the queue on its receipt); what
 * the phone does not answer with a receipt it acks.
 */
import { type BinaryNode, formatJid, toNonAd, tryParseJid } from '@wakit/binary-node';
import { isWakitError } from '@wakit/errors';
import { fromBinary, type Message, MessageSchema } from '@wakit/proto';
import { InvalidMessageError, NoSenderKeyError, NoSessionError } from '@wakit/signal';
import { findDevice } from './addresses';
import { child, children, contentBytes } from './nodes';
import type { PhoneContext } from './phone-context';
import type { PhoneMessageInfo } from './phone-inbox';
import { unpadPlaintext } from './phone-padding';
import { type PairwiseType, PHONE_PREKEY_COUNT } from './phone-signal';
import { ackFor, deliveryReceipt, type RetryKeys, retryReceipt } from './phone-stanzas';

/**
 * Retry receipts stop here: counts 1..4 are sent, as whatsmeow (`retryCount >= 5`, retry.go) and
 * whatsapp-rust (`1..MAX_RETRY_COUNT`) do; docs/protocol.md §7.5.
 */
export const PHONE_MAX_RETRY_COUNT = 5;

/** From this retry on, the receipt offers the phone's keys (docs/protocol.md §7.5 MIN_RETRY_COUNT_FOR_KEYS). */
export const RETRY_KEYS_FROM_COUNT = 2;

/** docs/protocol.md §7.5 reason codes, by the @wakit/signal (or proto) error code that caused them. */
const RETRY_REASONS: Record<string, number> = {
  ERR_SIGNAL_NO_SESSION: 1,
  ERR_SIGNAL_PREKEY_MISSING: 3,
  ERR_SIGNAL_INVALID_MESSAGE: 4,
  ERR_SIGNAL_VERSION: 4,
  ERR_PROTO_DECODE: 4,
  ERR_SIGNAL_BAD_SIGNATURE: 5,
  ERR_SIGNAL_BAD_MAC: 7,
};

/** The receiving half of a phone. Stanzas are handed to it one at a time, in arrival order. */
export class PhoneReceiver {
  readonly #ctx: PhoneContext;
  /** `<message id>` + sender -> retry receipts sent for it. */
  readonly #retries = new Map<string, number>();

  constructor(ctx: PhoneContext) {
    this.#ctx = ctx;
  }

  /** Handles one `<message>` delivered to device 0. */
  async message(node: BinaryNode): Promise<void> {
    const info = this.#info(node);
    if (info === undefined) {
      // Not a message anyone could answer (no id, from or sender): refuse it as a parsing error (487,
      // whatsmeow NackParsingError) so the server does not keep it queued.
      const ack = ackFor(node);
      this.#ctx.submit({ ...ack, attrs: { ...ack.attrs, error: '487' } });
      return;
    }
    const enc = children(node, 'enc').find((e) => e.attrs.type === 'pkmsg' || e.attrs.type === 'msg');
    if (enc === undefined) {
      // Sender-key messages (groups, status) need sender keys, which the phone does not keep; no
      // retry can fix that, so it only acknowledges.
      const type = children(node, 'enc')[0]?.attrs.type ?? 'none';
      const error = new NoSenderKeyError(`the virtual phone cannot decrypt an <enc type="${type}">`);
      this.#ctx.submit(ackFor(node));
      this.#ctx.inbox.record('undecryptable', { info, encType: type, error, retryCount: undefined });
      return;
    }
    let message: Message;
    try {
      message = await this.#decrypt(node, enc, info);
    } catch (error) {
      if (isWakitError(error) && error.code === 'ERR_SIGNAL_DUPLICATE') {
        // Already decrypted (a redelivery): the receipt again tells the server it arrived.
        this.#ctx.submit(deliveryReceipt(node, info.fromMe));
        return;
      }
      await this.#failed(node, enc.attrs.type!, info, error as Error);
      return;
    }
    this.#retries.delete(retryKey(info));
    const dsm = message.deviceSentMessage;
    if (info.fromMe && dsm?.message !== undefined) {
      message = dsm.message;
      // The stanza's `recipient` is the chat; the wrapper names it too, for servers that leave it out.
      if (node.attrs.recipient === undefined && dsm.destinationJid !== '')
        info.chat = userJid(dsm.destinationJid);
    }
    this.#ctx.submit(deliveryReceipt(node, info.fromMe));
    this.#ctx.inbox.record('message', { message, info });
  }

  /** The message's info from its attributes; `undefined` when it lacks what every message has. */
  #info(node: BinaryNode): PhoneMessageInfo | undefined {
    const { attrs } = node;
    const isGroup = attrs.from?.endsWith('@g.us') ?? false;
    const sender = isGroup ? attrs.participant : attrs.from;
    if (attrs.id === undefined || attrs.from === undefined || sender === undefined) return undefined;
    const record = findDevice(this.#ctx.state, sender);
    const fromMe = record?.phoneNumber === this.#ctx.account.phoneNumber;
    let chat: string;
    if (isGroup) chat = attrs.from;
    else chat = userJid(fromMe && attrs.recipient !== undefined ? attrs.recipient : attrs.from);
    const t = Number(attrs.t);
    const info: PhoneMessageInfo = {
      id: attrs.id,
      chat,
      sender,
      fromMe,
      isGroup,
      timestamp:
        attrs.t !== undefined && Number.isSafeInteger(t)
          ? t
          : Math.floor(this.#ctx.state.options.now() / 1000),
      offline: attrs.offline !== undefined,
    };
    // The sender's other namespace (Baileys `extractAddressingContext`: participant_* for groups,
    // sender_* for 1:1), the one that does not match the sender's own.
    const alt = sender.endsWith('@lid')
      ? (attrs.participant_pn ?? attrs.sender_pn)
      : (attrs.participant_lid ?? attrs.sender_lid);
    if (alt !== undefined) info.senderAlt = alt;
    if (attrs.notify !== undefined) info.pushName = attrs.notify;
    if (attrs.edit !== undefined) info.edit = attrs.edit;
    return info;
  }

  async #decrypt(node: BinaryNode, enc: BinaryNode, info: PhoneMessageInfo): Promise<Message> {
    const record = findDevice(this.#ctx.state, info.sender);
    if (record === undefined) throw new NoSessionError(`no device ${info.sender} on this server`);
    const ciphertext = contentBytes(enc) ?? new Uint8Array(0);
    const type = enc.attrs.type as PairwiseType;
    const { plaintext } = await this.#ctx.signal.decrypt(record, type, ciphertext);
    if (type === 'pkmsg') {
      // A pkmsg may have used one of the published one-time prekeys: top them up, as a client does
      // after the server's low-count notification (docs/protocol.md §6.5).
      await this.#ctx.signal.refillIfLow(this.#ctx.state.options.lowPreKeyThreshold, PHONE_PREKEY_COUNT);
    }
    // docs/protocol.md §6.3: v="2" (the default) is padded, v="3" is not.
    const unpadded = (enc.attrs.v ?? '2') === '3' ? plaintext : unpadPlaintext(plaintext);
    if (unpadded === undefined) {
      throw new InvalidMessageError(`message ${node.attrs.id}: the plaintext's padding is malformed`);
    }
    return fromBinary(MessageSchema, unpadded);
  }

  async #failed(node: BinaryNode, encType: string, info: PhoneMessageInfo, error: Error): Promise<void> {
    const key = retryKey(info);
    let count = (this.#retries.get(key) ?? 0) + 1;
    // A resend carries the sender's count: after a restart ours would be behind (whatsmeow).
    const sentCount = Number(child(node, 'enc')?.attrs.count);
    if (count === 1 && Number.isSafeInteger(sentCount) && sentCount > 0) count = sentCount + 1;
    this.#retries.set(key, count);
    const retry = count < PHONE_MAX_RETRY_COUNT;
    // What the phone answers goes out before the record, so a test that awaited the record finds it sent.
    if (retry) this.#ctx.submit(await this.#retryReceipt(node, count, error));
    else this.#ctx.submit(ackFor(node));
    this.#ctx.inbox.record('undecryptable', { info, encType, error, retryCount: retry ? count : undefined });
  }

  async #retryReceipt(node: BinaryNode, count: number, error: Error): Promise<BinaryNode> {
    const { signal, account } = this.#ctx;
    let keys: RetryKeys | undefined;
    if (count >= RETRY_KEYS_FROM_COUNT) {
      const preKey = await signal.unpublishedPreKey();
      keys = {
        identity: account.identity.publicKey,
        preKey: { id: preKey.keyId, publicKey: preKey.keyPair.publicKey },
        signedPreKey: {
          id: signal.signedPreKey.keyId,
          publicKey: signal.signedPreKey.keyPair.publicKey,
          signature: signal.signedPreKey.signature,
        },
      };
    }
    const reason = RETRY_REASONS[isWakitError(error) ? error.code : ''] ?? 0;
    return retryReceipt({ message: node, count, registrationId: account.registrationId, reason, keys });
  }
}

/** The user JID (no device) of `jid`; a JID that does not parse is kept as it came. */
function userJid(jid: string): string {
  const parsed = tryParseJid(jid);
  return parsed === undefined ? jid : formatJid(toNonAd(parsed));
}

function retryKey(info: PhoneMessageInfo): string {
  return `${info.id} ${info.sender}`;
}
