/**
 * What broke: `connect(); await waitForConnected(); await disconnect()` emitted an `error` event
 * ("post-login setup: NotConnectedError query() needs an open socket", or ConnectionClosedError
 * "the connection closed (user)"): the post-login steps ran on in the background and failed on the
 * connection the user had just closed. Worse, `logout()` resolved while a prekey refill still ran,
 * and the refill then wrote 812 prekeys and the credentials back into the store logout had cleared.
 *
 * The rules now (`src/client/tasks.ts`): a stop waits for the client's own work before it clears or
 * releases the store, and work the user's own stop cut short is not reported; real failures are.
 */
import { nodeCrypto } from '@wakit/crypto/node';
import { issueDeviceIdentity, parseQr } from '@wakit/server';
import { describe, expect, test } from 'vitest';
import { StoreInUseError } from '../../src/errors';
import type { ClientEvents } from '../../src/events';
import { defineModule } from '../../src/modules/module';
import { MemoryStore } from '../../src/store/memory-store';
import type { DeviceCredentials, PreKey } from '../../src/store/store';
import { pairDeviceNode, S } from '../_fake-server';
import { pairedStore, setup } from '../_setup';
import { nextEvent, until } from '../_wait';

/** A call the test holds: `entered` resolves when the client made it, `release` lets it go on. */
interface Gate {
  entered: Promise<void>;
  release(failWith?: Error): void;
}

function gate(): Gate & { wait(): Promise<void> } {
  let enter!: () => void;
  let go!: (error?: Error) => void;
  const entered = new Promise<void>((resolve) => {
    enter = resolve;
  });
  const released = new Promise<Error | undefined>((resolve) => {
    go = resolve;
  });
  return {
    entered,
    release: (failWith) => go(failWith),
    wait: async () => {
      enter();
      const error = await released;
      if (error !== undefined) throw error;
    },
  };
}

/** A MemoryStore whose prekey batches, or saves of paired credentials, wait for the test. */
class GatedStore extends MemoryStore {
  preKeys: ReturnType<typeof gate> | undefined;
  pairedSave: ReturnType<typeof gate> | undefined;

  override async storePreKeys(preKeys: readonly PreKey[]): Promise<void> {
    const held = this.preKeys;
    this.preKeys = undefined;
    await held?.wait();
    await super.storePreKeys(preKeys);
  }

  override async saveCredentials(credentials: DeviceCredentials): Promise<void> {
    const held = credentials.account === undefined ? undefined : this.pairedSave;
    if (held !== undefined) this.pairedSave = undefined;
    await held?.wait();
    await super.saveCredentials(credentials);
  }
}

async function gatedPairedStore(): Promise<GatedStore> {
  const store = new GatedStore();
  await store.saveCredentials((await (await pairedStore()).loadCredentials())!);
  return store;
}

function collectErrors(client: { on(event: 'error', l: (e: ClientEvents['error']) => void): () => void }) {
  const errors: string[] = [];
  client.on('error', ({ error, context }) => errors.push(`${context}: ${(error as Error).name}`));
  return errors;
}

/**
 * A logged-in client whose prekey refill is held at the store until `held.release()`: the moment a
 * user's stop most often overtook the post-login work. Errors are collected from before the login.
 */
async function loggedInWithRefillHeld(options: Parameters<typeof setup>[0] = {}) {
  const store = await gatedPairedStore();
  const held = gate();
  store.preKeys = held;
  const { server, client } = await setup({ store, ...options });
  server.preKeyCount = 0;
  const errors = collectErrors(client);
  await client.connect();
  await held.entered;
  return { store, held, server, client, errors };
}

describe('a stop the user asked for is not an error', () => {
  test('disconnect() right after login, five times in a row, while the prekey upload runs', async () => {
    const { server, client } = await setup();
    server.preKeyCount = 0;
    const errors = collectErrors(client);
    for (let i = 0; i < 5; i += 1) {
      const connected = nextEvent(client, 'connected');
      await client.connect();
      await connected;
      await client.disconnect();
    }
    expect(errors).toEqual([]);
    // Five logins, each cut short: the count query went out, the upload never did.
    expect(server.connections).toHaveLength(5);
  });

  test('logout() during a prekey refill leaves the store empty and reports nothing', async () => {
    const { store, held, server, client, errors } = await loggedInWithRefillHeld();
    const disconnected = nextEvent(client, 'disconnected');
    const loggedOut = client.logout();
    await disconnected;
    // The refill was holding its batch of 812 when the logout came; it goes on only now.
    held.release();
    await loggedOut;
    expect(await store.loadCredentials()).toBeUndefined();
    expect(await store.countPreKeys()).toBe(0);
    expect(errors).toEqual([]);
    expect(server.last.received.some((n) => n.attrs.xmlns === 'encrypt' && n.attrs.type === 'set')).toBe(
      false,
    );
  });

  test('disconnect() resolves only after the post-login work let go of the store', async () => {
    const { store, held, client, errors } = await loggedInWithRefillHeld();
    let resolved = false;
    const closed = nextEvent(client, 'disconnected');
    const disconnected = client.disconnect().then(() => {
      resolved = true;
    });
    await closed;
    // One macrotask: every microtask has run, so a stop that did not wait for the refill (an
    // in-memory lease releases in microtasks) would have resolved by now.
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolved).toBe(false);
    // The batch is still held, so the store is not released yet: a second client is refused.
    await expect(store.claim()).rejects.toBeInstanceOf(StoreInUseError);
    held.release();
    await disconnected;
    expect(errors).toEqual([]);
    // Released now; the batch landed before the release (it was under way), the upload never went out.
    const second = (await setup({ store })).client;
    await second.connect();
    await second.disconnect();
  });

  test('prekeys whose generation a disconnect() overtook are not stored', async () => {
    // The refill's key generation is held: the crypto provider waits once it is armed.
    let generating: ReturnType<typeof gate> | undefined;
    const crypto = {
      ...nodeCrypto,
      generateKeyPair: async () => {
        const held = generating;
        generating = undefined;
        await held?.wait();
        return nodeCrypto.generateKeyPair();
      },
    };
    const { server, client, store } = await setup({ crypto });
    server.preKeyCount = 0;
    const before = (await store.loadCredentials())!.nextPreKeyId;
    const errors = collectErrors(client);
    const held = gate();
    client.on('connected', () => {
      generating = held;
    });
    await client.connect();
    await held.entered;
    const closed = nextEvent(client, 'disconnected');
    const stopped = client.disconnect();
    await closed;
    held.release();
    await stopped;
    expect(await store.countPreKeys()).toBe(0);
    expect((await store.loadCredentials())!.nextPreKeyId).toBe(before);
    expect(errors).toEqual([]);
  });

  test('disconnect() while the QR codes rotate: no error, and no QR after it', async () => {
    const { server, client, timers } = await setup({ paired: false });
    const errors = collectErrors(client);
    await client.connect();
    const connection = await server.connection(0);
    const firstQr = nextEvent(client, 'qr');
    await connection.send(pairDeviceNode(['ref-1']));
    await firstQr;
    const later: unknown[] = [];
    client.on('qr', (event) => later.push(event));
    client.on('pairing-failed', (event) => later.push(event));
    await client.disconnect();
    timers.advance(600_000);
    expect(later).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('disconnect() from a listener as pair-device arrives: no error, no QR, no ack', async () => {
    const { server, client, timers } = await setup({ paired: false });
    const errors = collectErrors(client);
    const shown: unknown[] = [];
    client.on('qr', (event) => shown.push(event));
    await client.connect();
    const connection = await server.connection(0);
    const disconnected = nextEvent(client, 'disconnected');
    let stopped: Promise<void> | undefined;
    client.on('node', (node) => {
      if (node.tag === 'iq') stopped = client.disconnect();
    });
    await connection.send(pairDeviceNode(['ref-1']));
    expect(await disconnected).toMatchObject({ reason: 'user', willReconnect: false });
    await stopped;
    await new Promise((resolve) => setImmediate(resolve));
    timers.advance(600_000);
    expect(errors).toEqual([]);
    expect(shown).toEqual([]);
    expect(connection.received.some((n) => n.attrs.id === 'pd1')).toBe(false);
  });

  test('disconnect() while a pair-success is being saved: no error, the paired credentials kept', async () => {
    const store = new GatedStore();
    const held = gate();
    store.pairedSave = held;
    const { server, client } = await setup({ store });
    const errors = collectErrors(client);
    await client.connect();
    const connection = await server.connection(0);
    const firstQr = nextEvent(client, 'qr');
    await connection.send(pairDeviceNode(['ref-1']));
    const qr = parseQr((await firstQr).qr);
    const issued = await issueDeviceIdentity({
      crypto: nodeCrypto,
      account: await nodeCrypto.generateKeyPair(),
      companionIdentity: qr.identityKey,
      advSecret: qr.advSecret,
      keyIndex: 1,
    });
    await connection.send({
      tag: 'iq',
      attrs: { from: S, type: 'result', id: 'ps1' },
      content: [
        {
          tag: 'pair-success',
          attrs: {},
          content: [
            { tag: 'device-identity', attrs: {}, content: issued.container },
            { tag: 'device', attrs: { jid: '15550002222:4@s.whatsapp.net' } },
          ],
        },
      ],
    });
    await held.entered;
    const closed = nextEvent(client, 'disconnected');
    const stopped = client.disconnect();
    await closed;
    held.release();
    await stopped;
    // One macrotask, so that a failure reported after disconnect() resolved would be seen too.
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual([]);
    // Saved before the (now impossible) reply, as always: the next connect logs in or is told why not.
    expect((await store.loadCredentials())?.account?.jid).toBe('15550002222:4@s.whatsapp.net');
    expect(connection.received.some((n) => n.attrs.id === 'ps1')).toBe(false);
  });
  test('disconnect() while a stanza handler runs: its reply cut short is no error', async () => {
    // Found by the messaging demo: a receipt being handled as the user disconnected reported
    // "handling <receipt>: ConnectionClosedError" (the pipeline reported its own failures).
    const { server, client } = await setup();
    await client.connect();
    await until(() => client.isLoggedIn, 'login');
    const held = gate();
    client.use(
      defineModule('test-held-reply', (host) => {
        host.handle({
          name: 'held-reply',
          match: { tag: 'call' },
          handle: async (stanza) => {
            await held.wait();
            await stanza.send({ tag: 'receipt', attrs: { id: stanza.node.attrs.id!, to: S } });
          },
        });
      }),
    );
    const errors: ClientEvents['error'][] = [];
    client.on('error', (event) => errors.push(event));
    await server.last.send({ tag: 'call', attrs: { from: S, id: 'c1' } });
    await held.entered;
    const stopped = client.disconnect();
    await until(() => client.state === 'closed', 'the stop');
    held.release();
    await stopped;
    expect(errors).toEqual([]);
  });
});

describe('real failures are still reported', () => {
  test('a post-login step that fails (a malformed prekey count) emits error', async () => {
    const { server, client } = await setup();
    server.onIq = (_, iq) =>
      iq.attrs.xmlns === 'encrypt' && iq.attrs.type === 'get'
        ? {
            tag: 'iq',
            attrs: { from: S, type: 'result', id: iq.attrs.id ?? '' },
            content: [{ tag: 'count', attrs: { value: 'many' } }],
          }
        : undefined;
    const reported = nextEvent(client, 'error');
    await client.connect();
    const { error, context } = await reported;
    expect(context).toBe('post-login setup');
    expect(error).toMatchObject({ name: 'AttrsError', kind: 'remote' });
    await client.disconnect();
  });

  test('a store write that fails is reported even when the user disconnects meanwhile', async () => {
    const { held, client } = await loggedInWithRefillHeld();
    const errors: ClientEvents['error'][] = [];
    client.on('error', (event) => errors.push(event));
    const closed = nextEvent(client, 'disconnected');
    const stopped = client.disconnect();
    await closed;
    held.release(new Error('disk full'));
    // disconnect() waits for the refill, so its failure is known by the time it resolves.
    await stopped;
    expect(errors.map(({ context, error }) => `${context}: ${(error as Error).message}`)).toEqual([
      'post-login setup: disk full',
    ]);
  });

  test('post-login work cut short by a drop the user did not ask for is still reported', async () => {
    const { held, server, client } = await loggedInWithRefillHeld({ reconnect: { enabled: false } });
    const reported = nextEvent(client, 'error');
    server.last.close();
    await until(() => client.state === 'closed', 'the drop');
    held.release();
    const { error, context } = await reported;
    expect(context).toBe('post-login setup');
    expect(error).toMatchObject({ code: 'ERR_CLIENT_NOT_CONNECTED' });
    await client.disconnect();
  });
});
