/**
 * Session records to and from a `SessionStore`, for `SessionCipher` and `SessionBuilder`. Internal.
 *
 * `SessionRecord#serialize` files each array it returns, so that a store handing back that very
 * array (an in-memory one does) costs no decoding. Filing costs a snapshot copy and a WeakMap entry
 * per write, which only such a store repays: with a store that copies (a database), it was 16% of a
 * one-way chain message (same-process A/B). So each store is watched: once it has handed back
 * MISSES_BEFORE_COPYING records in a row that we had not filed, its writes are filed only every
 * PROBE_INTERVAL-th time, which is enough to notice a store that does hand them back after all (an
 * in-memory store first filled with records from elsewhere, say) and go back to filing every write.
 */
import { readSessionRecord, type SessionRecord } from './session-record';
import type { SessionStore } from './store';

const MISSES_BEFORE_COPYING = 8;
const PROBE_INTERVAL = 64;

interface Habit {
  /** Loads in a row that returned an array we had not filed. */
  misses: number;
  /** Writes while the store looked like one that copies. */
  writes: number;
}

const habits = new WeakMap<SessionStore, Habit>();

function habitOf(store: SessionStore): Habit {
  let habit = habits.get(store);
  if (habit === undefined) {
    habit = { misses: 0, writes: 0 };
    habits.set(store, habit);
  }
  return habit;
}

/** The record stored for `address`, if any. @throws RecordFormatError */
export async function loadSessionRecord(
  store: SessionStore,
  address: string,
): Promise<SessionRecord | undefined> {
  const bytes = await store.loadSession(address);
  if (bytes === undefined) return undefined;
  const { record, known } = readSessionRecord(bytes);
  const habit = habitOf(store);
  habit.misses = known ? 0 : habit.misses + 1;
  return record;
}

/** Stores `record` for `address`, filed for the next load when the store may hand it back. */
export function storeSessionRecord(
  store: SessionStore,
  address: string,
  record: SessionRecord,
): Promise<void> {
  const habit = habitOf(store);
  const file = habit.misses < MISSES_BEFORE_COPYING || habit.writes++ % PROBE_INTERVAL === 0;
  return store.storeSession(address, record.serialize({ file }));
}
