/**
 * The schema of a SQLite store, as an ordered list of migrations. The database's `PRAGMA
 * user_version` is the number of migrations applied; opening runs the missing ones in order, each
 * in its own `BEGIN IMMEDIATE` transaction together with its version bump, so a crash or a failing
 * migration leaves the database at the last complete version.
 *
 * Rules this file keeps:
 * - Migrations are append-only: a released migration is never edited, a change is a new entry.
 * - A database whose version is above `SCHEMA_VERSION` was written by a newer wakit; it is refused
 *   with `StoreVersionError` and left untouched (an older schema reader cannot know what it drops).
 */
import type { Database } from 'better-sqlite3';
import { StoreVersionError } from '../errors';

/** One schema step; runs inside a transaction the runner opened. */
export type Migration = (db: Database) => void;

/**
 * Every migration, oldest first. Bytes are BLOBs, numbers INTEGERs. Tables are not STRICT on
 * purpose: the credential row is validated when read (see `credentials-row.ts`), which is what
 * turns a damaged or foreign-written row into `StoreCorruptError` instead of a wrong key.
 */
export const MIGRATIONS: readonly Migration[] = [
  // 1: credentials, the Signal tables.
  (db) => {
    db.exec(`
      CREATE TABLE credentials (
        -- One device per database: the CHECK makes a second row impossible.
        id INTEGER PRIMARY KEY CHECK (id = 1),
        noise_public BLOB NOT NULL,
        noise_private BLOB NOT NULL,
        identity_public BLOB NOT NULL,
        identity_private BLOB NOT NULL,
        registration_id INTEGER NOT NULL,
        signed_pre_key_id INTEGER NOT NULL,
        signed_pre_key_public BLOB NOT NULL,
        signed_pre_key_private BLOB NOT NULL,
        signed_pre_key_signature BLOB NOT NULL,
        adv_secret_key BLOB NOT NULL,
        next_pre_key_id INTEGER NOT NULL,
        -- The paired account: all of jid, signed_device_identity, account_signature_key and
        -- key_index are set, or none of them (not paired yet).
        account_jid TEXT,
        account_lid TEXT,
        account_platform TEXT,
        account_business_name TEXT,
        account_push_name TEXT,
        account_signed_device_identity BLOB,
        account_signature_key BLOB,
        account_key_index INTEGER,
        routing_info BLOB
      );
      CREATE TABLE identities (address TEXT PRIMARY KEY, identity_key BLOB NOT NULL) WITHOUT ROWID;
      CREATE TABLE sessions (address TEXT PRIMARY KEY, record BLOB NOT NULL) WITHOUT ROWID;
      CREATE TABLE pre_keys (key_id INTEGER PRIMARY KEY, public_key BLOB NOT NULL, private_key BLOB NOT NULL);
      CREATE TABLE sender_keys (name TEXT PRIMARY KEY, record BLOB NOT NULL) WITHOUT ROWID;
    `);
  },
];

/** The schema version this copy of the package writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The database's schema version (`PRAGMA user_version`). */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings `db` up to the newest version of `migrations`, one transaction per step.
 * @throws StoreVersionError when the database is newer than `migrations`.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  for (;;) {
    // The version is read again inside each write transaction: another process opening the same
    // file may have migrated between our read and our lock.
    const step = db
      .transaction(() => {
        const version = schemaVersion(db);
        if (version > migrations.length) throw new StoreVersionError(version, migrations.length);
        if (version === migrations.length) return false;
        migrations[version]!(db);
        // user_version lives in the database header, which is part of the transaction.
        db.pragma(`user_version = ${version + 1}`);
        return true;
      })
      .immediate();
    if (!step) return;
  }
}
