/**
 * Runs one target in a worker thread for `main.ts`. Before each input it copies the input into
 * memory shared with the main thread and counts it, so the main thread's watchdog can tell a hang
 * (the count stops) and name the input that caused it, or the one running when the heap ran out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fuzzTarget } from './run';
import type { FuzzTarget } from './target';
import { SHARED_HEADER, type WorkerInput } from './worker-input';

const { module, target: name, options, shared } = workerData as WorkerInput;
const targets = (await import(module)).TARGETS as readonly FuzzTarget[];
const target = targets.find((t) => t.name === name);
if (target === undefined) throw new Error(`no target ${name} in ${module}`);
const counters = new Int32Array(shared, 0, 2);
const current = new Uint8Array(shared, SHARED_HEADER);
const report = await fuzzTarget(target, {
  ...options,
  onInput(input) {
    const length = Math.min(input.length, current.length);
    current.set(input.subarray(0, length));
    Atomics.store(counters, 1, length);
    Atomics.add(counters, 0, 1);
  },
});
parentPort!.postMessage(report);
