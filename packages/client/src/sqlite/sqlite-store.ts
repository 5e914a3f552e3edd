/**
 * `SqliteStore`: the embedded default `Store`, one SQLite file per device, on better-sqlite3.
 *
 * Durability ("a write that resolved is durable"): every write is one statement or one
 * transaction, committed synchronously before the method's promise resolves. The database runs in
 * WAL mode with `synchronous=FULL`: each commit fsyncs the WAL. `NORMAL` would be safe against a
 * crashed process but not against power loss or a kernel panic, which can roll back the last
 * commits; a rolled-back ratchet step whose ciphertext already went out breaks that session for
 * good, so the fsync per commit (one per message, not per byte) is worth paying.
 *
 * Transactions (`transaction(work)`): the view buffers writes in memory (`store/transaction-view.ts`)
 * and nothing touches the database until `work` resolves; then all of them are one `BEGIN
 * IMMEDIATE` transaction, run synchronously (better-sqlite3 is synchronous, so no other async work
 * interleaves) and committed, with its one fsync, before `transaction()` resolves. A statement that
 * fails rolls the whole commit back. A transaction that wrote nothing commits nothing.
 */

import type { KeyPair } from '@wakit/crypto';
import type { Direction } from '@wakit/signal';
import { equalBytes } from '../_bytes';
import {
  NoCredentialsError,
  StoreClosedError,
  StoreCorruptError,
  StoreInUseError,
  StoreVersionError,
} from '../errors';
import { checkBytes, checkInteger } from '../store/_validate';
import { isEmptyWriteSet } from '../store/_write-set';
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
} from '../store/store';
import { runTransaction } from '../store/transaction-view';
import { applyWrites } from './apply-writes';
import { fromBlob } from './blob';
import { credentialsToRow, rowToCredentials } from './credentials-row';
import { Database, type SqliteDatabase } from './driver';
import { leaseKey, takeLease } from './lease';
import { migrate, SCHEMA_VERSION, schemaVersion } from './migrations';
import { SqliteSenderKeyDevices } from './sqlite-sender-key-devices';
import {
  type SqliteContext,
  SqliteDevices,
  SqliteKeyValues,
  SqliteLids,
  SqliteReceived,
  SqliteSent,
  SqliteSignalUsers,
} from './sqlite-sub-stores';
import { prepareStatements, type Statements } from './statements';

/** How long a write waits for another connection's write lock before failing with SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** Options of `openSqliteStore`. */
export interface SqliteStoreOptions {
  /** How long to wait for another connection's write lock (default `SQLITE_BUSY_TIMEOUT_MS`). */
  busyTimeoutMs?: number | undefined;
}

/**
 * Opens (creating and migrating when needed) the store in `filename`, or a private in-memory
 * store for `':memory:'`. Opening is synchronous: better-sqlite3 is, and a store is opened once.
 * Next to a file it keeps SQLite's `-wal` and `-shm` files and the lease lock `-lease`.
 *
 * @throws StoreVersionError when the file was written by a newer wakit (it is left untouched).
 * @throws StoreCorruptError when the file is not a SQLite database.
 * @example
 * const store = openSqliteStore('device.db');
 * const client = createClient({ store });
 */
export function openSqliteStore(filename: string, options: SqliteStoreOptions = {}): SqliteStore {
  const db = new Database(filename, { timeout: options.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS });
  try {
    // Checked before anything is written: switching a newer file to WAL would already change it.
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) throw new StoreVersionError(version, SCHEMA_VERSION);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return new SqliteStore(db, leaseKey(filename));
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StoreCorruptError(`${filename} is not a readable SQLite database`, { cause: error });
    }
    throw error;
  }
}

/**
 * A `Store` in one SQLite database. Create it with `openSqliteStore`. Trust on first use, like
 * `MemoryStore`: an identity is trusted when none is stored for the address or it is the stored one.
 */
export class SqliteStore implements Store {
  readonly devices: DeviceListStore;
  readonly lids: LidMappingStore;
  readonly received: ReceivedMessageStore;
  readonly sent: SentMessageStore;
  readonly signalUsers: SignalUserStore;
  readonly senderKeyDevices: SenderKeyDeviceStore;
  readonly kv: KeyValueStore;
  readonly #signalUsers: SqliteSignalUsers;
  readonly #db: SqliteDatabase;
  readonly #statements: Statements;
  readonly #leaseKey: string | undefined;
  #lease: StoreLease | undefined;
  #closed = false;

  /** @internal Use `openSqliteStore`: it migrates the database before this runs. */
  constructor(db: SqliteDatabase, key: string | undefined) {
    this.#db = db;
    this.#statements = prepareStatements(db);
    this.#leaseKey = key;
    const context: SqliteContext = {
      statements: () => this.#run(),
      immediate: (fn) => db.transaction(fn).immediate(),
    };
    this.devices = new SqliteDevices(context);
    this.lids = new SqliteLids(context);
    this.received = new SqliteReceived(context);
    this.sent = new SqliteSent(context);
    this.signalUsers = this.#signalUsers = new SqliteSignalUsers(context);
    this.senderKeyDevices = new SqliteSenderKeyDevices(context);
    this.kv = new SqliteKeyValues(context);
  }

  /**
   * One lease per database: a second claim rejects with `StoreInUseError` while the first is held,
   * whether it comes from this object, another `SqliteStore` on the same file, or another process
   * (see `lease.ts`). `close()` releases the lease.
   */
  async claim(): Promise<StoreLease> {
    this.#open();
    if (this.#lease) throw new StoreInUseError('this store is in use by another client');
    // In-memory databases are private to this object: the check above is all they need.
    const held = this.#leaseKey === undefined ? undefined : takeLease(this.#leaseKey);
    let released = false;
    const lease: StoreLease = {
      release: async () => {
        if (released) return;
        released = true;
        if (this.#lease === lease) this.#lease = undefined;
        await held?.release();
      },
    };
    this.#lease = lease;
    return lease;
  }

  /**
   * See `Store.transaction`. Reads inside `work` see committed data and the transaction's own
   * writes; the commit is one `BEGIN IMMEDIATE` transaction (see the header of this file).
   */
  async transaction<T>(work: (tx: StoreView) => Promise<T>): Promise<T> {
    this.#open();
    return runTransaction(
      this,
      {
        identityDevices: async (name) => this.#signalUsers.identityDevices(name),
        senderKeysOf: async (name) => this.#signalUsers.senderKeysOf(name),
      },
      work,
      (writes) => {
        const statements = this.#run();
        if (isEmptyWriteSet(writes)) return;
        this.#db.transaction(() => applyWrites(statements, writes)).immediate();
      },
    );
  }

  async loadCredentials(): Promise<DeviceCredentials | undefined> {
    const row = this.#run().loadCredentials.get();
    return row && rowToCredentials(row);
  }

  async saveCredentials(credentials: DeviceCredentials): Promise<void> {
    this.#run().saveCredentials.run(credentialsToRow(credentials));
  }

  async getIdentityKeyPair(): Promise<KeyPair> {
    return (await this.#requireCredentials()).identityKey;
  }

  async getLocalRegistrationId(): Promise<number> {
    return (await this.#requireCredentials()).registrationId;
  }

  async loadSignedPreKey(id: number): Promise<KeyPair | undefined> {
    const signed = (await this.#requireCredentials()).signedPreKey;
    return signed.keyId === id ? signed.keyPair : undefined;
  }

  async isTrustedIdentity(address: string, identityKey: Uint8Array, _direction: Direction): Promise<boolean> {
    const known = this.#run().getIdentity.get(address);
    return known === undefined || equalBytes(fromBlob(known.value), identityKey);
  }

  async saveIdentity(address: string, identityKey: Uint8Array): Promise<boolean> {
    checkBytes('identityKey', identityKey);
    const statements = this.#run();
    // Read and write in one transaction so the "replaced a different key" answer matches what the
    // write replaced, even with another connection writing the same file.
    return this.#db
      .transaction(() => {
        const known = statements.getIdentity.get(address);
        statements.saveIdentity.run(address, identityKey);
        return known !== undefined && !equalBytes(fromBlob(known.value), identityKey);
      })
      .immediate();
  }

  async getIdentity(address: string): Promise<Uint8Array | undefined> {
    const known = this.#run().getIdentity.get(address);
    return known && fromBlob(known.value);
  }

  async loadSession(address: string): Promise<Uint8Array | undefined> {
    const row = this.#run().loadSession.get(address);
    return row && fromBlob(row.value);
  }

  async storeSession(address: string, record: Uint8Array): Promise<void> {
    this.#run().storeSession.run(address, checkBytes('record', record));
  }

  async loadPreKey(id: number): Promise<KeyPair | undefined> {
    const row = this.#run().loadPreKey.get(id);
    return row && { publicKey: fromBlob(row.public_key), privateKey: fromBlob(row.private_key) };
  }

  async removePreKey(id: number): Promise<void> {
    this.#run().removePreKey.run(id);
  }

  /** All or none: the batch is one transaction, rolled back if any entry cannot be written. */
  async storePreKeys(preKeys: readonly PreKey[]): Promise<void> {
    const statements = this.#run();
    this.#db.transaction(() => {
      preKeys.forEach(({ keyId, keyPair }, i) => {
        if (typeof keyPair !== 'object' || keyPair === null) {
          throw new TypeError(`"preKeys[${i}].keyPair" expected a key pair, got ${String(keyPair)}`);
        }
        statements.storePreKey.run(
          checkInteger(`preKeys[${i}].keyId`, keyId),
          checkBytes(`preKeys[${i}].keyPair.publicKey`, keyPair.publicKey),
          checkBytes(`preKeys[${i}].keyPair.privateKey`, keyPair.privateKey),
        );
      });
    })();
  }

  async countPreKeys(): Promise<number> {
    return this.#run().countPreKeys.get()!.n;
  }

  async loadSenderKey(name: string): Promise<Uint8Array | undefined> {
    const row = this.#run().loadSenderKey.get(name);
    return row && fromBlob(row.value);
  }

  async storeSenderKey(name: string, record: Uint8Array): Promise<void> {
    this.#run().storeSenderKey.run(name, checkBytes('record', record));
  }

  /** Deletes credentials, all Signal state and every sub-store's rows in one transaction. */
  async clear(): Promise<void> {
    const statements = this.#run();
    this.#db.transaction(() => {
      for (const statement of statements.clear) statement.run();
    })();
  }

  /** Releases the lease (if held) and closes the database. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#lease?.release();
    this.#db.close();
  }

  #open(): void {
    if (this.#closed) throw new StoreClosedError('the store is closed');
  }

  #run(): Statements {
    this.#open();
    return this.#statements;
  }

  async #requireCredentials(): Promise<DeviceCredentials> {
    const credentials = await this.loadCredentials();
    if (credentials === undefined) throw new NoCredentialsError('the store has no device credentials');
    return credentials;
  }
}
