/**
 * One operation at a time per (store, key), within this process, like libsignal-node's `queueJob`.
 * Two concurrent operations on one session or sender key would both load the same record: two
 * encrypts would send two messages under one message key (or one key and IV for two group
 * plaintexts). Keyed by the store object, so every cipher and builder on one store shares the queue.
 * A store shared by several processes needs its own lock (a transaction around load and store).
 * Internal.
 */

const queues = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * Runs `job` after every earlier job for the same store and key has settled.
 *
 * @param key the session's address (`name.deviceId`) or the sender key's name; the two forms
 *   cannot collide (a sender key name contains `::`, an address cannot).
 */
export function withStoreLock<T>(store: object, key: string, job: () => Promise<T>): Promise<T> {
  let byKey = queues.get(store);
  if (byKey === undefined) {
    byKey = new Map();
    queues.set(store, byKey);
  }
  const queue = byKey;
  const run = (queue.get(key) ?? Promise.resolve()).then(job);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queue.set(key, tail);
  void tail.then(() => {
    if (queue.get(key) === tail) queue.delete(key);
  });
  return run;
}
