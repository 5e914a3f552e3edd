/** What `supervise.ts` hands `worker.ts` (its own module: importing the worker would run it). */
import type { RunOptions } from './run';

/** One target for a worker to run, and its budget. */
export interface SupervisedTarget {
  name: string;
  run: Omit<RunOptions, 'onInput'>;
}

export interface WorkerInput {
  /** URL of a module exporting `TARGETS`. */
  module: string;
  /** Run one after another, each reported as it finishes. */
  targets: readonly SupervisedTarget[];
  /** The `COUNTER` slots, then the current input's bytes (from `SHARED_HEADER` on). */
  shared: SharedArrayBuffer;
}

/** Int32 slots at the start of the shared buffer. */
export const COUNTER = {
  /** Inputs started in this worker, all targets together: the watchdog's measure of progress. */
  progress: 0,
  /** Length of the input now running. */
  length: 1,
  /** The worker's Linux thread id (0 until known, and elsewhere). */
  threadId: 2,
  /** Index in `targets` of the target now running. */
  target: 3,
  /** Inputs that target has started (0 while it builds and runs its seeds). */
  started: 4,
} as const;

/** Bytes before the input in the shared buffer. */
export const SHARED_HEADER = 4 * Object.keys(COUNTER).length;

/** The Int32 slots of `shared` (see `COUNTER`). */
export const sharedCounters = (shared: SharedArrayBuffer) => new Int32Array(shared, 0, SHARED_HEADER / 4);
