/**
 * The two measurements of the messaging benchmark, over any pair of `Messenger`s:
 *
 * - `throughput`: `count` messages from `from` to `to`, pipelined. A message is in flight from its
 *   send call until both its send has settled and the receiver has reported it; at most `window`
 *   are in flight at once. The same rule for both libraries, whatever their send promise means
 *   (wakit's resolves on the server's ack, Baileys' once the stanza is written). Timed on the wall
 *   clock and on this process's CPU clock, from the first send to the receiver's event for the last.
 * - `latency`: one message at a time, from the send call to the receiver's event, `samples` times
 *   (the next is sent once the previous one's send has settled too).
 *
 * Every text carries a unique tag, so the receiver matches it exactly, whichever order events
 * come in. A run fails (names what it waited on) when nothing arrives for `DEADLINE_MS`.
 */
import type { Messenger } from './messaging-peers';
import { DEADLINE_MS } from './peers';

/** One throughput run. */
export interface ThroughputRun {
  count: number;
  /** The most messages that were in flight at once (the window, unless `count` is smaller). */
  peakInFlight: number;
  wallMs: number;
  /** CPU milliseconds (user + system) of this process over the same interval. */
  cpuMs: number;
  /** The system (kernel) part of `cpuMs`: mostly the socket writes, one syscall per frame. */
  systemMs: number;
}

let nextTag = 0;

/**
 * Waits for tagged texts at `to`: `expect(text)` returns a promise that resolves with the
 * `performance.now()` of its arrival. A watchdog rejects every pending wait when no expected text
 * has arrived for DEADLINE_MS.
 */
function receiver(to: Messenger, what: string, total: number) {
  const pending = new Map<string, { resolve: (at: number) => void; reject: (error: Error) => void }>();
  let received = 0;
  /** When the `total`-th expected text arrived, on the wall and CPU clocks (read once: not free). */
  const last = { at: 0, cpu: { user: 0, system: 0 } };
  let watchdog: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(watchdog);
    if (pending.size === 0) return;
    watchdog = setTimeout(() => {
      const error = new Error(`${what}: nothing received for ${DEADLINE_MS} ms (${received} arrived)`);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    }, DEADLINE_MS);
  };
  const off = to.onText((text) => {
    const waiter = pending.get(text);
    if (waiter === undefined) return;
    const at = performance.now();
    pending.delete(text);
    received += 1;
    if (received === total) {
      last.at = at;
      last.cpu = process.cpuUsage();
    }
    arm();
    waiter.resolve(at);
  });
  return {
    last,
    expect(text: string): Promise<number> {
      const arrived = new Promise<number>((resolve, reject) => pending.set(text, { resolve, reject }));
      if (pending.size === 1) arm();
      return arrived;
    },
    close() {
      clearTimeout(watchdog);
      off();
    },
  };
}

/** Sends `count` tagged messages from `from` to `to` with at most `window` in flight; see the header. */
export async function throughput(
  from: Messenger,
  to: Messenger,
  count: number,
  window: number,
): Promise<ThroughputRun> {
  const tag = `tp${nextTag++}`;
  const inbox = receiver(to, `throughput ${tag}`, count);
  const flights: Promise<unknown>[] = [];
  let inFlight = 0;
  let peakInFlight = 0;
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  const land = () => {
    inFlight -= 1;
    wake?.();
  };
  const fail = (error: Error) => {
    failed ??= error;
    wake?.();
  };
  try {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < count && failed === undefined; i++) {
      while (inFlight >= window && failed === undefined) await new Promise<void>((r) => (wake = r));
      if (failed !== undefined) break;
      inFlight += 1;
      peakInFlight = Math.max(peakInFlight, inFlight);
      const text = `${tag} ${i}`;
      const arrived = inbox.expect(text);
      const flight = Promise.all([from.send(to.jid, text), arrived]);
      flight.then(land, fail);
      flights.push(flight);
    }
    if (failed !== undefined) throw failed;
    // The interval ends at the last arrival (a send may still settle after it).
    await Promise.all(flights);
    return {
      count,
      peakInFlight,
      wallMs: inbox.last.at - start,
      cpuMs: (inbox.last.cpu.user - startCpu.user + inbox.last.cpu.system - startCpu.system) / 1000,
      systemMs: (inbox.last.cpu.system - startCpu.system) / 1000,
    };
  } finally {
    inbox.close();
  }
}

/** `samples` one-at-a-time latencies from `from` to `to`, in milliseconds. */
export async function latency(from: Messenger, to: Messenger, samples: number): Promise<number[]> {
  const tag = `lat${nextTag++}`;
  const inbox = receiver(to, `latency ${tag}`, samples);
  const out: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const text = `${tag} ${i}`;
      const arrived = inbox.expect(text);
      const start = performance.now();
      const [, at] = await Promise.all([from.send(to.jid, text), arrived]);
      out.push(at - start);
    }
    return out;
  } finally {
    inbox.close();
  }
}

/** The `q`-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
