/**
 * Clocks that a loaded machine cannot move, for judging slow inputs and hangs. On the wall clock an
 * input that takes microseconds can take half a second when other processes hold every core (seen:
 * 499 ms for one ServerHello), so neither judgement may rest on it alone.
 *
 * Node 20 has no per-thread CPU clock (`process.threadCpuUsage` arrived in Node 23.9;
 * `process.cpuUsage` and `process.resourceUsage` count the whole process). Linux publishes each
 * thread's scheduler statistics in `/proc/<pid>/task/<tid>/schedstat` (proc(5)): nanoseconds spent
 * on a CPU, then nanoseconds spent runnable but waiting for one, which is exactly what load adds.
 * Reading it costs tens of microseconds, so the harness reads it only when the cheap wall clock
 * says something may be wrong. Elsewhere the fallbacks are the whole process's CPU time (for slow
 * inputs) and the wall clock (for hangs).
 */
import { readFileSync, readlinkSync } from 'node:fs';

/** A thread's scheduler times: on a CPU, and runnable but waiting for a CPU. */
export interface SchedTimes {
  cpuMs: number;
  waitMs: number;
}

/** The scheduler times in a `schedstat` file, or undefined where there is none (not Linux). */
export function readSchedTimes(path: string): SchedTimes | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
  const [cpuNs, waitNs] = text.split(' ').map(Number);
  if (!Number.isFinite(cpuNs) || !Number.isFinite(waitNs)) return undefined;
  return { cpuMs: cpuNs! / 1e6, waitMs: waitNs! / 1e6 };
}

/** `/proc/thread-self` names the calling thread (sync fs calls run on the calling thread). */
const SELF_SCHEDSTAT = '/proc/thread-self/schedstat';

/**
 * CPU time of the calling thread in ms: what an input costs, whatever else the machine runs.
 * Without Linux's per-thread statistics, the whole process's CPU time (the fuzz worker's process
 * is otherwise idle: its main thread only polls the watchdog).
 */
export function threadCpuMs(): number {
  const times = readSchedTimes(SELF_SCHEDSTAT);
  if (times !== undefined) return times.cpuMs;
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Milliseconds on the wall clock minus the calling thread's wait for a CPU: time that passes while
 * the thread runs or sleeps (on a timer, on I/O), never while load keeps it from running. The wall
 * clock without Linux's statistics.
 */
export function ownTimeMs(): number {
  const wallMs = performance.now();
  return wallMs - (readSchedTimes(SELF_SCHEDSTAT)?.waitMs ?? 0);
}

/** The calling thread's Linux thread id, for another thread to read its statistics; 0 elsewhere. */
export function currentThreadId(): number {
  try {
    // "<pid>/task/<tid>"
    return Number(readlinkSync('/proc/thread-self').split('/').pop()) || 0;
  } catch {
    return 0;
  }
}

/** A moment as the hang watchdog sees a thread: the wall clock and the thread's wait for a CPU. */
export interface ThreadSample {
  wallMs: number;
  waitMs: number;
}

/**
 * A sampler for thread `threadId` of this process. Its `waitMs` stays 0 when the statistics cannot
 * be read (not Linux, or the thread id is not known yet), which leaves the plain wall clock.
 */
export function threadSampler(threadId: () => number): () => ThreadSample {
  return () => {
    const id = threadId();
    const times = id === 0 ? undefined : readSchedTimes(`/proc/self/task/${id}/schedstat`);
    return { wallMs: performance.now(), waitMs: times?.waitMs ?? 0 };
  };
}
