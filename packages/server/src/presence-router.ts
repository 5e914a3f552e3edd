/**
 * The `<presence>` stanzas devices send (docs/protocol.md §10.4), kept in presence-state.ts and
 * shown through presence-view.ts:
 *
 *   <presence type="available|unavailable" [name]/>   the device's availability; `name` is the
 *                                                     account's push name
 *   <presence [name]/>                                name only: Baileys sends it when its push name
 *                                                     changes (creds.update), not to go online, so
 *                                                     availability is left as it was
 *   <presence type="subscribe" to=J [id]>[<tctoken>…</tctoken>]</presence>
 *        -> at once <presence from=J [type="unavailable"] [last]/>, then every change of what the
 *           subscriber may see of J, while the connection it subscribed on stays up (WhatsApp
 *           forgets subscriptions with the connection: a client subscribes again after a reconnect)
 *   <presence type="unsubscribe" to=J/>                no more changes of J for that device
 *
 * J may be a PN or LID user (a device part is ignored); `from` is J in the namespace the
 * subscriber used. A subscribe to a JID that is no account of this server (unknown user, group,
 * broadcast) is dropped unanswered. The `<tctoken>` is not checked: the server does not hold a
 * token back when it is missing (whatsmeow subscribes without one too, and is answered).
 *
 * Nothing here is queued: presence is not kept for offline devices, and clients do not ack it.
 * A change is pushed only when what a subscriber sees changed (its privacy view of J included:
 * `refresh` runs after J's privacy settings or blocklist change too).
 */
import type { BinaryNode } from '@wakit/binary-node';
import { resolveAddress, userOf } from './addresses';
import { PresenceState } from './presence-state';
import { type PresenceView, presenceNode, presenceSeenBy } from './presence-view';
import type { DeviceRecord, LiveConnection, ServerState } from './server-state';

/** One device's subscription to one account's presence. */
interface Subscription {
  /** The connection it was made on; it ends with it. */
  readonly endpoint: LiveConnection;
  /** The watched account's user JID as the subscriber named it (PN or LID). */
  readonly from: string;
  /** The subscriber's phone number: whose view of the watched account it gets. */
  readonly watcher: string;
  /** The view last sent (`viewKey`), so only changes are pushed. */
  sent: string;
}

/** Presence of the accounts of one server, and who is subscribed to it. */
export class PresenceRouter {
  /** Online devices and last seen, per account. */
  readonly status = new PresenceState();
  readonly #state: ServerState;
  /** Watched phone number -> subscriber device JID (PN form) -> its subscription. */
  readonly #subscriptions = new Map<string, Map<string, Subscription>>();

  constructor(state: ServerState) {
    this.#state = state;
  }

  /** Handles one `<presence>` from device `from`. */
  receive(from: DeviceRecord, node: BinaryNode): void {
    const name = node.attrs.name;
    if (name !== undefined && name !== '') this.#state.accounts.get(from.phoneNumber).pushName = name;
    switch (node.attrs.type) {
      case 'available':
      case 'unavailable':
        this.#setAvailable(from, node.attrs.type === 'available');
        return;
      case 'subscribe':
        this.#subscribe(from, node.attrs.to);
        return;
      case 'unsubscribe':
        this.#unsubscribe(from, node.attrs.to);
        return;
      default:
        return;
    }
  }

  /**
   * The connection `endpoint` of device `record` closed: its subscriptions end, and if it was
   * available the device is not any more (subscribers of its account are told when that shows).
   */
  disconnected(record: DeviceRecord, endpoint: LiveConnection): void {
    for (const subscribers of this.#subscriptions.values()) {
      if (subscribers.get(record.jid)?.endpoint === endpoint) subscribers.delete(record.jid);
    }
    const seconds = this.#seconds();
    if (this.status.disconnected(record.phoneNumber, record.jid, endpoint, seconds)) {
      this.refresh(record.phoneNumber);
    }
  }

  /** The devices (PN form) subscribed to account `phoneNumber`'s presence, for tests and inspection. */
  subscribersOf(phoneNumber: string): string[] {
    return [...(this.#subscriptions.get(phoneNumber)?.keys() ?? [])];
  }

  /** Pushes to each subscriber of account `phoneNumber` what it now sees, if that changed. */
  refresh(phoneNumber: string): void {
    const subscribers = this.#subscriptions.get(phoneNumber);
    if (subscribers === undefined) return;
    for (const subscription of subscribers.values()) {
      const view = presenceSeenBy(this.#state, this.status, phoneNumber, subscription.watcher);
      const key = viewKey(view);
      if (key === subscription.sent) continue;
      subscription.sent = key;
      subscription.endpoint.send(presenceNode(subscription.from, view));
    }
  }

  #setAvailable(from: DeviceRecord, available: boolean): void {
    const endpoint = this.#state.live.get(from.jid);
    if (endpoint === undefined) return;
    this.status.set(from.phoneNumber, from.jid, endpoint, available, this.#seconds());
    this.refresh(from.phoneNumber);
  }

  #subscribe(from: DeviceRecord, to: string | undefined): void {
    const endpoint = this.#state.live.get(from.jid);
    const address = to === undefined ? undefined : resolveAddress(this.#state, to);
    if (endpoint === undefined || address === undefined) return;
    const watched = address.account.phoneNumber;
    const view = presenceSeenBy(this.#state, this.status, watched, from.phoneNumber);
    const subscription: Subscription = {
      endpoint,
      from: userOf(address.account, address.namespace),
      watcher: from.phoneNumber,
      sent: viewKey(view),
    };
    let subscribers = this.#subscriptions.get(watched);
    if (subscribers === undefined) {
      subscribers = new Map();
      this.#subscriptions.set(watched, subscribers);
    }
    subscribers.set(from.jid, subscription);
    endpoint.send(presenceNode(subscription.from, view));
  }

  #unsubscribe(from: DeviceRecord, to: string | undefined): void {
    const address = to === undefined ? undefined : resolveAddress(this.#state, to);
    if (address === undefined) return;
    this.#subscriptions.get(address.account.phoneNumber)?.delete(from.jid);
  }

  #seconds(): number {
    return Math.floor(this.#state.options.now() / 1000);
  }
}

function viewKey(view: PresenceView): string {
  return `${view.available}|${view.last ?? ''}`;
}
