/**
 * Targets with bugs planted on purpose, so the tests can show the harness finds each kind of
 * finding (and names the input). The trigger bytes are ones the mutator writes often.
 */
import { throwIfRejectionsLeaked, watchRejections } from '../src/rejections';
import type { FuzzTarget } from '../src/target';
import { threadCpuMs } from '../src/thread-clocks';

const SEED = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

/** How many inputs `planted/blocked` blocked on (in this thread). */
export const blocked = { count: 0 };
const seeds = async () => [SEED];

class LocalError extends Error {
  readonly code = 'ERR_PLANTED';
  readonly kind = 'local';
}

export const TARGETS: readonly FuzzTarget[] = [
  {
    name: 'planted/foreign',
    seeds,
    run(input) {
      if (input[0] === 0x00) throw new TypeError('planted: a foreign error on a leading zero');
    },
  },
  {
    name: 'planted/wrong-kind',
    seeds,
    run(input) {
      if (input.length === 0) throw new LocalError('planted: a local error for an empty input');
    },
  },
  {
    name: 'planted/hang',
    seeds,
    run(input) {
      if (input[0] === 0xff) for (;;) {}
    },
  },
  {
    name: 'planted/memory',
    seeds,
    run(input) {
      if (input[0] !== 0xfe) return;
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array(1 << 20).fill(input.length));
    },
  },
  {
    // What load cannot fake or hide: 150 ms of this thread's CPU time (load only stretches the
    // wall-clock time it takes) against a 100 ms limit, next to inputs that cost microseconds.
    name: 'planted/slow',
    seeds,
    slowMs: 100,
    run(input) {
      if (input[0] !== 0x80) return;
      const until = threadCpuMs() + 150;
      while (threadCpuMs() < until) {}
    },
  },
  {
    // What load looks like from inside: the thread kept off the CPU for 150 ms (blocked here, for
    // certain) while the input costs nothing. Counted, so the test can tell it happened.
    name: 'planted/blocked',
    seeds,
    slowMs: 100,
    run(input) {
      if (input[0] !== 0x80) return;
      blocked.count++;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
    },
  },
  {
    // A hang that burns no CPU: a promise nobody settles while a timer keeps the thread alive (as
    // an open socket would).
    name: 'planted/deadlock',
    seeds,
    async run(input) {
      if (input[0] !== 0xfd) return;
      setInterval(() => {}, 1_000);
      await new Promise(() => {});
    },
  },
  {
    // The client target's check, on a target whose bug is a promise rejected with nobody listening.
    name: 'planted/rejection',
    seeds,
    async run(input) {
      watchRejections();
      if (input[0] === 0x01 && input.length === 1)
        void Promise.reject(new Error('planted: nobody handles this'));
      await new Promise((resolve) => setImmediate(resolve));
      throwIfRejectionsLeaked();
    },
  },
  {
    name: 'planted/bad-seed',
    seeds,
    run(input) {
      if (input.length === SEED.length) throw new TypeError('planted: refuses its own seed');
    },
  },
];
