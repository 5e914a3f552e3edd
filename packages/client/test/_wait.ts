/**
 * Waiting on events with a deadline that fails with a clear message (never a fixed sleep).
 */
import type { Client } from '../src/client';
import type { ClientEvents } from '../src/events';

/**
 * Real-time deadline for anything a test waits on; generous, only hit when something is broken
 * (CI runs every package's suite at once on two cores; the vitest timeout is 120 s).
 */
export const DEADLINE_MS = 20_000;

/** Resolves with the next `event` payload that satisfies `filter`. */
export function nextEvent<K extends keyof ClientEvents>(
  client: Client,
  event: K,
  filter: (payload: ClientEvents[K]) => boolean = () => true,
): Promise<ClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no "${String(event)}" event within ${DEADLINE_MS} ms (state ${client.state})`));
    }, DEADLINE_MS);
    const off = client.on(event, (payload) => {
      if (!filter(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Resolves when `condition()` holds, checking after every macrotask; rejects after the deadline. */
export async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > DEADLINE_MS) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
