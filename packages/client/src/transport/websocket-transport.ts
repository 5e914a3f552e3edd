/**
 * The WebSocket transport over undici (the default in Node). WhatsApp's edge expects the browser
 * origin on the upgrade request (docs/protocol.md §1: `Origin: https://web.whatsapp.com`, sent by all
 * three reference clients) and speaks binary messages only.
 */
import { WebSocket } from 'undici';
import { Emitter } from '../_emitter';
import { TransportError, TransportStateError, UndecodableFrameError } from '../errors';
import type { Transport, TransportEvents } from './transport';

/** WhatsApp Web's chat endpoint. */
export const DEFAULT_WEBSOCKET_URL = 'wss://web.whatsapp.com/ws/chat';

/** The Origin header WhatsApp Web sends. */
export const WHATSAPP_ORIGIN = 'https://web.whatsapp.com';

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
      // undici's WebSocket takes `headers` in its init (a Node extension of the WHATWG constructor).
      const socket = new WebSocket(this.url, { headers: this.#headers });
      this.#socket = socket;
      socket.binaryType = 'arraybuffer';
      let settled = false;
      socket.addEventListener('open', () => {
        settled = true;
        if (this.#localClose) {
          socket.close();
          reject(new TransportError(`the transport to ${this.url} was closed while opening`));
          return;
        }
        this.#open = true;
        resolve();
      });
      socket.addEventListener('message', (event) => {
        const { data } = event;
        if (data instanceof ArrayBuffer) this.emit('data', new Uint8Array(data));
        // WhatsApp never sends text messages; one is a frame that cannot be decoded, reported as such.
        else
          this.emit(
            'error',
            new UndecodableFrameError('received a text WebSocket message; only binary is expected'),
          );
      });
      socket.addEventListener('error', (event) => {
        const cause = (event as { error?: unknown }).error;
        const detail = cause instanceof Error && cause.message !== '' ? `: ${cause.message}` : '';
        const wrapped = new TransportError(
          settled
            ? `WebSocket error on ${this.url}${detail}`
            : `could not open a WebSocket to ${this.url}${detail}`,
          { cause },
        );
        if (!settled) {
          settled = true;
          reject(wrapped);
        }
        this.emit('error', wrapped);
      });
      socket.addEventListener('close', (event) => {
        if (!settled) {
          settled = true;
          reject(
            new TransportError(`the WebSocket to ${this.url} closed before opening (code ${event.code})`),
          );
        }
        this.#finish(event.code, event.reason);
      });
    });
  }

  send(data: Uint8Array): void {
    if (!this.#open || this.#socket === undefined) return;
    this.#socket.send(data);
  }

  close(): void {
    this.#localClose = true;
    const socket = this.#socket;
    if (socket === undefined) {
      this.#finish(undefined, undefined);
      return;
    }
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close();
  }

  #finish(code: number | undefined, reason: string | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#open = false;
    this.emit('close', { local: this.#localClose, code, reason });
  }
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
