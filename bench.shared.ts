/**
 * The benchmark harness every package's `bench/` uses. Benchmarks are never timed tests: they
 * print figures and ratios measured in the same run against a peer (Baileys, whatsapp-rust-bridge,
 * libsignal, raw node:crypto), and never fail on a threshold.
 *
 * Method: each case is warmed up, then the cases of a group run in interleaved rounds (so machine
 * drift hits all of them alike) and the median round gives ops/s. Time is the process's CPU time
 * (user + system, which includes GC threads), not wall time, so other processes competing for the
 * cores distort the figures less. `BENCH_TIME_MS` sets the CPU time per case per round (default
 * 300 ms, 7 rounds).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchCase {
  name: string;
  /**
   * One operation. Its result is folded into a sink so the engine cannot drop the work. A promise
   * is awaited (so its microtasks are paid for, as in real code); anything else is not.
   */
  fn: () => unknown;
  /** Bytes processed per operation, for MB/s. */
  bytes?: number;
}

export interface CaseResult {
  name: string;
  opsPerSec: number;
  mbPerSec?: number;
  /** opsPerSec / the baseline's opsPerSec. */
  ratio: number;
}

const ROUND_MS = Number(process.env.BENCH_TIME_MS ?? 300);
const ROUNDS = 7;
let sink = 0;

function consume(value: unknown): void {
  if (value === undefined || value === null) return;
  if (value instanceof Uint8Array) sink ^= value.length;
  else if (typeof value === 'object') sink ^= 1;
  else sink ^= String(value).length;
}

/** CPU milliseconds this process has used so far. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Run `fn` for about `ms` CPU milliseconds; returns ops per CPU second. */
async function timed(fn: () => unknown, ms: number): Promise<number> {
  let ops = 0;
  let batch = 1;
  const start = cpuMs();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) {
      const result = fn();
      consume(result instanceof Promise ? await result : result);
    }
    ops += batch;
    elapsed = cpuMs() - start;
    if (elapsed < ms / 10) batch *= 2;
  }
  return (ops * 1000) / elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

/**
 * Measure a group of cases and print a table with ratios against `baseline` (a case name).
 * Returns the results for callers that record them.
 */
export async function benchGroup(title: string, cases: BenchCase[], baseline: string): Promise<CaseResult[]> {
  for (const c of cases) await timed(c.fn, Math.min(ROUND_MS, 200)); // warm-up: let the JIT settle
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) samples.get(c.name)!.push(await timed(c.fn, ROUND_MS));
  }
  const base = median(samples.get(baseline)!);
  const results = cases.map((c): CaseResult => {
    const opsPerSec = median(samples.get(c.name)!);
    return {
      name: c.name,
      opsPerSec,
      ...(c.bytes ? { mbPerSec: (opsPerSec * c.bytes) / 1e6 } : {}),
      ratio: opsPerSec / base,
    };
  });
  console.log(`\n${title}`);
  console.table(
    Object.fromEntries(
      results.map((r) => [
        r.name,
        {
          'ops/s': fmt(r.opsPerSec),
          ...(r.mbPerSec === undefined ? {} : { 'MB/s': fmt(r.mbPerSec) }),
          [`vs ${baseline}`]: `${r.ratio.toFixed(2)}x`,
        },
      ]),
    ),
  );
  return results;
}

/** Write a run's results to `.bench-results/<name>.json` (git-ignored) with the machine's basics. */
export function recordResults(name: string, groups: Record<string, CaseResult[]>): void {
  const dir = join(process.cwd(), '.bench-results');
  mkdirSync(dir, { recursive: true });
  const meta = {
    node: process.version,
    date: new Date().toISOString(),
    roundMs: ROUND_MS,
    rounds: ROUNDS,
    sink,
  };
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ meta, groups }, null, 2)}\n`);
}
