/**
 * The public options of the client: what `createClient` and `query` accept, and the logger it
 * reports to. Re-exported from `client.ts`; kept apart so the internal modules under `client/`
 * can name these types without importing the `Client` class.
 */
import type { CryptoProvider } from '@wakit/crypto';
import type { ClientPayloadOptions } from './auth/client-payload';
import type { ReconnectOptions } from './connection/backoff';
import type { KeepaliveOptions } from './connection/keepalive';
import type { Store } from './store/store';
import type { Timers } from './timers';
import type { TransportFactory } from './transport/transport';

/** Where the client reports what it does; every method optional. Silent by default. */
export interface Logger {
  debug?(message: string, context?: Record<string, unknown>): void;
  info?(message: string, context?: Record<string, unknown>): void;
  warn?(message: string, context?: Record<string, unknown>): void;
  error?(message: string, context?: Record<string, unknown>): void;
}

/** Options of `createClient`. Only `store` is required. */
export interface ClientOptions {
  /** Where credentials and Signal state live. */
  store: Store;
  /** WebSocket URL; default `wss://web.whatsapp.com/ws/chat`. Ignored when `transport` is given. */
  url?: string | undefined;
  /** Makes the transport for each connection attempt; default a `WebSocketTransport` on `url`. */
  transport?: TransportFactory | undefined;
  /** Root key the server's certificate chain must lead to. Default: WhatsApp's. Set only for test servers. */
  rootPublicKey?: Uint8Array | undefined;
  logger?: Logger | undefined;
  /** Default: `nodeCrypto`. */
  crypto?: CryptoProvider | undefined;
  reconnect?: ReconnectOptions | undefined;
  keepalive?: KeepaliveOptions | undefined;
  /** Clock and timers; default the system's. Tests inject a fake one. */
  timers?: Timers | undefined;
  /** Random numbers in [0, 1) for jitter and keepalive intervals; default `Math.random`. */
  random?: (() => number) | undefined;
  /** ClientPayload options (push name, browser, version, passive). */
  payload?: ClientPayloadOptions | undefined;
  /** Transport open plus Noise handshake, ms. Default 20000. */
  handshakeTimeoutMs?: number | undefined;
  /** Default IQ timeout, ms. Default 60000. */
  iqTimeoutMs?: number | undefined;
  /** QR rotation: how long the first and each later code is shown, ms. Default 60000 / 20000. */
  qrTimeouts?: { firstMs?: number | undefined; nextMs?: number | undefined } | undefined;
  /**
   * How many received stanzas may wait to be handled (default 1000). The offline backlog is pulled
   * only while there is room; past the bound the connection is closed and the server redelivers.
   */
  maxQueuedStanzas?: number | undefined;
  /** How long `sendMessage` waits for the server's ack of a message, ms (default 60000). */
  messageAckTimeoutMs?: number | undefined;
}

/** Options of `query`. */
export interface QueryOptions {
  /** Default: the client's `iqTimeoutMs`. */
  timeoutMs?: number | undefined;
}
