/**
 * Real-time deadline for anything a server test waits on; only a broken run reaches it. Generous:
 * CI runs every package's suite at once on two cores (the client's tests use the same 20 s). Also
 * how long a server under test waits for the test, playing the companion, to answer pair-success
 * (`pairReplyTimeoutMs`): the test's own crypto must not race a short real timer.
 */
export const DEADLINE_MS = 20_000;

/** Polls `condition` on every macrotask until it holds, failing with `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
