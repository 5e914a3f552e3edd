/**
 * A fake clock for client tests: time moves only when the test calls `advance`, and every timer
 * due by then runs, in order of due time (ties in order of creation). Timers a callback schedules
 * run in the same `advance` when they fall due within it.
 */
import type { TimerHandle, Timers } from '../src/timers';

interface Entry {
  id: number;
  at: number;
  callback: () => void;
}

export class FakeTimers implements Timers {
  #now: number;
  #nextId = 1;
  readonly #entries = new Map<number, Entry>();

  /** Starts at real time so certificate windows (issued with Date.now) hold. */
  constructor(start = Date.now()) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.#nextId++;
    this.#entries.set(id, { id, at: this.#now + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#entries.delete(handle as number);
  }

  /** Delays (from now) of the pending timers, ascending. */
  pendingDelays(): number[] {
    return [...this.#entries.values()].map((entry) => entry.at - this.#now).sort((a, b) => a - b);
  }

  /** Moves the clock forward by `ms`, running every timer that falls due. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let next: Entry | undefined;
      for (const entry of this.#entries.values()) {
        if (
          entry.at <= target &&
          (next === undefined || entry.at < next.at || (entry.at === next.at && entry.id < next.id))
        ) {
          next = entry;
        }
      }
      if (next === undefined) break;
      this.#entries.delete(next.id);
      this.#now = next.at;
      next.callback();
    }
    this.#now = target;
  }
}
