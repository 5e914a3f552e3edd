/**
 * The typed sub-stores of a `SqliteStore`. Each write is one statement, or one `BEGIN IMMEDIATE`
 * transaction when it reads before it writes or writes several rows, committed before its promise
 * resolves (the durability rule of `sqlite-store.ts`).
 */
import { copyDeviceList } from '../store/_copy';
import { senderKeyRenamed, senderKeysOf } from '../store/_sender-key-name';
import { addressOf, addressRange, devicesOf } from '../store/_signal-address';
import {
  checkBytes,
  checkInteger,
  checkMessageKey,
  checkSentMessage,
  checkSignalName,
  checkString,
} from '../store/_validate';
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
} from '../store/store';
import { putLidMapping } from './apply-writes';
import { fromBlob } from './blob';
import type { AddressRow, Statements } from './statements';
import {
  deviceListToRow,
  rowToDeviceList,
  rowToSentMessage,
  sentMessageToRow,
  textOut,
} from './sub-store-rows';

/** What the sub-stores need from their store. */
export interface SqliteContext {
  /** The prepared statements. @throws StoreClosedError once the store is closed. */
  statements(): Statements;
  /** Runs `fn` in one `BEGIN IMMEDIATE` transaction. */
  immediate<T>(fn: () => T): T;
}

/** Device lists of a `SqliteStore` (the devices as JSON text). */
export class SqliteDevices implements DeviceListStore {
  constructor(readonly context: SqliteContext) {}

  async get(user: string): Promise<DeviceList | undefined> {
    const row = this.context.statements().getDeviceList.get(checkString('user', user));
    return row && rowToDeviceList(row);
  }

  async put(list: DeviceList): Promise<void> {
    // The canonical copy: only the known fields reach the JSON.
    this.context.statements().putDeviceList.run(deviceListToRow(copyDeviceList(list)));
  }

  async delete(user: string): Promise<void> {
    this.context.statements().deleteDeviceList.run(checkString('user', user));
  }
}

/** LID <-> PN mappings of a `SqliteStore`, kept one to one by a unique index on each side. */
export class SqliteLids implements LidMappingStore {
  constructor(readonly context: SqliteContext) {}

  async put(lid: string, pn: string): Promise<void> {
    checkString('lid', lid);
    checkString('pn', pn);
    const statements = this.context.statements();
    this.context.immediate(() => putLidMapping(statements, lid, pn));
  }

  async getLid(pn: string): Promise<string | undefined> {
    const row = this.context.statements().getLid.get(checkString('pn', pn));
    return row && textOut(row.value, 'lid_mappings.lid');
  }

  async getPn(lid: string): Promise<string | undefined> {
    const row = this.context.statements().getPn.get(checkString('lid', lid));
    return row && textOut(row.value, 'lid_mappings.pn');
  }
}

/** Received-message keys of a `SqliteStore`. */
export class SqliteReceived implements ReceivedMessageStore {
  constructor(readonly context: SqliteContext) {}

  async has(key: MessageKey): Promise<boolean> {
    const { chat, sender, id } = checkMessageKey(key);
    return this.context.statements().hasReceived.get(chat, sender, id) !== undefined;
  }

  async add(key: MessageKey, at: number): Promise<boolean> {
    const { chat, sender, id } = checkMessageKey(key);
    checkInteger('at', at);
    // INSERT OR IGNORE answers "was it new" and records it in one statement.
    return this.context.statements().addReceived.run(chat, sender, id, at).changes === 1;
  }

  async prune(before: number): Promise<number> {
    return this.context.statements().pruneReceived.run(checkInteger('before', before)).changes;
  }
}

/** Sent messages of a `SqliteStore`. */
export class SqliteSent implements SentMessageStore {
  constructor(readonly context: SqliteContext) {}

  async get(chat: string, id: string): Promise<SentMessage | undefined> {
    const row = this.context.statements().getSent.get(checkString('chat', chat), checkString('id', id));
    return row && rowToSentMessage(row);
  }

  async put(message: SentMessage): Promise<void> {
    this.context.statements().putSent.run(sentMessageToRow(checkSentMessage(message)));
  }

  async prune(before: number): Promise<number> {
    return this.context.statements().pruneSent.run(checkInteger('before', before)).changes;
  }
}

/** The addresses of `name`'s devices in a table, through a range scan (see `_signal-address.ts`). */
export function addressDevices(query: Statements['sessionAddresses'], name: string): number[] {
  const rows = query.all(...addressRange(name)) as AddressRow[];
  return devicesOf(
    rows.map((row) => textOut(row.address, 'address')),
    name,
  );
}

/** Sessions and identities by user of a `SqliteStore`. */
export class SqliteSignalUsers implements SignalUserStore {
  constructor(readonly context: SqliteContext) {}

  async sessionDevices(name: string): Promise<number[]> {
    checkSignalName('name', name);
    return addressDevices(this.context.statements().sessionAddresses, name);
  }

  /** The device ids with a stored identity under `name` (for transactions; not in `SignalUserStore`). */
  identityDevices(name: string): number[] {
    checkSignalName('name', name);
    return addressDevices(this.context.statements().identityAddresses, name);
  }

  /** The stored sender-key names whose sender is `name` (for transactions and `moveUser`). */
  senderKeysOf(name: string): string[] {
    const rows = this.context.statements().senderKeyNamesWith.all(`::${name}::`);
    return senderKeysOf(
      rows.map((row) => textOut(row.value, 'sender key name')),
      name,
    );
  }

  async deleteSessions(name: string): Promise<number> {
    checkSignalName('name', name);
    const statements = this.context.statements();
    return this.context.immediate(() => {
      const ids = addressDevices(statements.sessionAddresses, name);
      for (const id of ids) statements.deleteSession.run(addressOf(name, id));
      return ids.length;
    });
  }

  async deleteIdentities(name: string): Promise<number> {
    checkSignalName('name', name);
    const statements = this.context.statements();
    return this.context.immediate(() => {
      const ids = addressDevices(statements.identityAddresses, name);
      for (const id of ids) statements.deleteIdentity.run(addressOf(name, id));
      return ids.length;
    });
  }

  async moveUser(from: string, to: string): Promise<void> {
    checkSignalName('from', from);
    checkSignalName('to', to);
    const s = this.context.statements();
    if (from === to) return;
    this.context.immediate(() => {
      moveAddresses(
        { list: s.sessionAddresses, get: s.loadSession, put: s.storeSession, remove: s.deleteSession },
        from,
        to,
      );
      moveAddresses(
        { list: s.identityAddresses, get: s.getIdentity, put: s.saveIdentity, remove: s.deleteIdentity },
        from,
        to,
      );
      for (const source of this.senderKeysOf(from)) {
        const target = senderKeyRenamed(source, from, to)!;
        if (s.loadSenderKey.get(target) === undefined)
          s.storeSenderKey.run(target, s.loadSenderKey.get(source)!.value);
        s.deleteSenderKey.run(source);
      }
    });
  }
}

/** The statements of one table keyed by Signal address. */
interface AddressTable {
  list: Statements['sessionAddresses'];
  get: Statements['loadSession'];
  put: Statements['storeSession'];
  remove: Statements['deleteSession'];
}

/** Renames `from`'s rows of `table` to `to`, keeping the rows `to` already has. */
function moveAddresses(table: AddressTable, from: string, to: string): void {
  for (const id of addressDevices(table.list, from)) {
    const source = addressOf(from, id);
    const target = addressOf(to, id);
    if (table.get.get(target) === undefined) table.put.run(target, table.get.get(source)!.value);
    table.remove.run(source);
  }
}

/** Module key-values of a `SqliteStore`. */
export class SqliteKeyValues implements KeyValueStore {
  constructor(readonly context: SqliteContext) {}

  async get(namespace: string, key: string): Promise<Uint8Array | undefined> {
    const row = this.context
      .statements()
      .getKeyValue.get(checkString('namespace', namespace), checkString('key', key));
    return row && fromBlob(row.value);
  }

  async put(namespace: string, key: string, value: Uint8Array): Promise<void> {
    checkString('namespace', namespace);
    checkString('key', key);
    this.context.statements().putKeyValue.run(namespace, key, checkBytes('value', value));
  }

  async delete(namespace: string, key: string): Promise<void> {
    this.context
      .statements()
      .deleteKeyValue.run(checkString('namespace', namespace), checkString('key', key));
  }

  async keys(namespace: string): Promise<string[]> {
    const rows = this.context.statements().keys.all(checkString('namespace', namespace));
    return rows.map((row) => textOut(row.value, 'key_values.key'));
  }
}
