/**
 * The WebSocket transport over `ws`. WhatsApp's edge expects the browser origin on the upgrade
 * request (docs/protocol.md §1: `Origin: https://web.whatsapp.com`, sent by all three reference
 * clients) and speaks binary messages only.
 *
 * Writes are coalesced: every message sent during one turn of the event loop goes to the socket in
 * one write when the turn ends (the socket is corked at the first send and uncorked by
 * `setImmediate`). Each stays its own WebSocket message, so the bytes on the wire are the same as
 * with one write per message; only the number of system calls and TCP segments drops. A message
 * costs a client about five frames out (the stanza, its receipt, the acks of the receipts that come
 * back), and with many in flight they arrive and leave in bursts: in the messaging benchmark this
 * took the client from 2.27 to about 1.6 CPU ms per message (tools/e2e/README.md).
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { Emitter } from '../_emitter';
import { TransportError, TransportStateError, UndecodableFrameError } from '../errors';
import type { Transport, TransportEvents } from './transport';

/** WhatsApp Web's chat endpoint. */
export const DEFAULT_WEBSOCKET_URL = 'wss://web.whatsapp.com/ws/chat';

/** The Origin header WhatsApp Web sends. */
export const WHATSAPP_ORIGIN = 'https://web.whatsapp.com';

/**
 * The largest WebSocket message accepted (32 MiB): two of the largest frames the protocol allows
 * (2^24 bytes each, docs/protocol.md §1), since one message may carry several frames. A bigger one
 * closes the connection (1009) instead of being buffered.
 */
export const MAX_WEBSOCKET_MESSAGE = 32 * 1024 * 1024;

/** Options of `WebSocketTransport`. */
export interface WebSocketTransportOptions {
  /** Defaults to `DEFAULT_WEBSOCKET_URL`. */
  url?: string | undefined;
  /** Extra upgrade headers; `Origin` defaults to `WHATSAPP_ORIGIN`. */
  headers?: Record<string, string> | undefined;
}

/**
 * One WebSocket connection carrying binary messages.
 *
 * @example
 * ```ts
 * const transport = new WebSocketTransport({ url: 'ws://127.0.0.1:8080/ws/chat' });
 * transport.on('data', (bytes) => decoder.push(bytes));
 * await transport.open();
 * transport.send(intro);
 * ```
 */
export class WebSocketTransport extends Emitter<TransportEvents> implements Transport {
  readonly url: string;
  readonly #headers: Record<string, string>;
  #socket: WebSocket | undefined;
  // The TCP (or TLS) socket under the WebSocket, from the upgrade response: corked while a turn's
  // writes collect.
  #raw: Socket | undefined;
  #corked = false;
  #open = false;
  #closed = false;
  #localClose = false;

  constructor(options: WebSocketTransportOptions = {}) {
    super();
    this.url = options.url ?? DEFAULT_WEBSOCKET_URL;
    this.#headers = { origin: WHATSAPP_ORIGIN, ...lowerKeys(options.headers ?? {}) };
  }

  get isOpen(): boolean {
    return this.#open;
  }

  open(): Promise<void> {
    if (this.#socket !== undefined)
      return Promise.reject(new TransportStateError('WebSocketTransport.open() called twice'));
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: TransportError) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      // Compression off: the payloads are ciphertext, and WhatsApp's clients do not negotiate it.
      const socket = new WebSocket(this.url, {
        headers: this.#headers,
        perMessageDeflate: false,
        maxPayload: MAX_WEBSOCKET_MESSAGE,
      });
      this.#socket = socket;
      socket.binaryType = 'nodebuffer';
      socket.on('upgrade', (response) => {
        this.#raw = response.socket;
      });
      socket.on('open', () => {
        if (this.#localClose) {
          socket.terminate();
          fail(new TransportError(`the transport to ${this.url} was closed while opening`));
          return;
        }
        settled = true;
        this.#open = true;
        resolve();
      });
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        // WhatsApp never sends text messages; one is a frame that cannot be decoded, reported as such.
        if (!isBinary) {
          this.emit(
            'error',
            new UndecodableFrameError('received a text WebSocket message; only binary is expected'),
          );
          return;
        }
        // A view, not a copy: `ws` hands over a fresh buffer per message and never writes to it again.
        this.emit('data', new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      });
      socket.on('error', (cause: Error) => {
        if (!settled) {
          fail(
            new TransportError(
              this.#localClose
                ? `the transport to ${this.url} was closed while opening`
                : `could not open a WebSocket to ${this.url}${detailOf(cause)}`,
              { cause },
            ),
          );
          return;
        }
        this.emit('error', new TransportError(`WebSocket error on ${this.url}${detailOf(cause)}`, { cause }));
      });
      socket.on('close', (code: number, reason: Buffer) => {
        if (!this.#open) {
          // Never opened: the rejected open() is the one signal (transport.ts: `close` fires once
          // per opened transport). A close event here would race the rejection to whoever decides
          // why the connection ended ("closed" instead of "could not connect").
          this.#closed = true;
          fail(new TransportError(`the WebSocket to ${this.url} closed before opening (code ${code})`));
          return;
        }
        this.#finish(code, reason.toString('utf8'));
      });
    });
  }

  send(data: Uint8Array): void {
    const socket = this.#socket;
    if (!this.#open || socket === undefined) return;
    const raw = this.#raw;
    if (!this.#corked && raw !== undefined) {
      this.#corked = true;
      raw.cork();
      setImmediate(() => this.flush());
    }
    socket.send(data);
  }

  /**
   * Writes the messages collected in this turn now rather than when it ends. Nothing needs to call
   * it; it is for code that must know its messages reached the socket (a crash test that stops the
   * process right after a write).
   */
  flush(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.#raw?.uncork();
  }

  close(): void {
    this.#localClose = true;
    const socket = this.#socket;
    if (socket === undefined) {
      this.#finish(undefined, undefined);
      return;
    }
    if (socket.readyState === WebSocket.CONNECTING) {
      // `ws` reports a close while connecting as an error and then closes: open() rejects with
      // "closed while opening" and 'close' follows.
      socket.terminate();
      return;
    }
    if (socket.readyState === WebSocket.OPEN) {
      this.flush();
      socket.close();
    }
  }

  #finish(code: number | undefined, reason: string | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#open = false;
    this.#corked = false;
    this.emit('close', { local: this.#localClose, code, reason });
  }
}

function detailOf(cause: Error): string {
  return cause.message === '' ? '' : `: ${cause.message}`;
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
