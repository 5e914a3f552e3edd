/**
 * SqliteStore: the Store conformance suite on a file (with reopen) and in memory, then what only
 * SQLite has: pragmas, schema migrations, newer-version refusal, corrupt rows, atomic batches,
 * writes that cannot be made, and the lease within one process. Leases across processes and crash
 * consistency are in `store-sqlite-processes.test.ts`.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreCorruptError, StoreInUseError, StoreVersionError } from '../src/errors';
import { CREDENTIALS_COLUMNS, credentialsToRow } from '../src/sqlite/credentials-row';
import { openSqliteStore, SCHEMA_VERSION, type SqliteStore } from '../src/sqlite/index';
import { MIGRATIONS, migrate } from '../src/sqlite/migrations';
import { describeStoreConformance } from './store-conformance';
import { PN } from './store-conformance-data';
import { bytes, deviceList, keyPair, pairedCredentials, unpairedCredentials } from './store-fixtures';
import { tempDirs } from './store-sqlite-helpers';

const temp = tempDirs();
afterAll(() => temp.cleanup());

describeStoreConformance(
  'SqliteStore (file)',
  async () => {
    const file = temp.path();
    return {
      store: openSqliteStore(file),
      reopen: async () => openSqliteStore(file),
      // A trigger, added through a second connection, makes SQLite itself fail the write inside
      // the commit's transaction (the view checked every value already, so no bad value gets there).
      poisonSession: async (address) => {
        const db = raw(file);
        db.prepare(
          `CREATE TRIGGER poison BEFORE INSERT ON sessions WHEN NEW.address = ${JSON.stringify(address).replaceAll('"', "'")}
           BEGIN SELECT RAISE(ABORT, 'poisoned session write'); END`,
        ).run();
        db.close();
      },
    };
  },
  { persistent: true, commitsCanFail: true },
);

describeStoreConformance('SqliteStore (:memory:)', async () => ({ store: openSqliteStore(':memory:') }), {
  persistent: false,
});

/** A second, raw connection to `file`, for looking at and damaging what the store wrote. */
function raw(file: string): Database.Database {
  return new Database(file);
}

function tables(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((row) => row.name);
}

describe('SqliteStore schema and migrations', () => {
  it('creates every table on a new file and records the newest schema version, in WAL mode', async () => {
    const file = temp.path();
    await openSqliteStore(file).close();
    const db = raw(file);
    expect(tables(db)).toEqual([
      'credentials',
      'device_lists',
      'identities',
      'key_values',
      'lid_mappings',
      'pre_keys',
      'received_messages',
      'sender_key_devices',
      'sender_keys',
      'sent_messages',
      'sessions',
    ]);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('migrates an existing empty database and reopens it without migrating again', async () => {
    const file = temp.path();
    raw(file).close();
    const store = openSqliteStore(file);
    await store.storeSession('a.0', new Uint8Array([1, 2, 3]));
    await store.close();
    // Migration 1 creates tables without IF NOT EXISTS: running it again would throw.
    const reopened = openSqliteStore(file);
    expect(await reopened.loadSession('a.0')).toEqual(new Uint8Array([1, 2, 3]));
    await reopened.close();
  });

  it('migrates a database written at schema version 1 to the newest, keeping its data', async () => {
    const file = temp.path();
    const v1 = raw(file);
    v1.pragma('journal_mode = WAL');
    migrate(v1, MIGRATIONS.slice(0, 1));
    expect(v1.pragma('user_version', { simple: true })).toBe(1);
    // Rows as a version-1 store wrote them (its tables, no others).
    expect(tables(v1)).toEqual(['credentials', 'identities', 'pre_keys', 'sender_keys', 'sessions']);
    const columns = CREDENTIALS_COLUMNS.join(', ');
    v1.prepare(
      `INSERT INTO credentials (id, ${columns}) VALUES (1, ${CREDENTIALS_COLUMNS.map((c) => `@${c}`).join(', ')})`,
    ).run(credentialsToRow(pairedCredentials()));
    v1.prepare('INSERT INTO identities VALUES (?, ?)').run('1555.0', bytes(33, 1));
    for (const address of ['1555.0', '1555.3', '15550.1']) {
      v1.prepare('INSERT INTO sessions VALUES (?, ?)').run(address, bytes(20, address.length));
    }
    v1.prepare('INSERT INTO pre_keys VALUES (?, ?, ?)').run(7, keyPair(7).publicKey, keyPair(7).privateKey);
    v1.prepare('INSERT INTO sender_keys VALUES (?, ?)').run('g@g.us::1555::0', bytes(30, 2));
    v1.close();

    const store = openSqliteStore(file);
    expect(await store.loadCredentials()).toEqual(pairedCredentials());
    expect(await store.getIdentity('1555.0')).toEqual(bytes(33, 1));
    expect(await store.loadSession('1555.3')).toEqual(bytes(20, 6));
    expect(await store.loadPreKey(7)).toEqual(keyPair(7));
    expect(await store.loadSenderKey('g@g.us::1555::0')).toEqual(bytes(30, 2));
    // The new tables exist and work over the old ones.
    expect(await store.signalUsers.sessionDevices('1555')).toEqual([0, 3]);
    await store.signalUsers.moveUser('1555', '99');
    expect(await store.signalUsers.sessionDevices('99')).toEqual([0, 3]);
    await store.devices.put(deviceList());
    await store.kv.put('m', 'k', bytes(2));
    await store.close();

    const after = raw(file);
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    after.close();
    const reopened = openSqliteStore(file);
    expect(await reopened.devices.get(deviceList().user)).toEqual(deviceList());
    expect(await reopened.loadSession('99.0')).toEqual(bytes(20, 6));
    await reopened.close();
  });

  it('migrates a database written at schema version 2 to the newest, adding the sender-key marks', async () => {
    const file = temp.path();
    const v2 = raw(file);
    v2.pragma('journal_mode = WAL');
    migrate(v2, MIGRATIONS.slice(0, 2));
    expect(tables(v2)).not.toContain('sender_key_devices');
    v2.prepare('INSERT INTO key_values VALUES (?, ?, ?)').run('m', 'k', bytes(2, 1));
    v2.close();
    const store = openSqliteStore(file);
    expect(await store.kv.get('m', 'k')).toEqual(bytes(2, 1));
    await store.senderKeyDevices.add('g@g.us', ['1@lid', '2:3@lid']);
    await store.close();
    const reopened = openSqliteStore(file);
    expect(await reopened.senderKeyDevices.get('g@g.us')).toEqual(['1@lid', '2:3@lid']);
    await reopened.close();
  });

  it('runs only the migrations a database has not had yet', () => {
    const db = new Database(':memory:');
    const ran: number[] = [];
    const first = () => void ran.push(1);
    migrate(db, [first]);
    migrate(db, [first, () => void ran.push(2)]);
    expect(ran).toEqual([1, 2]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });

  it('rolls a failing migration back entirely and keeps the version of the last one that succeeded', () => {
    const db = new Database(':memory:');
    const steps = [
      (d: Database.Database) => d.exec('CREATE TABLE kept (x)'),
      (d: Database.Database) => {
        d.exec('CREATE TABLE half_done (x)');
        throw new Error('migration 2 failed');
      },
    ];
    expect(() => migrate(db, steps)).toThrow('migration 2 failed');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(['kept']);
    db.close();
  });

  it('refuses a database from a newer schema version with StoreVersionError and leaves it untouched', () => {
    const file = temp.path();
    const db = raw(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    let error: unknown;
    try {
      openSqliteStore(file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreVersionError);
    expect(error).toMatchObject({
      code: 'ERR_CLIENT_STORE_VERSION',
      found: SCHEMA_VERSION + 1,
      supported: SCHEMA_VERSION,
    });
    const after = raw(file);
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(tables(after)).toEqual([]);
    after.close();
  });

  it('refuses a newer version found by the migration runner itself', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 3');
    expect(() => migrate(db, [() => {}])).toThrow(StoreVersionError);
    db.close();
  });

  it('reports a file that is not a SQLite database as StoreCorruptError', async () => {
    const file = temp.path();
    writeFileSync(file, 'this is not a database, just text that is long enough to fill a header '.repeat(4));
    expect(() => openSqliteStore(file)).toThrow(StoreCorruptError);
  });
});

describe('SqliteStore credential rows', () => {
  const damage: [string, string, boolean][] = [
    ['a key column holding TEXT', "UPDATE credentials SET identity_private = 'not bytes'", false],
    ['an integer column holding TEXT', "UPDATE credentials SET registration_id = 'twelve'", false],
    ['an integer column holding a fraction', 'UPDATE credentials SET next_pre_key_id = 1.5', false],
    ['an account without its signature key', 'UPDATE credentials SET account_signature_key = NULL', true],
    ['an account field without an account', "UPDATE credentials SET account_push_name = 'Ada'", false],
    ['an account jid holding a BLOB', "UPDATE credentials SET account_jid = x'00'", true],
  ];

  it.each(damage)('reads a row with %s as StoreCorruptError', async (_, sql, paired) => {
    const file = temp.path();
    const store = openSqliteStore(file);
    await store.saveCredentials(paired ? pairedCredentials() : unpairedCredentials());
    const db = raw(file);
    // The schema's CHECKs refuse this damage; a file edited by another tool may not have them on.
    db.pragma('ignore_check_constraints = ON');
    db.exec(sql);
    db.close();
    await expect(store.loadCredentials()).rejects.toBeInstanceOf(StoreCorruptError);
    await expect(store.getIdentityKeyPair()).rejects.toBeInstanceOf(StoreCorruptError);
    await store.close();
  });

  it.each(damage)('refuses to write a row with %s while checks are on', async (_, sql, paired) => {
    const file = temp.path();
    const store = openSqliteStore(file);
    const credentials = paired ? pairedCredentials() : unpairedCredentials();
    await store.saveCredentials(credentials);
    const db = raw(file);
    expect(() => db.exec(sql)).toThrow(/constraint/);
    db.close();
    expect(await store.loadCredentials()).toEqual(credentials);
    await store.close();
  });

  it('reads a damaged session record as StoreCorruptError rather than as bytes', async () => {
    const file = temp.path();
    const store = openSqliteStore(file);
    await store.storeSession('a.0', new Uint8Array([1]));
    const db = raw(file);
    db.pragma('ignore_check_constraints = ON');
    db.exec("UPDATE sessions SET record = 'text'");
    db.close();
    await expect(store.loadSession('a.0')).rejects.toBeInstanceOf(StoreCorruptError);
    await store.close();
  });
});

describe('SqliteStore sub-store rows', () => {
  const damage: [string, string, (store: SqliteStore) => Promise<unknown>][] = [
    [
      'device list JSON that does not parse',
      "UPDATE device_lists SET devices = '[{'",
      (s) => s.devices.get(PN),
    ],
    [
      'device list JSON that is no array',
      'UPDATE device_lists SET devices = \'{"id":0}\'',
      (s) => s.devices.get(PN),
    ],
    [
      'a device id that is negative',
      'UPDATE device_lists SET devices = \'[{"id":-1}]\'',
      (s) => s.devices.get(PN),
    ],
    [
      'a key index that is a string',
      'UPDATE device_lists SET devices = \'[{"id":1,"keyIndex":"2"}]\'',
      (s) => s.devices.get(PN),
    ],
    ['a device list time as TEXT', "UPDATE device_lists SET fetched_at = 'now'", (s) => s.devices.get(PN)],
    ['a device list hash as a BLOB', "UPDATE device_lists SET hash = x'00'", (s) => s.devices.get(PN)],
    ['a PN as a BLOB', "UPDATE lid_mappings SET pn = x'00'", (s) => s.lids.getPn('1@lid')],
    ['a sent message as TEXT', "UPDATE sent_messages SET message = 'text'", (s) => s.sent.get('c', 'i')],
    ['a sent time as TEXT', "UPDATE sent_messages SET at = 'then'", (s) => s.sent.get('c', 'i')],
    ['a key-value value as TEXT', "UPDATE key_values SET value = 'text'", (s) => s.kv.get('n', 'k')],
    ['a key-value key as a BLOB', "UPDATE key_values SET key = x'00'", (s) => s.kv.keys('n')],
  ];

  it.each(damage)('reads %s as StoreCorruptError', async (_, sql, read) => {
    const file = temp.path();
    const store = openSqliteStore(file);
    await store.devices.put({
      user: PN,
      devices: [{ id: 0 }, { id: 1, keyIndex: 2 }],
      hash: 'h',
      fetchedAt: 1,
    });
    await store.lids.put('1@lid', PN);
    await store.sent.put({ chat: 'c', id: 'i', message: new Uint8Array([1]), at: 1 });
    await store.kv.put('n', 'k', new Uint8Array([1]));
    const db = raw(file);
    db.pragma('ignore_check_constraints = ON');
    db.exec(sql);
    db.close();
    await expect(read(store)).rejects.toBeInstanceOf(StoreCorruptError);
    await store.close();
  });
});

describe('SqliteStore writes', () => {
  it('refuses bytes of the wrong type instead of storing them as text', async () => {
    const store = openSqliteStore(':memory:');
    await expect(store.storeSession('a.0', 'abc' as never)).rejects.toThrow(TypeError);
    await expect(store.storeSenderKey('g', 42 as never)).rejects.toThrow(TypeError);
    expect(await store.loadSession('a.0')).toBeUndefined();
    await store.close();
  });

  // The JavaScript checks come first; the schema's CHECKs are the second line, for a value that
  // reaches a statement some other way (a caller of the database, a future bug).
  const badRows: [string, string][] = [
    ['a session record as TEXT', "INSERT INTO sessions VALUES ('a.0', 'abc')"],
    ['a device list time as TEXT', "INSERT INTO device_lists VALUES ('u', '[]', NULL, 'now')"],
    ['a device list hash as a BLOB', "INSERT INTO device_lists VALUES ('u', '[]', x'00', 1)"],
    ['a received time as a fraction', "INSERT INTO received_messages VALUES ('c', 's', 'i', 1.5)"],
    ['a sent message as TEXT', "INSERT INTO sent_messages VALUES ('c', 'i', 'text', 1)"],
    ['a key-value value as TEXT', "INSERT INTO key_values VALUES ('n', 'k', 'text')"],
    ['a LID as a BLOB', "INSERT INTO lid_mappings VALUES (x'00', 'p')"],
    ['a second LID for one PN', "INSERT INTO lid_mappings VALUES ('a', 'p'), ('b', 'p')"],
    ['a second PN for one LID', "INSERT INTO lid_mappings VALUES ('a', 'p'), ('a', 'q')"],
  ];

  it.each(badRows)('has the schema refuse %s', async (_, sql) => {
    const file = temp.path();
    await openSqliteStore(file).close();
    const db = raw(file);
    expect(() => db.exec(sql)).toThrow(/constraint/);
    db.close();
  });

  it('throws from a write that cannot be made because another connection holds the write lock', async () => {
    const file = temp.path();
    const store = openSqliteStore(file, { busyTimeoutMs: 10 });
    const db = raw(file);
    db.exec('BEGIN IMMEDIATE');
    await expect(store.storeSession('a.0', new Uint8Array([1]))).rejects.toMatchObject({
      code: 'SQLITE_BUSY',
    });
    db.exec('ROLLBACK');
    db.close();
    await store.storeSession('a.0', new Uint8Array([1]));
    expect(await store.loadSession('a.0')).toEqual(new Uint8Array([1]));
    await store.close();
  });

  it('closes idempotently', async () => {
    const store = openSqliteStore(':memory:');
    await store.close();
    await store.close();
  });
});

describe('SqliteStore lease within one process', () => {
  it('refuses a claim from a second store object on the same file', async () => {
    const file = temp.path();
    const first = openSqliteStore(file);
    const second = openSqliteStore(file);
    const lease = await first.claim();
    await expect(second.claim()).rejects.toBeInstanceOf(StoreInUseError);
    await lease.release();
    await (await second.claim()).release();
    await first.close();
    await second.close();
  });

  it('recognises the same file through a symlink and a relative path', async () => {
    const file = temp.path();
    const link = join(dirname(file), 'link.db');
    const first = openSqliteStore(file);
    symlinkSync(file, link);
    const viaLink = openSqliteStore(link);
    const viaRelative = openSqliteStore(relative(process.cwd(), file));
    const lease = await first.claim();
    await expect(viaLink.claim()).rejects.toBeInstanceOf(StoreInUseError);
    await expect(viaRelative.claim()).rejects.toBeInstanceOf(StoreInUseError);
    await lease.release();
    await Promise.all([first.close(), viaLink.close(), viaRelative.close()]);
  });

  it('releases the lease when the claimed store is closed', async () => {
    const file = temp.path();
    const first = openSqliteStore(file);
    await first.claim();
    await first.close();
    const second = openSqliteStore(file);
    await (await second.claim()).release();
    await second.close();
  });

  it('leases in-memory databases independently: each is its own database', async () => {
    const one = openSqliteStore(':memory:');
    const two = openSqliteStore(':memory:');
    const leases = [await one.claim(), await two.claim()];
    for (const lease of leases) await lease.release();
    await Promise.all([one.close(), two.close()]);
  });
});
