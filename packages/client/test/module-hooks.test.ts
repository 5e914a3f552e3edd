/**
 * The module hooks around other modules and the send path: `host.use` (one instance per client,
 * cycles refused), children added to outgoing 1:1 messages (synchronous and promised, in order),
 * and the after-send hook, which runs once the server acked. The send path runs end to end
 * against @wakit/server over loopback WebSockets, so the stanza checked is the one the server got.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { startServer, type WaServer } from '@wakit/server';
import { afterEach, describe, expect, test } from 'vitest';
import { createClient } from '../src/client';
import { defineModule, type OutgoingMessage } from '../src/modules/module';
import { MemoryStore } from '../src/store/memory-store';
import { DEADLINE_MS, nextEvent, until } from './_wait';

describe('host.use', () => {
  test('a module reaches another through the host; every user of it shares one instance', () => {
    const client = createClient({ store: new MemoryStore() });
    let setups = 0;
    const base = defineModule('test-base', () => {
      setups += 1;
      return { id: Symbol('base') };
    });
    const dependent = defineModule('test-dependent', (host) => ({ base: host.use(base) }));
    const viaDependent = client.use(dependent).base;
    expect(client.use(base)).toBe(viaDependent);
    expect(client.use(dependent).base).toBe(viaDependent);
    expect(setups).toBe(1);
  });

  test('modules using each other during their setups are refused with a TypeError naming them', () => {
    const client = createClient({ store: new MemoryStore() });
    const first: ReturnType<typeof defineModule<unknown>> = defineModule('test-first', (host) =>
      host.use(second),
    );
    const second: ReturnType<typeof defineModule<unknown>> = defineModule('test-second', (host) =>
      host.use(first),
    );
    expect(() => client.use(first)).toThrow(/test-first -> test-second/);
    // Nothing half set up was kept: a module without the cycle mounts afterwards.
    expect(client.use(defineModule('test-after', () => 1))).toBe(1);
  });
});

let server: WaServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client linked to a new account, and a second account to write to. */
async function linkedWithPeer() {
  server = await startServer();
  const phone = await server.phones.create('15550003333');
  const peer = await server.phones.create('15550004444');
  const client = createClient({
    store: new MemoryStore(),
    url: server.url,
    rootPublicKey: server.rootPublicKey,
  });
  const qr = nextEvent(client, 'qr');
  await client.connect();
  await phone.scanQr((await qr).qr);
  await client.waitForConnected(DEADLINE_MS);
  return { server, client, peer };
}

const PEER = '15550004444@s.whatsapp.net';

describe('outgoing 1:1 message hooks', () => {
  test('children from every provider, synchronous and promised, follow the message in order', async () => {
    const { server, client } = await linkedWithPeer();
    const seen: OutgoingMessage[] = [];
    client.use(
      defineModule('test-children', (host) => {
        host.addMessageChildren((message) => {
          seen.push(message);
          return [{ tag: 'tctoken', attrs: {}, content: new Uint8Array([1, 2, 3]) }];
        });
        host.addMessageChildren(async () => [{ tag: 'meta', attrs: { from: 'promise' } }]);
        host.addMessageChildren(() => undefined);
      }),
    );
    const relayed = server.waitFor('message', (event) => event.node.attrs.to === PEER, DEADLINE_MS);
    const id = await client.sendMessage(PEER, { conversation: 'hi' });
    const { node } = await relayed;
    const tags = (node.content as BinaryNode[]).map((child) => child.tag);
    expect(tags.slice(-2)).toEqual(['tctoken', 'meta']);
    expect((node.content as BinaryNode[]).at(-2)!.content).toEqual(new Uint8Array([1, 2, 3]));
    expect(seen).toEqual([{ id, to: PEER, peer: expect.stringMatching(/@lid$/) }]);
    await client.disconnect();
  });

  test('a removed provider adds nothing more', async () => {
    const { server, client } = await linkedWithPeer();
    let remove!: () => void;
    client.use(
      defineModule('test-remove', (host) => {
        remove = host.addMessageChildren(() => [{ tag: 'tctoken', attrs: {} }]);
      }),
    );
    remove();
    const relayed = server.waitFor('message', (event) => event.node.attrs.to === PEER, DEADLINE_MS);
    await client.sendMessage(PEER, { conversation: 'hi' });
    const { node } = await relayed;
    expect((node.content as BinaryNode[]).some((child) => child.tag === 'tctoken')).toBe(false);
    await client.disconnect();
  });

  test('the after-send hook runs once the server acked, with the message it sent', async () => {
    const { client } = await linkedWithPeer();
    const sent: OutgoingMessage[] = [];
    let acked = false;
    client.on('node', (node) => {
      if (node.tag === 'ack' && node.attrs.class === 'message') acked = true;
    });
    client.use(
      defineModule('test-sent', (host) => {
        host.onMessageSent((message) => {
          // The server's ack came first: the hook is told of a message the server holds.
          expect(acked).toBe(true);
          sent.push(message);
        });
      }),
    );
    const id = await client.sendMessage(PEER, { conversation: 'hi' });
    await until(() => sent.length === 1, 'the after-send hook');
    expect(sent[0]).toMatchObject({ id, to: PEER });
    await client.disconnect();
  });

  test('a provider that throws fails the send', async () => {
    const { client } = await linkedWithPeer();
    client.use(
      defineModule('test-throws', (host) => {
        host.addMessageChildren(async () => {
          throw new RangeError('no token store');
        });
      }),
    );
    await expect(client.sendMessage(PEER, { conversation: 'hi' })).rejects.toThrow('no token store');
    await client.disconnect();
  });
});
