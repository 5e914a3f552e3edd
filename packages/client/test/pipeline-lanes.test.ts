import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Lanes } from '../src/pipeline/lanes';
import { Mutex } from '../src/pipeline/mutex';

/** A promise with its resolve function, for holding a job until the test releases it. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const noFail = () => {};

describe('Lanes', () => {
  test('jobs of one lane run in push order, one at a time, whatever their lane lookups take (or if known at once)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.nat(3), fc.nat(30), fc.boolean()), {
          maxLength: 30,
        }),
        async (jobs) => {
          const lanes = new Lanes();
          const started: string[] = [];
          const running = new Map<string, number>();
          let overlap = false;
          const ticks = async (n: number) => {
            for (let i = 0; i < n; i++) await Promise.resolve();
          };
          jobs.forEach(([lane, lookupTicks, runTicks, known], index) => {
            void lanes.push({
              // A key known at once takes the fast path when the intake is empty.
              lane: known
                ? () => lane
                : async () => {
                    await ticks(lookupTicks);
                    return lane;
                  },
              run: async () => {
                if ((running.get(lane) ?? 0) > 0) overlap = true;
                running.set(lane, 1);
                started.push(`${lane}${index}`);
                await ticks(runTicks);
                running.set(lane, 0);
              },
              fail: noFail,
            });
          });
          await lanes.drain();
          expect(overlap).toBe(false);
          for (const lane of ['a', 'b', 'c']) {
            const order = started.filter((s) => s.startsWith(lane)).map((s) => Number(s.slice(1)));
            expect(order).toEqual([...order].sort((x, y) => x - y));
          }
          expect(started).toHaveLength(jobs.length);
          expect(lanes.size).toBe(0);
        },
      ),
    );
  });

  test('a job whose key is known at once starts in push() when its lane is idle', async () => {
    const lanes = new Lanes();
    const started: string[] = [];
    void lanes.push({ lane: () => 'a', run: async () => void started.push('a1'), fail: noFail });
    expect(started).toEqual(['a1']);
    await lanes.drain();
  });

  test("a job queued from inside a job's synchronous start runs after it, not beside it", async () => {
    const lanes = new Lanes();
    const log: string[] = [];
    const held = gate();
    void lanes.push({
      lane: () => 'a',
      run: async () => {
        log.push('outer start');
        void lanes.push({ lane: () => 'a', run: async () => void log.push('inner'), fail: noFail });
        await held.promise;
        log.push('outer end');
      },
      fail: noFail,
    });
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(log).toEqual(['outer start']);
    held.open();
    await lanes.drain();
    expect(log).toEqual(['outer start', 'outer end', 'inner']);
  });

  test('a key known at once still waits behind an earlier job whose key is being looked up', async () => {
    const lanes = new Lanes();
    const log: string[] = [];
    const lookup = gate();
    void lanes.push({
      lane: async () => {
        await lookup.promise;
        return 'a';
      },
      run: async () => void log.push('first'),
      fail: noFail,
    });
    void lanes.push({ lane: () => 'a', run: async () => void log.push('second'), fail: noFail });
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(log).toEqual([]);
    lookup.open();
    await lanes.drain();
    expect(log).toEqual(['first', 'second']);
  });

  test('a job waits while an earlier job of its lane is blocked', async () => {
    const lanes = new Lanes();
    const held = gate();
    const done: string[] = [];
    const first = lanes.push({
      lane: () => 'a',
      run: () => held.promise.then(() => void done.push('1')),
      fail: noFail,
    });
    const second = lanes.push({ lane: () => 'a', run: async () => void done.push('2'), fail: noFail });
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(done).toEqual([]);
    held.open();
    await Promise.all([first, second]);
    expect(done).toEqual(['1', '2']);
  });

  test('another lane goes on while one is blocked', async () => {
    const lanes = new Lanes();
    const held = gate();
    const done: string[] = [];
    const a = lanes.push({
      lane: () => 'a',
      run: () => held.promise.then(() => void done.push('a')),
      fail: noFail,
    });
    const b = lanes.push({ lane: () => 'b', run: async () => void done.push('b'), fail: noFail });
    await b;
    expect(done).toEqual(['b']);
    expect(lanes.size).toBe(1);
    held.open();
    await a;
    expect(done).toEqual(['b', 'a']);
  });

  test('a barrier job waits for every earlier job of every lane', async () => {
    const lanes = new Lanes();
    const held = gate();
    const done: string[] = [];
    void lanes.push({
      lane: () => 'a',
      run: () => held.promise.then(() => void done.push('a')),
      fail: noFail,
    });
    const barrier = lanes.push({
      lane: () => 'ib',
      barrier: true,
      run: async () => void done.push('barrier'),
      fail: noFail,
    });
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(done).toEqual([]);
    held.open();
    await barrier;
    expect(done).toEqual(['a', 'barrier']);
  });

  test('a failing job is reported and its lane carries on', async () => {
    const lanes = new Lanes();
    const failures: unknown[] = [];
    const boom = new RangeError('boom');
    void lanes.push({ lane: () => 'a', run: () => Promise.reject(boom), fail: (e) => failures.push(e) });
    const lookup = new RangeError('lookup');
    void lanes.push({
      lane: () => Promise.reject(lookup),
      run: async () => {},
      fail: (e) => failures.push(e),
    });
    let ran = false;
    await lanes.push({
      lane: () => 'a',
      run: async () => {
        ran = true;
      },
      fail: noFail,
    });
    expect(failures).toEqual([boom, lookup]);
    expect(ran).toBe(true);
  });
});

describe('Mutex', () => {
  test('runs work one at a time in call order, a failure releasing the next', async () => {
    const mutex = new Mutex();
    const log: string[] = [];
    const held = gate();
    const first = mutex.run(async () => {
      log.push('1 start');
      await held.promise;
      log.push('1 end');
      throw new RangeError('first fails');
    });
    const second = mutex.run(async () => {
      log.push('2');
      return 2;
    });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(log).toEqual(['1 start']);
    held.open();
    await expect(first).rejects.toThrow('first fails');
    expect(await second).toBe(2);
    expect(log).toEqual(['1 start', '1 end', '2']);
  });
});
