/**
 * What a virtual phone has received, kept in arrival order, with listeners and deadline-bound waits
 * so a test can wait for a message instead of sleeping. A wait looks at what is already recorded
 * first, so it cannot miss something that arrived before it was set up.
 */
import { TimeoutError } from '@wakit/errors';
import type { Message } from '@wakit/proto';

/**
 * Where a message came from, in the shape of the wakit client's `message` event
 * (docs/protocol.md §7.2; server-for-baileys7 §3 "What each recipient device gets").
 */
export interface PhoneMessageInfo {
  /** The message id (`3EB0…` from WhatsApp Web and Baileys). */
  id: string;
  /** The chat: the peer's user JID without device (for a copy from an own companion, the peer it wrote to). */
  chat: string;
  /** The sending device's JID, in the namespace the stanza used. */
  sender: string;
  /** The sender in the other namespace (`sender_lid` / `sender_pn` ...), when the stanza names it. */
  senderAlt?: string;
  /** True when one of this account's own companions sent it (a `deviceSentMessage` copy). */
  fromMe: boolean;
  /** True for a group chat (`@g.us`). */
  isGroup: boolean;
  /** The stanza's `t`: unix seconds. */
  timestamp: number;
  /** The sender's push name (`notify`). */
  pushName?: string;
  /** True when the server replayed it from the offline queue (`offline` attribute). */
  offline: boolean;
  /** The `edit` attribute (docs/protocol.md §7.1: 1 edit, 2 pin, 7 sender revoke ...). */
  edit?: string;
}

/** A message the phone decrypted. */
export interface PhoneMessage {
  /** The decoded `Message`, with a `deviceSentMessage` wrapper already removed. */
  message: Message;
  info: PhoneMessageInfo;
}

/** A message the phone could not decrypt or decode; it answered with a retry receipt. */
export interface UndecryptableMessage {
  info: PhoneMessageInfo;
  /** The `<enc type>` that failed (`pkmsg`, `msg`, or an unsupported one such as `skmsg`). */
  encType: string;
  /** Why: a @wakit/signal error, or a description of bad padding / protobuf. */
  error: Error;
  /** The `count` of the retry receipt sent for it; undefined when none was (limit reached, unsupported). */
  retryCount: number | undefined;
}

/** A receipt for something the phone sent (docs/protocol.md §7.4). */
export interface PhoneReceipt {
  /** The first message id. */
  id: string;
  /** Every message id it covers (`id` plus the `<list><item id>` ones). */
  ids: string[];
  /** The device that sent the receipt. */
  from: string;
  /** The receipt type; undefined for a plain delivery receipt. */
  type: string | undefined;
  /** The chat, on receipts from the phone's own companions (`type="sender"`, read receipts). */
  recipient?: string;
  participant?: string;
  /** The `t` attribute (unix seconds), when present. */
  timestamp?: number;
}

/** What the phone records, by event name. */
export interface PhoneEventMap {
  message: PhoneMessage;
  undecryptable: UndecryptableMessage;
  receipt: PhoneReceipt;
}

/** An event name of `phone.on` / `phone.waitFor`. */
export type PhoneEventName = keyof PhoneEventMap;

/** How long `waitFor` waits by default: long enough for loaded CI, short enough to fail a test. */
export const PHONE_WAIT_TIMEOUT_MS = 10_000;

type Listener<K extends PhoneEventName> = (event: PhoneEventMap[K]) => void;

/** The records and listeners of one phone. */
export class PhoneInbox {
  readonly messages: PhoneMessage[] = [];
  readonly undecryptable: UndecryptableMessage[] = [];
  readonly receipts: PhoneReceipt[] = [];
  readonly #listeners = new Map<PhoneEventName, Set<Listener<never>>>();

  /** Records `event` and tells the listeners. A listener that throws is reported on a microtask. */
  record<K extends PhoneEventName>(name: K, event: PhoneEventMap[K]): void {
    (this.#list(name) as PhoneEventMap[K][]).push(event);
    for (const listener of [...(this.#listeners.get(name) ?? [])]) {
      try {
        (listener as Listener<K>)(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Calls `listener` for every later `name` event; returns the function that removes it. */
  on<K extends PhoneEventName>(name: K, listener: Listener<K>): () => void {
    let set = this.#listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /**
   * The first `name` event, already recorded or still to come, that passes `predicate`; rejects with
   * `TimeoutError` after `timeoutMs`.
   */
  waitFor<K extends PhoneEventName>(
    name: K,
    predicate: (event: PhoneEventMap[K]) => boolean = () => true,
    timeoutMs: number = PHONE_WAIT_TIMEOUT_MS,
  ): Promise<PhoneEventMap[K]> {
    const seen = (this.#list(name) as PhoneEventMap[K][]).find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new TimeoutError(`no matching phone "${name}" event within ${timeoutMs} ms`, timeoutMs));
      }, timeoutMs);
      const off = this.on(name, (event) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        off();
        resolve(event);
      });
    });
  }

  #list(name: PhoneEventName): unknown[] {
    if (name === 'message') return this.messages;
    if (name === 'undecryptable') return this.undecryptable;
    return this.receipts;
  }
}
