/**
 * When a worker that stopped counting inputs is hung. The watchdog samples the worker thread every
 * so often; no new input for `hangMs` of the thread's own time is a hang. Own time is wall-clock
 * time minus the time the thread spent runnable but waiting for a CPU (`thread-clocks.ts`), so:
 * - a busy loop is caught after `hangMs` of CPU time, however loaded the machine;
 * - an input that waits forever without running (a promise nobody settles, with a socket or timer
 *   keeping the thread alive) is caught after `hangMs` of wall-clock time, the deadline;
 * - an ordinary input held off the CPU by other processes is not a hang: that time is all wait.
 */
import type { ThreadSample } from './thread-clocks';

export class HangWatch {
  #progress = -1;
  #since = 0;

  constructor(private readonly hangMs: number) {}

  /**
   * Records a sample taken when the worker had started `progress` inputs; true when that number
   * has not changed for more than `hangMs` of own time while `judged`. The caller passes false
   * while a target builds and runs its seeds: there is no input to name yet (as in `fuzzTarget`,
   * seeds are judged by the contract, not the clock).
   */
  observe(progress: number, sample: ThreadSample, judged: boolean): boolean {
    const own = sample.wallMs - sample.waitMs;
    if (progress !== this.#progress) {
      this.#progress = progress;
      this.#since = own;
      return false;
    }
    return judged && own - this.#since > this.hangMs;
  }
}
