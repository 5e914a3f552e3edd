/**
 * The server's events, and `waitFor`, which a test awaits instead of sleeping. Every pending wait
 * has a deadline and is rejected when the server closes, so a failing test fails with a message
 * rather than hanging, and no timer outlives the server.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { TimeoutError } from '@wakit/errors';
import { ServerClosedError } from './errors';

/** Who is on a connection, once the handshake told us. */
export interface ConnectionInfo {
  /** Server-assigned id, unique per server. */
  readonly id: number;
  /** The device JID once logged in or paired (`user:device@s.whatsapp.net`). */
  readonly deviceJid: string | undefined;
}

/** Payloads of every event, by name. */
export interface ServerEventMap {
  /** A WebSocket was accepted (before the handshake). */
  connection: { connection: ConnectionInfo };
  /** The Noise handshake completed; `kind` is what the ClientPayload asked for. */
  handshake: { connection: ConnectionInfo; kind: 'registration' | 'login'; noiseKey: Uint8Array };
  /** An unpaired companion was sent its refs (one QR each). */
  'pair-device': { connection: ConnectionInfo; refs: string[]; noiseKey: Uint8Array };
  /** A companion asked to link with a pair code for `phoneNumber`. */
  'pair-code-request': { connection: ConnectionInfo; phoneNumber: string };
  /** A companion signed the pairing and was registered. */
  paired: { connection: ConnectionInfo; jid: string; lid: string; phoneNumber: string };
  /** A pairing attempt failed (bad signature, rejected, closed ...). */
  'pair-failed': { connection: ConnectionInfo; error: Error };
  /** A registered device logged in and was sent `<success>`. */
  login: { connection: ConnectionInfo; jid: string; lid: string };
  /** A login was refused (`<failure>` or a device_removed stream error). */
  'login-failed': {
    connection: ConnectionInfo;
    jid: string;
    reason: 'unknown-device' | 'noise-key' | 'removed';
  };
  /** Any decrypted stanza from a client. */
  node: { connection: ConnectionInfo; node: BinaryNode };
  /** An IQ from a client, with the reply the server sent. */
  iq: { connection: ConnectionInfo; node: BinaryNode; reply: BinaryNode | undefined };
  /** A client's prekeys were uploaded. */
  'prekeys-uploaded': { connection: ConnectionInfo; jid: string; count: number };
  /** A connection ended, for whatever reason. */
  disconnect: { connection: ConnectionInfo; reason: string };
  /**
   * A `<message>` was relayed: `from` is the sending device (in the stanza's namespace), `to` the
   * devices (PN form) it was delivered or queued to, `node` what the sender wrote.
   */
  message: { from: string; to: string[]; id: string; node: BinaryNode };
  /** A stanza was written to device `jid` (PN form), live or (`offline`) from its queue. */
  delivered: { jid: string; tag: string; id: string; offline: boolean; node: BinaryNode };
  /** A `<receipt>` was relayed: from the reader's device to the devices (PN form) in `to`. */
  receipt: { from: string; to: string[]; id: string; type: string | undefined; node: BinaryNode };
  /**
   * Device `jid` acknowledged a stanza; `matched` is false when nothing pending had that class
   * and id (a duplicate ack, or one for a stanza the server does not queue).
   */
  ack: {
    jid: string;
    class: string;
    id: string;
    type: string | undefined;
    error: string | undefined;
    matched: boolean;
    node: BinaryNode;
  };
}

/** An event name. */
export type ServerEventName = keyof ServerEventMap;

/** A filter for `waitFor`: a predicate, or a JID that the event's `jid` (or connection's device) must equal. */
export type EventFilter<K extends ServerEventName> = ((event: ServerEventMap[K]) => boolean) | string;

type Listener<K extends ServerEventName> = (event: ServerEventMap[K]) => void;

/** Default deadline of `waitFor`. */
export const WAIT_FOR_TIMEOUT_MS = 10_000;

/**
 * A small typed event emitter. Listeners that throw do not break the server: the error is
 * re-thrown on a microtask, where the test runner reports it.
 */
export class ServerEvents {
  readonly #listeners = new Map<ServerEventName, Set<Listener<never>>>();
  readonly #waits = new Set<(error: Error) => void>();

  /** Calls `listener` for every `name` event; returns a function that removes it. */
  on<K extends ServerEventName>(name: K, listener: Listener<K>): () => void {
    let set = this.#listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /** Delivers `event` to the listeners of `name`. */
  emit<K extends ServerEventName>(name: K, event: ServerEventMap[K]): void {
    for (const listener of this.#listeners.get(name) ?? []) {
      try {
        (listener as Listener<K>)(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /**
   * The next `name` event that passes `filter`, or a `TimeoutError` after `timeoutMs`.
   *
   * @example
   * ```ts
   * const { jid } = await server.waitFor('login', '15550001234:1@s.whatsapp.net');
   * ```
   */
  waitFor<K extends ServerEventName>(
    name: K,
    filter?: EventFilter<K>,
    timeoutMs: number = WAIT_FOR_TIMEOUT_MS,
  ): Promise<ServerEventMap[K]> {
    const matches = typeof filter === 'string' ? (e: ServerEventMap[K]) => jidOf(e) === filter : filter;
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        off();
        this.#waits.delete(fail);
      };
      const fail = (error: Error): void => {
        done();
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new TimeoutError(`no "${name}" event within ${timeoutMs} ms`, timeoutMs)),
        timeoutMs,
      );
      const off = this.on(name, (event) => {
        if (matches !== undefined && !matches(event)) return;
        done();
        resolve(event);
      });
      this.#waits.add(fail);
    });
  }

  /** Rejects every pending `waitFor` and drops all listeners (the server is closing). */
  close(): void {
    for (const fail of [...this.#waits]) fail(new ServerClosedError('the server closed'));
    this.#listeners.clear();
  }
}

function jidOf(event: object): string | undefined {
  if ('jid' in event && typeof event.jid === 'string') return event.jid;
  if ('connection' in event) return (event.connection as ConnectionInfo).deviceJid;
  return undefined;
}
