/**
 * Two transports joined back to back, for tests and in-process servers: what one end sends, the
 * other receives. Delivery is asynchronous (a microtask later), as on a real socket, so no caller
 * re-enters its own `send`. Bytes are copied on send, so a sender may reuse its buffer.
 */
import { Emitter } from '../_emitter';
import { TransportStateError } from '../errors';
import type { Transport, TransportEvents } from './transport';

/** Both ends of an in-memory connection. */
export interface MemoryTransportPair {
  /** The end the client uses. */
  client: MemoryTransport;
  /** The end a (test) server uses. */
  server: MemoryTransport;
}

/** One end of an in-memory connection. */
export class MemoryTransport extends Emitter<TransportEvents> implements Transport {
  #peer: MemoryTransport | undefined;
  #opened = false;
  #closed = false;
  /** Data that arrived before anyone listened (a server attaching its listeners late loses nothing). */
  #pending: Uint8Array[] = [];
  /** When set, `open()` rejects with it (simulates a refused connection). */
  refuseWith: Error | undefined;

  /** @internal */
  _link(peer: MemoryTransport): void {
    this.#peer = peer;
  }

  get isOpen(): boolean {
    return this.#opened && !this.#closed;
  }

  /** True once either end closed. */
  get isClosed(): boolean {
    return this.#closed;
  }

  open(): Promise<void> {
    if (this.refuseWith !== undefined) {
      const error = this.refuseWith;
      this._end(false);
      return Promise.reject(error);
    }
    if (this.#closed) return Promise.reject(new TransportStateError('the memory transport is closed'));
    this.#opened = true;
    return Promise.resolve();
  }

  send(data: Uint8Array): void {
    if (this.#closed) return;
    const copy = Uint8Array.from(data);
    const peer = this.#peer;
    queueMicrotask(() => peer?._receive(copy));
  }

  close(): void {
    if (this.#closed) return;
    this._end(true);
    const peer = this.#peer;
    // Queued after any data already sent, so the peer reads everything before the close.
    queueMicrotask(() => peer?._end(false));
  }

  override on<K extends keyof TransportEvents>(event: K, listener: (payload: TransportEvents[K]) => void) {
    const off = super.on(event, listener);
    if (event === 'data' && this.#pending.length > 0) queueMicrotask(() => this.#drain());
    return off;
  }

  /** @internal */
  _receive(data: Uint8Array): void {
    if (this.#closed) return;
    // Behind anything still pending, so order holds while a late listener catches up.
    if (this.listenerCount('data') === 0 || this.#pending.length > 0) this.#pending.push(data);
    else this.emit('data', data);
  }

  #drain(): void {
    while (this.#pending.length > 0 && this.listenerCount('data') > 0) {
      this.emit('data', this.#pending.shift()!);
    }
  }

  /** @internal */
  _end(local: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    // After the data already queued, like a socket's FIN after its last segment.
    queueMicrotask(() => this.emit('close', { local }));
  }
}

/**
 * Creates two connected in-memory transports.
 *
 * @example
 * ```ts
 * const client = createClient({ store, transport: () => {
 *   const pair = createMemoryTransportPair();
 *   server.accept(pair.server);
 *   return pair.client;
 * } });
 * ```
 */
export function createMemoryTransportPair(): MemoryTransportPair {
  const client = new MemoryTransport();
  const server = new MemoryTransport();
  client._link(server);
  server._link(client);
  return { client, server };
}
