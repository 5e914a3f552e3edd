/**
 * The receive chain on a real client (fake server, memory transport): modules claim stanzas, the
 * ack waits for the handler, a failing handler leaves the stanza unacked, observers are awaited,
 * a handler may wait for an IQ reply (it runs off the frame loop), and the bound closes the
 * connection instead of growing.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { describe, expect, test } from 'vitest';
import { defineModule, type ModuleHost } from '../src/modules/module';
import { S } from './_fake-server';
import { setup } from './_setup';
import { nextEvent, until } from './_wait';

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

// A <call>: acked like a message, and claimed by no built-in handler (messaging claims <message>).
const call = (id: string, from = '15550002222@s.whatsapp.net'): BinaryNode => ({
  tag: 'call',
  attrs: { from, id, t: '1700000000' },
});

async function loggedIn(options: Parameters<typeof setup>[0] = {}) {
  const context = await setup(options);
  await context.client.connect();
  await until(() => context.client.isLoggedIn, 'login');
  return context;
}

describe('the stanza chain', () => {
  test('a module handler claims a stanza; the ack is sent only after it finished', async () => {
    const { server, client } = await loggedIn();
    const held = gate();
    const handled: string[] = [];
    client.use(
      defineModule('test-claim', (host: ModuleHost) => {
        host.handle({
          name: 'test:call',
          match: { tag: 'call' },
          handle: async ({ node }) => {
            await held.promise;
            handled.push(node.attrs.id!);
          },
        });
      }),
    );
    await server.last.send(call('m1'));
    // A later notification in another lane is handled and acked meanwhile.
    await server.last.send({ tag: 'notification', attrs: { from: S, id: 'n1', type: 'picture' } });
    await server.last.waitFor((n) => n.tag === 'ack' && n.attrs.id === 'n1', 'the ack of n1');
    expect(server.last.received.some((n) => n.tag === 'ack' && n.attrs.id === 'm1')).toBe(false);
    held.open();
    const ack = await server.last.waitFor((n) => n.tag === 'ack' && n.attrs.id === 'm1', 'the ack of m1');
    expect(ack.attrs.class).toBe('call');
    expect(handled).toEqual(['m1']);
    await client.disconnect();
  });

  test('a handler that throws leaves the stanza unacked and reports the error', async () => {
    const { server, client } = await loggedIn();
    client.use(
      defineModule('test-throw', (host) => {
        host.handle({
          name: 'test:fail',
          match: { tag: 'call' },
          handle: ({ node }) => {
            if (node.attrs.id === 'bad') throw new RangeError('store write failed');
          },
        });
      }),
    );
    const error = nextEvent(client, 'error');
    await server.last.send(call('bad'));
    await server.last.send(call('good'));
    await server.last.waitFor((n) => n.tag === 'ack' && n.attrs.id === 'good', 'the ack of good');
    expect((await error).error).toBeInstanceOf(RangeError);
    expect(server.last.received.some((n) => n.tag === 'ack' && n.attrs.id === 'bad')).toBe(false);
    await client.disconnect();
  });

  test('a handler returning false passes the stanza on; observers run after, awaited, before the ack', async () => {
    const { server, client } = await loggedIn();
    const log: string[] = [];
    const held = gate();
    client.use(
      defineModule('test-pass', (host) => {
        host.handle({
          name: 'a',
          match: { tag: 'call' },
          handle: () => {
            log.push('a');
            return false;
          },
        });
        host.handle({ name: 'b', match: { tag: 'call' }, handle: () => void log.push('b') });
        host.handle({ name: 'c', match: { tag: 'call' }, handle: () => void log.push('c') });
      }),
    );
    client.registerHandler({ tag: 'call' }, async () => {
      await held.promise;
      log.push('observer');
    });
    await server.last.send(call('m2'));
    await until(() => log.length === 2, 'the handlers');
    expect(log).toEqual(['a', 'b']);
    held.open();
    await server.last.waitFor((n) => n.tag === 'ack' && n.attrs.id === 'm2', 'the ack of m2');
    expect(log).toEqual(['a', 'b', 'observer']);
    await client.disconnect();
  });

  test('a handler may wait for an IQ reply: it runs off the frame loop', async () => {
    const { server, client } = await loggedIn();
    server.onIq = (_connection, iq) =>
      iq.attrs.xmlns === 'test'
        ? { tag: 'iq', attrs: { from: S, type: 'result', id: iq.attrs.id! } }
        : undefined;
    client.use(
      defineModule('test-iq', (host) => {
        host.handle({
          name: 'test:iq',
          match: { tag: 'call' },
          handle: async () => {
            await host.query({ tag: 'iq', attrs: { to: S, type: 'get', xmlns: 'test' } });
          },
        });
      }),
    );
    await server.last.send(call('m3'));
    await server.last.waitFor((n) => n.tag === 'ack' && n.attrs.id === 'm3', 'the ack of m3');
    await client.disconnect();
  });

  test('module hooks run on connect, login and close; use() mounts a module once', async () => {
    const { server, client } = await setup();
    const log: string[] = [];
    const module = defineModule('test-hooks', (host) => {
      host.onConnect(() => void log.push('connect'));
      host.onLogin(({ node }) => void log.push(`login ${node.tag}`));
      host.onClose(() => void log.push('close'));
      return { id: Symbol('api') };
    });
    const api = client.use(module);
    expect(client.use(module)).toBe(api);
    await client.connect();
    await until(() => log.includes('login success'), 'the login hook');
    await client.disconnect();
    await until(() => log.includes('close'), 'the close hook');
    expect(log).toEqual(['connect', 'login success', 'close']);
    expect(server.connections).toHaveLength(1);
  });

  test('past maxQueuedStanzas the connection closes as overloaded (and reconnects); nothing is acked early', async () => {
    const { server, client } = await loggedIn({ maxQueuedStanzas: 3 });
    const held = gate();
    client.use(
      defineModule('test-hold', (host) => {
        host.handle({ name: 'hold', match: { tag: 'call' }, handle: () => held.promise });
      }),
    );
    const disconnected = nextEvent(client, 'disconnected');
    for (let i = 0; i < 4; i++) await server.last.send(call(`q${i}`, `1555000000${i}@s.whatsapp.net`));
    const end = await disconnected;
    expect(end.reason).toBe('overloaded');
    expect(end.willReconnect).toBe(true);
    held.open();
    expect(server.connections[0]!.received.some((n) => n.tag === 'ack')).toBe(false);
    await client.disconnect();
  });
});
