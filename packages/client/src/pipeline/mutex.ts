/**
 * A first-come, first-served async mutex: `run(work)` starts `work` once every earlier `run` has
 * settled. The client holds one around every change to Signal state (sessions, identities,
 * prekeys): a message to chat A and one to chat B both encrypt for our own other devices, and two
 * ratchet steps of one session must never interleave.
 */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` after the work queued before it; resolves or rejects as `work` does. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    // The next waiter starts after this one settles, whether it failed or not.
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
