/**
 * The clock and timers the client runs on. Everything time-dependent in the client (keepalive,
 * reconnect backoff, QR rotation, IQ and handshake timeouts) goes through one `Timers`, so tests
 * inject a fake one and advance time instead of sleeping.
 */

/** An opaque handle returned by `Timers.setTimeout`. */
export type TimerHandle = unknown;

/** A clock with one-shot timers. */
export interface Timers {
  /** Milliseconds since the Unix epoch (also used to check certificate validity windows). */
  now(): number;
  /** Runs `callback` once after `delayMs`. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a pending timer; a no-op for one that already ran or was cleared. */
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: `Date.now` and the global timers, unref'd so a client never keeps Node alive by itself. */
export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const handle = globalThis.setTimeout(callback, delayMs) as unknown as { unref?: () => void };
    handle.unref?.();
    return handle;
  },
  clearTimeout(handle) {
    globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]);
  },
};
