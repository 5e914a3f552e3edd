/**
 * A virtual phone's device 0 as the server sees it: an endpoint in `state.live` that is always
 * online. Whatever the server delivers is handled one stanza at a time, in delivery order (the
 * ordered lane docs/style.md asks for), and never inside the server's own call: a reply the phone
 * sends goes back into the server only after the delivery that caused it has returned.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { LiveConnection } from './server-state';

/** The always-online endpoint of one phone. */
export class PhoneEndpoint implements LiveConnection {
  /** Not a connection: 0 matches none of the server's connection ids (they start at 1). */
  readonly id = 0;
  readonly #handle: (node: BinaryNode) => Promise<void>;
  #lane: Promise<void> = Promise.resolve();

  constructor(handle: (node: BinaryNode) => Promise<void>) {
    this.#handle = handle;
  }

  /** Queues `node` for the phone. A handler that throws is a bug: it is re-thrown where the runner sees it. */
  send(node: BinaryNode): void {
    this.#lane = this.#lane
      .then(() => this.#handle(node))
      .catch((error: unknown) => {
        queueMicrotask(() => {
          throw error;
        });
      });
  }

  /** A phone has no connection to end: a stream error or removal does not apply to device 0. */
  kick(): void {}

  /** Resolves once everything delivered so far has been handled. */
  idle(): Promise<void> {
    return this.#lane;
  }
}
