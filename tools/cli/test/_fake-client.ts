/**
 * A client without a network, for the device commands' tests: the test emits its events. It keeps
 * the rules of the real one that the commands rely on: `connect()` claims the store and reads its
 * credentials (a paired store logs in, an unpaired one pairs), `requestPairingCode` only works
 * while pairing, `waitForConnected` resolves on `connected` and rejects when the client stops,
 * and `disconnect()` emits `disconnected` (reason `user`) and releases the store.
 */
import {
  type ClientEvents,
  ConnectionClosedError,
  type LifecycleState,
  type StoreLease,
} from '@wakit/client';
import type { CliClient, CliClientOptions } from '../src/client-contract';
import { DEADLINE_MS } from './_fake-deps';

/** A `sendMessage` call the fake received. */
export interface FakeSend {
  to: string;
  message: Parameters<CliClient['sendMessage']>[1];
}

export class FakeClient implements CliClient {
  state: LifecycleState = 'idle';
  readonly requestedCodes: string[] = [];
  disconnectCalls = 0;
  /** Set before `connect()` to make it reject. */
  connectError: Error | undefined;
  readonly sends: FakeSend[] = [];
  /** What `sendMessage` answers; by default the server acks at once with this id. */
  onSend: (send: FakeSend) => Promise<string> = async () => '3EB0FAKE0001';
  readonly #listeners = new Map<keyof ClientEvents, Set<(payload: never) => void>>();
  #lease: StoreLease | undefined;
  #connected!: () => void;
  /** Resolves once `connect()` has claimed the store and set the state. */
  readonly connected = new Promise<void>((resolve) => {
    this.#connected = resolve;
  });

  constructor(
    readonly options: CliClientOptions,
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
    if (event === 'connected') this.state = 'connected';
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

  waitForConnected(_timeoutMs: number): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const offs = [
        this.on('connected', () => {
          for (const off of offs) off();
          resolve();
        }),
        this.on('disconnected', ({ willReconnect }) => {
          if (willReconnect) return;
          for (const off of offs) off();
          reject(new ConnectionClosedError('the client stopped while waiting for the login'));
        }),
      ];
    });
  }

  sendMessage(to: string, message: FakeSend['message']): Promise<string> {
    const send = { to, message };
    this.sends.push(send);
    return this.onSend(send);
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
export function fakeClientFactory(pairCode?: string): ((options: CliClientOptions) => Promise<FakeClient>) & {
  clients: FakeClient[];
  /** Resolves with the first client once it has connected. */
  firstConnected(): Promise<FakeClient>;
} {
  const clients: FakeClient[] = [];
  let made!: (client: FakeClient) => void;
  const first = new Promise<FakeClient>((resolve) => {
    made = resolve;
  });
  const create = async (options: CliClientOptions) => {
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
