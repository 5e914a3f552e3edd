/**
 * Waits with deadlines: a demo must never hang. Every wait names what it waited for, so a broken
 * step fails with a sentence instead of a silent terminal.
 */
import { type Client, type ClientEvents, TimeoutError } from '@wakit/client';

/** Real-time deadline for each wait; only reached when something is broken. */
export const DEMO_WAIT_MS = 30_000;

/** `promise`, or a `TimeoutError` naming `what` after `ms`. */
export async function within<T>(promise: Promise<T>, what: string, ms = DEMO_WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} did not happen within ${ms} ms`, ms)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The next `event` of `client` that satisfies `filter`. Call it before the action that causes the
 * event, and await it after: the listener is in place before anything can arrive.
 */
export function nextEvent<K extends keyof ClientEvents & string>(
  client: Client,
  event: K,
  what: string,
  filter: (payload: ClientEvents[K]) => boolean = () => true,
): Promise<ClientEvents[K]> {
  let off = () => {};
  const seen = new Promise<ClientEvents[K]>((resolve) => {
    off = client.on(event, (payload) => {
      if (!filter(payload)) return;
      off();
      resolve(payload);
    });
  });
  return within(seen, what).finally(off);
}
