/**
 * wakit clients linked to an account of an in-process `@wakit/server` (its virtual phone scans the
 * QR code) and logged in, over loopback WebSockets: what the end-to-end tests of the features run on.
 */
import { type Client, createClient, MemoryStore } from '@wakit/client';
import { startServer, type VirtualPhone, type WaServer } from '@wakit/server';
// The client package's waits: deadlines that fail naming what was awaited (one copy).
import { nextEvent } from '../../client/test/_wait';

/** Only a broken run reaches it: CI runs every suite at once on two cores. */
export const DEADLINE_MS = 30_000;

/** A server, account `phoneNumber` with one linked client; `link()` adds a device; `close` ends all. */
export async function linkedOnServer(phoneNumber = '15550001111'): Promise<{
  server: WaServer;
  phone: VirtualPhone;
  client: Client;
  link(): Promise<Client>;
  close(): Promise<void>;
}> {
  const server = await startServer();
  const phone = await server.phones.create(phoneNumber);
  const clients: Client[] = [];
  const link = async () => {
    const client = createClient({
      url: server.url,
      rootPublicKey: server.rootPublicKey,
      store: new MemoryStore(),
    });
    clients.push(client);
    const qr = nextEvent(client, 'qr');
    await client.connect();
    await phone.scanQr((await qr).qr);
    await client.waitForConnected(DEADLINE_MS);
    return client;
  };
  return {
    server,
    phone,
    client: await link(),
    link,
    async close() {
      for (const client of clients) await client.disconnect();
      await server.close();
    },
  };
}
