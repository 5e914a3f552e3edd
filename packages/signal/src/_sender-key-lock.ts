/**
 * One operation at a time per (store, sender key name), within this process. Two encrypts that
 * loaded the same record would both use its iteration: one (key, IV) for two plaintexts, and a
 * duplicate for every recipient. libsignal-node queues per address (`queue_job.js`); whatsapp-rust
 * asks its caller to hold `sender_key_lock`. Internal; a store shared by several processes needs a
 * lock of its own (a transaction around load and store).
 */

const queues = new WeakMap<object, Map<string, Promise<void>>>();

/** Runs `task` after every earlier task for the same store and name has settled. */
export function withSenderKeyLock<T>(store: object, name: string, task: () => Promise<T>): Promise<T> {
  let byName = queues.get(store);
  if (byName === undefined) {
    byName = new Map();
    queues.set(store, byName);
  }
  const previous = byName.get(name) ?? Promise.resolve();
  const run = previous.then(task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  byName.set(name, tail);
  const names = byName;
  void tail.then(() => {
    if (names.get(name) === tail) names.delete(name);
  });
  return run;
}
