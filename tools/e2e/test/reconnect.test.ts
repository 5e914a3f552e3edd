/**
 * The documented reconnect behaviour (packages/client README, "Lifecycle"), end to end: real
 * loopback WebSockets, @wakit/server's fault hooks, the client's real timers with short configured
 * intervals. A reconnect is proven by the server seeing the same device log in again.
 */
import type { KeepaliveOptions } from '@wakit/client';
import { afterEach, describe, expect, test } from 'vitest';
import { DEADLINE_MS, FAST_RECONNECT, nextEvent, pairedClient, serverFor } from './_harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const onCleanup = (fn: () => Promise<void>) => cleanups.push(fn);

async function setup(phoneNumber: string, keepalive?: KeepaliveOptions) {
  const server = await serverFor(onCleanup);
  const paired = await pairedClient(server, phoneNumber, { reconnect: FAST_RECONNECT, keepalive });
  onCleanup(() => paired.client.disconnect());
  const connection = server.connectionOf(paired.jid);
  if (connection === undefined) throw new Error('the server has no connection for the paired device');
  return { server, ...paired, connection };
}

describe('reconnects the documented way', () => {
  test('stream error 515 reconnects immediately and logs in again', async () => {
    const { server, client, jid, connection } = await setup('15550002001');
    const disconnected = nextEvent(client, 'disconnected');
    const relogin = server.waitFor('login', jid, DEADLINE_MS);
    connection.sendStreamError(515);
    expect(await disconnected).toMatchObject({ reason: 'restart-required', willReconnect: true, delayMs: 0 });
    await relogin;
    await client.waitForConnected(DEADLINE_MS);
    expect(client.isLoggedIn).toBe(true);
  });

  test('stream error 503 reconnects after the backoff delay', async () => {
    const { server, client, jid, connection } = await setup('15550002002');
    const disconnected = nextEvent(client, 'disconnected');
    const relogin = server.waitFor('login', jid, DEADLINE_MS);
    connection.sendStreamError(503);
    expect(await disconnected).toMatchObject({
      reason: 'stream-error',
      willReconnect: true,
      delayMs: FAST_RECONNECT.baseDelayMs,
    });
    await relogin;
    await client.waitForConnected(DEADLINE_MS);
  });

  test('a dropped socket reconnects after the backoff delay', async () => {
    const { server, client, jid, connection } = await setup('15550002003');
    const disconnected = nextEvent(client, 'disconnected');
    const relogin = server.waitFor('login', jid, DEADLINE_MS);
    connection.drop();
    expect(await disconnected).toMatchObject({ willReconnect: true, delayMs: FAST_RECONNECT.baseDelayMs });
    await relogin;
    await client.waitForConnected(DEADLINE_MS);
  });

  test('a server that stops answering is left after the silence limit, then the client logs in again', async () => {
    const { server, client, jid, connection } = await setup('15550002004', {
      minIntervalMs: 20,
      maxIntervalMs: 30,
      timeoutMs: 40,
      maxSilenceMs: 250,
    });
    const disconnected = nextEvent(client, 'disconnected');
    const relogin = server.waitFor('login', jid, DEADLINE_MS);
    connection.stall();
    expect(await disconnected).toMatchObject({ reason: 'keepalive-timeout', willReconnect: true });
    await relogin;
    await client.waitForConnected(DEADLINE_MS);
  });

  test('a frame that does not decrypt ends the connection and the client logs in again', async () => {
    const { server, client, jid, connection } = await setup('15550002005');
    const disconnected = nextEvent(client, 'disconnected');
    const relogin = server.waitFor('login', jid, DEADLINE_MS);
    connection.sendGarbage();
    expect(await disconnected).toMatchObject({ willReconnect: true });
    await relogin;
    await client.waitForConnected(DEADLINE_MS);
  });
});

describe('never reconnects when told to stay away', () => {
  test('401 device_removed logs out: store cleared, no reconnect', async () => {
    const { server, client, store, connection } = await setup('15550002101');
    const disconnected = nextEvent(client, 'disconnected');
    const loggedOut = nextEvent(client, 'logged-out');
    const gone = server.waitFor('disconnect', (e) => e.connection.id === connection.id, DEADLINE_MS);
    connection.sendStreamError(401, 'device_removed');
    expect(await disconnected).toMatchObject({ willReconnect: false });
    await loggedOut;
    await gone;
    expect(client.state).toBe('closed');
    expect(await store.loadCredentials()).toBeUndefined();
    expect(server.connections()).toHaveLength(0);
  });

  test('a replaced stream (conflict) stops the client and keeps its credentials', async () => {
    const { server, client, store, jid, connection } = await setup('15550002102');
    const disconnected = nextEvent(client, 'disconnected');
    const gone = server.waitFor('disconnect', (e) => e.connection.id === connection.id, DEADLINE_MS);
    connection.sendStreamError(undefined, 'replaced');
    expect(await disconnected).toMatchObject({ reason: 'replaced', willReconnect: false });
    await gone;
    expect(client.state).toBe('closed');
    expect((await store.loadCredentials())?.account?.jid).toBe(jid);
    expect(server.connections()).toHaveLength(0);
  });

  test('disconnect() closes for good', async () => {
    const { server, client, connection } = await setup('15550002103');
    const disconnected = nextEvent(client, 'disconnected');
    const gone = server.waitFor('disconnect', (e) => e.connection.id === connection.id, DEADLINE_MS);
    await client.disconnect();
    expect(await disconnected).toMatchObject({ reason: 'user', willReconnect: false });
    await gone;
    expect(server.connections()).toHaveLength(0);
  });
});

describe('logout', () => {
  test('logout() unlinks the device on the server, clears the store and never reconnects', async () => {
    const { server, client, store, jid, connection } = await setup('15550002201');
    const disconnected = nextEvent(client, 'disconnected');
    const loggedOut = nextEvent(client, 'logged-out');
    const gone = server.waitFor('disconnect', (e) => e.connection.id === connection.id, DEADLINE_MS);
    await client.logout();
    expect(await disconnected).toMatchObject({ willReconnect: false });
    await loggedOut;
    await gone;
    expect(client.state).toBe('closed');
    expect(await store.loadCredentials()).toBeUndefined();
    expect(server.devices.get(jid)?.removed).toBe(true);
    expect(server.connections()).toHaveLength(0);
  });
});
