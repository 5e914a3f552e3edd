/**
 * What the client needs from a byte pipe. A transport carries opaque bytes in both directions; the
 * client frames, encrypts and decodes on top, so a WebSocket, an in-memory pair or anything else
 * with the same shape works. One transport object is one connection attempt: the client asks its
 * `TransportFactory` for a fresh one on every (re)connect.
 *
 * Rules every implementation keeps:
 * - `open()` resolves once `send` may be called and rejects if the connection cannot be made.
 * - `data` delivers received bytes in order; the transport may split or merge messages (the
 *   client re-splits frames itself, docs/protocol.md §1).
 * - `close` fires exactly once per opened transport, whoever closed it; no `data` follows it.
 * - `error` reports a failure; `close` follows it.
 * - `close()` is idempotent; `send` after close is dropped silently (the `close` event already told).
 */
import type { Subscribable } from '../_emitter';

/** Why a transport closed. */
export interface TransportCloseInfo {
  /** True when this side called `close()`. */
  local: boolean;
  /** Transport-specific close code (WebSocket close code), when there is one. */
  code?: number | undefined;
  /** Transport-specific reason text, when there is one. */
  reason?: string | undefined;
}

/** Events a transport emits. */
export interface TransportEvents {
  [event: string]: unknown;
  data: Uint8Array;
  close: TransportCloseInfo;
  error: Error;
}

/** A bidirectional byte pipe for one connection. */
export interface Transport extends Subscribable<TransportEvents> {
  /** Opens the connection; resolves when `send` may be called. */
  open(): Promise<void>;
  /** Sends bytes (one binary message for message-based transports). */
  send(data: Uint8Array): void;
  /** Closes the connection; idempotent. */
  close(): void;
  /** True between a resolved `open()` and the `close` event. */
  readonly isOpen: boolean;
}

/** Makes a fresh, unopened transport for each connection attempt. */
export type TransportFactory = () => Transport;
