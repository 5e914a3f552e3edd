/**
 * The client: one object that owns a store, connects, keeps the connection alive, pairs, logs in,
 * and lets callers send nodes and IQs. The rules of when to connect, reconnect or stop live in
 * `connection/lifecycle.ts` (which state follows which) and `connection/disconnect-policy.ts`
 * (what the server's stream errors and failures mean); `client/connection-runner.ts` runs their
 * effects. This file is the public API: each method hands the client's private context to the
 * module under `client/` that does the work (received nodes: `client/dispatch.ts`; pairing:
 * `client/pairing.ts`; login and prekeys: `client/login.ts`).
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
import type { BinaryNode } from '@wakit/binary-node';
import type { Listener } from './_emitter';
import { connect } from './client/connection-runner';
import { type ClientContext, createClientContext, isLoggedIn } from './client/context';
import { coreStanzaHandlers } from './client/dispatch';
import { mountMessaging } from './client/messaging-wiring';
import { useModule } from './client/module-host';
import { requestPairingCode } from './client/pairing';
import { query, sendNode } from './client/send';
import { disconnect, logout } from './client/stop';
import { waitForState } from './client/wait-for-state';
import type { ClientOptions, QueryOptions } from './client-options';
import { hasSocket, type LifecycleState } from './connection/lifecycle';
import type { ClientEvents } from './events';
import type { NodeHandler, NodeMatch } from './handlers';
import { editMessage, markRead, revokeMessage } from './messaging/actions';
import type { Messaging } from './messaging/messaging';
import { type SendOptions, sendMessage } from './messaging/send';
import type { MessageInput } from './messaging/wire/message-codec';
import type { ClientModule } from './modules/module';
import type { DeviceCredentials } from './store/store';

export type { ClientOptions, Logger, QueryOptions } from './client-options';

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
  readonly #ctx: ClientContext;
  readonly #messaging: Messaging;

  constructor(options: ClientOptions) {
    this.#ctx = createClientContext(options);
    for (const handler of coreStanzaHandlers(this.#ctx)) this.#ctx.pipeline.add(handler);
    this.#messaging = mountMessaging(this.#ctx);
  }

  /** The lifecycle state. */
  get state(): LifecycleState {
    return this.#ctx.lifecycle.state;
  }

  /** True while the Noise socket is up (pairing, logging in or logged in). */
  get isConnected(): boolean {
    return hasSocket(this.#ctx.lifecycle.state);
  }

  /** True after `<success>` on the current connection. */
  get isLoggedIn(): boolean {
    return isLoggedIn(this.#ctx);
  }

  /** The credentials in use (after the first connect). */
  get credentials(): DeviceCredentials | undefined {
    return this.#ctx.credentials;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): () => void {
    return this.#ctx.events.on(event, listener);
  }

  /** Subscribes to the next occurrence of an event; returns the unsubscribe function. */
  once<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): () => void {
    return this.#ctx.events.once(event, listener);
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): void {
    this.#ctx.events.off(event, listener);
  }

  /**
   * Connects: claims the store, creates credentials on first use, opens the transport and runs
   * the handshake. Resolves when the socket is up. Joins an attempt already running.
   *
   * @throws StoreInUseError when another client holds the store.
   * @throws the attempt's error (transport, handshake, `CertificateChainError`) when it fails.
   */
  connect(): Promise<void> {
    return connect(this.#ctx);
  }

  /** Closes the connection for good (no reconnect). Idempotent; resolves when the store is released. */
  disconnect(): Promise<void> {
    return disconnect(this.#ctx);
  }

  /**
   * Unlinks this device: tells the server (`remove-companion-device`), closes, clears the store and
   * emits `logged-out`.
   *
   * @throws NotConnectedError when not logged in; IqError when the server refuses.
   */
  logout(): Promise<void> {
    return logout(this.#ctx);
  }

  /** Resolves when the socket is up; rejects with `TimeoutError` after `timeoutMs`, or when the client stops. */
  waitForSocket(timeoutMs: number): Promise<void> {
    return waitForState(this.#ctx, hasSocket, 'the socket', timeoutMs);
  }

  /** Resolves when logged in; rejects with `TimeoutError` after `timeoutMs`, or when the client stops. */
  waitForConnected(timeoutMs: number): Promise<void> {
    return waitForState(this.#ctx, (state) => state === 'connected', 'the login', timeoutMs);
  }

  /**
   * Encrypts and sends a node.
   *
   * @throws NotConnectedError when the socket is not up.
   */
  sendNode(node: BinaryNode): Promise<void> {
    return sendNode(this.#ctx, node);
  }

  /**
   * Sends an IQ and resolves with the `type="result"` reply. Adds an `id` when the node has none.
   *
   * @throws IqError for a `type="error"` reply; TimeoutError after `timeoutMs`;
   *   ConnectionClosedError when the connection closes first; NotConnectedError when it is not up.
   */
  query(iq: BinaryNode, options: QueryOptions = {}): Promise<BinaryNode> {
    return query(this.#ctx, iq, options);
  }

  /**
   * Runs `handler` for every received stanza `match` accepts, after the handler that claimed it,
   * and awaits it before the stanza is acked. Returns the function that unregisters it.
   *
   * @example
   * ```ts
   * const off = client.registerHandler({ tag: 'notification', attrs: { type: 'devices' } }, onDevices);
   * ```
   */
  registerHandler(match: NodeMatch, handler: NodeHandler): () => void {
    return this.#ctx.pipeline.observe(match, handler);
  }

  /**
   * Mounts a module (see `defineModule`): runs its setup once and returns its API; a second call
   * with the same module name returns the same API.
   */
  use<Api>(module: ClientModule<Api>): Api {
    return useModule(this.#ctx, module);
  }

  /**
   * Sends a 1:1 message to `to` (a user's PN or LID JID) and every other device of our account;
   * resolves with the message id once the server acked it. `message` is a `Message` or its init
   * object. Sends to one chat reach the wire in call order, also when not awaited; each is
   * committed to the store before it is written.
   *
   * @throws RangeError when `to` is not a user's JID; NotConnectedError when not logged in;
   *   NoRecipientDevicesError when the server lists no device of `to`; MessageRejectedError when
   *   the server refuses it; TimeoutError when it does not ack in time; ConnectionClosedError when
   *   the connection closes first.
   * @example
   * ```ts
   * const id = await client.sendMessage('15551234567@s.whatsapp.net', { conversation: 'hi' });
   * ```
   */
  sendMessage(to: string, message: MessageInput, options?: SendOptions): Promise<string> {
    return sendMessage(this.#messaging, to, message, options);
  }

  /** Replaces the content of our message `id` in `chat`; resolves with the edit's own message id. */
  editMessage(chat: string, id: string, newContent: MessageInput, options?: SendOptions): Promise<string> {
    return editMessage(this.#messaging, chat, id, newContent, options);
  }

  /** Revokes our message `id` in `chat` for everyone; resolves with the revoke's own message id. */
  revokeMessage(chat: string, id: string, options?: SendOptions): Promise<string> {
    return revokeMessage(this.#messaging, chat, id, options);
  }

  /**
   * Sends a read receipt for messages `ids` of `chat` (`sender`: the sending device, for group
   * messages).
   */
  markRead(chat: string, ids: readonly string[], sender?: string): Promise<void> {
    return markRead(this.#messaging, chat, ids, sender);
  }

  /**
   * Asks for an 8-character pairing code for `phoneNumber` (digits, international format without
   * `+`), to be entered on the phone. Needs an open, unpaired socket (state `pairing`). Stops the
   * QR rotation: the user chose code linking.
   *
   * @throws NotConnectedError when not in the pairing state.
   */
  requestPairingCode(phoneNumber: string): Promise<string> {
    return requestPairingCode(this.#ctx, phoneNumber);
  }
}
