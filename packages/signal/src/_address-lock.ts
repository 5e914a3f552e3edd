/**
 * One operation at a time per (store, address), like libsignal-node's `queueJob`: two concurrent
 * encrypts on one session would both load the same record and send two messages under one message
 * key. Keyed by the store object, so every SessionCipher and SessionBuilder on one store shares
 * the queue. In-process only: a store shared between processes needs its own transaction. Internal.
 */

const queues = new WeakMap<object, Map<string, Promise<void>>>();

/** Runs `job` after every earlier job for this store and address has settled. */
export function withAddressLock<T>(store: object, address: string, job: () => Promise<T>): Promise<T> {
  let byAddress = queues.get(store);
  if (byAddress === undefined) {
    byAddress = new Map();
    queues.set(store, byAddress);
  }
  const queue = byAddress;
  const run = (queue.get(address) ?? Promise.resolve()).then(job);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queue.set(address, tail);
  void tail.then(() => {
    if (queue.get(address) === tail) queue.delete(address);
  });
  return run;
}
