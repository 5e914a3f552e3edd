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

import { StoreVersionError } from '../errors';
import type { SqliteDatabase as Database } from './driver';

/** One schema step; runs inside a transaction the runner opened. */
export type Migration = (db: Database) => void;

/**
 * Every migration, oldest first. Bytes are BLOBs, numbers INTEGERs, each column CHECKed for its
 * type: SQLite's type affinity would otherwise store a string handed in by untyped JavaScript as
 * TEXT, and it would read back as garbage bytes. (STRICT tables would do the same but need SQLite
 * 3.37; CHECKs work on any build.) Rows are still validated when read (`credentials-row.ts`,
 * `blob.ts`), because a file can be damaged or written by other tools with checks off.
 */
export const MIGRATIONS: readonly Migration[] = [
  // 1: credentials, the Signal tables.
  (db) => {
    db.exec(`
      CREATE TABLE credentials (
        -- One device per database: the CHECK makes a second row impossible.
        id INTEGER PRIMARY KEY CHECK (id = 1),
        noise_public BLOB NOT NULL CHECK (typeof(noise_public) = 'blob'),
        noise_private BLOB NOT NULL CHECK (typeof(noise_private) = 'blob'),
        identity_public BLOB NOT NULL CHECK (typeof(identity_public) = 'blob'),
        identity_private BLOB NOT NULL CHECK (typeof(identity_private) = 'blob'),
        registration_id INTEGER NOT NULL CHECK (typeof(registration_id) = 'integer'),
        signed_pre_key_id INTEGER NOT NULL CHECK (typeof(signed_pre_key_id) = 'integer'),
        signed_pre_key_public BLOB NOT NULL CHECK (typeof(signed_pre_key_public) = 'blob'),
        signed_pre_key_private BLOB NOT NULL CHECK (typeof(signed_pre_key_private) = 'blob'),
        signed_pre_key_signature BLOB NOT NULL CHECK (typeof(signed_pre_key_signature) = 'blob'),
        adv_secret_key BLOB NOT NULL CHECK (typeof(adv_secret_key) = 'blob'),
        next_pre_key_id INTEGER NOT NULL CHECK (typeof(next_pre_key_id) = 'integer'),
        -- The paired account (NULL = absent): jid, signed_device_identity, signature_key and
        -- key_index are all set or all NULL; lid, platform, business_name, push_name are optional.
        account_jid TEXT CHECK (account_jid IS NULL OR typeof(account_jid) = 'text'),
        account_lid TEXT CHECK (account_lid IS NULL OR typeof(account_lid) = 'text'),
        account_platform TEXT CHECK (account_platform IS NULL OR typeof(account_platform) = 'text'),
        account_business_name TEXT
          CHECK (account_business_name IS NULL OR typeof(account_business_name) = 'text'),
        account_push_name TEXT CHECK (account_push_name IS NULL OR typeof(account_push_name) = 'text'),
        account_signed_device_identity BLOB
          CHECK (account_signed_device_identity IS NULL OR typeof(account_signed_device_identity) = 'blob'),
        account_signature_key BLOB
          CHECK (account_signature_key IS NULL OR typeof(account_signature_key) = 'blob'),
        account_key_index INTEGER CHECK (account_key_index IS NULL OR typeof(account_key_index) = 'integer'),
        routing_info BLOB CHECK (routing_info IS NULL OR typeof(routing_info) = 'blob'),
        CHECK (
          (account_jid IS NULL) = (account_signed_device_identity IS NULL)
          AND (account_jid IS NULL) = (account_signature_key IS NULL)
          AND (account_jid IS NULL) = (account_key_index IS NULL)
        ),
        CHECK (
          account_jid IS NOT NULL
          OR (account_lid IS NULL AND account_platform IS NULL
            AND account_business_name IS NULL AND account_push_name IS NULL)
        )
      );
      CREATE TABLE identities (
        address TEXT PRIMARY KEY,
        identity_key BLOB NOT NULL CHECK (typeof(identity_key) = 'blob')
      ) WITHOUT ROWID;
      CREATE TABLE sessions (
        address TEXT PRIMARY KEY,
        record BLOB NOT NULL CHECK (typeof(record) = 'blob')
      ) WITHOUT ROWID;
      CREATE TABLE pre_keys (
        key_id INTEGER PRIMARY KEY,
        public_key BLOB NOT NULL CHECK (typeof(public_key) = 'blob'),
        private_key BLOB NOT NULL CHECK (typeof(private_key) = 'blob')
      );
      CREATE TABLE sender_keys (
        name TEXT PRIMARY KEY,
        record BLOB NOT NULL CHECK (typeof(record) = 'blob')
      ) WITHOUT ROWID;
    `);
  },
  // 2: the typed sub-stores (device lists, LID <-> PN, received keys, sent messages, key-values).
  (db) => {
    db.exec(`
      CREATE TABLE device_lists (
        user TEXT PRIMARY KEY CHECK (typeof(user) = 'text'),
        -- JSON array of {"id": n} or {"id": n, "keyIndex": n}, in the order the server listed
        -- them; read back through a validating parser (device-list-row.ts).
        devices TEXT NOT NULL CHECK (typeof(devices) = 'text'),
        hash TEXT CHECK (hash IS NULL OR typeof(hash) = 'text'),
        fetched_at INTEGER NOT NULL CHECK (typeof(fetched_at) = 'integer')
      ) WITHOUT ROWID;
      -- One LID per PN and one PN per LID: a unique index on each side.
      CREATE TABLE lid_mappings (
        lid TEXT NOT NULL CHECK (typeof(lid) = 'text'),
        pn TEXT NOT NULL CHECK (typeof(pn) = 'text')
      );
      CREATE UNIQUE INDEX lid_mappings_lid ON lid_mappings (lid);
      CREATE UNIQUE INDEX lid_mappings_pn ON lid_mappings (pn);
      CREATE TABLE received_messages (
        chat TEXT NOT NULL CHECK (typeof(chat) = 'text'),
        sender TEXT NOT NULL CHECK (typeof(sender) = 'text'),
        id TEXT NOT NULL CHECK (typeof(id) = 'text'),
        at INTEGER NOT NULL CHECK (typeof(at) = 'integer'),
        PRIMARY KEY (chat, sender, id)
      ) WITHOUT ROWID;
      -- prune(before) deletes by time.
      CREATE INDEX received_messages_at ON received_messages (at);
      CREATE TABLE sent_messages (
        chat TEXT NOT NULL CHECK (typeof(chat) = 'text'),
        id TEXT NOT NULL CHECK (typeof(id) = 'text'),
        message BLOB NOT NULL CHECK (typeof(message) = 'blob'),
        at INTEGER NOT NULL CHECK (typeof(at) = 'integer'),
        PRIMARY KEY (chat, id)
      );
      CREATE INDEX sent_messages_at ON sent_messages (at);
      CREATE TABLE key_values (
        namespace TEXT NOT NULL CHECK (typeof(namespace) = 'text'),
        key TEXT NOT NULL CHECK (typeof(key) = 'text'),
        value BLOB NOT NULL CHECK (typeof(value) = 'blob'),
        PRIMARY KEY (namespace, key)
      ) WITHOUT ROWID;
    `);
  },
  // 3: which devices hold our sender key per group (`SenderKeyDeviceStore`).
  (db) => {
    db.exec(`
      CREATE TABLE sender_key_devices (
        group_jid TEXT NOT NULL CHECK (typeof(group_jid) = 'text'),
        device TEXT NOT NULL CHECK (typeof(device) = 'text'),
        PRIMARY KEY (group_jid, device)
      ) WITHOUT ROWID;
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
