/**
 * Every statement a `SqliteStore` runs, prepared once when the store opens (preparing parses and
 * plans the SQL; a ratchet step per message should not pay for that each time).
 */
import type { Statement } from 'better-sqlite3';
import { CREDENTIALS_COLUMNS, type CredentialsRow } from './credentials-row';
import type { SqliteDatabase as Database } from './driver';

/** A row holding one BLOB; better-sqlite3 hands it out as a Buffer (see `blob.ts`). */
export interface BlobRow {
  value: Uint8Array;
}

/** A stored key pair's row. */
export interface KeyPairRow {
  public_key: Uint8Array;
  private_key: Uint8Array;
}

/** The prepared statements of one open store. */
export interface Statements {
  loadCredentials: Statement<[], CredentialsRow>;
  saveCredentials: Statement<[CredentialsRow]>;
  getIdentity: Statement<[string], BlobRow>;
  saveIdentity: Statement<[string, Uint8Array]>;
  loadSession: Statement<[string], BlobRow>;
  storeSession: Statement<[string, Uint8Array]>;
  loadPreKey: Statement<[number], KeyPairRow>;
  storePreKey: Statement<[number, Uint8Array, Uint8Array]>;
  removePreKey: Statement<[number]>;
  countPreKeys: Statement<[], { n: number }>;
  loadSenderKey: Statement<[string], BlobRow>;
  storeSenderKey: Statement<[string, Uint8Array]>;
  clear: Statement<[]>[];
}

/** Prepares the statements against a migrated database. */
export function prepareStatements(db: Database): Statements {
  const columns = CREDENTIALS_COLUMNS.join(', ');
  const parameters = CREDENTIALS_COLUMNS.map((column) => `@${column}`).join(', ');
  return {
    loadCredentials: db.prepare(`SELECT ${columns} FROM credentials WHERE id = 1`),
    saveCredentials: db.prepare(
      `INSERT OR REPLACE INTO credentials (id, ${columns}) VALUES (1, ${parameters})`,
    ),
    getIdentity: db.prepare('SELECT identity_key AS value FROM identities WHERE address = ?'),
    saveIdentity: db.prepare('INSERT OR REPLACE INTO identities (address, identity_key) VALUES (?, ?)'),
    loadSession: db.prepare('SELECT record AS value FROM sessions WHERE address = ?'),
    storeSession: db.prepare('INSERT OR REPLACE INTO sessions (address, record) VALUES (?, ?)'),
    loadPreKey: db.prepare('SELECT public_key, private_key FROM pre_keys WHERE key_id = ?'),
    storePreKey: db.prepare(
      'INSERT OR REPLACE INTO pre_keys (key_id, public_key, private_key) VALUES (?, ?, ?)',
    ),
    removePreKey: db.prepare('DELETE FROM pre_keys WHERE key_id = ?'),
    countPreKeys: db.prepare('SELECT count(*) AS n FROM pre_keys'),
    loadSenderKey: db.prepare('SELECT record AS value FROM sender_keys WHERE name = ?'),
    storeSenderKey: db.prepare('INSERT OR REPLACE INTO sender_keys (name, record) VALUES (?, ?)'),
    clear: ['credentials', 'identities', 'sessions', 'pre_keys', 'sender_keys'].map((table) =>
      db.prepare(`DELETE FROM ${table}`),
    ),
  };
}
