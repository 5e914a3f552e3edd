/**
 * The typed sub-stores of a transaction's view (see `transaction-view.ts` for the rules): each reads
 * its recorded writes first and the store below second, and records writes without touching it.
 */
import { copyBytes } from '../_bytes';
import { StoreTransactionError } from '../errors';
import { copyChecked, copyDeviceList, copySentMessage } from './_copy';
import { checkInteger, checkMessageKey, checkString } from './_validate';
import { compareCodePoints, DELETED, receivedKeyId, sentKeyId } from './_write-set';
import type {
  DeviceList,
  DeviceListStore,
  KeyValueStore,
  LidMappingStore,
  MessageKey,
  ReceivedMessageStore,
  SentMessage,
  SentMessageStore,
} from './store';
import type { TransactionState } from './transaction-view';

function refusePrune(): never {
  throw new StoreTransactionError(
    'prune cannot run inside a transaction: it deletes by time across the whole table; call it on the store',
  );
}

/** Device lists inside a transaction. */
export class TransactionDevices implements DeviceListStore {
  constructor(readonly tx: TransactionState) {}

  async get(user: string): Promise<DeviceList | undefined> {
    const slot = this.tx.live().devices.get(user);
    if (slot === undefined) return this.tx.base.devices.get(user);
    return slot === DELETED ? undefined : copyDeviceList(slot);
  }

  async put(list: DeviceList): Promise<void> {
    const copy = copyDeviceList(list);
    this.tx.live().devices.set(copy.user, copy);
  }

  async delete(user: string): Promise<void> {
    checkString('user', user);
    this.tx.live().devices.set(user, DELETED);
  }
}

/**
 * LID <-> PN inside a transaction. The recorded writes are keyed by LID; a `put` also records a
 * tombstone for the LID the PN had, so the recorded state is one to one by itself and `getLid`
 * can trust the store's answer unless the transaction rewrote that LID.
 */
export class TransactionLids implements LidMappingStore {
  constructor(readonly tx: TransactionState) {}

  async put(lid: string, pn: string): Promise<void> {
    checkString('lid', lid);
    checkString('pn', pn);
    const previous = await this.getLid(pn);
    const { lids } = this.tx.live();
    if (previous !== undefined && previous !== lid) lids.set(previous, DELETED);
    // Overwriting the LID's own entry also ends the mapping of the PN it had.
    lids.set(lid, pn);
  }

  async getLid(pn: string): Promise<string | undefined> {
    const { lids } = this.tx.live();
    for (const [lid, slot] of lids) if (slot === pn) return lid;
    const stored = await this.tx.base.lids.getLid(pn);
    // A LID the transaction rewrote no longer maps to `pn` (it would have been found above).
    return stored === undefined || lids.has(stored) ? undefined : stored;
  }

  async getPn(lid: string): Promise<string | undefined> {
    const slot = this.tx.live().lids.get(lid);
    if (slot === undefined) return this.tx.base.lids.getPn(lid);
    return slot === DELETED ? undefined : slot;
  }
}

/** Received-message keys inside a transaction. */
export class TransactionReceived implements ReceivedMessageStore {
  constructor(readonly tx: TransactionState) {}

  async has(key: MessageKey): Promise<boolean> {
    const id = receivedKeyId(checkMessageKey(key));
    return this.tx.live().received.has(id) || this.tx.base.received.has(key);
  }

  async add(key: MessageKey, at: number): Promise<boolean> {
    checkMessageKey(key);
    checkInteger('at', at);
    if (await this.has(key)) return false;
    const { received } = this.tx.live();
    const id = receivedKeyId(key);
    // Another add of the same key in this transaction may have been recorded while we read.
    if (received.has(id)) return false;
    received.set(id, { key: { chat: key.chat, sender: key.sender, id: key.id }, at });
    return true;
  }

  async prune(_before: number): Promise<number> {
    return refusePrune();
  }
}

/** Sent messages inside a transaction. */
export class TransactionSent implements SentMessageStore {
  constructor(readonly tx: TransactionState) {}

  async get(chat: string, id: string): Promise<SentMessage | undefined> {
    const message = this.tx.live().sent.get(sentKeyId(checkString('chat', chat), checkString('id', id)));
    return message === undefined ? this.tx.base.sent.get(chat, id) : copySentMessage(message);
  }

  async put(message: SentMessage): Promise<void> {
    const copy = copySentMessage(message);
    this.tx.live().sent.set(sentKeyId(copy.chat, copy.id), copy);
  }

  async prune(_before: number): Promise<number> {
    return refusePrune();
  }
}

/** Module key-values inside a transaction. */
export class TransactionKeyValues implements KeyValueStore {
  constructor(readonly tx: TransactionState) {}

  async get(namespace: string, key: string): Promise<Uint8Array | undefined> {
    checkString('namespace', namespace);
    checkString('key', key);
    const slot = this.tx.live().kv.get(namespace)?.get(key);
    if (slot === undefined) return this.tx.base.kv.get(namespace, key);
    return slot === DELETED ? undefined : copyBytes(slot);
  }

  async put(namespace: string, key: string, value: Uint8Array): Promise<void> {
    this.#record(namespace, key, copyChecked('value', value));
  }

  async delete(namespace: string, key: string): Promise<void> {
    this.#record(namespace, key, DELETED);
  }

  async keys(namespace: string): Promise<string[]> {
    checkString('namespace', namespace);
    const writes = this.tx.live();
    const keys = new Set(await this.tx.base.kv.keys(namespace));
    // Looked up after the read, so writes recorded meanwhile count too.
    for (const [key, slot] of writes.kv.get(namespace) ?? []) {
      if (slot === DELETED) keys.delete(key);
      else keys.add(key);
    }
    return [...keys].sort(compareCodePoints);
  }

  #record(namespace: string, key: string, value: Uint8Array | typeof DELETED): void {
    checkString('namespace', namespace);
    checkString('key', key);
    const { kv } = this.tx.live();
    const recorded = kv.get(namespace) ?? new Map<string, Uint8Array | typeof DELETED>();
    kv.set(namespace, recorded);
    recorded.set(key, value);
  }
}
