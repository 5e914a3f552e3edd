import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { WebSocketServer } from 'ws';
import { TransportError } from '../src/errors';
import { WebSocketTransport } from '../src/transport/websocket-transport';
import { until } from './_wait';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A real ws server on loopback behind node:http, recording upgrade requests; echoes binary messages. */
async function echoServer() {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const upgrades: IncomingMessage[] = [];
  const kinds: boolean[] = [];
  wss.on('connection', (socket, request) => {
    upgrades.push(request);
    socket.on('message', (data, isBinary) => {
      kinds.push(isBinary);
      socket.send(data, { binary: true });
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  cleanups.push(async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    http.close();
    await once(http, 'close');
  });
  return { url: `ws://127.0.0.1:${port}/ws/chat`, upgrades, kinds, wss };
}

describe('WebSocketTransport (undici)', () => {
  test('sends Origin: https://web.whatsapp.com on the upgrade and round-trips binary messages', async () => {
    const server = await echoServer();
    const transport = new WebSocketTransport({ url: server.url });
    const received: Uint8Array[] = [];
    transport.on('data', (bytes) => received.push(bytes));
    await transport.open();
    expect(transport.isOpen).toBe(true);
    expect(server.upgrades[0]!.headers.origin).toBe('https://web.whatsapp.com');
    expect(server.upgrades[0]!.url).toBe('/ws/chat');
    const payload = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff);
    transport.send(payload);
    transport.send(Uint8Array.of(0, 1, 2));
    await until(() => received.length === 2, 'two echoed messages');
    expect(received[0]).toEqual(payload);
    expect(received[1]).toEqual(Uint8Array.of(0, 1, 2));
    expect(server.kinds).toEqual([true, true]);
    const closed = new Promise((resolve) => transport.on('close', resolve));
    transport.close();
    expect(await closed).toMatchObject({ local: true });
    expect(transport.isOpen).toBe(false);
  });

  test('extra headers are sent and a given Origin replaces the default', async () => {
    const server = await echoServer();
    const transport = new WebSocketTransport({
      url: server.url,
      headers: { Origin: 'https://example.test', 'X-Test': 'yes' },
    });
    await transport.open();
    expect(server.upgrades[0]!.headers.origin).toBe('https://example.test');
    expect(server.upgrades[0]!.headers['x-test']).toBe('yes');
    transport.close();
  });

  test('a server-side close emits close once, not local', async () => {
    const server = await echoServer();
    const transport = new WebSocketTransport({ url: server.url });
    const closes: unknown[] = [];
    transport.on('close', (info) => closes.push(info));
    await transport.open();
    for (const socket of server.wss.clients) socket.close(1000, 'bye');
    await until(() => closes.length === 1, 'the close event');
    expect(closes[0]).toMatchObject({ local: false, code: 1000, reason: 'bye' });
    transport.close();
    expect(closes).toHaveLength(1);
  });

  test('open() rejects when nothing listens', async () => {
    const server = await echoServer();
    const url = server.url;
    await cleanups.pop()!();
    const transport = new WebSocketTransport({ url });
    const error = await transport.open().catch((e: unknown) => e);
    // A typed error that says where it tried, not undici's bare TypeError('').
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).message).toContain(url);
    expect((error as TransportError).code).toBe('ERR_CLIENT_TRANSPORT');
  });
});
