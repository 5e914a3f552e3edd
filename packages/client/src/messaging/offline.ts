/**
 * The offline queue (docs/protocol.md §7.6): after login the server announces its backlog with
 * `<ib><offline_preview/>`, the client pulls it in batches with `<ib><offline_batch count/>`, and
 * `<ib><offline count/>` ends it. Pulling is the back-pressure: the next batch is asked for only
 * once the previous one was handled, and never more than the receive path has room for, so a
 * device back from a week away does not hold the whole week in memory at once. `<ib><offline>` is
 * handled as a barrier (after every stanza before it), so `offline-sync-complete` means the
 * backlog's messages were all handled and their events emitted.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { StanzaHandler } from '../pipeline/stanza-handler';
import type { MessagingHost } from './host';

/** Stanzas asked for per batch (Baileys asks for 100 once; whatsapp-rust 200 repeatedly). */
export const OFFLINE_BATCH_SIZE = 100;

/** Room in the receive path, for the size of the next batch. */
export type RoomGauge = () => number;

/** One connection's offline drain; `reset()` at each connect. */
export class OfflineDrain {
  readonly #host: MessagingHost;
  #room: RoomGauge = () => OFFLINE_BATCH_SIZE;
  #requested = 0;
  #handled = 0;
  #draining = false;

  constructor(host: MessagingHost) {
    this.#host = host;
  }

  /** Where the batch size's room comes from (the client's stanza pipeline). */
  set room(gauge: RoomGauge) {
    this.#room = gauge;
  }

  /** A new connection: nothing asked, nothing handled. */
  reset(): void {
    this.#requested = 0;
    this.#handled = 0;
    this.#draining = false;
  }

  /** Every handled stanza that came from the offline queue counts; a finished batch asks for the next. */
  counted(node: BinaryNode): void {
    if (node.attrs.offline === undefined) return;
    this.#handled += 1;
    if (this.#draining && this.#handled >= this.#requested) this.#request();
  }

  /** The pipeline handlers for the preview and the end marker. */
  handlers(): StanzaHandler[] {
    return [
      {
        name: 'messaging:offline-preview',
        match: { tag: 'ib', child: 'offline_preview' },
        handle: () => {
          this.#draining = true;
          this.#request();
        },
      },
      {
        name: 'messaging:offline-complete',
        match: { tag: 'ib', child: 'offline' },
        barrier: true,
        handle: () => {
          this.#draining = false;
          this.#host.emit('offline-sync-complete', { count: this.#handled });
        },
      },
    ];
  }

  #request(): void {
    const count = Math.max(1, Math.min(OFFLINE_BATCH_SIZE, this.#room()));
    this.#requested = this.#handled + count;
    const batch: BinaryNode = {
      tag: 'ib',
      attrs: {},
      content: [{ tag: 'offline_batch', attrs: { count: String(count) } }],
    };
    this.#host
      .sendNode(batch)
      .catch((error: unknown) => this.#host.report(error, 'asking for offline stanzas'));
  }
}
