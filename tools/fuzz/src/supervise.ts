/**
 * Targets in a worker, watched from outside: a report for each target as it finishes, or, ending
 * the worker, a `hang` finding when it stops making progress (`hang-watch.ts`) or a `memory` finding
 * when it runs out of heap. Either finding carries the input that was running (from the memory the
 * worker shares).
 */
import { Worker } from 'node:worker_threads';
import { HangWatch } from './hang-watch';
import type { Finding, RunReport } from './run';
import { threadSampler } from './thread-clocks';
import {
  COUNTER,
  SHARED_HEADER,
  type SupervisedTarget,
  sharedCounters,
  type WorkerInput,
} from './worker-input';

export type { SupervisedTarget };

export interface SuperviseOptions {
  /** URL of a module exporting `TARGETS`, imported once by the worker. */
  module: string;
  /** Run one after another in the one worker. */
  targets: readonly SupervisedTarget[];
  /** No new input for this long, in the worker's own time (not time lost to load), is a hang. */
  hangMs: number;
  /** The worker's old-generation heap limit. */
  heapMb: number;
}

/** A JavaScript entry that registers tsx in the worker thread (workers do not inherit it), then loads worker.ts. */
const WORKER_URL = new URL('./worker-bootstrap.mjs', import.meta.url);
/** Workspace packages resolve to their src/, as everywhere else in the repo. */
const WORKER_EXEC_ARGV = ['--conditions=@wakit/source'];

/**
 * Runs `targets` in one worker. Resolves with their reports in order; after a hang or a memory
 * blow-up (which end the worker) the last report is that finding's, and later targets did not run.
 * Rejects when the worker fails otherwise, or exits before reporting on every target.
 */
export function superviseTargets(options: SuperviseOptions): Promise<RunReport[]> {
  const maxLength = Math.max(...options.targets.map((t) => t.run.maxLength ?? 4096));
  const shared = new SharedArrayBuffer(SHARED_HEADER + maxLength);
  const counters = sharedCounters(shared);
  const workerData: WorkerInput = { module: options.module, targets: options.targets, shared };
  const worker = new Worker(WORKER_URL, {
    workerData,
    execArgv: WORKER_EXEC_ARGV,
    resourceLimits: { maxOldGenerationSizeMb: options.heapMb },
  });
  const reports: RunReport[] = [];
  let started = performance.now();
  const failed = (finding: Omit<Finding, 'target' | 'input'>): RunReport[] => {
    const target = options.targets[Atomics.load(counters, COUNTER.target)]!.name;
    const input = new Uint8Array(shared, SHARED_HEADER, Atomics.load(counters, COUNTER.length)).slice();
    const executions = Atomics.load(counters, COUNTER.started);
    const elapsedMs = performance.now() - started;
    return [...reports, { target, executions, elapsedMs, findings: [{ target, input, ...finding }] }];
  };
  const sample = threadSampler(() => Atomics.load(counters, COUNTER.threadId));

  return new Promise((resolve, reject) => {
    const hangs = new HangWatch(options.hangMs);
    const watchdog = setInterval(
      () => {
        const progress = Atomics.load(counters, COUNTER.progress);
        if (hangs.observe(progress, sample(), Atomics.load(counters, COUNTER.started) > 0)) {
          clearInterval(watchdog);
          const detail = `no progress for ${options.hangMs} ms on this input (the worker's own time: running or sleeping, not waiting for a CPU)`;
          // Settled before terminating: the exit that follows is then no longer news.
          resolve(failed({ kind: 'hang', detail }));
          void worker.terminate();
        }
      },
      Math.min(250, options.hangMs / 4),
    );
    worker.on('message', (report: RunReport) => {
      reports.push(report);
      started = performance.now();
      if (reports.length < options.targets.length) return;
      clearInterval(watchdog);
      resolve(reports);
    });
    // A target that ends its thread (process.exit in a worker) sends no report: say so, never hang.
    worker.on('exit', (code) => {
      clearInterval(watchdog);
      const missing = options.targets.slice(reports.length).map((t) => t.name);
      reject(new Error(`the worker exited (code ${code}) without reporting on ${missing.join(', ')}`));
    });
    worker.on('error', (error: Error & { code?: string }) => {
      clearInterval(watchdog);
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        resolve(failed({ kind: 'memory', detail: `the worker exceeded its ${options.heapMb} MiB heap` }));
      } else {
        reject(error);
      }
    });
  });
}
