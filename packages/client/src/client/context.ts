/**
 * What the client's internal modules share: the resolved options, the collaborators (events,
 * lifecycle, IQ tracker, handlers) and the mutable state of the current connection. `Client`
 * owns one and hands it to the functions in this folder; it never reaches the public API, so
 * callers see only the `Client` methods. Nothing in `client/` is exported from the package.
 */
import type { CryptoProvider } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { Emitter } from '../_emitter';
import type { ClientPayloadOptions } from '../auth/client-payload';
import type { PairCodeState } from '../auth/pair-code';
import { FIRST_QR_TIMEOUT_MS, NEXT_QR_TIMEOUT_MS } from '../auth/pair-qr';
import type { ClientOptions, Logger } from '../client-options';
import { type ReconnectPolicy, resolveReconnectPolicy } from '../connection/backoff';
import { type Keepalive, type KeepalivePolicy, resolveKeepalivePolicy } from '../connection/keepalive';
import { Lifecycle } from '../connection/lifecycle';
import { HANDSHAKE_TIMEOUT_MS, type NoiseConnection } from '../connection/noise-connection';
import type { QrRotation } from '../connection/qr-rotation';
import { NotConnectedError } from '../errors';
import type { ClientEvents } from '../events';
import { IQ_TIMEOUT_MS, IqTracker } from '../iq';
import type { Groups } from '../messaging/groups';
import { MESSAGE_ACK_TIMEOUT_MS } from '../messaging/message-acks';
import type { Peers } from '../messaging/peers';
import type { LoginInfo, MessageChildren, OutgoingMessage } from '../modules/module';
import { Mutex } from '../pipeline/mutex';
import { MAX_QUEUED_STANZAS, StanzaPipeline } from '../pipeline/stanza-pipeline';
import type { DeviceCredentials, Store, StoreLease } from '../store/store';
import { systemTimers, type TimerHandle, type Timers } from '../timers';
import type { TransportFactory } from '../transport/transport';
import { DEFAULT_WEBSOCKET_URL, WebSocketTransport } from '../transport/websocket-transport';

/** The client's options with their defaults applied; fixed for the client's life. */
export interface ClientConfig {
  readonly store: Store;
  readonly crypto: CryptoProvider;
  readonly timers: Timers;
  readonly random: () => number;
  readonly logger: Logger;
  readonly transportFactory: TransportFactory;
  readonly rootPublicKey: Uint8Array | undefined;
  readonly reconnect: ReconnectPolicy;
  readonly keepalivePolicy: KeepalivePolicy;
  readonly payloadOptions: ClientPayloadOptions;
  readonly handshakeTimeoutMs: number;
  readonly iqTimeoutMs: number;
  readonly qrFirstMs: number;
  readonly qrNextMs: number;
  readonly maxQueuedStanzas: number;
  readonly messageAckTimeoutMs: number;
}

/** The hooks modules registered, run by the connection runner and the login steps. */
export interface ClientHooks {
  readonly connect: Set<() => void | Promise<void>>;
  readonly login: Set<(info: LoginInfo) => void | Promise<void>>;
  readonly close: Set<() => void | Promise<void>>;
  /** Providers of extra children for outgoing 1:1 message stanzas. */
  readonly messageChildren: Set<MessageChildren>;
  /** Run after the server acked a 1:1 message. */
  readonly messageSent: Set<(message: OutgoingMessage) => void | Promise<void>>;
}

/** The state and collaborators one client's internal modules work on. */
export interface ClientContext extends ClientConfig {
  readonly events: Emitter<ClientEvents>;
  readonly lifecycle: Lifecycle;
  readonly iq: IqTracker;
  /** The receive path after the frame loop (`pipeline/stanza-pipeline.ts`). */
  readonly pipeline: StanzaPipeline;
  readonly hooks: ClientHooks;
  /** Mounted modules by name, with the API their setup returned. */
  readonly modules: Map<string, unknown>;
  /** Held around every change to Signal state (`pipeline/mutex.ts`). */
  readonly signalLock: Mutex;

  lease: StoreLease | undefined;
  credentials: DeviceCredentials | undefined;
  connection: NoiseConnection | undefined;
  keepalive: Keepalive | undefined;
  qr: QrRotation | undefined;
  pairCode: PairCodeState | undefined;
  /** The running connection attempt (joined by a second `connect()`). */
  attempt: Promise<void> | undefined;
  /**
   * Bumped when the user stops the client (`disconnect()`, `logout()`): an attempt that sees another
   * generation after an await gives up, and work it cut short is not reported (`tasks.ts`).
   */
  generation: number;
  /** Reconnect attempts since the last `<success>`. */
  failures: number;
  reconnectTimer: TimerHandle | undefined;
  /** Settles when the effects of the last stop (store clearing, lease release) are done. */
  stopping: Promise<void>;
  preKeyUpload: Promise<void> | undefined;
  /** The client's own work in progress (stanza handling, post-login steps); see `tasks.ts`. */
  readonly tasks: Set<Promise<void>>;
  /** Server clock minus ours, in ms, from the last `<success t>` (0 until then). */
  serverTimeOffsetMs: number;
  /** Messaging's LID <-> PN map, set when messaging is mounted (`messaging-wiring.ts`). */
  peers: Peers | undefined;
  /** Messaging's group participants for sending, set with `peers`. */
  groups: Groups | undefined;
}

/**
 * Applies the defaults of `options` and creates the collaborators of a client that has not
 * connected yet.
 *
 * @throws TypeError when `options.store` is missing.
 */
export function createClientContext(options: ClientOptions): ClientContext {
  if (options.store === undefined) throw new TypeError('"store" is required');
  const timers = options.timers ?? systemTimers;
  const crypto = options.crypto ?? nodeCrypto;
  const logger = options.logger ?? {};
  const url = options.url ?? DEFAULT_WEBSOCKET_URL;
  const events = new Emitter<ClientEvents>((error, event) =>
    logger.error?.('an event listener threw', { event: String(event), error }),
  );
  const maxQueuedStanzas = options.maxQueuedStanzas ?? MAX_QUEUED_STANZAS;
  const ctx: ClientContext = {
    store: options.store,
    crypto,
    timers,
    random: options.random ?? Math.random,
    logger,
    transportFactory: options.transport ?? (() => new WebSocketTransport({ url })),
    rootPublicKey: options.rootPublicKey,
    reconnect: resolveReconnectPolicy(options.reconnect),
    keepalivePolicy: resolveKeepalivePolicy(options.keepalive),
    payloadOptions: options.payload ?? {},
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
    iqTimeoutMs: options.iqTimeoutMs ?? IQ_TIMEOUT_MS,
    qrFirstMs: options.qrTimeouts?.firstMs ?? FIRST_QR_TIMEOUT_MS,
    qrNextMs: options.qrTimeouts?.nextMs ?? NEXT_QR_TIMEOUT_MS,
    maxQueuedStanzas,
    messageAckTimeoutMs: options.messageAckTimeoutMs ?? MESSAGE_ACK_TIMEOUT_MS,
    events,
    lifecycle: new Lifecycle((from, to, event) => {
      logger.debug?.(`lifecycle ${from} -> ${to}`, { event });
      events.emit('state', { from, to, event });
    }),
    iq: new IqTracker(timers, crypto),
    pipeline: new StanzaPipeline(
      {
        report: (error, context) => reportError(ctx, error, context),
        overloaded: (source) => {
          if (ctx.connection !== source) return;
          ctx.logger.warn?.(`more than ${maxQueuedStanzas} stanzas queued; reconnecting`);
          ctx.connection.close({ reason: 'overloaded', action: 'reconnect' });
        },
      },
      maxQueuedStanzas,
    ),
    hooks: {
      connect: new Set(),
      login: new Set(),
      close: new Set(),
      messageChildren: new Set(),
      messageSent: new Set(),
    },
    modules: new Map(),
    signalLock: new Mutex(),
    lease: undefined,
    credentials: undefined,
    connection: undefined,
    keepalive: undefined,
    qr: undefined,
    pairCode: undefined,
    attempt: undefined,
    generation: 0,
    failures: 0,
    reconnectTimer: undefined,
    stopping: Promise.resolve(),
    preKeyUpload: undefined,
    tasks: new Set(),
    serverTimeOffsetMs: 0,
    peers: undefined,
    groups: undefined,
  };
  return ctx;
}

/** The loaded credentials; throws when no connection attempt has loaded them yet. */
export function requireCredentials(ctx: ClientContext): DeviceCredentials {
  if (ctx.credentials === undefined) throw new NotConnectedError('no credentials loaded');
  return ctx.credentials;
}

/** True after `<success>` on the current connection. */
export function isLoggedIn(ctx: ClientContext): boolean {
  return ctx.lifecycle.state === 'connected';
}

/** Logs `error` and emits it as an `error` event, naming what failed. */
export function reportError(ctx: ClientContext, error: unknown, context: string): void {
  ctx.logger.warn?.(`${context} failed`, { error });
  ctx.events.emit('error', { error, context });
}
