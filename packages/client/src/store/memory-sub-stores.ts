/**
 * The typed sub-stores of a `MemoryStore`. Each gets its store's state through `open`, which throws
 * `StoreClosedError` once the store is closed.
 */
import { copyBytes } from '../_bytes';
import { copyChecked, copyDeviceList, copySentMessage } from './_copy';
import { senderKeyRenamed, senderKeysOf } from './_sender-key-name';
import { addressOf, devicesOf } from './_signal-address';
import { checkInteger, checkMessageKey, checkSignalName, checkString } from './_validate';
import { compareCodePoints, receivedKeyId, sentKeyId } from './_write-set';
import type { MemoryState } from './memory-state';
import type {
  DeviceList,
  DeviceListStore,
  KeyValueStore,
  LidMappingStore,
  MessageKey,
  ReceivedMessageStore,
  SentMessage,
  SentMessageStore,
  SignalUserStore,
} from './store';

/** The state of an open store. */
export type OpenState = () => MemoryState;

/** Device lists of a `MemoryStore`. */
export class MemoryDevices implements DeviceListStore {
  constructor(readonly open: OpenState) {}

  async get(user: string): Promise<DeviceList | undefined> {
    const list = this.open().devices.get(user);
    return list && copyDeviceList(list);
  }

  async put(list: DeviceList): Promise<void> {
    const copy = copyDeviceList(list);
    this.open().devices.set(copy.user, copy);
  }

  async delete(user: string): Promise<void> {
    this.open().devices.delete(checkString('user', user));
  }
}

/** LID <-> PN mappings of a `MemoryStore`, one to one. */
export class MemoryLids implements LidMappingStore {
  constructor(readonly open: OpenState) {}

  async put(lid: string, pn: string): Promise<void> {
    checkString('lid', lid);
    checkString('pn', pn);
    this.open().putLid(lid, pn);
  }

  async getLid(pn: string): Promise<string | undefined> {
    return this.open().lidByPn.get(pn);
  }

  async getPn(lid: string): Promise<string | undefined> {
    return this.open().pnByLid.get(lid);
  }
}

/** Received-message keys of a `MemoryStore`. */
export class MemoryReceived implements ReceivedMessageStore {
  constructor(readonly open: OpenState) {}

  async has(key: MessageKey): Promise<boolean> {
    return this.open().received.has(receivedKeyId(checkMessageKey(key)));
  }

  async add(key: MessageKey, at: number): Promise<boolean> {
    const id = receivedKeyId(checkMessageKey(key));
    checkInteger('at', at);
    const { received } = this.open();
    if (received.has(id)) return false;
    received.set(id, at);
    return true;
  }

  async prune(before: number): Promise<number> {
    checkInteger('before', before);
    const { received } = this.open();
    let pruned = 0;
    for (const [id, at] of received) {
      if (at < before) {
        received.delete(id);
        pruned++;
      }
    }
    return pruned;
  }
}

/** Sent messages of a `MemoryStore`. */
export class MemorySent implements SentMessageStore {
  constructor(readonly open: OpenState) {}

  async get(chat: string, id: string): Promise<SentMessage | undefined> {
    const message = this.open().sent.get(sentKeyId(checkString('chat', chat), checkString('id', id)));
    return message && copySentMessage(message);
  }

  async put(message: SentMessage): Promise<void> {
    const copy = copySentMessage(message);
    this.open().sent.set(sentKeyId(copy.chat, copy.id), copy);
  }

  async prune(before: number): Promise<number> {
    checkInteger('before', before);
    const { sent } = this.open();
    let pruned = 0;
    for (const [id, message] of sent) {
      if (message.at < before) {
        sent.delete(id);
        pruned++;
      }
    }
    return pruned;
  }
}

/** Sessions and identities by user of a `MemoryStore` (a scan of its tables: fine at memory-store sizes). */
export class MemorySignalUsers implements SignalUserStore {
  constructor(readonly open: OpenState) {}

  async sessionDevices(name: string): Promise<number[]> {
    checkSignalName('name', name);
    return devicesOf(this.open().sessions.keys(), name);
  }

  async deleteSessions(name: string): Promise<number> {
    checkSignalName('name', name);
    return deleteUser(this.open().sessions, name);
  }

  async deleteIdentities(name: string): Promise<number> {
    checkSignalName('name', name);
    return deleteUser(this.open().identities, name);
  }

  async moveUser(from: string, to: string): Promise<void> {
    checkSignalName('from', from);
    checkSignalName('to', to);
    const state = this.open();
    if (from === to) return;
    moveUser(state.sessions, from, to);
    moveUser(state.identities, from, to);
    moveSender(state.senderKeys, from, to);
  }
}

/** Deletes every entry of `name` from `table`; returns how many. */
function deleteUser(table: Map<string, Uint8Array>, name: string): number {
  const ids = devicesOf(table.keys(), name);
  for (const id of ids) table.delete(addressOf(name, id));
  return ids.length;
}

/** Renames `from`'s entries of `table` to `to`, keeping what `to` already has. */
function moveUser(table: Map<string, Uint8Array>, from: string, to: string): void {
  for (const id of devicesOf(table.keys(), from)) {
    const source = addressOf(from, id);
    const target = addressOf(to, id);
    if (!table.has(target)) table.set(target, table.get(source)!);
    table.delete(source);
  }
}

/** Moves the sender keys whose sender is `from` to `to`, keeping the keys `to` already has. */
function moveSender(table: Map<string, Uint8Array>, from: string, to: string): void {
  for (const source of senderKeysOf(table.keys(), from)) {
    const target = senderKeyRenamed(source, from, to)!;
    if (!table.has(target)) table.set(target, table.get(source)!);
    table.delete(source);
  }
}

/** Module key-values of a `MemoryStore`. */
export class MemoryKeyValues implements KeyValueStore {
  constructor(readonly open: OpenState) {}

  async get(namespace: string, key: string): Promise<Uint8Array | undefined> {
    checkString('namespace', namespace);
    checkString('key', key);
    const value = this.open().kv.get(namespace)?.get(key);
    return value && copyBytes(value);
  }

  async put(namespace: string, key: string, value: Uint8Array): Promise<void> {
    checkString('namespace', namespace);
    checkString('key', key);
    const copy = copyChecked('value', value);
    this.open().putKeyValue(namespace, key, copy);
  }

  async delete(namespace: string, key: string): Promise<void> {
    checkString('namespace', namespace);
    checkString('key', key);
    this.open().deleteKeyValue(namespace, key);
  }

  async keys(namespace: string): Promise<string[]> {
    checkString('namespace', namespace);
    return [...(this.open().kv.get(namespace)?.keys() ?? [])].sort(compareCodePoints);
  }
}
