/**
 * One person of the messaging demo: a virtual phone on the server, and a client "process" (the
 * `wakit` facade's client, every feature mounted) with its own SQLite file that the story links,
 * takes offline, brings back and restarts. A restart is a new store and a new client on the same
 * file, exactly what a new process would open.
 */
import { basename } from 'node:path';
import type { MessageEvent } from '@wakit/client';
import { renderQr } from '@wakit/client/qr';
import { openSqliteStore, type SqliteStore } from '@wakit/client/sqlite';
import type { VirtualPhone, WaServer } from '@wakit/server';
import { createClient, type WakitClient } from 'wakit';
import { type Account, receiptPhrase } from './cast';
import { DEMO_WAIT_MS, nextEvent, within } from './deadline';
import { type LoggedReceipt, narrate, type Output } from './narration';

/** A running client "process": its client, its store, and the narration to stop with it. */
interface Running {
  client: WakitClient;
  store: SqliteStore;
  stopNarration: () => void;
}

/**
 * A person of the story: `link` once, then `send`, `messages`, `printReceipts`, `goOffline` /
 * `comeBack`, `restart`, and `stop` at the end. Every wait has a deadline (`deadline.ts`).
 */
export class Person {
  readonly #server: WaServer;
  readonly #accounts: readonly Account[];
  readonly #output: Output;
  /** Receipts not printed yet, across restarts (the story prints them per message). */
  readonly #receipts: LoggedReceipt[] = [];
  #running: Running | undefined;

  constructor(
    server: WaServer,
    readonly phone: VirtualPhone,
    readonly name: string,
    readonly databasePath: string,
    /** Every account of the story, to name the devices in messages and receipts. */
    accounts: readonly Account[],
    output: Output,
  ) {
    this.#server = server;
    this.#accounts = accounts;
    this.#output = output;
  }

  /** The client of the current "process". */
  get client(): WakitClient {
    if (!this.#running) throw new RangeError(`${this.name} has no running client`);
    return this.#running.client;
  }

  /** "Alice's phone" / "Alice's client", as receipts and messages name them. */
  device(kind: 'phone' | 'client'): string {
    return `${this.name}'s ${kind}`;
  }

  /**
   * Links a client with an empty store: it shows a QR code (drawn when `showQr`), the phone scans
   * it, the server restarts the stream (515), the client logs in and uploads its prekeys.
   */
  async link(showQr: boolean): Promise<void> {
    const client = this.#start();
    const scanned = new Promise<string>((resolve, reject) => {
      client.once('qr', ({ qr, timeoutMs }) => {
        this.#output.print(`   ${this.name}: QR code (valid ${timeoutMs / 1000} s): ${qr}`);
        if (showQr) this.#output.print(renderQr(qr, { quietZone: 2 }));
        this.phone.scanQr(qr).then(resolve, reject);
      });
    });
    // Every wait starts before connect(), so neither an early event nor a failed scan is missed.
    const linked = within(scanned, `${this.name}'s phone scanning the QR code`);
    const uploaded = nextEvent(client, 'prekeys-uploaded', `${this.name}'s prekey upload`);
    const synced = nextEvent(client, 'offline-sync-complete', `${this.name}'s first offline sync`);
    await client.connect();
    await linked;
    await client.waitForConnected(DEMO_WAIT_MS);
    await uploaded;
    await synced;
  }

  /** The "process" restarts: the client and store close, new ones open the same file and log in. */
  async restart(): Promise<void> {
    await this.stop();
    this.#output.print(
      `   ${this.name}'s process restarts: a new client opens ${basename(this.databasePath)}`,
    );
    const client = this.#start();
    const synced = nextEvent(
      client,
      'offline-sync-complete',
      `${this.name}'s offline sync after the restart`,
    );
    await client.connect();
    await client.waitForConnected(DEMO_WAIT_MS);
    await synced;
  }

  /** Disconnects the client (the process stays; its store stays open). */
  async goOffline(): Promise<void> {
    this.#output.print(`   ${this.name}'s client disconnects`);
    await this.client.disconnect();
  }

  /** Connects the same client again and waits until it has handled its offline queue. */
  async comeBack(): Promise<void> {
    this.#output.print(`   ${this.name}'s client connects again`);
    const synced = nextEvent(this.client, 'offline-sync-complete', `${this.name}'s offline catch-up`);
    await this.client.connect();
    await synced;
  }

  /** Sends `text` to `to` (its phone's PN JID unless `chat` names the chat); resolves with the id on the server's ack. */
  send(to: Person, text: string, chat = to.phone.jid): Promise<string> {
    this.#output.print(`   ${this.name} → ${to.name}: "${text}"`);
    return this.client.sendMessage(chat, { conversation: text });
  }

  /** The next `count` messages this client receives; call before they can arrive. */
  messages(count: number): Promise<MessageEvent[]> {
    const got: MessageEvent[] = [];
    const what = `${count} message(s) reaching ${this.name}'s client`;
    return nextEvent(this.client, 'message', what, (event) => got.push(event) === count).then(() => got);
  }

  /**
   * Waits until every id in `ids` has a receipt for each of `expected` (`[type, device]`), then
   * prints one line with every receipt logged for those ids, in order of arrival.
   */
  async printReceipts(
    ids: readonly string[],
    expected: readonly [type: string, device: string][],
  ): Promise<void> {
    const phrases = expected.map(([type, device]) => receiptPhrase(type, device));
    const complete = () =>
      ids.every((id) => phrases.every((p) => this.#receipts.some((r) => r.id === id && r.phrase === p)));
    // The narration logs each receipt before this filter sees the event (listeners run in order).
    if (!complete()) await nextEvent(this.client, 'receipt', `receipts for ${ids.join(', ')}`, complete);
    const counts = new Map<string, number>();
    for (const receipt of this.#receipts.filter((r) => ids.includes(r.id)))
      counts.set(receipt.phrase, (counts.get(receipt.phrase) ?? 0) + 1);
    this.#receipts.splice(0, this.#receipts.length, ...this.#receipts.filter((r) => !ids.includes(r.id)));
    const which = ids.length === 1 ? ids[0] : `the ${ids.length} messages`;
    const list = [...counts].map(([phrase, n]) => (ids.length === 1 ? phrase : `${phrase} ×${n}`));
    this.#output.print(`   ${this.name} ← receipts for ${which}: ${list.join(', ')}`);
  }

  /** Closes the client and its store. */
  async stop(): Promise<void> {
    const running = this.#running;
    if (!running) return;
    this.#running = undefined;
    try {
      await running.client.disconnect();
    } finally {
      running.stopNarration();
      await running.store.close();
    }
  }

  #start(): WakitClient {
    const store = openSqliteStore(this.databasePath);
    const client = createClient({ store, url: this.#server.url, rootPublicKey: this.#server.rootPublicKey });
    const stopNarration = narrate(client, this.name, this.#accounts, this.#receipts, this.#output);
    this.#running = { client, store, stopNarration };
    return client;
  }
}
