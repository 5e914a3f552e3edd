/**
 * End to end over real WebSockets on loopback: our client against @wakit/server, both with their
 * real clocks. The waits are on events; the deadlines only fail broken runs.
 */
import { startServer, type WaServer } from '@wakit/server';
import { afterEach, describe, expect, test } from 'vitest';
import { createClient } from '../src/client';
import { MemoryStore } from '../src/store/memory-store';
import { DEADLINE_MS, nextEvent } from './_wait';

let server: WaServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('e2e with @wakit/server', () => {
  test('QR pairing, the 515 restart, then login and a reconnect-free disconnect', async () => {
    server = await startServer();
    const phone = await server.phones.create('15550001234');
    const store = new MemoryStore();
    const client = createClient({ store, url: server.url, rootPublicKey: server.rootPublicKey });
    const firstQr = nextEvent(client, 'qr');
    const paired = nextEvent(client, 'paired');
    const uploaded = nextEvent(client, 'prekeys-uploaded');
    const checked = nextEvent(client, 'key-bundle-checked');
    await client.connect();
    expect(client.state).toBe('pairing');
    const jid = await phone.scanQr((await firstQr).qr);
    expect((await paired).account.jid).toBe(jid);
    await client.waitForConnected(DEADLINE_MS);
    expect(client.isLoggedIn).toBe(true);
    expect((await store.loadCredentials())?.account?.jid).toBe(jid);
    // The initial prekey batch reached the server.
    expect((await uploaded).count).toBe(812);
    // The server's digest of what it holds (SHA-1 over its copy of our keys) matches our keys.
    expect(await checked).toEqual({ matches: true, problem: undefined });
    const disconnected = nextEvent(client, 'disconnected');
    await client.disconnect();
    expect(await disconnected).toMatchObject({ reason: 'user', willReconnect: false });
  });

  test('five logins in a row, each ended at once by disconnect(), then a logout: never an error event', async () => {
    server = await startServer();
    const phone = await server.phones.create('15550009876');
    const store = new MemoryStore();
    const client = createClient({ store, url: server.url, rootPublicKey: server.rootPublicKey });
    const errors: string[] = [];
    client.on('error', ({ error, context }) => errors.push(`${context}: ${String(error)}`));
    const firstQr = nextEvent(client, 'qr');
    await client.connect();
    await phone.scanQr((await firstQr).qr);
    // The first login after pairing: the 812-prekey upload is under way when the user leaves.
    await client.waitForConnected(DEADLINE_MS);
    await client.disconnect();
    for (let i = 0; i < 5; i += 1) {
      await client.connect();
      await client.waitForConnected(DEADLINE_MS);
      await client.disconnect();
      expect(client.state).toBe('closed');
    }
    await client.connect();
    await client.waitForConnected(DEADLINE_MS);
    await client.logout();
    expect(errors).toEqual([]);
    // Nothing the cut-short post-login work did came back after the logout cleared the store.
    expect(await store.loadCredentials()).toBeUndefined();
    expect(await store.countPreKeys()).toBe(0);
  });

  test('pair-code linking: the phone enters the code, pair-success follows, then login', async () => {
    server = await startServer();
    const phone = await server.phones.create('15550005678');
    const client = createClient({
      store: new MemoryStore(),
      url: server.url,
      rootPublicKey: server.rootPublicKey,
    });
    const paired = nextEvent(client, 'paired');
    await client.connect();
    const code = await client.requestPairingCode('15550005678');
    expect(code).toHaveLength(8);
    const jid = await phone.enterPairCode(code);
    expect((await paired).account.jid).toBe(jid);
    await client.waitForConnected(DEADLINE_MS);
    await client.disconnect();
  });
});
