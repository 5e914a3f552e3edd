/**
 * SqliteStore across processes: the lease refuses a second client in another process, a SIGKILLed
 * holder does not block the next claim, and a writer killed mid-stream leaves a consistent database
 * holding every write it reported done, and a transaction never half applied. Children run the
 * real store (`store-sqlite-child.ts`);
 * the tests wait for the lines they print, never for a duration.
 */
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { StoreInUseError } from '../src/errors';
import { openSqliteStore } from '../src/sqlite/index';
import { keyPair } from './store-fixtures';
import { CRASH_BATCH, crashRecord, crashStepParts } from './store-sqlite-crash';
import { type Child, startChild, tempDirs } from './store-sqlite-helpers';

const temp = tempDirs();
const children: Child[] = [];
afterEach(async () => {
  // A failed test must not leave a child holding a lease or writing.
  for (const child of children.splice(0)) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
});
afterAll(() => temp.cleanup());

function start(...args: string[]): Child {
  const child = startChild(...args);
  children.push(child);
  return child;
}

describe('SqliteStore lease across processes', () => {
  it('refuses a claim while another process holds the lease, and grants it once released', async () => {
    const file = temp.path();
    const holder = start(file, 'hold');
    await holder.waitFor((line) => line === 'claimed');
    const store = openSqliteStore(file);
    await expect(store.claim()).rejects.toBeInstanceOf(StoreInUseError);
    // The holder's store stays open (only the lease is released): reading is never blocked.
    expect(await store.loadSession('a.0')).toBeUndefined();
    holder.process.stdin.write('release\n');
    await holder.waitFor((line) => line === 'released');
    await (await store.claim()).release();
    holder.process.stdin.end();
    expect((await holder.exited).code).toBe(0);
    await store.close();
  });

  it('makes another process fail its claim while this process holds the lease', async () => {
    const file = temp.path();
    const store = openSqliteStore(file);
    const lease = await store.claim();
    const refused = start(file, 'try-claim');
    expect(await refused.waitFor((line) => line.startsWith('claimed') || line.startsWith('error'))).toBe(
      'error ERR_CLIENT_STORE_IN_USE',
    );
    await lease.release();
    const granted = start(file, 'try-claim');
    expect(await granted.waitFor((line) => line.startsWith('claimed') || line.startsWith('error'))).toBe(
      'claimed',
    );
    await store.close();
  });

  it('does not let a SIGKILLed holder block the next claim', async () => {
    const file = temp.path();
    const holder = start(file, 'hold');
    await holder.waitFor((line) => line === 'claimed');
    const store = openSqliteStore(file);
    await expect(store.claim()).rejects.toBeInstanceOf(StoreInUseError);
    holder.process.kill('SIGKILL');
    expect((await holder.exited).signal).toBe('SIGKILL');
    // The kernel dropped the holder's lock when it died; no timeout or liveness check is involved.
    await (await store.claim()).release();
    await store.close();
  });
});

describe('SqliteStore after a crash', () => {
  it('holds every write a SIGKILLed writer reported done, in a consistent database', async () => {
    const file = temp.path();
    const writer = start(file, 'write-loop');
    // Let it run long enough that the kill lands among commits, not before the first.
    await writer.waitFor((line) => line === 'done 25');
    writer.process.kill('SIGKILL');
    expect((await writer.exited).signal).toBe('SIGKILL');
    const reported = writer.lines
      .filter((line) => line.startsWith('done '))
      .map((line) => Number(line.slice(5)));
    const lastReported = Math.max(...reported);

    const check = new Database(file);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();

    const store = openSqliteStore(file);
    // Writes are sequential, so what survived is a prefix of steps: every reported step, and at most
    // the step in flight (its session and maybe its prekey batch) beyond them.
    let sessions = 0;
    while ((await store.loadSession(`peer.${sessions}`)) !== undefined) sessions++;
    expect(await store.loadSession(`peer.${sessions + 1}`)).toBeUndefined();
    expect(sessions).toBeGreaterThan(lastReported);
    expect(sessions).toBeLessThanOrEqual(lastReported + 2);
    for (let i = 0; i < sessions; i++) expect(await store.loadSession(`peer.${i}`)).toEqual(crashRecord(i));

    // Each prekey batch is one transaction: whole batches only, one per stored session at most.
    const preKeyCount = await store.countPreKeys();
    expect(preKeyCount % CRASH_BATCH).toBe(0);
    expect(preKeyCount / CRASH_BATCH).toBeGreaterThanOrEqual(lastReported + 1);
    expect([sessions - 1, sessions]).toContain(preKeyCount / CRASH_BATCH);
    for (let id = 1; id <= preKeyCount; id++) expect(await store.loadPreKey(id)).toEqual(keyPair(id));

    // And its lease died with it.
    await (await store.claim()).release();
    await store.close();
  });
});

describe('SqliteStore transactions after a crash', () => {
  it('holds every transaction a SIGKILLed writer reported committed, and none half applied', async () => {
    const file = temp.path();
    const writer = start(file, 'transaction-loop');
    await writer.waitFor((line) => line === 'done 25');
    writer.process.kill('SIGKILL');
    expect((await writer.exited).signal).toBe('SIGKILL');
    const lastReported = Math.max(
      ...writer.lines.filter((line) => line.startsWith('done ')).map((line) => Number(line.slice(5))),
    );

    const check = new Database(file);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();

    const store = openSqliteStore(file);
    // Steps are sequential transactions: what survived is every reported step, maybe the one in
    // flight, and each of them whole (every table's value) or not at all.
    let steps = 0;
    while ((await crashStepParts(store, steps)).session) steps++;
    expect(steps).toBeGreaterThan(lastReported);
    expect(steps).toBeLessThanOrEqual(lastReported + 2);
    const all = (value: boolean) =>
      expect.objectContaining(Object.fromEntries(PARTS.map((part) => [part, value])));
    for (let i = 0; i < steps; i++) expect(await crashStepParts(store, i)).toEqual(all(true));
    expect(await crashStepParts(store, steps)).toEqual(all(false));
    expect(await store.countPreKeys()).toBe(steps * CRASH_BATCH);
    expect(await store.kv.keys('crash')).toHaveLength(steps);
    await store.close();
  });
});

const PARTS = ['session', 'identity', 'preKeys', 'senderKey', 'devices', 'lid', 'received', 'sent', 'kv'];
