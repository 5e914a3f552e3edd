/**
 * Every statement a `SqliteStore` runs, prepared once when the store opens (preparing parses and
 * plans the SQL; a ratchet step per message should not pay for that each time).
 */
import type { Statement } from 'better-sqlite3';
import { CREDENTIALS_COLUMNS, type CredentialsRow } from './credentials-row';
import type { SqliteDatabase as Database } from './driver';
import type { DeviceListRow, SentMessageRow } from './sub-store-rows';

/** A row holding one BLOB; better-sqlite3 hands it out as a Buffer (see `blob.ts`). */
export interface BlobRow {
  value: Uint8Array;
}

/** A row holding one TEXT column (validated on read: see `sub-store-rows.ts`). */
export interface TextRow {
  value: unknown;
}

/** A session's or identity's address. */
export interface AddressRow {
  address: unknown;
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
  deleteSenderKey: Statement<[string]>;
  /** Sender-key names containing the given `::name::`; callers check the exact sender. */
  senderKeyNamesWith: Statement<[string], { value: string }>;
  deleteIdentity: Statement<[string]>;
  deleteSession: Statement<[string]>;
  /** Addresses in `[low, high)`: the range of one Signal name (`addressRange`). */
  identityAddresses: Statement<[string, string], AddressRow>;
  sessionAddresses: Statement<[string, string], AddressRow>;
  getDeviceList: Statement<[string], DeviceListRow>;
  putDeviceList: Statement<[DeviceListRow]>;
  deleteDeviceList: Statement<[string]>;
  getLid: Statement<[string], TextRow>;
  getPn: Statement<[string], TextRow>;
  /** Deletes the mappings of a LID and of a PN (what a new mapping of the two replaces). */
  deleteLidOrPn: Statement<[string, string]>;
  deleteLid: Statement<[string]>;
  insertLid: Statement<[string, string]>;
  hasReceived: Statement<[string, string, string], { found: number }>;
  /** Changes one row when the key was new, none when it was already recorded. */
  addReceived: Statement<[string, string, string, number]>;
  pruneReceived: Statement<[number]>;
  getSent: Statement<[string, string], SentMessageRow>;
  putSent: Statement<[SentMessageRow]>;
  pruneSent: Statement<[number]>;
  getSenderKeyDevices: Statement<[string], TextRow>;
  addSenderKeyDevice: Statement<[string, string]>;
  clearSenderKeyDevices: Statement<[string]>;
  getKeyValue: Statement<[string, string], BlobRow>;
  putKeyValue: Statement<[string, string, Uint8Array]>;
  deleteKeyValue: Statement<[string, string]>;
  keys: Statement<[string], TextRow>;
  clear: Statement<[]>[];
}

/** Every table, for `clear()`. */
const TABLES = [
  'credentials',
  'identities',
  'sessions',
  'pre_keys',
  'sender_keys',
  'device_lists',
  'sender_key_devices',
  'lid_mappings',
  'received_messages',
  'sent_messages',
  'key_values',
];

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
    deleteSenderKey: db.prepare('DELETE FROM sender_keys WHERE name = ?'),
    // instr, not LIKE: a name may contain `_`, a LIKE wildcard.
    senderKeyNamesWith: db.prepare('SELECT name AS value FROM sender_keys WHERE instr(name, ?) > 0'),
    deleteIdentity: db.prepare('DELETE FROM identities WHERE address = ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE address = ?'),
    // Range scans on the primary key: BINARY collation orders by bytes, as `addressRange` assumes.
    identityAddresses: db.prepare('SELECT address FROM identities WHERE address >= ? AND address < ?'),
    sessionAddresses: db.prepare('SELECT address FROM sessions WHERE address >= ? AND address < ?'),
    getDeviceList: db.prepare('SELECT user, devices, hash, fetched_at FROM device_lists WHERE user = ?'),
    putDeviceList: db.prepare(
      'INSERT OR REPLACE INTO device_lists (user, devices, hash, fetched_at) VALUES (@user, @devices, @hash, @fetched_at)',
    ),
    deleteDeviceList: db.prepare('DELETE FROM device_lists WHERE user = ?'),
    getLid: db.prepare('SELECT lid AS value FROM lid_mappings WHERE pn = ?'),
    getPn: db.prepare('SELECT pn AS value FROM lid_mappings WHERE lid = ?'),
    deleteLidOrPn: db.prepare('DELETE FROM lid_mappings WHERE lid = ? OR pn = ?'),
    deleteLid: db.prepare('DELETE FROM lid_mappings WHERE lid = ?'),
    insertLid: db.prepare('INSERT INTO lid_mappings (lid, pn) VALUES (?, ?)'),
    hasReceived: db.prepare(
      'SELECT 1 AS found FROM received_messages WHERE chat = ? AND sender = ? AND id = ?',
    ),
    addReceived: db.prepare(
      'INSERT OR IGNORE INTO received_messages (chat, sender, id, at) VALUES (?, ?, ?, ?)',
    ),
    pruneReceived: db.prepare('DELETE FROM received_messages WHERE at < ?'),
    getSent: db.prepare('SELECT chat, id, message, at FROM sent_messages WHERE chat = ? AND id = ?'),
    putSent: db.prepare(
      'INSERT OR REPLACE INTO sent_messages (chat, id, message, at) VALUES (@chat, @id, @message, @at)',
    ),
    pruneSent: db.prepare('DELETE FROM sent_messages WHERE at < ?'),
    // BINARY collation: by code point, as `compareCodePoints` sorts.
    getSenderKeyDevices: db.prepare(
      'SELECT device AS value FROM sender_key_devices WHERE group_jid = ? ORDER BY device',
    ),
    addSenderKeyDevice: db.prepare(
      'INSERT OR IGNORE INTO sender_key_devices (group_jid, device) VALUES (?, ?)',
    ),
    clearSenderKeyDevices: db.prepare('DELETE FROM sender_key_devices WHERE group_jid = ?'),
    getKeyValue: db.prepare('SELECT value FROM key_values WHERE namespace = ? AND key = ?'),
    putKeyValue: db.prepare('INSERT OR REPLACE INTO key_values (namespace, key, value) VALUES (?, ?, ?)'),
    deleteKeyValue: db.prepare('DELETE FROM key_values WHERE namespace = ? AND key = ?'),
    // BINARY collation: by UTF-8 bytes, i.e. by code point, as `compareCodePoints` sorts.
    keys: db.prepare('SELECT key AS value FROM key_values WHERE namespace = ? ORDER BY key'),
    clear: TABLES.map((table) => db.prepare(`DELETE FROM ${table}`)),
  };
}
