/**
 * `Store.transaction` for every backend: a write-buffering view over the store. The view records
 * each write (a new value or a tombstone) in a `WriteSet` and answers reads from it first, then from
 * the store, so a transaction reads its own writes (counts, device lists and key listings
 * included) while nothing reaches the store. When `work` resolves, the backend applies the write set
 * in one synchronous step (SQLite: one `BEGIN IMMEDIATE` transaction; memory: map updates that
 * cannot fail), so no other async work interleaves with a commit and a commit is all or nothing.
 * When `work` rejects, the write set is dropped.
 *
 * Rules this file keeps:
 * - Once the transaction settled (committed, failed or rejected), every use of the view throws
 *   `StoreTransactionError`, a write that was awaiting a read when it settled included: a leaked view
 *   can never write outside the commit.
 * - Values are copied (and checked) when written and copied again when read, like the stores' own.
 * - No locks: two transactions that write the same key both commit, the last commit wins. Callers
 *   serialize work on one key (the client does, per peer).
 * - `prune` is refused inside a transaction: it deletes by time over the whole table, which a
 *   write set of keys cannot express.
 */
import type { KeyPair } from '@wakit/crypto';
import type { Direction } from '@wakit/signal';
import { copyBytes, equalBytes } from '../_bytes';
import { StoreTransactionError } from '../errors';
import { cloneCredentials, copyChecked, copyKeyPair, copyRecord, copyRecordChecked } from './_copy';
import { checkInteger } from './_validate';
import { DELETED, emptyWriteSet, type Slot, type WriteSet } from './_write-set';
import { TransactionSenderKeyDevices } from './sender-key-devices';
import type { DeviceCredentials, PreKey, StoreView } from './store';
import { TransactionSignalUsers } from './transaction-signal-users';
import {
  TransactionDevices,
  TransactionKeyValues,
  TransactionLids,
  TransactionReceived,
  TransactionSent,
} from './transaction-sub-stores';

/** What a transaction lists from the store below, which `StoreView` has no method for. */
export interface BaseListings {
  /** The device ids with a stored identity under a Signal address name, ascending. */
  identityDevices(name: string): Promise<number[]>;
  /** The stored sender-key names whose sender is `name` (`_sender-key-name.ts`). */
  senderKeysOf(name: string): Promise<string[]>;
}

/** What the parts of one transaction's view share: the store below and the writes so far. */
export class TransactionState {
  #writes: WriteSet | undefined = emptyWriteSet();

  constructor(
    /** The store the transaction runs on; reads fall through to it. */
    readonly base: StoreView,
    /** Identities and sender keys by name (`deleteIdentities`, `moveUser`). */
    readonly listings: BaseListings,
  ) {}

  /**
   * The writes so far. Every method calls it first, and a write calls it again right before it
   * records anything after an await, so nothing is recorded once the transaction settled.
   * @throws StoreTransactionError once the transaction settled.
   */
  live(): WriteSet {
    if (this.#writes === undefined) {
      throw new StoreTransactionError('this transaction has settled; its view can no longer be used');
    }
    return this.#writes;
  }

  /** Ends the transaction and hands over its writes; the view refuses every use from now on. */
  settle(): WriteSet {
    const writes = this.live();
    this.#writes = undefined;
    return writes;
  }
}

/** A slot's value as the caller may see it: a copy, or undefined for a tombstone. */
function readSlot<T>(slot: Slot<T>, copy: (value: T) => T): T | undefined {
  return slot === DELETED ? undefined : copy(slot);
}

/** The `StoreView` a transaction's `work` gets. */
export class TransactionView implements StoreView {
  readonly devices: TransactionDevices;
  readonly lids: TransactionLids;
  readonly received: TransactionReceived;
  readonly sent: TransactionSent;
  readonly signalUsers: TransactionSignalUsers;
  readonly senderKeyDevices: TransactionSenderKeyDevices;
  readonly kv: TransactionKeyValues;
  readonly #tx: TransactionState;

  constructor(tx: TransactionState) {
    this.#tx = tx;
    this.devices = new TransactionDevices(tx);
    this.lids = new TransactionLids(tx);
    this.received = new TransactionReceived(tx);
    this.sent = new TransactionSent(tx);
    this.signalUsers = new TransactionSignalUsers(tx, this);
    this.senderKeyDevices = new TransactionSenderKeyDevices(tx);
    this.kv = new TransactionKeyValues(tx);
  }

  async loadCredentials(): Promise<DeviceCredentials | undefined> {
    const { credentials } = this.#tx.live();
    return credentials ? cloneCredentials(credentials) : this.#tx.base.loadCredentials();
  }

  async saveCredentials(credentials: DeviceCredentials): Promise<void> {
    const copy = cloneCredentials(credentials);
    this.#tx.live().credentials = copy;
  }

  async getIdentityKeyPair(): Promise<KeyPair> {
    const { credentials } = this.#tx.live();
    return credentials ? copyKeyPair(credentials.identityKey) : this.#tx.base.getIdentityKeyPair();
  }

  async getLocalRegistrationId(): Promise<number> {
    const { credentials } = this.#tx.live();
    return credentials ? credentials.registrationId : this.#tx.base.getLocalRegistrationId();
  }

  async loadSignedPreKey(id: number): Promise<KeyPair | undefined> {
    const { credentials } = this.#tx.live();
    if (!credentials) return this.#tx.base.loadSignedPreKey(id);
    const signed = credentials.signedPreKey;
    return signed.keyId === id ? copyKeyPair(signed.keyPair) : undefined;
  }

  async isTrustedIdentity(address: string, identityKey: Uint8Array, _direction: Direction): Promise<boolean> {
    const known = await this.getIdentity(address);
    return known === undefined || equalBytes(known, identityKey);
  }

  async saveIdentity(address: string, identityKey: Uint8Array): Promise<boolean> {
    const copy = copyChecked('identityKey', identityKey);
    const known = await this.getIdentity(address);
    // Recorded after the read: the answer says what this write replaced as the view saw it.
    this.#tx.live().identities.set(address, copy);
    return known !== undefined && !equalBytes(known, copy);
  }

  async getIdentity(address: string): Promise<Uint8Array | undefined> {
    const slot = this.#tx.live().identities.get(address);
    return slot === undefined ? this.#tx.base.getIdentity(address) : readSlot(slot, copyBytes);
  }

  async loadSession(address: string): Promise<Uint8Array | undefined> {
    const slot = this.#tx.live().sessions.get(address);
    return slot === undefined ? this.#tx.base.loadSession(address) : readSlot(slot, copyRecord);
  }

  async storeSession(address: string, record: Uint8Array): Promise<void> {
    const copy = copyRecordChecked(record);
    this.#tx.live().sessions.set(address, copy);
  }

  async loadPreKey(id: number): Promise<KeyPair | undefined> {
    const slot = this.#tx.live().preKeys.get(id);
    return slot === undefined ? this.#tx.base.loadPreKey(id) : readSlot(slot, copyKeyPair);
  }

  async removePreKey(id: number): Promise<void> {
    this.#tx.live().preKeys.set(id, DELETED);
  }

  async storePreKeys(preKeys: readonly PreKey[]): Promise<void> {
    // All or none: copy (and so check) the whole batch before anything is recorded.
    const copies = preKeys.map(
      ({ keyId, keyPair }, i) => [checkInteger(`preKeys[${i}].keyId`, keyId), copyKeyPair(keyPair)] as const,
    );
    const writes = this.#tx.live();
    for (const [keyId, keyPair] of copies) writes.preKeys.set(keyId, keyPair);
  }

  async countPreKeys(): Promise<number> {
    const { preKeys } = this.#tx.live();
    const { base } = this.#tx;
    // The store's count, corrected by each recorded write that adds a key it lacks or removes one
    // it has.
    const corrections = await Promise.all(
      [...preKeys].map(async ([id, slot]) => {
        const stored = (await base.loadPreKey(id)) !== undefined;
        if (slot === DELETED) return stored ? -1 : 0;
        return stored ? 0 : 1;
      }),
    );
    return corrections.reduce((sum, n) => sum + n, await base.countPreKeys());
  }

  async loadSenderKey(name: string): Promise<Uint8Array | undefined> {
    const record = this.#tx.live().senderKeys.get(name);
    return record === undefined ? this.#tx.base.loadSenderKey(name) : readSlot(record, copyRecord);
  }

  async storeSenderKey(name: string, record: Uint8Array): Promise<void> {
    const copy = copyRecordChecked(record);
    this.#tx.live().senderKeys.set(name, copy);
  }
}

/**
 * Runs `work` on a fresh view over `base` and, when it resolves, hands the writes to `commit`,
 * which must apply all of them or none, synchronously. The result of `work` is returned after the
 * commit; a rejection of `work` or a failed commit is passed on, and nothing is applied.
 */
export async function runTransaction<T>(
  base: StoreView,
  listings: BaseListings,
  work: (tx: StoreView) => Promise<T>,
  commit: (writes: WriteSet) => void,
): Promise<T> {
  const tx = new TransactionState(base, listings);
  let result: T;
  try {
    result = await work(new TransactionView(tx));
  } catch (error) {
    tx.settle();
    throw error;
  }
  // Settling and committing in one synchronous step: no write can slip in between.
  commit(tx.settle());
  return result;
}
