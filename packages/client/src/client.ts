/**
 * The client: one object that owns a store, connects, keeps the connection alive, pairs, logs in,
 * and lets callers send nodes and IQs. The rules of when to connect, reconnect or stop live in
 * `connection/lifecycle.ts` (which state follows which) and `connection/disconnect-policy.ts`
 * (what the server's stream errors and failures mean); this file runs their effects.
 *
 * Behaviour worth knowing (also in the README):
 * - `connect()` resolves once the Noise handshake completed (socket up; pairing or logging in).
 *   Use `waitForConnected()` for "logged in". A second `connect()` while an attempt is running
 *   joins it (returns the same promise); while a reconnect timer runs it starts the attempt now.
 * - The user's own `connect()` attempt is not retried: if it fails before the handshake completes,
 *   `connect()` rejects and the client is `closed`. Connections that were up, and attempts the
 *   client started itself, are retried with backoff (unless `reconnect.enabled` is false).
 * - 515 (restart required, sent after pairing) reconnects at once even with reconnect disabled:
 *   it is a step of the login protocol, not a recovery.
 * - A server certificate that does not verify stops the client (`certificate-refused`): a wrong
 *   root is a configuration or security problem that retrying cannot fix.
 * - One client per store: `connect()` claims the store and rejects with `StoreInUseError` when
 *   another client holds it; the claim is released when the client stops.
 */
import { type BinaryNode, getBinaryContent, getChild } from '@wakit/binary-node';
import type { CryptoProvider } from '@wakit/crypto';
import { nodeCrypto } from '@wakit/crypto/node';
import { Emitter, type Listener } from './_emitter';
import { ackFor, iqResult, isServerPing, keepalivePing, removeCompanionDevice, setActive } from './_stanzas';
import { buildClientPayload, type ClientPayloadOptions } from './auth/client-payload';
import { companionPlatformId, DEFAULT_BROWSER } from './auth/companion-platform';
import { generateCredentials } from './auth/credentials';
import {
  handlePrimaryHello,
  type PairCodeState,
  parseCompanionHelloResult,
  startPairCode,
} from './auth/pair-code';
import { FIRST_QR_TIMEOUT_MS, handlePairDevice, NEXT_QR_TIMEOUT_MS } from './auth/pair-qr';
import { handlePairSuccess } from './auth/pair-success';
import {
  buildPreKeyCountQuery,
  buildPreKeyUpload,
  generatePreKeys,
  INITIAL_PREKEY_COUNT,
  MIN_PREKEY_COUNT,
  parsePreKeyCount,
} from './auth/prekeys';
import {
  type ReconnectOptions,
  type ReconnectPolicy,
  reconnectDelay,
  resolveReconnectPolicy,
} from './connection/backoff';
import {
  type DisconnectAction,
  type DisconnectReason,
  decideConnectFailure,
  decideStreamError,
} from './connection/disconnect-policy';
import {
  Keepalive,
  type KeepaliveOptions,
  type KeepalivePolicy,
  resolveKeepalivePolicy,
} from './connection/keepalive';
import { hasSocket, isActive, Lifecycle, type LifecycleState } from './connection/lifecycle';
import { HANDSHAKE_TIMEOUT_MS, NoiseConnection } from './connection/noise-connection';
import { QrRotation } from './connection/qr-rotation';
import {
  ConnectFailureError,
  ConnectionClosedError,
  NotConnectedError,
  PairingTimeoutError,
  StreamError,
  TimeoutError,
} from './errors';
import type { ClientEvents } from './events';
import { matchesNode, type NodeHandler, type NodeMatch } from './handlers';
import { IQ_TIMEOUT_MS, IqTracker } from './iq';
import type { DeviceCredentials, Store, StoreLease } from './store/store';
import { systemTimers, type TimerHandle, type Timers } from './timers';
import type { TransportFactory } from './transport/transport';
import { DEFAULT_WEBSOCKET_URL, WebSocketTransport } from './transport/websocket-transport';

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
}

/** Options of `query`. */
export interface QueryOptions {
  /** Default: the client's `iqTimeoutMs`. */
  timeoutMs?: number | undefined;
}

/**
 * Creates a client. Nothing happens until `connect()`.
 *
 * @example
 * ```ts
 * const client = createClient({ store: new MemoryStore() });
 * client.on('qr', ({ qr }) => showQr(qr));
 * client.on('connected', () => console.log('logged in'));
 * await client.connect();
 * await client.waitForConnected(5 * 60_000);
 * ```
 */
export function createClient(options: ClientOptions): Client {
  return new Client(options);
}

/** A WhatsApp Web companion client. Create with `createClient`. */
export class Client {
  readonly #store: Store;
  readonly #crypto: CryptoProvider;
  readonly #timers: Timers;
  readonly #random: () => number;
  readonly #logger: Logger;
  readonly #transportFactory: TransportFactory;
  readonly #rootPublicKey: Uint8Array | undefined;
  readonly #reconnect: ReconnectPolicy;
  readonly #keepalivePolicy: KeepalivePolicy;
  readonly #payloadOptions: ClientPayloadOptions;
  readonly #handshakeTimeoutMs: number;
  readonly #iqTimeoutMs: number;
  readonly #qrFirstMs: number;
  readonly #qrNextMs: number;
  readonly #events: Emitter<ClientEvents>;
  readonly #lifecycle: Lifecycle;
  readonly #iq: IqTracker;
  readonly #handlers = new Set<{ match: NodeMatch; handler: NodeHandler }>();

  #lease: StoreLease | undefined;
  #credentials: DeviceCredentials | undefined;
  #connection: NoiseConnection | undefined;
  #keepalive: Keepalive | undefined;
  #qr: QrRotation | undefined;
  #pairCode: PairCodeState | undefined;
  /** The running connection attempt (joined by a second `connect()`). */
  #attempt: Promise<void> | undefined;
  /** Bumped by `disconnect()`: an attempt that sees another generation after an await gives up. */
  #generation = 0;
  /** Reconnect attempts since the last `<success>`. */
  #failures = 0;
  #reconnectTimer: TimerHandle | undefined;
  /** Settles when the effects of the last stop (store clearing, lease release) are done. */
  #stopping: Promise<void> = Promise.resolve();
  #preKeyUpload: Promise<void> | undefined;

  constructor(options: ClientOptions) {
    if (options.store === undefined) throw new TypeError('"store" is required');
    this.#store = options.store;
    this.#crypto = options.crypto ?? nodeCrypto;
    this.#timers = options.timers ?? systemTimers;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger ?? {};
    const url = options.url ?? DEFAULT_WEBSOCKET_URL;
    this.#transportFactory = options.transport ?? (() => new WebSocketTransport({ url }));
    this.#rootPublicKey = options.rootPublicKey;
    this.#reconnect = resolveReconnectPolicy(options.reconnect);
    this.#keepalivePolicy = resolveKeepalivePolicy(options.keepalive);
    this.#payloadOptions = options.payload ?? {};
    this.#handshakeTimeoutMs = options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS;
    this.#iqTimeoutMs = options.iqTimeoutMs ?? IQ_TIMEOUT_MS;
    this.#qrFirstMs = options.qrTimeouts?.firstMs ?? FIRST_QR_TIMEOUT_MS;
    this.#qrNextMs = options.qrTimeouts?.nextMs ?? NEXT_QR_TIMEOUT_MS;
    this.#events = new Emitter((error, event) =>
      this.#logger.error?.('an event listener threw', { event: String(event), error }),
    );
    this.#lifecycle = new Lifecycle((from, to, event) => {
      this.#logger.debug?.(`lifecycle ${from} -> ${to}`, { event });
      this.#events.emit('state', { from, to, event });
    });
    this.#iq = new IqTracker(this.#timers, this.#crypto);
  }

  /** The lifecycle state. */
  get state(): LifecycleState {
    return this.#lifecycle.state;
  }

  /** True while the Noise socket is up (pairing, logging in or logged in). */
  get isConnected(): boolean {
    return hasSocket(this.#lifecycle.state);
  }

  /** True after `<success>` on the current connection. */
  get isLoggedIn(): boolean {
    return this.#lifecycle.state === 'connected';
  }

  /** The credentials in use (after the first connect). */
  get credentials(): DeviceCredentials | undefined {
    return this.#credentials;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): () => void {
    return this.#events.on(event, listener);
  }

  /** Subscribes to the next occurrence of an event; returns the unsubscribe function. */
  once<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): () => void {
    return this.#events.once(event, listener);
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): void {
    this.#events.off(event, listener);
  }

  /**
   * Connects: claims the store, creates credentials on first use, opens the transport and runs
   * the handshake. Resolves when the socket is up. Joins an attempt already running.
   *
   * @throws StoreInUseError when another client holds the store.
   * @throws the attempt's error (transport, handshake, `CertificateChainError`) when it fails.
   */
  connect(): Promise<void> {
    const state = this.#lifecycle.state;
    if (hasSocket(state)) return Promise.resolve();
    if (this.#attempt !== undefined) return this.#attempt;
    if (state === 'waiting-to-reconnect') {
      this.#clearReconnectTimer();
      this.#lifecycle.fire('retry');
      return this.#startAttempt(false);
    }
    if (isActive(state)) return Promise.reject(new Error(`connect() in state ${state} with no attempt`));
    const generation = this.#generation;
    const attempt = (async () => {
      await this.#stopping;
      const lease = await this.#store.claim();
      if (generation !== this.#generation) {
        await lease.release();
        throw new ConnectionClosedError('disconnect() was called while connecting');
      }
      this.#lease = lease;
      this.#lifecycle.fire('connect');
      this.#attempt = undefined;
      await this.#startAttempt(true);
    })();
    this.#attempt = attempt;
    const clear = () => {
      if (this.#attempt === attempt) this.#attempt = undefined;
    };
    attempt.then(clear, clear);
    return attempt;
  }

  /** Closes the connection for good (no reconnect). Idempotent; resolves when the store is released. */
  async disconnect(): Promise<void> {
    this.#generation += 1;
    this.#clearReconnectTimer();
    const state = this.#lifecycle.state;
    if (isActive(state) || state === 'waiting-to-reconnect') {
      this.#endConnection({ reason: 'user', action: 'stop' });
    }
    await this.#stopping;
  }

  /**
   * Unlinks this device: tells the server (`remove-companion-device`), closes, clears the store and
   * emits `logged-out`.
   *
   * @throws NotConnectedError when not logged in; IqError when the server refuses.
   */
  async logout(): Promise<void> {
    const jid = this.#credentials?.account?.jid;
    if (!this.isLoggedIn || jid === undefined)
      throw new NotConnectedError('logout() needs a logged-in connection');
    await this.query(removeCompanionDevice(jid));
    this.#generation += 1;
    this.#endConnection({ reason: 'logged-out', action: 'logout' });
    await this.#stopping;
  }

  /** Resolves when the socket is up; rejects with `TimeoutError` after `timeoutMs`, or when the client stops. */
  waitForSocket(timeoutMs: number): Promise<void> {
    return this.#waitForState(hasSocket, 'the socket', timeoutMs);
  }

  /** Resolves when logged in; rejects with `TimeoutError` after `timeoutMs`, or when the client stops. */
  waitForConnected(timeoutMs: number): Promise<void> {
    return this.#waitForState((state) => state === 'connected', 'the login', timeoutMs);
  }

  /**
   * Encrypts and sends a node.
   *
   * @throws NotConnectedError when the socket is not up.
   */
  async sendNode(node: BinaryNode): Promise<void> {
    const connection = this.#connection;
    if (connection === undefined || !hasSocket(this.#lifecycle.state)) {
      throw new NotConnectedError('sendNode() needs an open socket');
    }
    await connection.send(node);
  }

  /**
   * Sends an IQ and resolves with the `type="result"` reply. Adds an `id` when the node has none.
   *
   * @throws IqError for a `type="error"` reply; TimeoutError after `timeoutMs`;
   *   ConnectionClosedError when the connection closes first; NotConnectedError when it is not up.
   */
  async query(iq: BinaryNode, options: QueryOptions = {}): Promise<BinaryNode> {
    if (iq.tag !== 'iq') throw new TypeError(`query() expects an <iq>, got <${iq.tag}>`);
    const connection = this.#connection;
    if (connection === undefined || !hasSocket(this.#lifecycle.state)) {
      throw new NotConnectedError('query() needs an open socket');
    }
    const id = iq.attrs.id ?? this.#iq.nextId();
    const node: BinaryNode = iq.attrs.id === undefined ? { ...iq, attrs: { ...iq.attrs, id } } : iq;
    const reply = this.#iq.wait(id, options.timeoutMs ?? this.#iqTimeoutMs);
    connection.send(node).catch((error: unknown) => this.#iq.cancel(id, error));
    return reply;
  }

  /**
   * Runs `handler` for every received node `match` accepts (after the client's own handling).
   * Returns the function that unregisters it.
   *
   * @example
   * ```ts
   * const off = client.registerHandler({ tag: 'notification', attrs: { type: 'devices' } }, onDevices);
   * ```
   */
  registerHandler(match: NodeMatch, handler: NodeHandler): () => void {
    const entry = { match, handler };
    this.#handlers.add(entry);
    return () => {
      this.#handlers.delete(entry);
    };
  }

  /**
   * Asks for an 8-character pairing code for `phoneNumber` (digits, international format without
   * `+`), to be entered on the phone. Needs an open, unpaired socket (state `pairing`). Stops the
   * QR rotation: the user chose code linking.
   *
   * @throws NotConnectedError when not in the pairing state.
   */
  async requestPairingCode(phoneNumber: string): Promise<string> {
    const credentials = this.#credentials;
    if (this.#lifecycle.state !== 'pairing' || credentials === undefined) {
      throw new NotConnectedError('requestPairingCode() needs an open socket of an unpaired device');
    }
    const browser = this.#payloadOptions.browser ?? DEFAULT_BROWSER;
    const { code, iq, state } = await startPairCode(credentials, phoneNumber, this.#crypto, { browser });
    this.#pairCode = parseCompanionHelloResult(await this.query(iq), state);
    this.#qr?.stop();
    this.#events.emit('pair-code', { code });
    return code;
  }

  // --- connection attempts -------------------------------------------------------------------

  #startAttempt(byUser: boolean): Promise<void> {
    const attempt = this.#runAttempt(byUser, this.#generation);
    this.#attempt = attempt;
    const clear = () => {
      if (this.#attempt === attempt) this.#attempt = undefined;
    };
    attempt.then(clear, clear);
    return attempt;
  }

  async #runAttempt(byUser: boolean, generation: number): Promise<void> {
    let credentials: DeviceCredentials;
    let payload: Uint8Array;
    try {
      credentials = await this.#loadCredentials();
      payload = buildClientPayload(credentials, this.#payloadOptions);
    } catch (error) {
      if (generation === this.#generation)
        this.#endConnection({ reason: 'handshake-failed', action: 'stop', error });
      throw error;
    }
    if (generation !== this.#generation)
      throw new ConnectionClosedError('disconnect() was called while connecting');
    const paired = credentials.account !== undefined;
    const connection: NoiseConnection = new NoiseConnection({
      transport: this.#transportFactory(),
      crypto: this.#crypto,
      noiseKey: credentials.noiseKey,
      payload,
      rootPublicKey: this.#rootPublicKey,
      routingInfo: credentials.routingInfo,
      timers: this.#timers,
      handshakeTimeoutMs: this.#handshakeTimeoutMs,
      onTransportOpen: () => {
        if (this.#connection === connection) this.#lifecycle.fire('transport-open');
      },
      onHandshakeComplete: () => {
        // Runs before the next frame is read, so <success> always finds the state logging-in.
        if (this.#connection !== connection) return;
        this.#lifecycle.fire(paired ? 'handshake-login' : 'handshake-registration');
        this.#events.emit('socket-open', { paired });
        this.#startKeepalive(connection);
      },
      onNode: (node): Promise<void> => this.#onNode(connection, node),
      onClose: (end) => {
        if (this.#connection !== connection) return;
        // A user's first attempt that never got a socket is not retried: connect() reports it.
        const neverUp = !hasSocket(this.#lifecycle.state);
        const action = end.action ?? (byUser && neverUp ? 'stop' : defaultAction(end.reason));
        this.#endConnection({ ...end, action });
      },
    });
    this.#connection = connection;
    await connection.start();
  }

  async #loadCredentials(): Promise<DeviceCredentials> {
    let credentials = await this.#store.loadCredentials();
    if (credentials === undefined) {
      credentials = await generateCredentials(this.#crypto);
      await this.#store.saveCredentials(credentials);
      this.#logger.info?.('generated new device credentials');
    }
    this.#credentials = credentials;
    return credentials;
  }

  #startKeepalive(connection: NoiseConnection): void {
    this.#keepalive = new Keepalive(this.#keepalivePolicy, {
      timers: this.#timers,
      random: this.#random,
      lastReceivedAt: () => connection.lastReceivedAt,
      ping: (timeoutMs) => this.query(keepalivePing(), { timeoutMs }),
      onSilence: (silentForMs) => {
        this.#logger.warn?.('nothing received for too long; reconnecting', { silentForMs });
        connection.close({
          reason: 'keepalive-timeout',
          action: 'reconnect',
          error: new TimeoutError(`nothing received for ${silentForMs} ms`, silentForMs),
        });
      },
      onPingFailure: (error, failures) => this.#events.emit('keepalive-timeout', { failures, error }),
    });
    this.#keepalive.start();
  }

  /**
   * The one place a connection ends. Closes it (if any), decides between reconnecting and
   * stopping, fires the lifecycle event and emits `disconnected`.
   */
  #endConnection(end: { reason: DisconnectReason; action: DisconnectAction; error?: unknown }): void {
    const connection = this.#connection;
    if (connection !== undefined && !connection.closed) {
      // Re-enters through onClose with the same end.
      connection.close(end);
      return;
    }
    this.#connection = undefined;
    this.#keepalive?.stop();
    this.#keepalive = undefined;
    this.#qr?.stop();
    this.#qr = undefined;
    this.#pairCode = undefined;
    this.#iq.rejectAll(
      new ConnectionClosedError(`the connection closed (${end.reason})`, { cause: end.error }),
    );
    if (!isActive(this.#lifecycle.state) && this.#lifecycle.state !== 'waiting-to-reconnect') return;

    let { action } = end;
    if (action === 'reconnect' && !this.#reconnect.enabled) action = 'stop';
    if (action === 'reconnect' || action === 'reconnect-now') {
      if (action === 'reconnect') this.#failures += 1;
      const delayMs =
        action === 'reconnect' ? reconnectDelay(this.#reconnect, this.#failures, this.#random) : 0;
      this.#lifecycle.fire('drop');
      this.#logger.info?.('disconnected; reconnecting', { reason: end.reason, delayMs });
      this.#events.emit('disconnected', {
        reason: end.reason,
        error: end.error,
        willReconnect: true,
        delayMs,
      });
      this.#reconnectTimer = this.#timers.setTimeout(() => this.#onReconnectTimer(), delayMs);
      return;
    }
    this.#lifecycle.fire('stop');
    this.#logger.info?.('disconnected', { reason: end.reason });
    this.#events.emit('disconnected', { reason: end.reason, error: end.error, willReconnect: false });
    const lease = this.#lease;
    this.#lease = undefined;
    const previous = this.#stopping;
    this.#stopping = (async () => {
      await previous;
      try {
        if (action === 'logout') {
          await this.#store.clear();
          this.#credentials = undefined;
          this.#events.emit('logged-out', { reason: end.reason });
        }
      } catch (error) {
        this.#reportError(error, 'clearing the store after logout');
      } finally {
        await lease?.release().catch((error: unknown) => this.#reportError(error, 'releasing the store'));
      }
    })();
  }

  #onReconnectTimer(): void {
    this.#reconnectTimer = undefined;
    if (this.#lifecycle.state !== 'waiting-to-reconnect') return;
    this.#lifecycle.fire('retry');
    // Failures are handled (and reported) by #endConnection; nobody awaits an automatic attempt.
    this.#startAttempt(false).catch(() => {});
  }

  #clearReconnectTimer(): void {
    if (this.#reconnectTimer !== undefined) this.#timers.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
  }

  #waitForState(done: (state: LifecycleState) => boolean, what: string, timeoutMs: number): Promise<void> {
    if (done(this.#lifecycle.state)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = this.#events.on('state', ({ to }) => {
        if (done(to)) {
          finish();
          resolve();
        } else if (to === 'closed') {
          finish();
          reject(new ConnectionClosedError(`the client stopped while waiting for ${what}`));
        }
      });
      const timer = this.#timers.setTimeout(() => {
        off();
        reject(new TimeoutError(`no ${what.replace(/^the /, '')} within ${timeoutMs} ms`, timeoutMs));
      }, timeoutMs);
      const finish = () => {
        off();
        this.#timers.clearTimeout(timer);
      };
    });
  }

  // --- received nodes ------------------------------------------------------------------------

  async #onNode(connection: NoiseConnection, node: BinaryNode): Promise<void> {
    this.#events.emit('node', node);
    if (this.#iq.receive(node)) return;
    try {
      await this.#handleBuiltIn(connection, node);
    } catch (error) {
      this.#reportError(error, `handling <${node.tag}>`);
    }
    for (const { match, handler } of [...this.#handlers]) {
      if (!matchesNode(match, node)) continue;
      try {
        const result = handler(node);
        if (result !== undefined)
          result.catch((error: unknown) => this.#reportError(error, 'a registered handler'));
      } catch (error) {
        this.#reportError(error, 'a registered handler');
      }
    }
  }

  /**
   * The client's own stanza handling. Awaited before the next frame is read, so it must never wait
   * for a server reply (that reply would queue behind it): IQs are sent in the background.
   */
  async #handleBuiltIn(connection: NoiseConnection, node: BinaryNode): Promise<void> {
    switch (node.tag) {
      case 'iq':
        if (isServerPing(node)) this.#background(connection.send(iqResult(node)), 'answering a server ping');
        else if (getChild(node, 'pair-device') !== undefined) await this.#onPairDevice(connection, node);
        else if (getChild(node, 'pair-success') !== undefined) await this.#onPairSuccess(connection, node);
        return;
      case 'success':
        this.#onSuccess(connection, node);
        return;
      case 'failure': {
        const reason = Number.parseInt(node.attrs.reason ?? '', 10);
        const decision = decideConnectFailure(reason);
        connection.close({ ...decision, error: new ConnectFailureError(reason, node) });
        return;
      }
      case 'stream:error': {
        const code = node.attrs.code ?? '';
        const conflict = getChild(node, 'conflict')?.attrs.type;
        this.#events.emit('stream-error', { code, conflict, node });
        const decision = decideStreamError(node);
        if (decision.action !== 'ignore') {
          connection.close({
            reason: decision.reason,
            action: decision.action,
            error: new StreamError(code, conflict, node),
          });
        }
        return;
      }
      case 'xmlstreamend':
        connection.close({ reason: 'stream-end', action: 'reconnect' });
        return;
      case 'ib':
        await this.#onIb(node);
        return;
      case 'notification':
        this.#background(connection.send(ackFor(node)), 'acking a notification');
        await this.#onNotification(connection, node);
        return;
    }
  }

  async #onPairDevice(connection: NoiseConnection, node: BinaryNode): Promise<void> {
    const credentials = this.#requireCredentials();
    const platform = companionPlatformId(this.#payloadOptions.browser ?? DEFAULT_BROWSER);
    const { ack, qrs } = handlePairDevice(node, credentials, platform);
    await connection.send(ack);
    this.#qr?.stop();
    this.#qr = new QrRotation(this.#timers, qrs, this.#qrFirstMs, this.#qrNextMs, {
      onQr: (qr, index, count, timeoutMs) => this.#events.emit('qr', { qr, index, count, timeoutMs }),
      onExhausted: () => {
        const error = new PairingTimeoutError(`all ${qrs.length} QR codes expired unscanned`);
        this.#events.emit('pairing-failed', { error });
        connection.close({ reason: 'pairing-failed', action: 'stop', error });
      },
    });
    this.#qr.start();
  }

  async #onPairSuccess(connection: NoiseConnection, node: BinaryNode): Promise<void> {
    this.#qr?.stop();
    let result: Awaited<ReturnType<typeof handlePairSuccess>>;
    try {
      result = await handlePairSuccess(node, this.#requireCredentials(), this.#crypto);
    } catch (error) {
      const reply = (error as { reply?: BinaryNode }).reply;
      if (reply !== undefined) this.#background(connection.send(reply), 'refusing a pair-success');
      this.#events.emit('pairing-failed', { error });
      return;
    }
    // Saved before the reply goes out: once the server has our signature it considers us paired,
    // and a crash in between must not leave a paired account with unpaired credentials.
    await this.#store.saveCredentials(result.credentials);
    this.#credentials = result.credentials;
    await connection.send(result.reply);
    this.#pairCode = undefined;
    this.#events.emit('paired', { account: result.credentials.account! });
  }

  #onSuccess(connection: NoiseConnection, node: BinaryNode): void {
    this.#failures = 0;
    this.#lifecycle.fire('success');
    this.#events.emit('connected', { node });
    this.#background(this.#afterLogin(connection), 'post-login setup');
  }

  /** PROTOCOL.md §12 step 7: prekeys, then leave passive mode. */
  async #afterLogin(connection: NoiseConnection): Promise<void> {
    const count = parsePreKeyCount(await this.query(buildPreKeyCountQuery()));
    await this.#refillPreKeys(count);
    if (this.#connection !== connection) return;
    await this.query(setActive());
  }

  /**
   * Uploads prekeys when the server holds fewer than MIN_PREKEY_COUNT: the full initial batch of
   * 812 on first login (count 0), else a top-up to 812 (whatsapp-rust; the references disagree on
   * the refill size, PROTOCOL.md §6.5). One upload at a time.
   */
  async #refillPreKeys(serverCount: number): Promise<void> {
    if (serverCount >= MIN_PREKEY_COUNT) return;
    if (this.#preKeyUpload !== undefined) return this.#preKeyUpload;
    const upload = (async () => {
      const wanted = INITIAL_PREKEY_COUNT - serverCount;
      const { preKeys, credentials } = await generatePreKeys(
        this.#requireCredentials(),
        wanted,
        this.#crypto,
      );
      // Stored before the upload: the server may hand a key out the moment it has it.
      await this.#store.storePreKeys(preKeys);
      await this.#store.saveCredentials(credentials);
      this.#credentials = credentials;
      await this.query(buildPreKeyUpload(credentials, preKeys));
      this.#events.emit('prekeys-uploaded', { count: preKeys.length });
    })();
    this.#preKeyUpload = upload;
    try {
      await upload;
    } finally {
      this.#preKeyUpload = undefined;
    }
  }

  async #onNotification(connection: NoiseConnection, node: BinaryNode): Promise<void> {
    const type = node.attrs.type;
    if (type === 'encrypt') {
      const value = getChild(node, 'count')?.attrs.value;
      if (value !== undefined && this.isLoggedIn) {
        this.#background(this.#refillPreKeys(Number.parseInt(value, 10)), 'refilling prekeys');
      }
    } else if (type === 'link_code_companion_reg') {
      const stage = getChild(node, 'link_code_companion_reg')?.attrs.stage;
      const state = this.#pairCode;
      if (stage !== 'primary_hello' || state === undefined) return;
      const { iq, credentials } = await handlePrimaryHello(
        node,
        state,
        this.#requireCredentials(),
        this.#crypto,
      );
      // The new ADV secret must be durable before the primary can answer with pair-success.
      await this.#store.saveCredentials(credentials);
      this.#credentials = credentials;
      if (this.#connection === connection) this.#background(this.query(iq), 'finishing pair-code linking');
    }
  }

  async #onIb(node: BinaryNode): Promise<void> {
    const routing = getChild(node, 'edge_routing');
    const info = routing === undefined ? undefined : getChild(routing, 'routing_info');
    const bytes = info === undefined ? undefined : getBinaryContent(info);
    if (bytes === undefined || this.#credentials === undefined) return;
    // Sent in the preamble of the next connection (PROTOCOL.md §1).
    this.#credentials = { ...this.#credentials, routingInfo: bytes };
    await this.#store.saveCredentials(this.#credentials);
  }

  #requireCredentials(): DeviceCredentials {
    if (this.#credentials === undefined) throw new NotConnectedError('no credentials loaded');
    return this.#credentials;
  }

  #background(promise: Promise<unknown>, context: string): void {
    promise.catch((error: unknown) => this.#reportError(error, context));
  }

  #reportError(error: unknown, context: string): void {
    this.#logger.warn?.(`${context} failed`, { error });
    this.#events.emit('error', { error, context });
  }
}

/** What an end the connection reported itself (no stanza decided it) leads to. */
function defaultAction(reason: DisconnectReason): DisconnectAction {
  return reason === 'certificate-refused' ? 'stop' : 'reconnect';
}
