import { getChild } from '@wakit/binary-node';
import { nodeCrypto } from '@wakit/crypto/node';
import { describe, expect, test, vi } from 'vitest';
import { createClient } from '../src/client';
import { StoreInUseError } from '../src/errors';
import { S } from './_fake-server';
import { setup } from './_setup';
import { nextEvent, until } from './_wait';
import { digestNode, serverDigest } from './digest-helpers';

describe('login', () => {
  test('a paired store logs in with the login payload and reaches connected on <success>', async () => {
    const { server, client } = await setup();
    const connected = nextEvent(client, 'connected');
    await client.connect();
    expect(client.isConnected).toBe(true);
    const connection = await server.connection(0);
    expect(connection.paired).toBe(true);
    expect(connection.payload?.username).toBe(15550001111n);
    expect(connection.payload?.device).toBe(2);
    await connected;
    expect(client.isLoggedIn).toBe(true);
    expect(client.state).toBe('connected');
    await client.disconnect();
  });

  test('after login it queries the prekey count and leaves passive mode', async () => {
    const { server, client } = await setup();
    await client.connect();
    const connection = await server.connection(0);
    const count = await connection.waitFor(
      (n) => n.attrs.xmlns === 'encrypt' && n.attrs.type === 'get',
      'a count query',
    );
    expect(count.content).toEqual([{ tag: 'count', attrs: {} }]);
    await connection.waitFor((n) => n.attrs.xmlns === 'passive', 'an <active/> IQ');
    // 100 prekeys on the server: nothing is uploaded.
    expect(connection.received.some((n) => n.attrs.xmlns === 'encrypt' && n.attrs.type === 'set')).toBe(
      false,
    );
    await client.disconnect();
  });

  test('stores the own LID from <success lid> before the prekey count query', async () => {
    const { server, client, store } = await setup();
    // A store paired before the server knew its LID: pair-success carried none.
    const credentials = (await store.loadCredentials())!;
    await store.saveCredentials({ ...credentials, account: { ...credentials.account!, lid: undefined } });
    await client.connect();
    const connection = await server.connection(0);
    await connection.waitFor((n) => getChild(n, 'count') !== undefined, 'the prekey count query');
    expect((await store.loadCredentials())!.account?.lid).toBe('99887766:2@lid');
    await client.disconnect();
  });

  test('uploads 812 prekeys when the server has none, storing them and the advanced id first', async () => {
    const { server, client, store } = await setup();
    server.preKeyCount = 0;
    const before = (await store.loadCredentials())!.nextPreKeyId;
    const uploaded = nextEvent(client, 'prekeys-uploaded');
    await client.connect();
    const connection = await server.connection(0);
    const upload = await connection.waitFor(
      (n) => n.attrs.xmlns === 'encrypt' && n.attrs.type === 'set',
      'an upload',
    );
    // By the time the upload is on the wire, the store already holds the keys and the new id.
    expect(await store.countPreKeys()).toBe(812);
    expect((await store.loadCredentials())!.nextPreKeyId).toBe(before + 812);
    const list = (upload.content as { tag: string; content?: unknown[] }[]).find((c) => c.tag === 'list');
    expect(list?.content).toHaveLength(812);
    expect((await uploaded).count).toBe(812);
    await client.disconnect();
  });

  test('tops up to 812 when the server count is below 5, also on an encrypt notification', async () => {
    const { server, client, store } = await setup();
    server.preKeyCount = 3;
    const first = nextEvent(client, 'prekeys-uploaded');
    await client.connect();
    expect((await first).count).toBe(809);
    const connection = await server.connection(0);
    const second = nextEvent(client, 'prekeys-uploaded');
    await connection.send({
      tag: 'notification',
      attrs: { from: S, type: 'encrypt', id: 'n1' },
      content: [{ tag: 'count', attrs: { value: '4' } }],
    });
    expect((await second).count).toBe(808);
    expect(await store.countPreKeys()).toBe(809 + 808);
    const ack = await connection.waitFor((n) => n.tag === 'ack', 'an ack');
    expect(ack.attrs).toEqual({ class: 'notification', id: 'n1', to: S, type: 'encrypt' });
    await client.disconnect();
  });

  test('after <active/> it checks the server key-bundle digest; a matching one raises no warning', async () => {
    const warnings: string[] = [];
    const { server, client, store } = await setup({ logger: { warn: (message) => warnings.push(message) } });
    const credentials = (await store.loadCredentials())!;
    server.digest = digestNode(serverDigest(credentials, []));
    const checked = nextEvent(client, 'key-bundle-checked');
    await client.connect();
    expect(await checked).toEqual({ matches: true, problem: undefined });
    const connection = await server.connection(0);
    const iqs = connection.received.filter((n) => n.tag === 'iq').map((n) => n.content);
    // Order: prekey count, <active/>, then the digest.
    expect(iqs.slice(0, 3)).toEqual([
      [{ tag: 'count', attrs: {} }],
      [{ tag: 'active', attrs: {} }],
      [{ tag: 'digest', attrs: {} }],
    ]);
    expect(warnings).toEqual([]);
    await client.disconnect();
  });

  test('sends <ib><unified_session> after <active/>: (server time + 3 days) mod 1 week, on the server clock', async () => {
    const { server, client, timers } = await setup();
    // Our clock is an hour ahead of nothing in particular; <success t="1700000000"> sets the server's.
    timers.advance(3_600_000);
    await client.connect();
    const connection = await server.connection(0);
    const ib = await connection.waitFor((n) => n.tag === 'ib', 'the unified session');
    const week = 7 * 24 * 3_600_000;
    expect(ib).toEqual({
      tag: 'ib',
      attrs: {},
      content: [
        { tag: 'unified_session', attrs: { id: String((1_700_000_000_000 + 3 * 24 * 3_600_000) % week) } },
      ],
    });
    const active = connection.received.findIndex((n) => n.attrs.xmlns === 'passive');
    expect(active).toBeGreaterThanOrEqual(0);
    expect(connection.received.indexOf(ib)).toBeGreaterThan(active);
    await client.disconnect();
  });

  test('a digest 404 (no bundle on the server) uploads a fresh one', async () => {
    const { server, client, store } = await setup();
    server.digest = 404;
    const checked = nextEvent(client, 'key-bundle-checked');
    const uploaded = nextEvent(client, 'prekeys-uploaded');
    await client.connect();
    expect(await checked).toEqual({ matches: false, problem: 'absent' });
    expect((await uploaded).count).toBe(812);
    expect(await store.countPreKeys()).toBe(812);
    await client.disconnect();
  });

  test('a digest that differs is reported and warned about, and nothing is uploaded', async () => {
    const warnings: string[] = [];
    const { server, client, store } = await setup({ logger: { warn: (message) => warnings.push(message) } });
    // The server lists prekey 7, which this store never had.
    server.digest = digestNode(
      serverDigest((await store.loadCredentials())!, [{ keyId: 7, publicKey: new Uint8Array(32) }]),
    );
    const checked = nextEvent(client, 'key-bundle-checked');
    await client.connect();
    expect(await checked).toEqual({ matches: false, problem: 'missing-prekeys' });
    expect(warnings).toEqual(["the server's key bundle differs from ours: missing-prekeys"]);
    const connection = await server.connection(0);
    expect(connection.received.some((n) => n.attrs.type === 'set' && n.attrs.xmlns === 'encrypt')).toBe(
      false,
    );
    await client.disconnect();
  });

  test('a refused digest query (503) is logged and skipped', async () => {
    const warnings: string[] = [];
    const { server, client } = await setup({ logger: { warn: (message) => warnings.push(message) } });
    server.digest = 503;
    const checked = vi.fn();
    client.on('key-bundle-checked', checked);
    const errors = vi.fn();
    client.on('error', errors);
    await client.connect();
    await until(() => warnings.length > 0, 'the warning');
    expect(warnings).toEqual(['the key bundle digest check was refused; skipped until the next login']);
    expect(checked).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
    await client.disconnect();
  });

  test('an encrypt notification whose count is not a number is reported, not acted on', async () => {
    const { server, client, store } = await setup();
    await client.connect();
    const connection = await server.connection(0);
    await until(() => client.isLoggedIn, 'login');
    const reported = nextEvent(client, 'error');
    await connection.send({
      tag: 'notification',
      attrs: { from: S, type: 'encrypt', id: 'n1' },
      content: [{ tag: 'count', attrs: { value: 'n/a' } }],
    });
    const { error, context } = await reported;
    expect(context).toBe('refilling prekeys');
    expect(error).toMatchObject({ name: 'AttrsError', kind: 'remote' });
    expect(await store.countPreKeys()).toBe(0);
    await client.disconnect();
  });

  test('answers the server urn:xmpp:ping IQ with a result of the same id', async () => {
    const { server, client } = await setup();
    await client.connect();
    const connection = await server.connection(0);
    await connection.send({ tag: 'iq', attrs: { from: S, type: 'get', xmlns: 'urn:xmpp:ping', id: 'p1' } });
    const reply = await connection.waitFor((n) => n.attrs.id === 'p1', 'a ping answer');
    expect(reply.attrs.type).toBe('result');
    await client.disconnect();
  });

  test('a second client on the same store is refused with StoreInUseError', async () => {
    const { server, client, store } = await setup();
    await client.connect();
    const second = createClient({ store, transport: server.transport, rootPublicKey: server.rootPublicKey });
    await expect(second.connect()).rejects.toBeInstanceOf(StoreInUseError);
    expect(second.state).toBe('idle');
    await client.disconnect();
    // Released on disconnect: now it may.
    await second.connect();
    await second.disconnect();
  });

  test('a second connect() while connecting joins the same attempt', async () => {
    const { server, client } = await setup();
    const a = client.connect();
    const b = client.connect();
    await Promise.all([a, b]);
    expect(server.connections).toHaveLength(1);
    await client.connect();
    expect(server.connections).toHaveLength(1);
    await client.disconnect();
  });

  test('a server whose chain does not lead to the given root is refused once, without retries', async () => {
    const { server, client, timers } = await setup({
      rootPublicKey: (await nodeCrypto.generateKeyPair()).publicKey,
    });
    const disconnected = nextEvent(client, 'disconnected');
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_NOISE_CERT_CHAIN' });
    expect(await disconnected).toMatchObject({ reason: 'certificate-refused', willReconnect: false });
    expect(client.state).toBe('closed');
    timers.advance(600_000);
    expect(server.connections).toHaveLength(1);
  });

  test("the default root (WhatsApp's) refuses a test server", async () => {
    const { client } = await setup({ rootPublicKey: undefined });
    await expect(client.connect()).rejects.toMatchObject({
      code: 'ERR_NOISE_CERT_CHAIN',
      reason: 'intermediate-signature',
    });
  });
});
