import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { TransportError } from '../src/errors';
import { MAX_WEBSOCKET_MESSAGE, WebSocketTransport } from '../src/transport/websocket-transport';
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

describe('WebSocketTransport (ws)', () => {
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

  test('open() rejects when nothing listens, and no close event competes with the rejection', async () => {
    const server = await echoServer();
    const url = server.url;
    await cleanups.pop()!();
    const transport = new WebSocketTransport({ url });
    const closes: unknown[] = [];
    transport.on('close', (info) => closes.push(info));
    const error = await transport.open().catch((e: unknown) => e);
    // `ws` reports a refused connection as an error and then a close, in one turn, before the
    // rejection is seen: a close event would already be here.
    expect(closes).toEqual([]);
    expect(transport.isOpen).toBe(false);
    // A typed error that says where it tried, with the platform's error as the cause.
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).message).toContain(url);
    expect((error as TransportError).code).toBe('ERR_CLIENT_TRANSPORT');
  });

  test('the messages of one turn go to the socket in one write, each still its own message', async () => {
    const server = await echoServer();
    const transport = new WebSocketTransport({ url: server.url });
    const received: Uint8Array[] = [];
    transport.on('data', (bytes) => received.push(bytes));
    await transport.open();
    const writes = vi.spyOn(Socket.prototype, '_write');
    const writevs = vi.spyOn(Socket.prototype, '_writev');
    cleanups.push(async () => {
      writes.mockRestore();
      writevs.mockRestore();
    });
    for (let i = 0; i < 50; i++) transport.send(Uint8Array.of(i, i, i));
    expect(writes.mock.calls.length + writevs.mock.calls.length).toBe(0);
    await until(() => received.length === 50, 'fifty echoed messages');
    expect(received.map((bytes) => bytes[0])).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(server.kinds).toEqual(Array(50).fill(true));
    // The whole turn left in one vectored write (the echoes are the server's writes, on other sockets).
    const clientWrites = [...writes.mock.contexts, ...writevs.mock.contexts].filter(
      (socket) => socket !== undefined && !isServerSide(socket as Socket, server.url),
    );
    expect(clientWrites).toHaveLength(1);
    transport.close();
  });

  test('flush() writes the collected messages at once', async () => {
    const server = await echoServer();
    const transport = new WebSocketTransport({ url: server.url });
    await transport.open();
    const writevs = vi.spyOn(Socket.prototype, '_writev');
    cleanups.push(async () => writevs.mockRestore());
    transport.send(Uint8Array.of(1));
    transport.send(Uint8Array.of(2));
    expect(writevs).not.toHaveBeenCalled();
    transport.flush();
    expect(writevs).toHaveBeenCalledTimes(1);
    transport.close();
  });

  test('a text message is reported as an undecodable frame', async () => {
    const server = await echoServer();
    const transport = new WebSocketTransport({ url: server.url });
    const errors: unknown[] = [];
    transport.on('error', (error) => errors.push(error));
    await transport.open();
    for (const socket of server.wss.clients) socket.send('hello');
    await until(() => errors.length === 1, 'the error event');
    expect((errors[0] as { code?: string }).code).toBe('ERR_CLIENT_UNDECODABLE_FRAME');
    transport.close();
  });

  test('a message over MAX_WEBSOCKET_MESSAGE closes the connection instead of being buffered', async () => {
    const server = await echoServer();
    const transport = new WebSocketTransport({ url: server.url });
    const closes: unknown[] = [];
    const errors: unknown[] = [];
    transport.on('close', (info) => closes.push(info));
    transport.on('error', (error) => errors.push(error));
    await transport.open();
    for (const socket of server.wss.clients) socket.send(new Uint8Array(MAX_WEBSOCKET_MESSAGE + 1));
    await until(() => closes.length === 1, 'the close event');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TransportError);
    expect(((errors[0] as Error).cause as { code?: string }).code).toBe('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
    expect(closes[0]).toMatchObject({ local: false });
  });

  test('close() while opening rejects open() with a TransportError, and emits no close (it never opened)', async () => {
    const server = await echoServer();
    const transport = new WebSocketTransport({ url: server.url });
    const closes: unknown[] = [];
    transport.on('close', (info) => closes.push(info));
    const opening = transport.open().catch((e: unknown) => e);
    transport.close();
    const error = await opening;
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toContain('closed while opening');
    expect(closes).toEqual([]);
    expect(transport.isOpen).toBe(false);
  });
});

/** True for a socket whose local port is the echo server's (the server's end of a connection). */
function isServerSide(socket: Socket, url: string): boolean {
  return socket.localPort === Number(new URL(url).port);
}
