/**
 * Runs targets in a worker thread for `supervise.ts`, one after another, posting each report as it
 * finishes. Before each input it copies the input into memory shared with the main thread and
 * counts it, so the main thread's watchdog can tell a hang (the count stops) and name the input
 * that caused it, or the one running when the heap ran out. It also publishes its thread id, so
 * the watchdog can tell the worker's own time from time lost to load.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fuzzTarget } from './run';
import type { FuzzTarget } from './target';
import { currentThreadId } from './thread-clocks';
import { COUNTER, SHARED_HEADER, sharedCounters, type WorkerInput } from './worker-input';

const { module, targets: wanted, shared } = workerData as WorkerInput;
const counters = sharedCounters(shared);
Atomics.store(counters, COUNTER.threadId, currentThreadId());
const targets = (await import(module)).TARGETS as readonly FuzzTarget[];
const current = new Uint8Array(shared, SHARED_HEADER);

for (const [index, { name, run }] of wanted.entries()) {
  const target = targets.find((t) => t.name === name);
  if (target === undefined) throw new Error(`no target ${name} in ${module}`);
  Atomics.store(counters, COUNTER.target, index);
  Atomics.store(counters, COUNTER.started, 0);
  Atomics.store(counters, COUNTER.length, 0);
  const report = await fuzzTarget(target, {
    ...run,
    onInput(input) {
      const length = Math.min(input.length, current.length);
      current.set(input.subarray(0, length));
      Atomics.store(counters, COUNTER.length, length);
      Atomics.add(counters, COUNTER.started, 1);
      Atomics.add(counters, COUNTER.progress, 1);
    },
  });
  parentPort!.postMessage(report);
}
