import type { BinaryNode } from '@wakit/binary-node';
import { describe, expect, test } from 'vitest';
import type { DisconnectReason } from '../src/connection/disconnect-policy';
import { S } from './_fake-server';
import { setup } from './_setup';
import { nextEvent, until } from './_wait';

const streamError = (code: string, conflict?: string): BinaryNode => ({
  tag: 'stream:error',
  attrs: code === '' ? {} : { code },
  ...(conflict === undefined ? {} : { content: [{ tag: 'conflict', attrs: { type: conflict } }] }),
});

describe('reconnect', () => {
  test('an unexpected close reconnects after 2 s, then 4, 6 … capped at 30 s while the server stays down', async () => {
    const { server, client, timers } = await setup();
    await client.connect();
    await (await server.connection(0)).ready();
    server.refuseNext = 20;
    const delays: number[] = [];
    client.on('disconnected', (event) => {
      expect(event.willReconnect).toBe(true);
      delays.push(event.delayMs!);
    });
    server.last.close();
    for (let i = 1; i <= 17; i += 1) {
      await until(() => delays.length === i, `disconnect #${i}`);
      expect(client.state).toBe('waiting-to-reconnect');
      // One millisecond early nothing happens; on time the next attempt starts.
      timers.advance(delays[i - 1]! - 1);
      expect(client.state).toBe('waiting-to-reconnect');
      timers.advance(1);
      expect(client.state).toBe('connecting');
    }
    expect(delays.slice(0, 17)).toEqual(
      [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 30, 30].map((s) => s * 1000),
    );
    await client.disconnect();
  });

  test('jitter adds at most the configured fraction of the delay', async () => {
    for (const r of [0, 0.5, 0.999999]) {
      const { server, client } = await setup({ random: () => r, reconnect: { jitter: 0.25 } });
      await client.connect();
      await server.connection(0);
      server.refuseNext = 5;
      const delays: number[] = [];
      client.on('disconnected', (event) => delays.push(event.delayMs!));
      server.last.close();
      await until(() => delays.length === 1, 'the first disconnect');
      expect(delays[0]).toBe(Math.round(2000 + r * 0.25 * 2000));
      expect(delays[0]).toBeGreaterThanOrEqual(2000);
      expect(delays[0]).toBeLessThanOrEqual(2500);
      await client.disconnect();
    }
  });

  test('the backoff counter resets after a successful login', async () => {
    const { server, client, timers } = await setup();
    await client.connect();
    await nextEvent(client, 'connected').catch(() => {});
    const first = nextEvent(client, 'disconnected');
    server.last.close();
    expect((await first).delayMs).toBe(2000);
    const connected = nextEvent(client, 'connected');
    timers.advance(2000);
    await connected;
    const second = nextEvent(client, 'disconnected');
    server.last.close();
    expect((await second).delayMs).toBe(2000);
    await client.disconnect();
  });

  test('stream error 515 reconnects immediately and logs in again', async () => {
    const { server, client, timers } = await setup();
    await client.connect();
    const first = await server.connection(0);
    await until(() => client.isLoggedIn, 'login');
    const disconnected = nextEvent(client, 'disconnected');
    await first.send(streamError('515'));
    expect(await disconnected).toMatchObject({ reason: 'restart-required', willReconnect: true, delayMs: 0 });
    const connected = nextEvent(client, 'connected');
    timers.advance(0);
    await connected;
    expect(server.connections).toHaveLength(2);
    await client.disconnect();
  });

  test('stream error 503 reconnects with backoff', async () => {
    const { server, client, timers } = await setup();
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    const disconnected = nextEvent(client, 'disconnected');
    await server.last.send(streamError('503'));
    expect(await disconnected).toMatchObject({ reason: 'stream-error', willReconnect: true, delayMs: 2000 });
    timers.advance(1999);
    expect(server.connections).toHaveLength(1);
    const connected = nextEvent(client, 'connected');
    timers.advance(1);
    await connected;
    expect(server.connections).toHaveLength(2);
    await client.disconnect();
  });

  test('<xmlstreamend/> and <failure reason="503"> reconnect with backoff', async () => {
    const { server, client } = await setup();
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    const first = nextEvent(client, 'disconnected');
    await server.last.send({ tag: 'xmlstreamend', attrs: {} });
    expect(await first).toMatchObject({ reason: 'stream-end', willReconnect: true });
    await client.disconnect();

    const second = await setup();
    second.server.autoSuccess = false;
    second.server.onConnection = (connection) =>
      connection.send({ tag: 'failure', attrs: { reason: '503' } });
    const failed = nextEvent(second.client, 'disconnected');
    await second.client.connect();
    expect(await failed).toMatchObject({ reason: 'connect-failure', willReconnect: true, delayMs: 2000 });
    await second.client.disconnect();
  });

  for (const [name, node, reason] of [
    ['401 with <conflict type="device_removed"/>', streamError('401', 'device_removed'), 'device-removed'],
    ['516', streamError('516'), 'device-removed'],
    ['<failure reason="401">', { tag: 'failure', attrs: { reason: '401' } }, 'logged-out'],
  ] as [string, BinaryNode, DisconnectReason][]) {
    test(`${name} logs out: no reconnect, the store is cleared, logged-out is emitted`, async () => {
      const { server, client, timers, store } = await setup();
      if (node.tag === 'failure') {
        server.autoSuccess = false;
        server.onConnection = (connection) => connection.send(node);
      }
      const disconnected = nextEvent(client, 'disconnected');
      const loggedOut = nextEvent(client, 'logged-out');
      await client.connect();
      if (node.tag !== 'failure') {
        await until(() => client.isLoggedIn, 'login');
        await server.last.send(node);
      }
      expect(await disconnected).toMatchObject({ reason, willReconnect: false });
      expect(await loggedOut).toEqual({ reason });
      expect(await store.loadCredentials()).toBeUndefined();
      expect(client.state).toBe('closed');
      timers.advance(600_000);
      expect(server.connections).toHaveLength(1);
      // The lease was released: the store can be claimed again.
      await (await store.claim()).release();
    });
  }

  test('a garbled <failure reason="401x"> stops without wiping the store (only an exact 401 logs out)', async () => {
    const { server, client, store } = await setup();
    server.autoSuccess = false;
    server.onConnection = (connection) => connection.send({ tag: 'failure', attrs: { reason: '401x' } });
    const disconnected = nextEvent(client, 'disconnected');
    await client.connect();
    expect(await disconnected).toMatchObject({ reason: 'connect-failure', willReconnect: false });
    expect((await store.loadCredentials())?.account).toBeDefined();
  });

  test('a replaced stream (<conflict type="replaced"/>) stops without reconnecting and keeps the credentials', async () => {
    const { server, client, timers, store } = await setup();
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    const streamErrorEvent = nextEvent(client, 'stream-error');
    const disconnected = nextEvent(client, 'disconnected');
    await server.last.send(streamError('', 'replaced'));
    expect(await streamErrorEvent).toMatchObject({ code: '', conflict: 'replaced' });
    expect(await disconnected).toMatchObject({ reason: 'replaced', willReconnect: false });
    timers.advance(600_000);
    expect(server.connections).toHaveLength(1);
    expect((await store.loadCredentials())?.account).toBeDefined();
  });

  test('a stream error without code or conflict is informational: the connection stays', async () => {
    const { server, client } = await setup();
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    const event = nextEvent(client, 'stream-error');
    await server.last.send(streamError(''));
    await event;
    await server.last.send({
      tag: 'iq',
      attrs: { from: S, type: 'get', xmlns: 'urn:xmpp:ping', id: 'after' },
    });
    await server.last.waitFor((n) => n.attrs.id === 'after', 'the ping answer');
    expect(client.isLoggedIn).toBe(true);
    await client.disconnect();
  });

  test('disconnect() closes for good: no reconnect, the state is closed', async () => {
    const { server, client, timers } = await setup();
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    const disconnected = nextEvent(client, 'disconnected');
    await client.disconnect();
    expect(await disconnected).toMatchObject({ reason: 'user', willReconnect: false });
    expect(client.state).toBe('closed');
    await until(() => server.last.closed, 'the server side to see the close');
    timers.advance(600_000);
    expect(server.connections).toHaveLength(1);
    await client.disconnect();
  });

  test('disconnect() while waiting to reconnect cancels the reconnect', async () => {
    const { server, client, timers } = await setup();
    await client.connect();
    const dropped = nextEvent(client, 'disconnected');
    server.last.close();
    await dropped;
    expect(client.state).toBe('waiting-to-reconnect');
    await client.disconnect();
    expect(client.state).toBe('closed');
    timers.advance(600_000);
    expect(server.connections).toHaveLength(1);
  });

  test('with reconnect disabled an unexpected close stops the client', async () => {
    const { server, client, timers } = await setup({ reconnect: { enabled: false } });
    await client.connect();
    const disconnected = nextEvent(client, 'disconnected');
    server.last.close();
    expect(await disconnected).toMatchObject({ reason: 'transport-closed', willReconnect: false });
    expect(client.state).toBe('closed');
    timers.advance(600_000);
    expect(server.connections).toHaveLength(1);
  });

  test('an undecodable frame closes with UndecodableFrameError and reconnects', async () => {
    const { server, client } = await setup();
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    const disconnected = nextEvent(client, 'disconnected');
    server.last.sendFrame(new Uint8Array(40).fill(1));
    const event = await disconnected;
    expect(event).toMatchObject({ reason: 'undecodable-frame', willReconnect: true });
    expect(event.error).toMatchObject({ code: 'ERR_CLIENT_UNDECODABLE_FRAME' });
    await client.disconnect();
  });

  test("the user's first connect() is not retried when the server is down", async () => {
    const { server, client, timers } = await setup();
    server.refuseNext = 1;
    await expect(client.connect()).rejects.toThrow('connection refused');
    expect(client.state).toBe('closed');
    timers.advance(600_000);
    expect(server.connections).toHaveLength(0);
  });
});

describe('keepalive', () => {
  test('pings every 20–30 s (random in range) with <iq xmlns="w:p" type="get" to=s.whatsapp.net>', async () => {
    let r = 0;
    const { server, client, timers } = await setup({ random: () => r });
    await client.connect();
    const connection = await server.connection(0);
    await until(() => client.isLoggedIn, 'login');
    const pings = () => connection.received.filter((n) => n.attrs.xmlns === 'w:p');
    timers.advance(19_999);
    expect(pings()).toHaveLength(0);
    r = 0.999999; // the next interval is the longest: 30 s
    timers.advance(1);
    await until(() => pings().length === 1, 'the first ping');
    expect(pings()[0]!.attrs).toMatchObject({ to: S, type: 'get', xmlns: 'w:p' });
    expect(pings()[0]!.attrs.id).toBeTruthy();
    expect(pings()[0]!.content).toBeUndefined();
    timers.advance(29_999);
    expect(pings()).toHaveLength(1);
    timers.advance(1);
    await until(() => pings().length === 2, 'the second ping');
    await client.disconnect();
  });

  test('forces a reconnect when nothing was received for 180 s', async () => {
    const { server, client, timers } = await setup();
    server.answerPings = false;
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    // Let the post-login IQs be answered so the last received byte is now.
    await server.last.waitFor((n) => n.attrs.xmlns === 'passive', 'the active IQ');
    await until(() => server.last.received.length >= 2, 'post-login traffic');
    const timeouts: number[] = [];
    client.on('keepalive-timeout', ({ failures }) => timeouts.push(failures));
    const disconnected = nextEvent(client, 'disconnected');
    // First ping at 20 s, unanswered, times out at 30 s: reported, but no reconnect yet.
    timers.advance(30_000);
    await until(() => timeouts.length === 1, 'the first keepalive timeout');
    expect(client.isLoggedIn).toBe(true);
    timers.advance(149_999);
    expect(client.isLoggedIn).toBe(true);
    timers.advance(1);
    expect(await disconnected).toMatchObject({ reason: 'keepalive-timeout', willReconnect: true });
    await client.disconnect();
  });

  test('the silence limit is configurable and any received node counts as life', async () => {
    const { server, client, timers } = await setup({
      keepalive: { minIntervalMs: 1000, maxIntervalMs: 1000, timeoutMs: 500, maxSilenceMs: 5000 },
    });
    server.answerPings = false;
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    await server.last.waitFor((n) => n.attrs.xmlns === 'passive', 'the active IQ');
    timers.advance(4000);
    await server.last.send({ tag: 'ib', attrs: {} });
    await until(() => client.state === 'connected' && server.last.received.length > 0, 'delivery');
    const disconnected = nextEvent(client, 'disconnected');
    timers.advance(4000);
    expect(client.isLoggedIn).toBe(true);
    timers.advance(1000);
    expect(await disconnected).toMatchObject({ reason: 'keepalive-timeout' });
    await client.disconnect();
  });
});
