/** What `supervise.ts` hands `worker.ts` (its own module: importing the worker would run it). */
import type { RunOptions } from './run';

export interface WorkerInput {
  /** URL of a module exporting `TARGETS`. */
  module: string;
  target: string;
  options: Omit<RunOptions, 'onInput'>;
  /** [0]: inputs started, [1]: length of the current input; then the input's bytes. */
  shared: SharedArrayBuffer;
}

/** Bytes before the input in the shared buffer: two Int32 counters. */
export const SHARED_HEADER = 8;
