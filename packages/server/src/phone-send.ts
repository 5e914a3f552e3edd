/**
 * A virtual phone sending (docs/protocol.md §7.1): where a client runs usync and fetches bundles,
 * the phone, being the server's own device, reads the devices from `ServerState` and takes their
 * bundles directly (`takeBundle` consumes a one-time prekey, as a fetch does). Every device of the
 * peer gets the message; every companion of the phone's own account gets it wrapped in
 * `deviceSentMessage`, each padded (§6.3) and encrypted on its own session, all in one
 * `<message><participants>` stanza in the namespace of `to`.
 *
 * Sent messages are kept (the newest PHONE_SENT_MESSAGES_KEPT) so that a device's retry receipt can
 * be answered with a resend on a fresh session when it offers keys (§7.1 "Resend after retry", §7.5).
 * Sends and resends run one at a time, so ciphertexts reach the server in ratchet order.
 */
import { type BinaryNode, toNonAd } from '@wakit/binary-node';
import { create, type Message, type MessageInitShape, MessageSchema, toBinary } from '@wakit/proto';
import {
  accountDevices,
  addressOf,
  findDevice,
  type Namespace,
  namespaceOf,
  resolveAddress,
} from './addresses';
import { unixSeconds } from './nodes';
import type { PhoneContext } from './phone-context';
import { generateMessageId, mediaTypeOf, stanzaTypeOf } from './phone-message-kind';
import { padPlaintext } from './phone-padding';
import { PHONE_MAX_RETRY_COUNT } from './phone-receive';
import {
  outgoingMessage,
  outgoingReceipt,
  type ParticipantEnc,
  parseRetry,
  retryResend,
} from './phone-stanzas';
import type { DeviceRecord } from './server-state';

/** How many sent messages a phone keeps for retries (whatsmeow keeps 256 in memory). */
export const PHONE_SENT_MESSAGES_KEPT = 1024;

/** Options of `phone.sendMessage` (named apart from a client's send options: one name, one meaning). */
export interface PhoneSendOptions {
  /** The message id; a fresh `3EB0…` id by default. */
  id?: string;
  /** The `edit` attribute (docs/protocol.md §7.1: `1` edit, `2` pin, `7` sender revoke ...). */
  edit?: string;
}

interface SentMessage {
  /** The user JID the message went to, as given. */
  chat: string;
  message: Message;
  edit: string | undefined;
}

/** The sending half of a phone. */
export class PhoneSender {
  readonly #ctx: PhoneContext;
  readonly #sent = new Map<string, SentMessage>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(ctx: PhoneContext) {
    this.#ctx = ctx;
  }

  /** Queues `work` behind every earlier send or resend. */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => {});
    return result;
  }

  /**
   * Encrypts `message` for every device of `to`'s account and every companion of the phone's own,
   * and hands the stanza to the server. Resolves with the message id.
   *
   * @throws RangeError when `to` is not a PN or LID user JID of an account on this server.
   */
  send(
    to: string,
    message: Message | MessageInitShape<typeof MessageSchema>,
    options: PhoneSendOptions = {},
  ): Promise<string> {
    const namespace = namespaceOf(to);
    const peer = resolveAddress(this.#ctx.state, to);
    if (namespace === undefined || peer === undefined) {
      return Promise.reject(
        new RangeError(`"to" expected the JID of an account on this server, got "${to}"`),
      );
    }
    const chat = toNonAd(to);
    const full = create(MessageSchema, message);
    return this.#serial(async () => {
      const { state, account } = this.#ctx;
      const id =
        options.id ?? (await generateMessageId(state.crypto, account.phoneNumber, state.options.now()));
      const own = accountDevices(state, account.phoneNumber).filter((d) => d.device !== 0);
      const toSelf = peer.account.phoneNumber === account.phoneNumber;
      // Writing to oneself, every recipient is an own companion and gets the wrapped copy.
      const peers = toSelf ? [] : accountDevices(state, peer.account.phoneNumber);
      const participants: ParticipantEnc[] = [];
      for (const device of peers) participants.push(await this.#encrypt(device, namespace, full));
      const wrapped = deviceSent(full, chat);
      for (const device of own) participants.push(await this.#encrypt(device, namespace, wrapped));
      this.#remember(id, { chat, message: full, edit: options.edit });
      this.#ctx.submit(
        outgoingMessage({
          to: chat,
          id,
          type: stanzaTypeOf(full),
          mediatype: mediaTypeOf(full),
          edit: options.edit,
          participants,
        }),
      );
      return id;
    });
  }

  /**
   * Answers a retry receipt for a message this phone sent (docs/protocol.md §7.1 "Resend after
   * retry", §7.5): a fresh session from the keys it offers (or from the server's bundle when there
   * is no session), the message (wrapped for an own companion) re-encrypted for that device only.
   * Unknown messages, unknown devices and retries past the limit are not answered.
   */
  resend(receipt: BinaryNode): Promise<void> {
    return this.#serial(async () => {
      const request = parseRetry(receipt);
      const sent = this.#sent.get(request?.id ?? '');
      const device = findDevice(this.#ctx.state, receipt.attrs.from ?? '');
      const namespace = namespaceOf(receipt.attrs.from ?? '');
      if (request === undefined || sent === undefined || device === undefined || namespace === undefined)
        return;
      // whatsapp-rust refuses a resend once the requester has retried MAX_RETRY_COUNT times.
      if (request.count >= PHONE_MAX_RETRY_COUNT) return;
      if (request.bundle !== undefined) await this.#ctx.signal.startSession(device, request.bundle);
      const own = device.phoneNumber === this.#ctx.account.phoneNumber;
      const message = own ? deviceSent(sent.message, sent.chat) : sent.message;
      const enc = await this.#encrypt(device, namespace, message);
      this.#ctx.submit(
        retryResend({
          to: receipt.attrs.from!,
          id: request.id,
          type: stanzaTypeOf(sent.message),
          mediatype: mediaTypeOf(sent.message),
          edit: sent.edit,
          recipient: own ? sent.chat : undefined,
          t: request.t,
          count: request.count,
          enc: { type: enc.type, ciphertext: enc.ciphertext },
        }),
      );
    });
  }

  /**
   * Sends a receipt for messages the phone received: `type` `read` (blue ticks), `played`, ... to the
   * chat, with `participant` (the sender) in groups (docs/protocol.md §7.4).
   */
  sendReceipt(chat: string, ids: string[], type: string, participant?: string): void {
    if (ids.length === 0) throw new RangeError('"ids" expected at least one message id');
    this.#ctx.submit(
      outgoingReceipt({ to: chat, ids, type, t: unixSeconds(this.#ctx.state.options.now()), participant }),
    );
  }

  async #encrypt(device: DeviceRecord, namespace: Namespace, message: Message): Promise<ParticipantEnc> {
    const { signal, state } = this.#ctx;
    const padded = padPlaintext(toBinary(MessageSchema, message), state.crypto.randomBytes(1)[0]!);
    const { type, ciphertext } = await signal.encrypt(device, padded);
    return { jid: addressOf(device, namespace), type, ciphertext };
  }

  #remember(id: string, sent: SentMessage): void {
    this.#sent.delete(id);
    this.#sent.set(id, sent);
    if (this.#sent.size > PHONE_SENT_MESSAGES_KEPT) this.#sent.delete(this.#sent.keys().next().value!);
  }
}

/**
 * `Message{deviceSentMessage{destinationJid, message}}` for the sender's own devices, with the
 * message's `messageContextInfo` on the outer message too (docs/protocol.md §7.1; whatsmeow
 * `marshalMessage`).
 */
export function deviceSent(message: Message, destinationJid: string): Message {
  return create(MessageSchema, {
    deviceSentMessage: { destinationJid, message },
    ...(message.messageContextInfo === undefined ? {} : { messageContextInfo: message.messageContextInfo }),
  });
}
