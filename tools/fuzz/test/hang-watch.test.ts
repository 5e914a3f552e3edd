import { describe, expect, test } from 'vitest';
import { HangWatch } from '../src/hang-watch';

/**
 * Feeds `watch` samples of (inputs started, wall clock, wait for a CPU) and returns its verdicts; as
 * in `supervise.ts`, nothing is judged before the first input.
 */
const verdicts = (watch: HangWatch, samples: [count: number, wallMs: number, waitMs: number][]) =>
  samples.map(([count, wallMs, waitMs]) => watch.observe(count, { wallMs, waitMs }, count > 0));

describe('the hang watchdog', () => {
  test('a worker stuck on one input for longer than hangMs of its own time is hung', () => {
    // A busy loop: the thread runs all the time; no wait for a CPU.
    expect(
      verdicts(new HangWatch(2_000), [
        [5, 0, 0],
        [5, 1_000, 0],
        [5, 2_000, 0],
        [5, 2_001, 0],
      ]),
    ).toEqual([false, false, false, true]);
  });

  test('time an input spends waiting for a CPU (a loaded machine) does not count', () => {
    // 10 s on the wall clock, of which 9 s runnable but not running: 1 s of its own time.
    expect(
      verdicts(new HangWatch(2_000), [
        [5, 0, 100],
        [5, 5_000, 4_600],
        [5, 10_000, 9_100],
      ]),
    ).toEqual([false, false, false]);
    // Load first, then a real hang: caught once its own time passes the limit.
    expect(
      verdicts(new HangWatch(2_000), [
        [5, 0, 0],
        [5, 8_000, 7_000],
        [5, 9_000, 7_000],
        [5, 10_000, 7_500],
      ]),
    ).toEqual([false, false, false, true]);
  });

  test('a worker that sleeps without progress (no CPU, no wait) is hung after hangMs: the deadline', () => {
    expect(
      verdicts(new HangWatch(2_000), [
        [5, 0, 50],
        [5, 1_500, 50],
        [5, 2_500, 50],
      ]),
    ).toEqual([false, false, true]);
  });

  test('progress restarts the count; the seeds (before the first input) are never a hang', () => {
    expect(
      verdicts(new HangWatch(2_000), [
        [0, 0, 0],
        [0, 60_000, 0],
        [1, 60_000, 0],
        [2, 61_900, 0],
        [2, 63_000, 0],
      ]),
    ).toEqual([false, false, false, false, false]);
  });
});
