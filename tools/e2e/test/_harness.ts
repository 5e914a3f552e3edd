/**
 * Shared pieces of the end-to-end tests: a server per test, clients paired through a virtual phone
 * over real loopback WebSockets, and waits on events with deadlines (never fixed sleeps).
 */
import {
  type Client,
  type ClientEvents,
  type ClientOptions,
  createClient,
  MemoryStore,
  type Store,
} from '@wakit/client';
import { startServer, type VirtualPhone, type WaServer } from '@wakit/server';
// The client package's waits (one copy): deadlines that fail naming the event and the state, or
// what was awaited.
import { nextEvent, until } from '../../../packages/client/test/_wait';

export { nextEvent, until };

/**
 * Real-time deadline for anything a test waits on; only reached when something is broken. Generous:
 * CI runs every package's suite at once on two cores, and a pairing there can take seconds.
 */
export const DEADLINE_MS = 30_000;

/** Short reconnect delays so the documented backoff is exercised without slowing the suite. */
export const FAST_RECONNECT = { baseDelayMs: 20, maxDelayMs: 100, jitter: 0 } as const;

/** Every `disconnected` event of `client`, in order, for asserting that no reconnect happened. */
export function recordDisconnects(client: Client): ClientEvents['disconnected'][] {
  const seen: ClientEvents['disconnected'][] = [];
  client.on('disconnected', (event) => seen.push(event));
  return seen;
}

export interface PairedClient {
  client: Client;
  store: Store;
  jid: string;
}

/** A client of `server`, linked by a new virtual phone scanning its first QR code, logged in. */
export async function pairedClient(
  server: WaServer,
  phoneNumber: string,
  options: Partial<ClientOptions> = {},
): Promise<PairedClient> {
  const phone = await server.phones.create(phoneNumber);
  const store = options.store ?? new MemoryStore();
  const client = await linkedClient(server, phone, { ...options, store });
  return { client, store, jid: client.credentials!.account!.jid };
}

/**
 * A new client linked to `phone`'s account (the phone scans its first QR code) and logged in: a
 * further device of an existing account, or the first one.
 */
export async function linkedClient(
  server: WaServer,
  phone: VirtualPhone,
  options: Partial<ClientOptions> = {},
): Promise<Client> {
  const client = createClient({
    url: server.url,
    rootPublicKey: server.rootPublicKey,
    ...options,
    store: options.store ?? new MemoryStore(),
  });
  const qr = nextEvent(client, 'qr');
  await client.connect();
  await phone.scanQr((await qr).qr);
  await client.waitForConnected(DEADLINE_MS);
  return client;
}

/** Starts a server and registers its shutdown (and every client's) with `onCleanup`. */
export async function serverFor(onCleanup: (fn: () => Promise<void>) => void): Promise<WaServer> {
  const server = await startServer();
  onCleanup(() => server.close());
  return server;
}
