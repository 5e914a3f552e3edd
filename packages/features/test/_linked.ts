/**
 * wakit clients linked to an account of an in-process `@wakit/server` (its virtual phone scans the
 * QR code) and logged in, over loopback WebSockets: what the end-to-end tests of the features run on.
 */
import { type Client, type ClientOptions, createClient, MemoryStore } from '@wakit/client';
import { startServer, type VirtualPhone, type WaServer } from '@wakit/server';
// The client package's waits: deadlines that fail naming what was awaited (one copy).
import { nextEvent } from '../../client/test/_wait';

/** Only a broken run reaches it: CI runs every suite at once on two cores. */
export const DEADLINE_MS = 30_000;

/**
 * A new client linked to `phone`'s account (the phone scans its QR code), logged in; `options`
 * (a clock, a store) are passed on to `createClient`.
 */
export async function linkClient(
  server: WaServer,
  phone: VirtualPhone,
  options: Partial<ClientOptions> = {},
): Promise<Client> {
  const client = createClient({
    url: server.url,
    rootPublicKey: server.rootPublicKey,
    store: new MemoryStore(),
    ...options,
  });
  const qr = nextEvent(client, 'qr');
  await client.connect();
  await phone.scanQr((await qr).qr);
  await client.waitForConnected(DEADLINE_MS);
  return client;
}

/**
 * A server, account `phoneNumber` with one linked client; `link()` adds a device of that account,
 * `linkAccount(number)` a client of a new account; `close` ends them all and the server.
 */
export async function linkedOnServer(phoneNumber = '15550001111'): Promise<{
  server: WaServer;
  phone: VirtualPhone;
  client: Client;
  link(): Promise<Client>;
  linkAccount(phoneNumber: string, options?: Partial<ClientOptions>): Promise<Client>;
  close(): Promise<void>;
}> {
  const server = await startServer();
  const phone = await server.phones.create(phoneNumber);
  const clients: Client[] = [];
  const track = async (linking: Promise<Client>) => {
    const client = await linking;
    clients.push(client);
    return client;
  };
  return {
    server,
    phone,
    client: await track(linkClient(server, phone)),
    link: () => track(linkClient(server, phone)),
    linkAccount: async (number, options) =>
      track(linkClient(server, await server.phones.create(number), options)),
    async close() {
      for (const client of clients) await client.disconnect();
      await server.close();
    },
  };
}
