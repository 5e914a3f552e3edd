/**
 * A virtual phone: the primary device of one account. It owns the account's identity key (whose
 * public half is the `accountSignatureKey` of every companion it links), scans QR codes, accepts
 * pair codes, and removes linked devices, as the WhatsApp app on a phone does. It is also a full
 * Signal participant: it decrypts what devices send to its device 0 (`messages`), answers with
 * receipts, and sends messages to other accounts and copies to its own companions.
 */

import type { BinaryNode } from '@wakit/binary-node';
import type { KeyPair } from '@wakit/crypto';
import type { Message, MessageInitShape, MessageSchema } from '@wakit/proto';
import { equalBytes } from './_bytes';
import { PhonePairingError } from './errors';
import { child, SERVER_JID, unixSeconds } from './nodes';
import { normalizePairCode, unwrapEphemeral, wrapEphemeral } from './pair-code-crypto';
import type { PhoneContext } from './phone-context';
import { PhoneEndpoint } from './phone-endpoint';
import {
  type PhoneEventMap,
  type PhoneEventName,
  PhoneInbox,
  type PhoneMessage,
  type PhoneReceipt,
  type UndecryptableMessage,
} from './phone-inbox';
import { PhoneReceiver } from './phone-receive';
import { PhoneSender, type PhoneSendOptions } from './phone-send';
import { PHONE_PREKEY_COUNT, type PhoneSignal } from './phone-signal';
import { ackFor, parseReceipt } from './phone-stanzas';
import { parseQr } from './qr';
import { type DeviceRecord, deviceJid, deviceLid, type ServerState } from './server-state';

/** The account material of a phone. */
export interface PhoneAccount {
  phoneNumber: string;
  /** The account's LID user part. */
  lidUser: string;
  /** The Signal identity key pair: the account signature key. */
  identity: KeyPair;
  registrationId: number;
}

/** One account's primary device. Create them with `server.phones.create(...)`. */
export class VirtualPhone {
  readonly #state: ServerState;
  readonly #account: PhoneAccount;
  readonly #ctx: PhoneContext;
  readonly #receiver: PhoneReceiver;
  readonly #sender: PhoneSender;
  readonly #endpoint: PhoneEndpoint;

  /**
   * @internal Built by `Phones.create` once `record` (device 0, whose keys are `signal.keys`) is in
   * the server's devices; registers device 0's always-online endpoint.
   */
  constructor(state: ServerState, account: PhoneAccount, record: DeviceRecord, signal: PhoneSignal) {
    this.#state = state;
    this.#account = account;
    this.#ctx = {
      state,
      account,
      record,
      signal,
      inbox: new PhoneInbox(),
      submit: (node) => state.stanzas.receive(record, node),
    };
    this.#receiver = new PhoneReceiver(this.#ctx);
    this.#sender = new PhoneSender(this.#ctx);
    this.#endpoint = new PhoneEndpoint((node) => this.#handle(node));
    // Always online: whatever the server queued for device 0 meanwhile is written at once.
    state.outbox.attach(record.jid, this.#endpoint);
  }

  /** The phone number (digits only), the user part of every PN JID of the account. */
  get phoneNumber(): string {
    return this.#account.phoneNumber;
  }

  /** `<phone>@s.whatsapp.net`: the phone itself (device 0). */
  get jid(): string {
    return deviceJid(this.#account.phoneNumber, 0);
  }

  /** `<lid>@lid`: the account's LID. */
  get lid(): string {
    return deviceLid(this.#account.lidUser, 0);
  }

  /** The identity key pair: its public key is what companions see as `accountSignatureKey`. */
  get identity(): KeyPair {
    return this.#account.identity;
  }

  get registrationId(): number {
    return this.#account.registrationId;
  }

  /** Companions linked to this account and not removed. */
  get devices(): DeviceRecord[] {
    return [...this.#state.devices.values()].filter(
      (d) => d.phoneNumber === this.phoneNumber && d.device !== 0 && !d.removed,
    );
  }

  /**
   * Scans a companion's QR code: finds the connection that was issued its ref, checks the QR's
   * noise key is that connection's Noise static key, and pairs it (docs/protocol.md §5.3).
   * Resolves with the new device's JID once the companion's pair-device-sign verifies.
   *
   * @throws PhonePairingError `malformed-qr`, `unknown-ref`, `noise-key-mismatch`, or whatever the
   *   pairing itself fails with (`device-signature`, `details-changed`, `rejected`, `closed`, `timeout`).
   * @example
   * ```ts
   * const jid = await phone.scanQr(qrFromCompanion); // '15550001234:1@s.whatsapp.net'
   * ```
   */
  async scanQr(qr: string): Promise<string> {
    const data = parseQr(qr);
    const target = this.#state.refs.get(data.ref);
    if (target === undefined) {
      throw new PhonePairingError('unknown-ref', `no waiting connection holds ref "${data.ref}"`);
    }
    const noiseKey = target.noiseKey;
    if (noiseKey === undefined || !equalBytes(noiseKey, data.noiseKey)) {
      throw new PhonePairingError(
        'noise-key-mismatch',
        "the QR's noise key is not the connection's Noise static key",
      );
    }
    return target.pair({
      phoneNumber: this.phoneNumber,
      advSecret: data.advSecret,
      companionIdentity: data.identityKey,
      platform: data.platform,
    });
  }

  /**
   * Types the 8-character code a companion shows (`ABCD-EFGH` or `ABCDEFGH`) into this phone:
   * unwraps the companion's ephemeral key with it and sends the companion `primary_hello`
   * (docs/protocol.md §5.4). Resolves with the device JID after `companion_finish` and pair-success.
   * A mistyped code is only detected when the companion's key bundle fails to decrypt.
   *
   * @throws PhonePairingError `no-pair-code-request` when no companion asked to link this number,
   *   `key-bundle` for a wrong code, or a pairing failure.
   */
  async enterPairCode(code: string): Promise<string> {
    const request = this.#state.pairCodeRequests.get(this.phoneNumber);
    if (request === undefined) {
      throw new PhonePairingError(
        'no-pair-code-request',
        `no companion asked to link ${this.phoneNumber} with a code`,
      );
    }
    const { crypto } = this.#state;
    const normalized = normalizePairCode(code);
    const companionEphemeral = await unwrapEphemeral(crypto, normalized, request.wrappedCompanionEphemeral);
    const primaryEphemeral = await crypto.generateKeyPair();
    const wrapped = await wrapEphemeral(crypto, normalized, primaryEphemeral.publicKey);
    return new Promise<string>((resolve, reject) => {
      request.primaryHello = { primaryEphemeral, companionEphemeral, resolve, reject };
      request.target.send({
        tag: 'notification',
        attrs: {
          from: SERVER_JID,
          type: 'link_code_companion_reg',
          id: this.#state.nextStanzaId(),
          t: unixSeconds(this.#state.options.now()),
        },
        content: [
          {
            tag: 'link_code_companion_reg',
            attrs: { stage: 'primary_hello' },
            content: [
              { tag: 'link_code_pairing_ref', attrs: {}, content: new TextEncoder().encode(request.ref) },
              { tag: 'link_code_pairing_wrapped_primary_ephemeral_pub', attrs: {}, content: wrapped },
              { tag: 'primary_identity_pub', attrs: {}, content: this.identity.publicKey },
            ],
          },
        ],
      });
    });
  }

  /**
   * Unlinks a companion: its live connection gets `<stream:error code="401"><conflict
   * type="device_removed"/>` and later logins get the same. Returns false for an unknown JID.
   */
  removeDevice(jid: string): boolean {
    const record = this.#state.devices.get(jid);
    if (record === undefined || record.phoneNumber !== this.phoneNumber || record.device === 0) return false;
    // Marks it removed, kicks it, drops its queue and tells the account's devices and subscribers.
    this.#state.removeDevice(record);
    return true;
  }
  /** Messages the phone decrypted, in arrival order. */
  get messages(): readonly PhoneMessage[] {
    return this.#ctx.inbox.messages;
  }

  /** Messages that did not decrypt or decode, in arrival order, with the retry receipt sent for each. */
  get undecryptable(): readonly UndecryptableMessage[] {
    return this.#ctx.inbox.undecryptable;
  }

  /** Receipts for what the phone sent (delivery, read, sender, retry ...), in arrival order. */
  get receipts(): readonly PhoneReceipt[] {
    return this.#ctx.inbox.receipts;
  }

  /** The phone's Signal keys and sessions (its private prekeys, its session store), for tests. */
  get signal(): PhoneSignal {
    return this.#ctx.signal;
  }

  /** Calls `listener` for every later `message`, `undecryptable` or `receipt`; returns the unsubscriber. */
  on<K extends PhoneEventName>(name: K, listener: (event: PhoneEventMap[K]) => void): () => void {
    return this.#ctx.inbox.on(name, listener);
  }

  /**
   * The first `name` record, already there or still to come, that passes `predicate`; rejects with
   * `TimeoutError` after `timeoutMs` (default PHONE_WAIT_TIMEOUT_MS).
   */
  waitFor<K extends PhoneEventName>(
    name: K,
    predicate?: (event: PhoneEventMap[K]) => boolean,
    timeoutMs?: number,
  ): Promise<PhoneEventMap[K]> {
    return this.#ctx.inbox.waitFor(name, predicate, timeoutMs);
  }

  /**
   * The first received message, already there or still to come, that passes `predicate`.
   *
   * @example
   * ```ts
   * const { message, info } = await phone.waitForMessage((m) => m.info.id === id, 5_000);
   * ```
   */
  waitForMessage(predicate?: (message: PhoneMessage) => boolean, timeoutMs?: number): Promise<PhoneMessage> {
    return this.#ctx.inbox.waitFor('message', predicate, timeoutMs);
  }

  /** Resolves once every stanza delivered to the phone so far has been handled (and answered). */
  idle(): Promise<void> {
    return this.#endpoint.idle();
  }

  /**
   * Sends `message` to `to` (a PN or LID user JID of an account on this server): encrypted for
   * every device of that account, and as a `deviceSentMessage` copy for every companion of this
   * one, in one stanza whose device JIDs all use `to`'s namespace (docs/protocol.md §7.1).
   * Resolves with the message id once the stanza is handed to the server.
   *
   * @throws RangeError when `to` names no account on this server.
   * @example
   * ```ts
   * const id = await phone.sendMessage('15550002222@s.whatsapp.net', { conversation: 'hello' });
   * ```
   */
  sendMessage(
    to: string,
    message: Message | MessageInitShape<typeof MessageSchema>,
    options?: PhoneSendOptions,
  ): Promise<string> {
    return this.#sender.send(to, message, options);
  }

  /**
   * Sends a receipt of `type` (`read`, `played`, ...) for messages received in `chat`; `participant`
   * names the sender in a group (docs/protocol.md §7.4).
   */
  sendReceipt(chat: string, ids: string[], type: string, participant?: string): void {
    this.#sender.sendReceipt(chat, ids, type, participant);
  }

  /** Marks messages of `chat` read: a `read` receipt for `ids` (blue ticks on the sender's side). */
  markRead(chat: string, ids: string[], participant?: string): void {
    this.#sender.sendReceipt(chat, ids, 'read', participant);
  }

  /** Handles one stanza the server delivered to device 0. */
  async #handle(node: BinaryNode): Promise<void> {
    switch (node.tag) {
      case 'message':
        return this.#receiver.message(node);
      case 'receipt': {
        // docs/protocol.md §7.5: a retry is answered with a resend before it is acknowledged.
        if (node.attrs.type === 'retry') await this.#sender.resend(node);
        this.#ctx.submit(ackFor(node));
        this.#ctx.inbox.record('receipt', parseReceipt(node));
        return;
      }
      case 'notification': {
        // docs/protocol.md §6.5: the server tells a device its one-time prekeys run low.
        if (node.attrs.type === 'encrypt' && child(node, 'count') !== undefined) {
          await this.#ctx.signal.refillIfLow(this.#state.options.lowPreKeyThreshold, PHONE_PREKEY_COUNT);
        }
        this.#ctx.submit(ackFor(node));
        return;
      }
      default:
        // The server's acks of what the phone sent, and <ib>, need no answer.
        return;
    }
  }
}
