/**
 * `wakit listen` with a fake client (events emitted by the test) and a real MemoryStore.
 */
import { MemoryStore } from '@wakit/client';
import { describe, expect, it } from 'vitest';
import { listenCommand, parseListenArgs } from '../src/commands/listen';
import { credentials } from './_credentials';
import { fakeClientFactory } from './_fake-client';
import { fakeDeps } from './_fake-deps';
import { ALICE_CHAT, ALICE_DEVICE, message, received } from './_messages';

const JID = '15550000002:1@s.whatsapp.net';
const HEAD = `2025-01-02T03:04:05Z ${ALICE_CHAT} ${ALICE_DEVICE} ~Alice`;
const SUCCESS = { node: { tag: 'success', attrs: {} } };

/** Starts `wakit listen <args>` on a MemoryStore linked as {@link JID} (unless `linked` is false). */
async function listen(args: string[], linked = true) {
  const store = new MemoryStore();
  if (linked) await store.saveCredentials(credentials(JID));
  const createClient = fakeClientFactory();
  const deps = fakeDeps({ openStore: async () => store, createClient });
  const run = listenCommand.run(args, deps);
  const client = await Promise.race([createClient.firstConnected(), run.then(() => undefined)]);
  return { deps, run, store, client: client!, createClient };
}

/** True once the store was closed: a closed MemoryStore refuses every call. */
async function isClosed(store: MemoryStore): Promise<boolean> {
  return store.loadCredentials().then(
    () => false,
    (e: { code?: string }) => e.code === 'ERR_CLIENT_STORE_CLOSED',
  );
}

describe('parseListenArgs', () => {
  it('takes the shared device options, --json and --receipts', () => {
    expect(parseListenArgs(['--store', 'b.db', '--json', '--receipts'])).toEqual({
      storePath: 'b.db',
      url: 'wss://web.whatsapp.com/ws/chat',
      rootPublicKey: undefined,
      json: true,
      receipts: true,
    });
    expect(parseListenArgs([])).toMatchObject({
      storePath: './wakit-device.db',
      json: false,
      receipts: false,
    });
  });

  it('rejects arguments it does not take', () => {
    expect(() => parseListenArgs(['extra'])).toThrow("Unexpected argument 'extra'");
    expect(() => parseListenArgs(['--url', 'http://x/'])).toThrow('--url expected a ws:// or wss:// URL');
  });
});

describe('wakit listen', () => {
  it('prints each message on stdout and the connection story on stderr until SIGINT', async () => {
    const { deps, client, store, run } = await listen(['--store', 'b.db']);
    client.emit('connected', SUCCESS);
    client.emit('message', received({ conversation: 'sent while away' }, { offline: true }));
    client.emit('offline-sync-complete', { count: 1 });
    client.emit('message', received({ conversation: 'hello' }));
    client.emit('message-edited', {
      chat: ALICE_CHAT,
      id: '3EB0AAAA0001',
      sender: ALICE_DEVICE,
      fromMe: false,
      message: message({ conversation: 'hello!' }),
    });
    client.emit('message-revoked', {
      chat: ALICE_CHAT,
      id: '3EB0AAAA0001',
      sender: ALICE_DEVICE,
      fromMe: false,
    });
    client.emit('undecryptable', {
      info: received({}).info,
      reason: 'decrypt-failed',
      error: new Error('bad mac'),
    });
    // Receipts only with --receipts.
    client.emit('receipt', { chat: ALICE_CHAT, sender: ALICE_DEVICE, ids: ['3EB0B'], type: 'read' });
    await deps.waitForOutput('<undecryptable: decrypt-failed>\n');
    deps.stop('SIGINT');
    expect(await run).toBe(0);
    expect(deps.out.join('')).toBe(
      [
        `${HEAD} [offline]: sent while away`,
        `${HEAD}: hello`,
        `edited ${ALICE_CHAT} ${ALICE_DEVICE} 3EB0AAAA0001: hello!`,
        `revoked ${ALICE_CHAT} ${ALICE_DEVICE} 3EB0AAAA0001`,
        `${HEAD}: <undecryptable: decrypt-failed>`,
        '',
      ].join('\n'),
    );
    expect(deps.err.join('')).toBe(
      [
        `Connecting to wss://web.whatsapp.com/ws/chat as ${JID}`,
        `Logged in as ${JID}; listening. Press Ctrl-C to stop.`,
        'Offline backlog delivered: 1 stanza',
        'SIGINT: disconnecting',
        'stopped',
        '',
      ].join('\n'),
    );
    expect(client.disconnectCalls).toBe(1);
    expect(client.listenerCount).toBe(0);
    expect(await isClosed(store)).toBe(true);
    expect(deps.activeStopListeners).toBe(0);
  });

  it('prints receipts with --receipts', async () => {
    const { deps, client, run } = await listen(['--receipts']);
    client.emit('receipt', { chat: ALICE_CHAT, sender: ALICE_DEVICE, ids: ['3EB0B'], type: 'read' });
    await deps.waitForOutput(`receipt read ${ALICE_CHAT} ${ALICE_DEVICE} 3EB0B\n`);
    deps.stop('SIGTERM');
    expect(await run).toBe(0);
  });

  it('prints only JSON lines on stdout with --json, our own disconnect included', async () => {
    const { deps, client, run } = await listen(['--json', '--receipts']);
    client.emit('connected', SUCCESS);
    client.emit('message', received({ conversation: 'hi' }, { offline: true }));
    client.emit('offline-sync-complete', { count: 1 });
    client.emit('receipt', { chat: ALICE_CHAT, sender: ALICE_DEVICE, ids: ['3EB0B'], type: 'delivery' });
    await deps.waitForOutput('"event":"receipt"');
    deps.stop();
    expect(await run).toBe(0);
    const events = deps.out
      .join('')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string });
    expect(events.map((e) => e.event)).toEqual([
      'starting',
      'logged-in',
      'message',
      'offline-sync-complete',
      'receipt',
      'disconnected',
    ]);
    expect(events[2]).toMatchObject({ chat: ALICE_CHAT, text: 'hi', offline: true });
    expect(events[0]).toEqual({ event: 'starting', url: 'wss://web.whatsapp.com/ws/chat', jid: JID });
    expect(deps.err.join('')).toBe('SIGINT: disconnecting\nstopped\n');
  });

  it('reports a reconnect and keeps listening', async () => {
    const { deps, client, run } = await listen([]);
    client.emit('disconnected', { reason: 'transport-closed', willReconnect: true, delayMs: 1_500 });
    client.emit('connected', SUCCESS);
    client.emit('message', received({ conversation: 'after the reconnect' }));
    await deps.waitForOutput(`${HEAD}: after the reconnect\n`);
    expect(deps.err.join('')).toContain('Disconnected (transport-closed); reconnecting in 1.5 s\n');
    deps.stop();
    expect(await run).toBe(0);
  });

  it('exits 1 and closes the store when the device is unlinked', async () => {
    const { deps, client, store, run } = await listen(['--store', 'gone.db']);
    client.emit('socket-open', { paired: true });
    client.emit('logged-out', { reason: 'device-removed' });
    client.emit('disconnected', { reason: 'device-removed', willReconnect: false });
    expect(await run).toBe(1);
    expect(deps.err.join('')).toContain(
      'This device is no longer linked (device-removed); its credentials were removed from gone.db\n' +
        'Disconnected (device-removed)\n',
    );
    expect(deps.err.join('')).not.toContain('could not connect');
    expect(await isClosed(store)).toBe(true);
    expect(deps.activeStopListeners).toBe(0);
  });

  it('exits 1 naming the URL when the client stops before it reached the server', async () => {
    const { deps, client, run } = await listen(['--url', 'ws://127.0.0.1:9/ws/chat']);
    client.emit('disconnected', {
      reason: 'transport-error',
      willReconnect: false,
      error: new TypeError(''),
    });
    expect(await run).toBe(1);
    expect(deps.err.join('')).toContain('wakit listen: could not connect to ws://127.0.0.1:9/ws/chat\n');
  });

  it('exits 1 when connect() fails, naming a store held by another process', async () => {
    const store = new MemoryStore();
    await store.saveCredentials(credentials(JID));
    const createClient = fakeClientFactory();
    const deps = fakeDeps({
      openStore: async () => store,
      createClient: async (options) => {
        const client = await createClient(options);
        client.connectError = Object.assign(new Error('held'), { code: 'ERR_CLIENT_STORE_IN_USE' });
        return client;
      },
    });
    expect(await listenCommand.run(['--store', 'b.db'], deps)).toBe(1);
    expect(deps.err.join('')).toContain(
      'wakit listen: b.db is in use by another wakit process (a `wakit link` or `wakit listen` on the same store?)\n',
    );
    expect(await isClosed(store)).toBe(true);
  });

  it('refuses a store with no linked device before connecting', async () => {
    const { deps, run, store, createClient } = await listen(['--store', 'new.db'], false);
    expect(await run).toBe(1);
    expect(deps.err.join('')).toBe(
      'wakit listen: new.db holds no linked device; link one first with `wakit link --store new.db`\n',
    );
    expect(createClient.clients).toEqual([]);
    expect(await isClosed(store)).toBe(true);
  });

  it('exits 1 with a plain message when the store file cannot be opened', async () => {
    const deps = fakeDeps({
      openStore: async () => {
        throw Object.assign(new Error('notes.txt is not a readable SQLite database'), {
          code: 'ERR_CLIENT_STORE_CORRUPT',
        });
      },
    });
    expect(await listenCommand.run(['--store', 'notes.txt'], deps)).toBe(1);
    expect(deps.err.join('')).toBe(
      'wakit listen: cannot open notes.txt: notes.txt is not a readable SQLite database\n',
    );
    expect(deps.activeStopListeners).toBe(0);
  });

  it('prints its help without opening a store', async () => {
    const deps = fakeDeps();
    expect(await listenCommand.run(['-h'], deps)).toBe(0);
    expect(deps.out.join('')).toBe(listenCommand.usage);
  });
});
