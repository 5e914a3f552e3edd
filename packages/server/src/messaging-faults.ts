/**
 * Fault hooks for messaging tests (`server.faults`), beside the per-connection ones on
 * `ServerConnection` (drop, stall, garbage, stream error). Each arms a one-off or a hold that the
 * test releases; none uses a timer, so a test decides exactly when things happen.
 *
 * - `dropSenderDuringFanOut(k)`: the next relayed `<message>` reaches only its first `k` recipient
 *   devices, then the sender's connection drops with no ack: what a server crash mid fan-out looks
 *   like to a client (it must resend; the devices that got it must dedupe).
 * - `duplicateNextDelivery(jid)`: the next stanza written to that device is written twice.
 * - `holdReceipts(jid)`: receipts for that device are held (neither written nor queued) until the
 *   returned function is called, then delivered in order: a late delivery/read report.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { OutboxKind } from './outbox';
import type { ServerState } from './server-state';

/** The messaging fault hooks of one server. */
export class MessagingFaults {
  readonly #state: ServerState;
  #fanOutDrop: number | undefined;
  readonly #duplicates = new Set<string>();
  readonly #held = new Map<string, BinaryNode[]>();

  constructor(state: ServerState) {
    this.#state = state;
  }

  /**
   * Arms a drop for the next relayed message: after `after` of its deliveries the sender's
   * connection is dropped (no close frame, no ack) and the rest of the fan-out is abandoned.
   *
   * @throws RangeError for a negative or fractional `after`.
   */
  dropSenderDuringFanOut(after: number): void {
    if (!Number.isInteger(after) || after < 0) {
      throw new RangeError(`"after" expected a non-negative integer, got ${after}`);
    }
    this.#fanOutDrop = after;
  }

  /** The next stanza written to device `jid` (PN form) is written twice. */
  duplicateNextDelivery(jid: string): void {
    this.#duplicates.add(jid);
  }

  /**
   * Holds every receipt for device `jid` (PN form) until the returned function is called, which
   * delivers them in arrival order. Calling it again does nothing.
   *
   * @example
   * ```ts
   * const release = server.faults.holdReceipts(aliceJid);
   * // ... Bob reads; Alice sees nothing yet ...
   * release();
   * ```
   */
  holdReceipts(jid: string): () => void {
    const held: BinaryNode[] = this.#held.get(jid) ?? [];
    this.#held.set(jid, held);
    return () => {
      if (this.#held.get(jid) !== held) return;
      this.#held.delete(jid);
      for (const node of held) this.#state.outbox.deliver(jid, node, 'receipt');
    };
  }

  /** @internal The armed fan-out drop, once: the deliveries to make before dropping. */
  takeFanOutDrop(): number | undefined {
    const after = this.#fanOutDrop;
    this.#fanOutDrop = undefined;
    return after;
  }

  /** @internal True when the fault keeps `node` from being delivered now (it is held). */
  intercept(jid: string, node: BinaryNode, kind: OutboxKind): boolean {
    const held = kind === 'receipt' ? this.#held.get(jid) : undefined;
    if (held === undefined) return false;
    held.push(node);
    return true;
  }

  /** @internal How many times to write the next stanza to `jid` (2 once after a duplicate is armed). */
  copies(jid: string): number {
    return this.#duplicates.delete(jid) ? 2 : 1;
  }
}
