import { TimeoutError } from '@wakit/errors';
import { describe, expect, test } from 'vitest';
import { ConnectionClosedError, IqError, NotConnectedError } from '../src/errors';
import { S } from './_fake-server';
import { setup } from './_setup';
import { until } from './_wait';

describe('query', () => {
  test('adds an id when missing and resolves with the result node', async () => {
    const { server, client } = await setup();
    server.onIq = (_connection, iq) =>
      iq.attrs.xmlns === 'test'
        ? {
            tag: 'iq',
            attrs: { from: S, type: 'result', id: iq.attrs.id! },
            content: [{ tag: 'pong', attrs: {} }],
          }
        : undefined;
    await client.connect();
    const result = await client.query({ tag: 'iq', attrs: { to: S, type: 'get', xmlns: 'test' } });
    expect(result.content).toEqual([{ tag: 'pong', attrs: {} }]);
    const sent = server.last.received.find((n) => n.attrs.xmlns === 'test')!;
    expect(sent.attrs.id).toBe(result.attrs.id);
    // A given id is kept.
    const kept = await client.query({ tag: 'iq', attrs: { to: S, type: 'get', xmlns: 'test', id: 'mine' } });
    expect(kept.attrs.id).toBe('mine');
    await client.disconnect();
  });

  test('an error reply rejects with IqError carrying the code, text and node', async () => {
    const { server, client } = await setup();
    server.onIq = (_connection, iq) =>
      iq.attrs.xmlns === 'test'
        ? {
            tag: 'iq',
            attrs: { from: S, type: 'error', id: iq.attrs.id! },
            content: [{ tag: 'error', attrs: { code: '404', text: 'item-not-found' } }],
          }
        : undefined;
    await client.connect();
    const error = await client
      .query({ tag: 'iq', attrs: { to: S, type: 'get', xmlns: 'test' } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(IqError);
    expect(error).toMatchObject({ errorCode: 404, text: 'item-not-found', code: 'ERR_CLIENT_IQ' });
    expect((error as IqError).node.attrs.type).toBe('error');
    await client.disconnect();
  });

  test('no reply within timeoutMs rejects with TimeoutError', async () => {
    const { server, client, timers } = await setup();
    server.onIq = (_connection, iq) => (iq.attrs.xmlns === 'test' ? 'ignore' : undefined);
    await client.connect();
    const pending = client.query(
      { tag: 'iq', attrs: { to: S, type: 'get', xmlns: 'test' } },
      { timeoutMs: 5000 },
    );
    const settled = pending.catch((e) => e);
    timers.advance(4999);
    let done = false;
    void settled.then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    timers.advance(1);
    const error = await settled;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 5000 });
    await client.disconnect();
  });

  test('pending queries reject with ConnectionClosedError when the connection drops', async () => {
    const { server, client } = await setup();
    server.onIq = (_connection, iq) => (iq.attrs.xmlns === 'test' ? 'ignore' : undefined);
    await client.connect();
    const a = client.query({ tag: 'iq', attrs: { to: S, type: 'get', xmlns: 'test' } }).catch((e) => e);
    const b = client.query({ tag: 'iq', attrs: { to: S, type: 'set', xmlns: 'test' } }).catch((e) => e);
    await server.last.waitFor((n) => n.attrs.type === 'set' && n.attrs.xmlns === 'test', 'the second query');
    server.last.close();
    expect(await a).toBeInstanceOf(ConnectionClosedError);
    expect(await b).toBeInstanceOf(ConnectionClosedError);
    await client.disconnect();
  });

  test('query and sendNode without a socket throw NotConnectedError', async () => {
    const { client } = await setup();
    await expect(client.query({ tag: 'iq', attrs: { type: 'get' } })).rejects.toBeInstanceOf(
      NotConnectedError,
    );
    await expect(client.sendNode({ tag: 'presence', attrs: {} })).rejects.toBeInstanceOf(NotConnectedError);
    await expect(client.logout()).rejects.toBeInstanceOf(NotConnectedError);
  });

  test('waitForConnected and waitForSocket time out with TimeoutError on the injected clock', async () => {
    const { client, timers } = await setup();
    const waiting = client.waitForConnected(1000).catch((e) => e);
    const socket = client.waitForSocket(500).catch((e) => e);
    timers.advance(1000);
    expect(await waiting).toBeInstanceOf(TimeoutError);
    expect(await socket).toBeInstanceOf(TimeoutError);
  });
});

describe('handlers and events', () => {
  test('registerHandler receives matching stanzas until unregistered; notifications are acked', async () => {
    const { server, client } = await setup();
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    const seen: string[] = [];
    const off = client.registerHandler({ tag: 'notification', attrs: { type: 'devices' } }, (node) => {
      seen.push(node.attrs.id!);
    });
    const send = (id: string, type: string) =>
      server.last.send({
        tag: 'notification',
        attrs: { from: S, id, type, participant: '1@s.whatsapp.net' },
      });
    await send('a', 'devices');
    await send('b', 'picture');
    await server.last.waitFor((n) => n.tag === 'ack' && n.attrs.id === 'b', 'the ack of b');
    off();
    await send('c', 'devices');
    const ackC = await server.last.waitFor((n) => n.tag === 'ack' && n.attrs.id === 'c', 'the ack of c');
    expect(ackC.attrs).toEqual({
      class: 'notification',
      id: 'c',
      to: S,
      type: 'devices',
      participant: '1@s.whatsapp.net',
    });
    expect(seen).toEqual(['a']);
    await client.disconnect();
  });

  test('logout() removes the companion, clears the store and emits logged-out without reconnecting', async () => {
    const { server, client, store, timers } = await setup();
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    const events: string[] = [];
    client.on('logged-out', ({ reason }) => events.push(reason));
    await client.logout();
    const remove = server.last.received.find((n) => n.attrs.xmlns === 'md')!;
    expect(remove.content).toEqual([
      {
        tag: 'remove-companion-device',
        attrs: { jid: '15550001111:2@s.whatsapp.net', reason: 'user_initiated' },
      },
    ]);
    expect(events).toEqual(['logged-out']);
    expect(await store.loadCredentials()).toBeUndefined();
    timers.advance(600_000);
    expect(server.connections).toHaveLength(1);
  });
});
