/**
 * An in-memory `Store`: for tests, tools and short-lived bots. Everything is lost with the process.
 * Trust on first use: an identity is trusted when none is stored for the address yet or it is the
 * stored key. Transactions buffer their writes in a view (`transaction-view.ts`) and commit them
 * with synchronous map updates.
 */
import type { KeyPair } from '@wakit/crypto';
import type { Direction } from '@wakit/signal';
import { copyBytes, equalBytes } from '../_bytes';
import { NoCredentialsError, StoreClosedError, StoreInUseError } from '../errors';
import { cloneCredentials, copyChecked, copyKeyPair, copyRecord, copyRecordChecked } from './_copy';
import { senderKeysOf } from './_sender-key-name';
import { devicesOf } from './_signal-address';
import { checkInteger, checkSignalName } from './_validate';
import { MemoryState } from './memory-state';
import {
  MemoryDevices,
  MemoryKeyValues,
  MemoryLids,
  MemoryReceived,
  MemorySent,
  MemorySignalUsers,
} from './memory-sub-stores';
import { MemorySenderKeyDevices } from './sender-key-devices';
import type {
  DeviceCredentials,
  DeviceListStore,
  KeyValueStore,
  LidMappingStore,
  PreKey,
  ReceivedMessageStore,
  SenderKeyDeviceStore,
  SentMessageStore,
  SignalUserStore,
  Store,
  StoreLease,
  StoreView,
} from './store';
import { runTransaction } from './transaction-view';

/**
 * @example
 * const store = new MemoryStore();
 * const client = createClient({ store });
 */
export class MemoryStore implements Store {
  readonly devices: DeviceListStore;
  readonly lids: LidMappingStore;
  readonly received: ReceivedMessageStore;
  readonly sent: SentMessageStore;
  readonly signalUsers: SignalUserStore;
  readonly senderKeyDevices: SenderKeyDeviceStore;
  readonly kv: KeyValueStore;
  readonly #state = new MemoryState();
  #claimed = false;
  #closed = false;

  constructor() {
    const open = () => this.#open();
    this.devices = new MemoryDevices(open);
    this.lids = new MemoryLids(open);
    this.received = new MemoryReceived(open);
    this.sent = new MemorySent(open);
    this.signalUsers = new MemorySignalUsers(open);
    this.senderKeyDevices = new MemorySenderKeyDevices(open);
    this.kv = new MemoryKeyValues(open);
  }

  async claim(): Promise<StoreLease> {
    this.#open();
    if (this.#claimed) throw new StoreInUseError('this store is in use by another client');
    this.#claimed = true;
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        this.#claimed = false;
      },
    };
  }

  /** See `Store.transaction`; the commit is a synchronous update of the maps. */
  async transaction<T>(work: (tx: StoreView) => Promise<T>): Promise<T> {
    this.#open();
    return runTransaction(
      this,
      {
        identityDevices: async (name) => {
          checkSignalName('name', name);
          return devicesOf(this.#open().identities.keys(), name);
        },
        senderKeysOf: async (name) => senderKeysOf(this.#open().senderKeys.keys(), name),
      },
      work,
      (writes) => this.#open().apply(writes),
    );
  }

  async loadCredentials(): Promise<DeviceCredentials | undefined> {
    const { credentials } = this.#open();
    return credentials && cloneCredentials(credentials);
  }

  async saveCredentials(credentials: DeviceCredentials): Promise<void> {
    const copy = cloneCredentials(credentials);
    this.#open().credentials = copy;
  }

  async getIdentityKeyPair(): Promise<KeyPair> {
    return copyKeyPair(this.#requireCredentials().identityKey);
  }

  async getLocalRegistrationId(): Promise<number> {
    return this.#requireCredentials().registrationId;
  }

  async loadSignedPreKey(id: number): Promise<KeyPair | undefined> {
    const signed = this.#requireCredentials().signedPreKey;
    return signed.keyId === id ? copyKeyPair(signed.keyPair) : undefined;
  }

  async isTrustedIdentity(address: string, identityKey: Uint8Array, _direction: Direction): Promise<boolean> {
    const known = this.#open().identities.get(address);
    return known === undefined || equalBytes(known, identityKey);
  }

  async saveIdentity(address: string, identityKey: Uint8Array): Promise<boolean> {
    const copy = copyChecked('identityKey', identityKey);
    const { identities } = this.#open();
    const known = identities.get(address);
    identities.set(address, copy);
    return known !== undefined && !equalBytes(known, copy);
  }

  async getIdentity(address: string): Promise<Uint8Array | undefined> {
    const known = this.#open().identities.get(address);
    return known && copyBytes(known);
  }

  async loadSession(address: string): Promise<Uint8Array | undefined> {
    const record = this.#open().sessions.get(address);
    return record && copyRecord(record);
  }

  async storeSession(address: string, record: Uint8Array): Promise<void> {
    const copy = copyRecordChecked(record);
    this.#open().sessions.set(address, copy);
  }

  async loadPreKey(id: number): Promise<KeyPair | undefined> {
    const keyPair = this.#open().preKeys.get(id);
    return keyPair && copyKeyPair(keyPair);
  }

  async removePreKey(id: number): Promise<void> {
    this.#open().preKeys.delete(id);
  }

  async storePreKeys(preKeys: readonly PreKey[]): Promise<void> {
    const state = this.#open();
    // All or none: copy (and so check) the whole batch before anything is stored.
    const copies = preKeys.map(
      ({ keyId, keyPair }, i) => [checkInteger(`preKeys[${i}].keyId`, keyId), copyKeyPair(keyPair)] as const,
    );
    for (const [keyId, keyPair] of copies) state.preKeys.set(keyId, keyPair);
  }

  async countPreKeys(): Promise<number> {
    return this.#open().preKeys.size;
  }

  async loadSenderKey(name: string): Promise<Uint8Array | undefined> {
    const record = this.#open().senderKeys.get(name);
    return record && copyRecord(record);
  }

  async storeSenderKey(name: string, record: Uint8Array): Promise<void> {
    const copy = copyRecordChecked(record);
    this.#open().senderKeys.set(name, copy);
  }

  /** Deletes credentials and every table. */
  async clear(): Promise<void> {
    this.#open().clear();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #open(): MemoryState {
    if (this.#closed) throw new StoreClosedError('the store is closed');
    return this.#state;
  }

  #requireCredentials(): DeviceCredentials {
    const { credentials } = this.#open();
    if (credentials === undefined) throw new NoCredentialsError('the store has no device credentials');
    return credentials;
  }
}
