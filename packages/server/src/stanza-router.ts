/**
 * The one entry point for every stanza a device sends that is not an IQ:
 * `state.stanzas.receive(from, node)`. Connections call it for their logged-in device; virtual
 * phones call it for their device 0, exactly as a connection would. Routed by tag:
 *
 *   <message>   -> message-relay.ts (fan-out, retries, peer messages; ack to the sender)
 *   <receipt>   -> receipt-relay.ts (forwarded; it also acks the messages it names)
 *   <ack>       -> the device's outbox: the stanza it names is no longer pending
 *   <ib>        -> <offline_batch count>: serve the next part of the device's offline queue
 *   <presence>  -> presence-router.ts (availability, push name, subscriptions)
 *   <chatstate> -> chatstate-relay.ts (typing indicators to the other account's devices)
 *   anything else -> ignored, as WhatsApp ignores what it does not know
 *
 * Synchronous: what a stanza causes (deliveries, acks, queue changes) is done when `receive`
 * returns, so a test driving the router with plain nodes can look at the result at once.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { relayChatstate } from './chatstate-relay';
import { relayMessage } from './message-relay';
import { child } from './nodes';
import { relayReceipt } from './receipt-relay';
import type { DeviceRecord, ServerState } from './server-state';

/** Routes the non-IQ stanzas of logged-in devices and virtual phones. */
export class StanzaRouter {
  readonly #state: ServerState;

  constructor(state: ServerState) {
    this.#state = state;
  }

  /** Handles one stanza sent by device `from`. */
  receive(from: DeviceRecord, node: BinaryNode): void {
    if (from.removed) return;
    switch (node.tag) {
      case 'message':
        relayMessage(this.#state, from, node);
        return;
      case 'receipt':
        relayReceipt(this.#state, from, node);
        return;
      case 'ack':
        this.#ack(from, node);
        return;
      case 'ib':
        this.#ib(from, node);
        return;
      case 'presence':
        this.#state.presence.receive(from, node);
        return;
      case 'chatstate':
        relayChatstate(this.#state, from, node);
        return;
      default:
        return;
    }
  }

  #ack(from: DeviceRecord, node: BinaryNode): void {
    const ref = { class: node.attrs.class ?? '', id: node.attrs.id ?? '', type: node.attrs.type };
    const matched = this.#state.outbox.ack(from.jid, ref);
    this.#state.events.emit('ack', { jid: from.jid, ...ref, error: node.attrs.error, matched, node });
  }

  #ib(from: DeviceRecord, node: BinaryNode): void {
    const batch = child(node, 'offline_batch');
    if (batch === undefined) return;
    const count = Number.parseInt(batch.attrs.count ?? '', 10);
    if (Number.isSafeInteger(count) && count > 0) this.#state.outbox.pull(from.jid, count);
  }
}
