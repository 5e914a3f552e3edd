/**
 * One client per database file, in this process and across processes.
 *
 * Across processes the lease is an operating-system file lock, taken through SQLite on a sidecar
 * database `<file>-lease`: a connection in `locking_mode=EXCLUSIVE` that has run `BEGIN EXCLUSIVE`
 * keeps its exclusive lock until it is closed. The kernel drops the lock when the holder exits for
 * any reason, SIGKILL and power loss included, so a crashed client never blocks the next one. A
 * lock-table row with the owner's pid was the alternative; it needs a liveness check that pid
 * reuse, pid namespaces (containers sharing a volume) and EPERM from other users all defeat.
 *
 * The lock is on a sidecar, not on the store's own file, so a client's lease never blocks its own
 * writes nor another process reading the store (a CLI inspecting it). The sidecar must never be
 * deleted while a client may run: a fresh file would be a fresh lock.
 *
 * In this process a registry keyed by the resolved path refuses a second lease at once, with a
 * clear message, before SQLite is asked (SQLite would refuse it too: it tracks locks per inode).
 */
import { realpathSync } from 'node:fs';
import { StoreInUseError } from '../errors';
import type { StoreLease } from '../store/store';
import { Database } from './driver';

/** Resolved database paths with a lease held by this process. */
const held = new Set<string>();

/**
 * The identity of a database file for leasing: its real path (symlinks resolved), or `undefined`
 * for an in-memory database, which no one else can open.
 */
export function leaseKey(filename: string): string | undefined {
  return filename === ':memory:' || filename === '' ? undefined : realpathSync(filename);
}

/**
 * Takes the lease on the database at `key` (from `leaseKey`).
 * @throws StoreInUseError when this process or another one holds it.
 */
export function takeLease(key: string): StoreLease {
  if (held.has(key)) throw new StoreInUseError(`${key} is in use by another client in this process`);
  // timeout 0: a held lease is an answer, not something to wait for.
  const lock = new Database(`${key}-lease`, { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
    lock.exec('COMMIT');
  } catch (error) {
    lock.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') {
      throw new StoreInUseError(`${key} is in use by a client in another process`, { cause: error });
    }
    throw error;
  }
  held.add(key);
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      held.delete(key);
      lock.close();
    },
  };
}
