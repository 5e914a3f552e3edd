/**
 * The fuzz loop for one target, in the current thread: seeds, then mutated inputs until the budget
 * (executions or milliseconds) is spent, each result held to the contract of `target.ts`. The CLI
 * and the `npm test` smoke run call this inside a worker (`worker.ts`) so that a hang or a memory
 * blow-up can be caught from outside; the planted-bug tests call it directly.
 */
import { nextInput } from './mutate';
import { Rng } from './rng';
import { type ErrorKind, type FuzzTarget, kindOf } from './target';
import { threadCpuMs } from './thread-clocks';

export type FindingKind =
  /** A seed (a valid input) was refused: the target or its seeds are broken. */
  | 'seed-rejected'
  /** A TypeError, RangeError, plain Error or non-Error was thrown. */
  | 'foreign-error'
  /** An error of ours of a kind the target does not allow (`'local'`, blaming the caller for a peer's bytes). */
  | 'wrong-kind'
  /** One input cost more than `slowMs` of CPU time (see `confirmSlow`). */
  | 'slow'
  /** One input never finished (found by the watchdog, `supervise.ts`). */
  | 'hang'
  /** The worker ran out of its heap (found by `supervise.ts`). */
  | 'memory';

export interface Finding {
  target: string;
  kind: FindingKind;
  input: Uint8Array;
  /** The error's name, code, message and stack, or the measured times. */
  detail: string;
}

export interface RunOptions {
  seed: number;
  /** Stop after this many mutated inputs (whichever of this and `timeMs` comes first). */
  executions?: number;
  timeMs?: number;
  /** Longest input generated (default 4096 bytes). */
  maxLength?: number;
  /** An input costing more CPU time than this is a finding (default: the target's `slowMs`, else 250 ms). */
  slowMs?: number;
  /**
   * Called with each input before it runs, and again before a suspect input runs a second time to
   * be measured (the worker records it for the watchdog, which counts both as progress).
   */
  onInput?: (input: Uint8Array) => void;
}

export interface RunReport {
  target: string;
  executions: number;
  elapsedMs: number;
  findings: Finding[];
}

/** Findings kept per distinct signature: one reproducer is enough, a thousand are noise. */
const MAX_FINDINGS = 20;

function describe(error: unknown): string {
  if (!(error instanceof Error)) return `non-Error thrown: ${String(error)}`;
  const { code, kind } = error as Error & { code?: unknown; kind?: unknown };
  return `${error.name}${code === undefined ? '' : ` ${String(code)}`}${kind === undefined ? '' : ` (${String(kind)})`}: ${error.message}\n${error.stack ?? ''}`;
}

/** What makes two findings the same bug: kind, error class and message, and where it was thrown. */
function signature(kind: FindingKind, error: unknown): string {
  if (!(error instanceof Error)) return `${kind}:${typeof error}`;
  const frame = (error.stack ?? '').split('\n').find((line) => line.trimStart().startsWith('at ')) ?? '';
  return `${kind}:${error.name}:${error.message.slice(0, 80)}:${frame.trim()}`;
}

function classify(error: unknown, allowed: readonly ErrorKind[]): FindingKind | undefined {
  const kind = kindOf(error);
  if (kind === undefined) return 'foreign-error';
  return allowed.includes(kind) ? undefined : 'wrong-kind';
}

/**
 * The CPU time `input` costs `target`, in ms, measured on a second run. Called only for an input
 * that was over the limit on the wall clock: load stretches wall-clock time but cannot add CPU
 * time to a thread, and a thread's CPU time never exceeds its wall-clock time, so the cheap
 * wall-clock check misses no input that is really slow. Targets make each input independent
 * (`target.ts`), so running one twice is sound; what the second run throws was judged on the first.
 */
async function confirmSlow(target: FuzzTarget, input: Uint8Array): Promise<number> {
  const before = threadCpuMs();
  try {
    await target.run(input);
  } catch {
    // Already judged on the first run.
  }
  return threadCpuMs() - before;
}

/**
 * Runs `target`'s seeds, then mutated inputs from `options.seed` until the budget is spent, and
 * reports what broke the contract (at most one finding per distinct bug, twenty in all).
 */
export async function fuzzTarget(target: FuzzTarget, options: RunOptions): Promise<RunReport> {
  const { seed, executions = Number.POSITIVE_INFINITY, timeMs = Number.POSITIVE_INFINITY } = options;
  const maxLength = options.maxLength ?? 4096;
  const slowMs = options.slowMs ?? target.slowMs ?? 250;
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const report = (kind: FindingKind, input: Uint8Array, detail: string, key: string) => {
    if (seen.has(key) || findings.length >= MAX_FINDINGS) return;
    seen.add(key);
    findings.push({ target: target.name, kind, input: input.slice(), detail });
  };

  const corpus = await target.seeds();
  for (const input of corpus) {
    try {
      await target.run(input);
    } catch (error) {
      report('seed-rejected', input, describe(error), `seed:${findings.length}`);
    }
  }

  const rng = new Rng(seed);
  const start = performance.now();
  let count = 0;
  while (count < executions && performance.now() - start < timeMs) {
    const input = nextInput(rng, corpus, maxLength);
    options.onInput?.(input);
    const before = performance.now();
    try {
      await target.run(input);
    } catch (error) {
      const kind = classify(error, target.kinds ?? ['remote']);
      if (kind !== undefined) report(kind, input, describe(error), signature(kind, error));
    }
    const wallMs = performance.now() - before;
    if (wallMs > slowMs && !seen.has('slow')) {
      options.onInput?.(input);
      const cpuMs = await confirmSlow(target, input);
      if (cpuMs > slowMs) {
        const detail = `${cpuMs.toFixed(0)} ms of CPU time (limit ${slowMs} ms; ${wallMs.toFixed(0)} ms on the wall clock)`;
        report('slow', input, detail, 'slow');
      }
    }
    count++;
  }
  return { target: target.name, executions: count, elapsedMs: performance.now() - start, findings };
}
