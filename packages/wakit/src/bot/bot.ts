/**
 * The seed's Bot builder: a client with sensible defaults for a program that serves one account,
 * handlers registered fluently, and `run()` until it is stopped.
 *
 * A bot owns its run: it opens the store (a SQLite file unless given one), creates the client with
 * every feature mounted, prints what a person must do to link it, connects, reconnects (the
 * client's policy), and ends on `stop()`, a signal, a logout, or a disconnect the client will not
 * recover from. Handlers may be async; one that fails is reported to `onError` handlers (or the
 * logger) and the bot carries on, and `stop()` lets the running ones finish before disconnecting.
 */
import type { ClientEvents, ClientPayloadOptions, DisconnectReason, Store } from '@wakit/client';
import { WaWebVersionCache } from '@wakit/features';
import { createClient, type WakitClient } from '../create-client';
import { BotAlreadyRunningError, BotNotStartedError } from '../errors';
import { type BotOptions, DEFAULT_BOT_STORE_PATH } from './bot-options';
import { BotPrinter } from './bot-output';
import { type MessageContext, messageContext } from './message-context';
import { loadSqliteEntry } from './sqlite-entry';

/** Why `run()` ended: `stopped` by `stop()` or a signal, a logout, or a disconnect not retried. */
export type BotEndReason = 'stopped' | DisconnectReason;

/** What `run()` resolves with. */
export interface BotRunResult {
  reason: BotEndReason;
  /** The error behind a disconnect, when there was one. */
  error?: unknown;
}

/** A failure inside a handler or the client's background work. */
export interface BotError {
  error: unknown;
  /** What failed: `handler:<event>` for a handler, the client's context for its own work. */
  context: string;
}

type Handler<T> = (payload: T, client: WakitClient) => unknown;
type Registration = (client: WakitClient) => () => void;

/**
 * A bot: register handlers (each method returns the bot), then `await bot.run()`.
 *
 * @example
 * ```ts
 * import { createBot } from 'wakit';
 * const result = await createBot()
 *   .onMessage(async (m) => {
 *     if (m.text === 'ping') await m.reply('pong');
 *   })
 *   .onConnected((client) => client.presence.setAvailable())
 *   .run();
 * console.log(`bot ended: ${result.reason}`);
 * ```
 */
export class Bot {
  readonly #options: BotOptions;
  readonly #registrations: Registration[] = [];
  readonly #errorHandlers: ((error: BotError) => unknown)[] = [];
  readonly #inFlight = new Set<Promise<unknown>>();
  #client: WakitClient | undefined;
  #end: ((result: BotRunResult) => void) | undefined;

  constructor(options: BotOptions = {}) {
    this.#options = options;
  }

  /** The running client (every feature mounted). @throws BotNotStartedError before `run()`. */
  get client(): WakitClient {
    if (this.#client === undefined) throw new BotNotStartedError();
    return this.#client;
  }

  /** Handles every received message (ours from other devices too: check `info.fromMe`). */
  onMessage(handler: (message: MessageContext) => unknown): this {
    return this.#register('message', (event, client) => handler(messageContext(client, event)), 'message');
  }

  /** Each QR code to show (printed already unless `output` is false). */
  onQr(handler: Handler<ClientEvents['qr']>): this {
    return this.#register('qr', handler);
  }

  /** The pairing code obtained for `pairWithPhone`. */
  onPairCode(handler: Handler<ClientEvents['pair-code']>): this {
    return this.#register('pair-code', handler);
  }

  /** Each login (the first and every reconnect). */
  onConnected(handler: (client: WakitClient) => unknown): this {
    return this.#register('connected', (_event, client) => handler(client));
  }

  /** Each disconnect, with whether the client will reconnect. */
  onDisconnected(handler: Handler<ClientEvents['disconnected']>): this {
    return this.#register('disconnected', handler);
  }

  /** The device was unlinked; `run()` ends after the handlers. */
  onLoggedOut(handler: Handler<ClientEvents['logged-out']>): this {
    return this.#register('logged-out', handler);
  }

  /** Any client event, by name (features add theirs: `presence`, `blocklist-update`, …). */
  on<K extends keyof ClientEvents & string>(event: K, handler: Handler<ClientEvents[K]>): this {
    return this.#register(event, handler);
  }

  /** A handler failed, or the client's background work did. Without one, failures go to the logger. */
  onError(handler: (error: BotError) => unknown): this {
    this.#errorHandlers.push(handler);
    return this;
  }

  /**
   * Opens the store, connects (linking first when the device is new) and runs until `stop()`, a
   * signal, a logout, or a disconnect the client will not retry.
   *
   * @throws BotAlreadyRunningError when already running; what opening the store or the first
   *   connect throws (a missing better-sqlite3, a store in use by another process, a server that
   *   cannot be reached: the client retries only connections that were once up).
   */
  async run(): Promise<BotRunResult> {
    if (this.#end !== undefined) throw new BotAlreadyRunningError();
    const ended = new Promise<BotRunResult>((resolve) => {
      this.#end = resolve;
    });
    const { store, opened } = await this.#openStore().catch((error: unknown) => {
      this.#end = undefined;
      throw error;
    });
    const payload = await this.#payload(store).catch(async (error: unknown) => {
      if (opened) await store.close();
      this.#end = undefined;
      throw error;
    });
    const client = createClient({ ...this.#options, store, payload });
    this.#client = client;
    const detach = [
      ...this.#ownListeners(client, store),
      ...this.#registrations.map((attach) => attach(client)),
    ];
    const releaseSignals = this.#options.stopOnSignals === false ? () => {} : this.#stopOnSignals();
    try {
      await this.#start(client);
      const result = await ended;
      await this.#settleHandlers();
      return result;
    } finally {
      releaseSignals();
      await client.disconnect();
      for (const off of detach) off();
      if (opened) await store.close();
      this.#end = undefined;
    }
  }

  /** Ends `run()`: running handlers finish, then the client disconnects. Does nothing when not running. */
  stop(): void {
    this.#end?.({ reason: 'stopped' });
  }

  async #openStore(): Promise<{ store: Store; opened: boolean }> {
    const given = this.#options.store ?? DEFAULT_BOT_STORE_PATH;
    if (typeof given !== 'string') return { store: given, opened: false };
    const { openSqliteStore } = await loadSqliteEntry();
    return { store: openSqliteStore(given), opened: true };
  }

  /** The ClientPayload options, with the fetched WhatsApp Web version when `fetchVersion` says so. */
  async #payload(store: Store): Promise<ClientPayloadOptions | undefined> {
    const { payload, fetchVersion = this.#options.url === undefined } = this.#options;
    if (payload?.version !== undefined || fetchVersion === false) return payload;
    const cache = new WaWebVersionCache({ ...(fetchVersion === true ? {} : fetchVersion), kv: store.kv });
    return { ...payload, version: (await cache.get()).version };
  }

  /** The first connect, which the client does not retry: its failure is `run()`'s. */
  async #start(client: WakitClient): Promise<void> {
    await client.connect();
    const phone = this.#options.pairWithPhone;
    if (phone !== undefined && client.state === 'pairing') {
      const code = await client.requestPairingCode(phone);
      this.#printer()?.pairCode(phone, code);
    }
  }

  /** The bot's own listeners: printing, and the ends of a run. */
  #ownListeners(client: WakitClient, store: Store): (() => void)[] {
    const printer = this.#printer();
    const linking = this.#options.pairWithPhone !== undefined;
    return [
      client.on('qr', (event) => (linking ? undefined : printer?.qr(event))),
      client.on('connected', () => {
        if (printer === undefined) return;
        store.loadCredentials().then(
          (credentials) => printer.connected(credentials?.account?.jid),
          () => printer.connected(undefined),
        );
      }),
      client.on('disconnected', (event) => {
        printer?.disconnected(event);
        if (!event.willReconnect && event.reason !== 'user') {
          this.#end?.({ reason: event.reason, ...(event.error === undefined ? {} : { error: event.error }) });
        }
      }),
      client.on('logged-out', (event) => {
        printer?.loggedOut(event);
        this.#end?.({ reason: event.reason });
      }),
      client.on('error', (event) => this.#reportError(event)),
    ];
  }

  #printer(): BotPrinter | undefined {
    const output = this.#options.output ?? process.stdout;
    return output === false ? undefined : new BotPrinter(output);
  }

  #register<K extends keyof ClientEvents & string>(
    event: K,
    handler: Handler<ClientEvents[K]>,
    name = event,
  ): this {
    this.#registrations.push((client) =>
      client.on(event, (payload) => this.#track(`handler:${name}`, () => handler(payload, client))),
    );
    return this;
  }

  /** Runs a handler; its failure, thrown or rejected, is reported and never escapes. */
  #track(context: string, run: () => unknown): void {
    let outcome: unknown;
    try {
      outcome = run();
    } catch (error) {
      this.#reportError({ error, context });
      return;
    }
    if (!(outcome instanceof Promise)) return;
    const settled = outcome.then(
      () => {},
      (error: unknown) => this.#reportError({ error, context }),
    );
    this.#inFlight.add(settled);
    void settled.finally(() => this.#inFlight.delete(settled));
  }

  async #settleHandlers(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  #reportError(error: BotError): void {
    if (this.#errorHandlers.length === 0) {
      this.#options.logger?.error?.(`bot: ${error.context} failed`, { error: error.error });
      return;
    }
    for (const handler of this.#errorHandlers) {
      try {
        void Promise.resolve(handler(error)).catch(() => {});
      } catch {
        // An error handler that fails has nowhere left to report to.
      }
    }
  }

  #stopOnSignals(): () => void {
    const onSignal = () => this.stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
  }
}

/** A bot over a new client (see `BotOptions` for the defaults). */
export function createBot(options: BotOptions = {}): Bot {
  return new Bot(options);
}
