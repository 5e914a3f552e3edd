/**
 * Server-initiated IQs waiting for the client's `result`/`error` (pair-device's ack, pair-success's
 * pair-device-sign). Each wait has a deadline; closing rejects them all, so nothing dangles.
 */
import type { BinaryNode } from '@wakit/binary-node';

interface Pending {
  resolve: (node: BinaryNode) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** The replies one connection waits for, by IQ id. */
export class PendingReplies {
  readonly #pending = new Map<string, Pending>();

  /**
   * A promise for the reply to `id`. With a `deadline`, it rejects with `deadline.error()` after
   * `deadline.ms` (undefined `ms`: no deadline); without one it waits until the reply or `rejectAll`.
   */
  wait(id: string, deadline?: { ms: number | undefined; error: () => Error }): Promise<BinaryNode> {
    return new Promise((resolve, reject) => {
      const timer =
        deadline?.ms === undefined
          ? undefined
          : setTimeout(() => {
              this.#pending.delete(id);
              reject(deadline.error());
            }, deadline.ms);
      this.#pending.set(id, { resolve, reject, timer });
    });
  }

  /** Delivers `node` when someone waits for its id; false otherwise. */
  deliver(node: BinaryNode): boolean {
    const id = node.attrs.id;
    const pending = id === undefined ? undefined : this.#pending.get(id);
    if (pending === undefined) return false;
    this.#pending.delete(id!);
    clearTimeout(pending.timer);
    pending.resolve(node);
    return true;
  }

  /** Rejects every wait with `error`. */
  rejectAll(error: Error): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }
}
