/**
 * One target in a worker, watched from outside: the report when it finishes, or a `hang` finding
 * when the worker stops making progress, or a `memory` finding when it runs out of heap. Either
 * way the finding carries the input that was running (from the memory the worker shares).
 */
import { Worker } from 'node:worker_threads';
import type { Finding, RunOptions, RunReport } from './run';
import { SHARED_HEADER, type WorkerInput } from './worker-input';

export interface SuperviseOptions {
  module: string;
  target: string;
  run: Omit<RunOptions, 'onInput'>;
  /** No new input for this long is a hang. */
  hangMs: number;
  /** The worker's old-generation heap limit. */
  heapMb: number;
}

/** A JavaScript entry that registers tsx in the worker thread (workers do not inherit it), then loads worker.ts. */
const WORKER_URL = new URL('./worker-bootstrap.mjs', import.meta.url);
/** Workspace packages resolve to their src/, as everywhere else in the repo. */
const WORKER_EXEC_ARGV = ['--conditions=@wakit/source'];

export function superviseTarget(options: SuperviseOptions): Promise<RunReport> {
  const maxLength = options.run.maxLength ?? 4096;
  const shared = new SharedArrayBuffer(SHARED_HEADER + maxLength);
  const counters = new Int32Array(shared, 0, 2);
  const workerData: WorkerInput = {
    module: options.module,
    target: options.target,
    options: options.run,
    shared,
  };
  const worker = new Worker(WORKER_URL, {
    workerData,
    execArgv: WORKER_EXEC_ARGV,
    resourceLimits: { maxOldGenerationSizeMb: options.heapMb },
  });
  const started = performance.now();
  const currentInput = () => new Uint8Array(shared, SHARED_HEADER, Atomics.load(counters, 1)).slice();
  const failed = (finding: Omit<Finding, 'target' | 'input'>): RunReport => ({
    target: options.target,
    executions: Atomics.load(counters, 0),
    elapsedMs: performance.now() - started,
    findings: [{ target: options.target, input: currentInput(), ...finding }],
  });

  return new Promise((resolve, reject) => {
    let lastCount = -1;
    let lastChange = performance.now();
    const watchdog = setInterval(
      () => {
        const count = Atomics.load(counters, 0);
        if (count !== lastCount) {
          lastCount = count;
          lastChange = performance.now();
          return;
        }
        // Seeds run before the first counted input, so only a started run can hang this way.
        if (count > 0 && performance.now() - lastChange > options.hangMs) {
          clearInterval(watchdog);
          // Settled before terminating: the exit that follows is then no longer news.
          resolve(failed({ kind: 'hang', detail: `no progress for ${options.hangMs} ms on this input` }));
          void worker.terminate();
        }
      },
      Math.min(250, options.hangMs / 4),
    );
    worker.on('message', (report: RunReport) => {
      clearInterval(watchdog);
      resolve(report);
    });
    // A target that ends its thread (process.exit in a worker) sends no report: say so, never hang.
    worker.on('exit', (code) => {
      clearInterval(watchdog);
      reject(new Error(`the worker for ${options.target} exited (code ${code}) without a report`));
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
