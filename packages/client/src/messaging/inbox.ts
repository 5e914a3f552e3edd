/**
 * Received messages between their commit and their event. A message's decrypt commits its session
 * change and dedupe key; the event is emitted after. A process that dies between the two would
 * lose the message for good: the server will not deliver it again (or the dedupe key refuses it).
 * So the decrypt transaction also stores the decoded message here, and the next decrypt
 * transaction deletes what was emitted since (no extra write per message); a clean close deletes
 * the rest. After a crash, `replay` emits what is left with `info.replayed`: at least once, never
 * lost. A replayed message may have been emitted once before the crash (the last one usually was);
 * the flag lets the application skip it if it already handled it.
 */

import type { Message } from '@wakit/proto';
import { fromBinary, MessageSchema } from '@wakit/proto';
import type { StoreView } from '../store/store';
import type { MessageInfo } from './message-events';

const INBOX = 'messaging:inbox';

/** A decoded message waiting for (or past) its event. */
export interface InboxEntry {
  message: Message;
  info: MessageInfo;
}

/** The inbox of one client. */
export class Inbox {
  /** Keys whose events were emitted since they were staged; deleted by the next transaction. */
  #emitted = new Set<string>();

  /**
   * Inside a decrypt transaction: deletes what was emitted, stores the message under `key` (its
   * `info`, and `message`, the encoded `Message` as it was decrypted).
   */
  async stage(tx: StoreView, key: string, info: MessageInfo, message: Uint8Array): Promise<string[]> {
    const done = [...this.#emitted];
    for (const old of done) await tx.kv.delete(INBOX, old);
    await tx.kv.put(INBOX, key, encodeEntry(info, message));
    return done;
  }

  /** The transaction that staged with `done` committed: those keys are gone from the store. */
  committed(done: readonly string[]): void {
    for (const key of done) this.#emitted.delete(key);
  }

  /** The event of `key` was emitted. */
  emitted(key: string): void {
    this.#emitted.add(key);
  }

  /** Deletes every entry whose event was emitted (a clean close). */
  async flush(store: StoreView): Promise<void> {
    const done = [...this.#emitted];
    for (const key of done) await store.kv.delete(INBOX, key);
    this.committed(done);
  }

  /**
   * The entries left by a process that stopped before deleting them, oldest key first, except
   * those this process emitted; each is deleted once `emit` returned.
   */
  async replay(store: StoreView, emit: (entry: InboxEntry) => void): Promise<number> {
    let count = 0;
    for (const key of await store.kv.keys(INBOX)) {
      if (this.#emitted.has(key)) continue;
      const bytes = await store.kv.get(INBOX, key);
      if (bytes !== undefined) {
        emit(decodeEntry(bytes));
        count += 1;
      }
      await store.kv.delete(INBOX, key);
    }
    return count;
  }
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** `info` as JSON, a zero byte (JSON text has none), the encoded Message. */
function encodeEntry(info: MessageInfo, message: Uint8Array): Uint8Array {
  const head = utf8.encode(JSON.stringify(info));
  const bytes = new Uint8Array(head.length + 1 + message.length);
  bytes.set(head);
  bytes.set(message, head.length + 1);
  return bytes;
}

function decodeEntry(bytes: Uint8Array): InboxEntry {
  const split = bytes.indexOf(0);
  const info = JSON.parse(fromUtf8.decode(bytes.subarray(0, split))) as MessageInfo;
  return { info, message: fromBinary(MessageSchema, bytes.subarray(split + 1)) };
}
