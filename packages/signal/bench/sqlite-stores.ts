/**
 * Where the benchmark's implementations keep records: in memory (a Map that hands back what it was
 * given), or as a database keeps them, in a table of an in-memory SQLite database (better-sqlite3,
 * `:memory:`): every store copies the record in and every load hands back a fresh copy, as any
 * database driver does, while no disk I/O enters the figures (with a file and WAL, each write would
 * add an fsync that dwarfs the protocol). The SQLite rows against the memory rows are what a store
 * that copies costs each implementation.
 */

import type { KeyPair } from '@wakit/crypto';
import { MemorySignalStore } from '@wakit/signal';
import Database from 'better-sqlite3';

/** What one store sees of its records: a value per key. */
export interface Records<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
}

/** One key-value table; a store sees it through a prefix of its own (`scope`). */
export class SqliteTable {
  private readonly select: Database.Statement<[string], Uint8Array | string>;
  private readonly upsert: Database.Statement<[string, Uint8Array | string]>;

  constructor() {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID');
    this.select = db.prepare<[string], Uint8Array | string>('SELECT value FROM kv WHERE key = ?').pluck();
    this.upsert = db.prepare<[string, Uint8Array | string]>(
      'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  /** The rows whose keys start with `prefix`, as one store's records. */
  scope<T extends Uint8Array | string>(prefix = ''): Records<T> {
    return {
      get: (key) => this.select.get(prefix + key) as T | undefined,
      set: (key, value) => {
        this.upsert.run(prefix + key, value);
      },
    };
  }
}

/** wakit's memory store with its sessions and sender keys in SQLite (keys and identities in memory). */
export class SqliteSignalStore extends MemorySignalStore {
  constructor(
    identityKeyPair: KeyPair,
    registrationId: number,
    private readonly records: Records<Uint8Array> = new SqliteTable().scope(),
  ) {
    super(identityKeyPair, registrationId);
  }

  override async loadSession(address: string): Promise<Uint8Array | undefined> {
    return this.records.get(`session:${address}`);
  }

  override async storeSession(address: string, record: Uint8Array): Promise<void> {
    this.records.set(`session:${address}`, record);
  }

  override async loadSenderKey(name: string): Promise<Uint8Array | undefined> {
    return this.records.get(`sender-key:${name}`);
  }

  override async storeSenderKey(name: string, record: Uint8Array): Promise<void> {
    this.records.set(`sender-key:${name}`, record);
  }
}
