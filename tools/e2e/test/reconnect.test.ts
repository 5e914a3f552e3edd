/**
 * The documented reconnect behaviour (packages/client README, "Lifecycle"), end to end: real
 * loopback WebSockets, @wakit/server's fault hooks, the client's real timers with short configured
 * backoff (load can only lengthen a delay, and what is checked is the reported delay, never a
 * measured one). The keepalive runs on an injected clock instead: its documented intervals are
 * minutes long, and shrinking them to milliseconds would make a loaded machine's late timer look
 * like a silent server. A reconnect is proven by the server seeing the same device log in again.
 */
import { createClient, KEEPALIVE_MAX_SILENCE_MS, KEEPALIVE_MIN_INTERVAL_MS } from '@wakit/client';
import { afterEach, describe, expect, test } from 'vitest';
import { FakeTimers } from '../../../packages/client/test/_fake-timers';
import {
  DEADLINE_MS,
  FAST_RECONNECT,
  nextEvent,
  pairedClient,
  recordDisconnects,
  serverFor,
  until,
} from './_harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const onCleanup = (fn: () => Promise<void>) => cleanups.push(fn);

async function setup(phoneNumber: string) {
  const server = await serverFor(onCleanup);
  const paired = await pairedClient(server, phoneNumber, { reconnect: FAST_RECONNECT });
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

  test('a server that stops answering is left 180 s after its last byte (an injected clock), then the client logs in again', async () => {
    // Linked on the real clock, then logged in from the same store by a client on a fake one.
    const server = await serverFor(onCleanup);
    const linked = await pairedClient(server, '15550002004');
    await linked.client.disconnect();
    const timers = new FakeTimers();
    const client = createClient({
      store: linked.store,
      url: server.url,
      rootPublicKey: server.rootPublicKey,
      timers,
      random: () => 0,
      reconnect: FAST_RECONNECT,
    });
    onCleanup(() => client.disconnect());
    const login = server.waitFor('login', linked.jid, DEADLINE_MS);
    // The last post-login step: once it is done, nothing the client asked for is unanswered.
    const postLoginDone = nextEvent(client, 'key-bundle-checked');
    await client.connect();
    await login;
    await postLoginDone;
    const connection = server.connectionOf(linked.jid);
    if (connection === undefined) throw new Error('the server has no connection for the device');

    // The fake clock has not moved since the client connected, so every byte the client received
    // arrived at "now", and the stalled server sends nothing more: the silence limit falls exactly
    // KEEPALIVE_MAX_SILENCE_MS from now, whatever the awaits in between.
    connection.stall();
    const framesBefore = connection.framesReceived;
    const disconnects = recordDisconnects(client);
    // The first ping (20 s: `random` is 0) goes out over the real socket; the server holds it unanswered.
    timers.advance(KEEPALIVE_MIN_INTERVAL_MS);
    await until(() => connection.framesReceived > framesBefore, 'the keepalive ping at the server');
    timers.advance(KEEPALIVE_MAX_SILENCE_MS - KEEPALIVE_MIN_INTERVAL_MS - 1);
    expect(client.isLoggedIn).toBe(true);
    expect(disconnects).toEqual([]);
    const disconnected = nextEvent(client, 'disconnected');
    timers.advance(1);
    expect(await disconnected).toMatchObject({
      reason: 'keepalive-timeout',
      willReconnect: true,
      delayMs: FAST_RECONNECT.baseDelayMs,
    });

    // The reconnect waits for the backoff delay on the same clock.
    const relogin = server.waitFor('login', linked.jid, DEADLINE_MS);
    const connected = nextEvent(client, 'connected');
    timers.advance(FAST_RECONNECT.baseDelayMs);
    await Promise.all([relogin, connected]);
    expect(client.isLoggedIn).toBe(true);
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
