/**
 * The connection's opening: the handshake deadline and the edge-routing preamble (docs/protocol.md §1,
 * §10.13), on the scripted server with a fake clock.
 */

import { TimeoutError } from '@wakit/errors';
import { describe, expect, test } from 'vitest';
import { HANDSHAKE_TIMEOUT_MS } from '../src/connection/noise-connection';
import { S } from './_fake-server';
import { setup } from './_setup';
import { nextEvent, until } from './_wait';

const edgeRouting = (routingInfo: Uint8Array) => ({
  tag: 'ib',
  attrs: { from: S },
  content: [
    {
      tag: 'edge_routing',
      attrs: {},
      content: [{ tag: 'routing_info', attrs: {}, content: routingInfo }],
    },
  ],
});

describe('handshake deadline', () => {
  test('a server that never answers the handshake fails the first connect() after 20 s, not before', async () => {
    const { server, client, timers } = await setup();
    server.answerHandshake = false;
    const attempt = client.connect();
    const disconnected = nextEvent(client, 'disconnected');
    await until(() => server.connections.length === 1, 'the connection');
    timers.advance(HANDSHAKE_TIMEOUT_MS - 1);
    expect(client.state).toBe('handshaking');
    timers.advance(1);
    await expect(attempt).rejects.toBeInstanceOf(TimeoutError);
    // The user's own first connect() is not retried: they get the error and decide.
    expect(await disconnected).toMatchObject({ reason: 'handshake-failed', willReconnect: false });
    expect(server.connections).toHaveLength(1);
  });

  test('the deadline is the handshakeTimeoutMs option', async () => {
    const { server, client, timers } = await setup({ handshakeTimeoutMs: 1_000 });
    server.answerHandshake = false;
    const attempt = client.connect();
    await until(() => server.connections.length === 1, 'the connection');
    timers.advance(999);
    expect(client.state).toBe('handshaking');
    timers.advance(1);
    await expect(attempt).rejects.toMatchObject({ name: 'TimeoutError', timeoutMs: 1_000 });
  });

  test('a silent server on a reconnect is left at the deadline and tried again after the backoff', async () => {
    const { server, client, timers } = await setup();
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    server.answerHandshake = false;
    const dropped = nextEvent(client, 'disconnected');
    server.last.close();
    expect(await dropped).toMatchObject({ willReconnect: true, delayMs: 2_000 });
    timers.advance(2_000);
    await until(() => server.connections.length === 2, 'the second connection');
    const timedOut = nextEvent(client, 'disconnected');
    timers.advance(HANDSHAKE_TIMEOUT_MS);
    expect(await timedOut).toMatchObject({ reason: 'handshake-failed', willReconnect: true, delayMs: 4_000 });
    server.answerHandshake = true;
    const connected = nextEvent(client, 'connected');
    timers.advance(4_000);
    await connected;
    expect(server.connections).toHaveLength(3);
    await client.disconnect();
  });
});

describe('edge routing', () => {
  test('<ib><edge_routing> is saved and sent in the preamble of the next connection', async () => {
    const { server, client, store, timers } = await setup();
    await client.connect();
    const first = await server.connection(0);
    expect(first.intro?.routingInfo).toBeUndefined();
    const routingInfo = Uint8Array.of(0x08, 0x02, 0x08, 0x05, 0x12, 0x04);
    await first.send(edgeRouting(routingInfo));
    await until(
      async () => (await store.loadCredentials())?.routingInfo !== undefined,
      'the routing info saved',
    );
    expect((await store.loadCredentials())?.routingInfo).toEqual(routingInfo);

    const disconnected = nextEvent(client, 'disconnected');
    await first.send({ tag: 'stream:error', attrs: { code: '515' } });
    await disconnected;
    const connected = nextEvent(client, 'connected');
    timers.advance(0);
    await connected;
    const second = await server.connection(1);
    // "ED" 00 01, a 3-byte length, the info; then the usual header (the decoder checked it).
    expect(second.intro?.routingInfo).toEqual(routingInfo);
    expect(second.intro?.header).toEqual(Uint8Array.of(0x57, 0x41, 0x06, 0x03));
    await client.disconnect();
  });

  test('a newer <edge_routing> replaces the saved one', async () => {
    const { server, client, store } = await setup();
    await client.connect();
    const connection = await server.connection(0);
    await connection.send(edgeRouting(Uint8Array.of(1, 1)));
    await connection.send(edgeRouting(Uint8Array.of(2, 2, 2)));
    await until(
      async () => (await store.loadCredentials())?.routingInfo?.length === 3,
      'the newer routing info saved',
    );
    expect((await store.loadCredentials())?.routingInfo).toEqual(Uint8Array.of(2, 2, 2));
    await client.disconnect();
  });
});
