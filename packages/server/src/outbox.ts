/**
 * Every stanza the server delivers to a device (messages, receipts, notifications) goes through
 * here, and stays pending until the device acknowledges it: an `<ack class id>`, or for a message
 * a `<receipt id>` (Baileys acks a decrypted message with its receipt alone; docs/protocol.md §7.3,
 * §7.6). What is still pending when a device logs in is served as its offline queue:
 *
 *   <success> -> <ib><offline_preview count message notification receipt appdata/></ib>
 *   client    -> <ib><offline_batch count=N/></ib>
 *   server    -> up to N pending stanzas, each with offline="<batch number>"; then, if more are
 *                pending, a fresh offline_preview (Baileys asks once per preview, always for 100),
 *                else <ib><offline count=<stanzas served>/></ib>, and the device is live
 *
 * An empty queue is announced too (preview 0, then offline 0): Baileys holds its events until the
 * `<offline>` marker. While a device drains, new stanzas for it join the end of its queue. A stanza
 * written on a connection that dropped before it was acked is served again at the next login.
 *
 * A device is online when `state.live` has an endpoint for it: a connection, or anything with
 * `send` (a virtual phone's device 0). Endpoints that never log in are never draining.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { SERVER_JID } from './nodes';
import type { LiveConnection, ServerState } from './server-state';

/** How the offline preview counts a stanza. */
export type OutboxKind = 'message' | 'receipt' | 'notification';

interface Entry {
  readonly node: BinaryNode;
  readonly kind: OutboxKind;
  /** The endpoint it was last written to: another endpoint (a new login) has not seen it. */
  sentTo: LiveConnection | undefined;
}

interface Session {
  readonly endpoint: LiveConnection;
  draining: boolean;
  /** Offline stanzas written in this drain (the `<offline count>`). */
  served: number;
  /** Batches served in this drain; the `offline` attribute of the next one's stanzas. */
  batches: number;
}

/** What an `<ack>` names: its class (the acked stanza's tag), id and optional type. */
export interface AckRef {
  readonly class: string;
  readonly id: string;
  readonly type?: string | undefined;
}

/** The per-device delivery queues of one server. */
export class Outbox {
  readonly #state: ServerState;
  /** Device JID (PN form) -> its pending stanzas, oldest first. */
  readonly #queues = new Map<string, Entry[]>();
  /** Device JID -> the login that is (or was) draining its queue. */
  readonly #sessions = new Map<string, Session>();

  constructor(state: ServerState) {
    this.#state = state;
  }

  /**
   * Delivers `node` to device `jid` (PN form): written at once when the device is online and not
   * draining, queued otherwise; pending until acknowledged either way.
   */
  deliver(jid: string, node: BinaryNode, kind: OutboxKind): void {
    if (this.#state.faults.intercept(jid, node, kind)) return;
    const entry: Entry = { node, kind, sentTo: undefined };
    this.#queue(jid).push(entry);
    const endpoint = this.#state.live.get(jid);
    if (endpoint !== undefined && !this.#draining(jid, endpoint))
      this.#write(jid, entry, endpoint, undefined);
  }

  /** Called right after `<success>`: announces the pending stanzas (docs/protocol.md §7.6). */
  login(jid: string, endpoint: LiveConnection): void {
    const session: Session = { endpoint, draining: true, served: 0, batches: 0 };
    this.#sessions.set(jid, session);
    this.#preview(jid, session);
    if (this.#unsent(jid, endpoint).length === 0) this.#finish(session);
  }

  /** `<ib><offline_batch count>` from `jid`: serves the next `count` pending stanzas. */
  pull(jid: string, count: number): void {
    const endpoint = this.#state.live.get(jid);
    const session = this.#sessions.get(jid);
    if (endpoint === undefined || session?.endpoint !== endpoint || !session.draining) return;
    session.batches += 1;
    const batch = this.#unsent(jid, endpoint).slice(0, Math.max(0, count));
    for (const entry of batch) this.#write(jid, entry, endpoint, String(session.batches));
    session.served += batch.length;
    if (this.#unsent(jid, endpoint).length > 0) this.#preview(jid, session);
    else this.#finish(session);
  }

  /**
   * `<ack>` from `jid`: the first pending stanza with that tag and id (and type, when one with the
   * same type is pending) is done. False when nothing matched (a duplicate or unknown ack).
   */
  ack(jid: string, ref: AckRef): boolean {
    const queue = this.#queues.get(jid);
    if (queue === undefined) return false;
    const same = (e: Entry) => e.node.tag === ref.class && e.node.attrs.id === ref.id;
    let index = queue.findIndex((e) => same(e) && (e.node.attrs.type ?? '') === (ref.type ?? ''));
    if (index < 0) index = queue.findIndex(same);
    if (index < 0) return false;
    queue.splice(index, 1);
    return true;
  }

  /** A `<receipt>` from `jid` for message `ids`: those messages reached it. */
  received(jid: string, ids: readonly string[]): void {
    const queue = this.#queues.get(jid);
    if (queue === undefined) return;
    const done = new Set(ids);
    this.#queues.set(
      jid,
      queue.filter((e) => !(e.kind === 'message' && done.has(e.node.attrs.id ?? ''))),
    );
  }

  /**
   * Makes `endpoint` the device's live endpoint without a login (a virtual phone's device 0) and
   * writes what was queued for it meanwhile, without `offline` attributes.
   */
  attach(jid: string, endpoint: LiveConnection): void {
    this.#state.live.set(jid, endpoint);
    for (const entry of this.#unsent(jid, endpoint)) this.#write(jid, entry, endpoint, undefined);
  }

  /** The connection `endpoint` of `jid` closed: what it was not acked stays for the next login. */
  closed(jid: string, endpoint: LiveConnection): void {
    if (this.#sessions.get(jid)?.endpoint === endpoint) this.#sessions.delete(jid);
  }

  /** The device was removed: its queue goes. */
  forget(jid: string): void {
    this.#queues.delete(jid);
    this.#sessions.delete(jid);
  }

  /** The stanzas pending for `jid`, oldest first (written or not). */
  pending(jid: string): BinaryNode[] {
    return (this.#queues.get(jid) ?? []).map((e) => e.node);
  }

  #queue(jid: string): Entry[] {
    let queue = this.#queues.get(jid);
    if (queue === undefined) {
      queue = [];
      this.#queues.set(jid, queue);
    }
    return queue;
  }

  #draining(jid: string, endpoint: LiveConnection): boolean {
    const session = this.#sessions.get(jid);
    return session?.endpoint === endpoint && session.draining;
  }

  #unsent(jid: string, endpoint: LiveConnection): Entry[] {
    return (this.#queues.get(jid) ?? []).filter((e) => e.sentTo !== endpoint);
  }

  #write(jid: string, entry: Entry, endpoint: LiveConnection, offline: string | undefined): void {
    entry.sentTo = endpoint;
    const node =
      offline === undefined ? entry.node : { ...entry.node, attrs: { ...entry.node.attrs, offline } };
    const copies = this.#state.faults.copies(jid);
    for (let i = 0; i < copies; i += 1) endpoint.send(node);
    this.#state.events.emit('delivered', {
      jid,
      tag: node.tag,
      id: node.attrs.id ?? '',
      offline: offline !== undefined,
      node,
    });
  }

  #preview(jid: string, session: Session): void {
    const unsent = this.#unsent(jid, session.endpoint);
    const count = (kind: OutboxKind) => String(unsent.filter((e) => e.kind === kind).length);
    // docs/protocol.md §7.6. `appdata` (app-state changes) is never queued here, so it stays 0.
    session.endpoint.send(
      ib({
        tag: 'offline_preview',
        attrs: {
          count: String(unsent.length),
          message: count('message'),
          notification: count('notification'),
          receipt: count('receipt'),
          appdata: '0',
        },
      }),
    );
  }

  #finish(session: Session): void {
    session.draining = false;
    session.endpoint.send(ib({ tag: 'offline', attrs: { count: String(session.served) } }));
  }
}

function ib(content: BinaryNode): BinaryNode {
  return { tag: 'ib', attrs: { from: SERVER_JID }, content: [content] };
}
