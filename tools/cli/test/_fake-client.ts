/**
 * A client without a network, for `wakit link`'s tests: the test emits its events. It keeps the
 * rules of the real one that `link` relies on: `connect()` claims the store and reads its
 * credentials (a paired store logs in, an unpaired one pairs), `requestPairingCode` only works
 * while pairing, and `disconnect()` emits `disconnected` (reason `user`) and releases the store.
 */
import type { ClientEvents, LifecycleState, StoreLease } from '@wakit/client';
import type { CreateClient, LinkClient, LinkClientOptions } from '../src/client-contract';
import { DEADLINE_MS } from './_fake-deps';

export class FakeClient implements LinkClient {
  state: LifecycleState = 'idle';
  readonly requestedCodes: string[] = [];
  disconnectCalls = 0;
  /** Set before `connect()` to make it reject. */
  connectError: Error | undefined;
  readonly #listeners = new Map<keyof ClientEvents, Set<(payload: never) => void>>();
  #lease: StoreLease | undefined;
  #connected!: () => void;
  /** Resolves once `connect()` has claimed the store and set the state. */
  readonly connected = new Promise<void>((resolve) => {
    this.#connected = resolve;
  });

  constructor(
    readonly options: LinkClientOptions,
    readonly pairCode = 'ABCD2345',
  ) {}

  on<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    this.#listeners.set(event, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  /** Emits `event` to the listeners, synchronously, as the real client does. */
  emit<K extends keyof ClientEvents>(event: K, payload: ClientEvents[K]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      (listener as (payload: ClientEvents[K]) => void)(payload);
    }
  }

  /** How many listeners are subscribed, over all events. */
  get listenerCount(): number {
    return [...this.#listeners.values()].reduce((n, set) => n + set.size, 0);
  }

  async connect(): Promise<void> {
    if (this.connectError !== undefined) throw this.connectError;
    this.#lease = await this.options.store.claim();
    const credentials = await this.options.store.loadCredentials();
    this.state = credentials?.account === undefined ? 'pairing' : 'logging-in';
    this.#connected();
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    if (this.state !== 'pairing') throw new Error('requestPairingCode() needs an unpaired socket');
    this.requestedCodes.push(phoneNumber);
    return this.pairCode;
  }

  async disconnect(): Promise<void> {
    this.disconnectCalls++;
    if (this.state !== 'closed' && this.state !== 'idle') {
      this.state = 'closed';
      this.emit('disconnected', { reason: 'user', willReconnect: false });
    }
    await this.#lease?.release();
  }
}

/** A client factory that records the clients it made. */
export function fakeClientFactory(pairCode?: string): CreateClient & {
  clients: FakeClient[];
  /** Resolves with the first client once it has connected. */
  firstConnected(): Promise<FakeClient>;
} {
  const clients: FakeClient[] = [];
  let made!: (client: FakeClient) => void;
  const first = new Promise<FakeClient>((resolve) => {
    made = resolve;
  });
  const create = async (options: LinkClientOptions) => {
    const client = new FakeClient(options, pairCode);
    clients.push(client);
    made(client);
    return client;
  };
  return Object.assign(create, {
    clients,
    async firstConnected() {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no client connected within ${DEADLINE_MS} ms`)),
          DEADLINE_MS,
        );
      });
      try {
        const client = await Promise.race([first, deadline]);
        await Promise.race([client.connected, deadline]);
        return client;
      } finally {
        clearTimeout(timer);
      }
    },
  });
}
