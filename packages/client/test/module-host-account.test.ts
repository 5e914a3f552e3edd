/**
 * The module host's account hooks: `updateAccount` (the push name a feature module sets, kept in
 * the store and the client's copy, and then sent in the next ClientPayload), `checkKeyBundle`
 * (the login digest check, on demand, telling what it found) and `learnLid` (a LID <-> PN pair a
 * module learned, recorded as messaging's own).
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ClientPayloadSchema } from '@wakit/proto';
import { describe, expect, test } from 'vitest';
import { buildClientPayload } from '../src/auth/client-payload';
import type { Client } from '../src/client';
import { IqError, NoCredentialsError } from '../src/errors';
import { defineModule, type ModuleHost } from '../src/modules/module';
import { S } from './_fake-server';
import { setup } from './_setup';
import { nextEvent, until } from './_wait';
import { digestNode, serverDigest } from './digest-helpers';

/** The host a module mounted on `client` gets. */
const hostOf = (client: Client): ModuleHost =>
  client.use(defineModule('test-account-host', (host: ModuleHost) => host));

describe('ModuleHost.updateAccount', () => {
  test('stores the push name, updates the client copy and keeps the account otherwise', async () => {
    const { client, store } = await setup();
    const before = (await store.loadCredentials())!.account!;
    const account = await hostOf(client).updateAccount({ pushName: 'Alice' });
    expect(account).toEqual({ ...before, pushName: 'Alice' });
    expect((await store.loadCredentials())!.account).toEqual(account);
  });

  test('a prekey refill after the change keeps the new push name', async () => {
    const { server, client, store } = await setup();
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    await hostOf(client).updateAccount({ pushName: 'Alice' });
    expect(client.credentials?.account?.pushName).toBe('Alice');
    // The refill saves the credentials it holds: they must be the updated ones.
    const uploaded = nextEvent(client, 'prekeys-uploaded');
    const connection = await server.connection(0);
    await connection.send({
      tag: 'notification',
      attrs: { from: S, type: 'encrypt', id: 'n1' },
      content: [{ tag: 'count', attrs: { value: '0' } }],
    });
    await uploaded;
    expect((await store.loadCredentials())!.account?.pushName).toBe('Alice');
    await client.disconnect();
  });

  test('the stored push name is sent in the next login payload', async () => {
    const { server, client } = await setup({ payload: { pushName: 'Configured' } });
    await hostOf(client).updateAccount({ pushName: 'Alice' });
    await client.connect();
    const connection = await server.connection(0);
    expect(connection.payload?.pushName).toBe('Alice');
    await client.disconnect();
  });

  test('an unpaired device has no account to change', async () => {
    const { client } = await setup({ paired: false });
    await expect(hostOf(client).updateAccount({ pushName: 'Alice' })).rejects.toBeInstanceOf(
      NoCredentialsError,
    );
  });
});

describe('ModuleHost.checkKeyBundle', () => {
  test('a matching digest is ok', async () => {
    const { server, client, store } = await setup();
    server.digest = digestNode(serverDigest((await store.loadCredentials())!, []));
    await client.connect();
    await nextEvent(client, 'key-bundle-checked');
    await expect(hostOf(client).checkKeyBundle()).resolves.toEqual({ status: 'ok' });
    await client.disconnect();
  });

  test('no bundle on the server (404): a fresh one is uploaded and reported', async () => {
    const { server, client } = await setup();
    server.digest = 404;
    await client.connect();
    await nextEvent(client, 'prekeys-uploaded');
    const uploaded = nextEvent(client, 'prekeys-uploaded');
    await expect(hostOf(client).checkKeyBundle()).resolves.toEqual({
      status: 'reuploaded',
      problem: 'absent',
    });
    expect((await uploaded).count).toBe(812);
    await client.disconnect();
  });

  test('a digest that differs is a mismatch naming the difference', async () => {
    const { server, client, store } = await setup();
    server.digest = digestNode(
      serverDigest((await store.loadCredentials())!, [{ keyId: 7, publicKey: new Uint8Array(32) }]),
    );
    await client.connect();
    await nextEvent(client, 'key-bundle-checked');
    await expect(hostOf(client).checkKeyBundle()).resolves.toEqual({
      status: 'mismatch',
      problem: 'missing-prekeys',
    });
    await client.disconnect();
  });

  test('any other refusal is the IqError, not swallowed as at login', async () => {
    const { server, client } = await setup();
    server.digest = 503;
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    const error = await hostOf(client)
      .checkKeyBundle()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IqError);
    expect((error as IqError).errorCode).toBe(503);
    await client.disconnect();
  });
});

test('buildClientPayload prefers the stored push name over the option', async () => {
  const { store } = await setup();
  const credentials = (await store.loadCredentials())!;
  const named = { ...credentials, account: { ...credentials.account!, pushName: 'Stored' } };
  const payload = (c: typeof credentials) =>
    fromBinary(ClientPayloadSchema, buildClientPayload(c, { pushName: 'Option' })).pushName;
  expect(payload(named)).toBe('Stored');
  expect(payload(credentials)).toBe('Option');
});

describe('ModuleHost.learnLid', () => {
  test('records the pair as messaging does: the store has it and the PN sessions move to the LID', async () => {
    const { client, store } = await setup();
    const pn = '15550009999@s.whatsapp.net';
    const lid = '77665544332211@lid';
    await store.storeSession('15550009999.0', Uint8Array.of(1, 2, 3));
    await hostOf(client).learnLid(lid, pn);
    expect(await store.lids.getLid(pn)).toBe(lid);
    expect(await store.loadSession('15550009999.0')).toBeUndefined();
    expect(await store.loadSession('77665544332211_1.0')).toEqual(Uint8Array.of(1, 2, 3));
  });

  test('a pair that is not a LID and a PN user changes nothing', async () => {
    const { client, store } = await setup();
    await hostOf(client).learnLid('15550009999@s.whatsapp.net', '77665544332211@lid');
    expect(await store.lids.getLid('77665544332211@lid')).toBeUndefined();
    expect(await store.lids.getLid('15550009999@s.whatsapp.net')).toBeUndefined();
  });
});
