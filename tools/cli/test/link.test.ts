/**
 * `wakit link` with a fake client (events emitted by the test) and a real MemoryStore.
 */
import { MemoryStore } from '@wakit/client';
import { renderQr } from '@wakit/client/qr';
import { describe, expect, it } from 'vitest';
import { LINK_DEFAULT_STORE, LINK_DEFAULT_URL, linkCommand, parseLinkArgs } from '../src/commands/link';
import { credentials } from './_credentials';
import { fakeClientFactory } from './_fake-client';
import { fakeDeps } from './_fake-deps';

const ROOT_HEX = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const QR_1 = 'https://wa.me/settings/linked_devices#ref-one,bm9pc2U=,aWRlbnRpdHk=,YWR2,1';
const QR_2 = 'https://wa.me/settings/linked_devices#ref-two,bm9pc2U=,aWRlbnRpdHk=,YWR2,1';
const JID = '15550001234:1@s.whatsapp.net';

/** Starts `wakit link <args>` on a fresh MemoryStore (linked as `linkedAs`, if given). */
async function link(args: string[], linkedAs?: string) {
  const store = new MemoryStore();
  if (linkedAs !== undefined) await store.saveCredentials(credentials(linkedAs));
  const opened: string[] = [];
  const createClient = fakeClientFactory();
  const deps = fakeDeps({
    openStore: async (path) => {
      opened.push(path);
      return store;
    },
    createClient,
  });
  const run = linkCommand.run(args, deps);
  // Whichever comes first: a connected client, or the command ending (a failure to inspect).
  const client = await Promise.race([createClient.firstConnected(), run.then(() => undefined)]);
  return { deps, run, store, opened, client: client!, createClient };
}

/** True once the store was closed: a closed MemoryStore refuses every call. */
async function isClosed(store: MemoryStore): Promise<boolean> {
  return store.loadCredentials().then(
    () => false,
    (e: { code?: string }) => e.code === 'ERR_CLIENT_STORE_CLOSED',
  );
}

describe('parseLinkArgs', () => {
  it('reaches the real service with the default store file unless told otherwise', () => {
    expect(parseLinkArgs([])).toEqual({
      storePath: './wakit-device.db',
      url: 'wss://web.whatsapp.com/ws/chat',
      rootPublicKey: undefined,
      pairCodePhone: undefined,
      json: false,
      invert: false,
    });
    expect([LINK_DEFAULT_STORE, LINK_DEFAULT_URL]).toEqual([
      './wakit-device.db',
      'wss://web.whatsapp.com/ws/chat',
    ]);
  });

  it('takes a test server: --url, and --root as 32 bytes of hex in either case', () => {
    const options = parseLinkArgs([
      '--url',
      'ws://127.0.0.1:8080/ws/chat',
      `--root=${ROOT_HEX.toUpperCase()}`,
    ]);
    expect(options?.url).toBe('ws://127.0.0.1:8080/ws/chat');
    expect(options?.rootPublicKey).toEqual(Uint8Array.from(Buffer.from(ROOT_HEX, 'hex')));
  });

  it('reduces a --pair-code phone number written with +, spaces and dashes to its digits', () => {
    expect(parseLinkArgs(['--pair-code', '+1 555-000-1234'])?.pairCodePhone).toBe('15550001234');
  });

  for (const [args, message] of [
    [['--root', ROOT_HEX.slice(2)], '--root expected 64 hex digits (32 bytes)'],
    [['--root', `${ROOT_HEX.slice(2)}zz`], '--root expected 64 hex digits (32 bytes)'],
    [['--url', 'http://127.0.0.1/'], '--url expected a ws:// or wss:// URL, got "http://127.0.0.1/"'],
    [['--url', 'not a url'], '--url expected a ws:// or wss:// URL'],
    [['--pair-code', '555'], '--pair-code expected a phone number in international format, got "555"'],
    [['--store', ''], '--store expected a file name'],
    [['--frobnicate'], "'--frobnicate'"],
  ] as const) {
    it(`rejects ${args.join(' ')} as a usage mistake`, () => {
      expect(() => parseLinkArgs(args)).toThrow(message);
    });
  }
});

describe('wakit link', () => {
  it('shows the QR code and its text, and draws the next one when it rotates', async () => {
    const { deps, client, run } = await link(['--store', 'device.db']);
    await deps.waitForOutput(
      'No linked device in device.db: linking a new one at wss://web.whatsapp.com/ws/chat\n',
    );
    client.emit('qr', { qr: QR_1, index: 0, count: 6, timeoutMs: 60_000 });
    await deps.waitForOutput(`${renderQr(QR_1)}\n${QR_1}\n`);
    expect(deps.out.join('')).toContain('QR code 1 of 6, valid 60 s.');
    expect(deps.out.join('')).not.toContain(QR_2);

    client.emit('qr', { qr: QR_2, index: 1, count: 6, timeoutMs: 20_000 });
    await deps.waitForOutput(
      `QR code 2 of 6, valid 20 s. On the phone: WhatsApp > Linked devices > Link a device.\n${renderQr(QR_2)}\n${QR_2}\n`,
    );

    client.emit('paired', { account: credentials(JID).account! });
    client.emit('connected', { node: { tag: 'success', attrs: {} } });
    await deps.waitForOutput(`Paired as ${JID}\nLogged in as ${JID}. Press Ctrl-C to disconnect.\n`);
    deps.stop();
    expect(await run).toBe(0);
  });

  it('draws the QR code for a dark terminal with --invert', async () => {
    const { deps, client, run } = await link(['--invert']);
    client.emit('qr', { qr: QR_1, index: 0, count: 6, timeoutMs: 60_000 });
    await deps.waitForOutput(`${renderQr(QR_1, { invert: true })}\n`);
    deps.stop();
    expect(await run).toBe(0);
  });

  it('prints the pair code as XXXX-XXXX and draws no QR code with --pair-code', async () => {
    const { deps, client, run } = await link(['--pair-code', '+15550001234']);
    await deps.waitForOutput('Pairing code for +15550001234: ABCD-2345\n');
    expect(client.requestedCodes).toEqual(['15550001234']);
    // The server sends QR refs before the code is requested; they are not for this user.
    client.emit('qr', { qr: QR_1, index: 0, count: 6, timeoutMs: 60_000 });
    client.emit('paired', { account: credentials(JID).account! });
    await deps.waitForOutput(`Paired as ${JID}\n`);
    expect(deps.out.join('')).not.toContain(QR_1);
    deps.stop();
    expect(await run).toBe(0);
  });

  it('logs an already linked store in without a QR code or a pair code', async () => {
    const { deps, client, run } = await link(['--store', 'linked.db', '--pair-code', '15550001234'], JID);
    await deps.waitForOutput(
      `linked.db holds the linked device ${JID}: logging in at wss://web.whatsapp.com/ws/chat\n`,
    );
    await deps.waitForOutput('this device is already linked; --pair-code is ignored\n', 'err');
    client.emit('connected', { node: { tag: 'success', attrs: {} } });
    await deps.waitForOutput(`Logged in as ${JID}. Press Ctrl-C to disconnect.\n`);
    expect(client.requestedCodes).toEqual([]);
    expect(deps.out.join('')).not.toMatch(/QR code|Pairing code/);
    deps.stop();
    expect(await run).toBe(0);
  });

  it('passes the store, URL and root to the client factory', async () => {
    const { opened, store, client, deps, run } = await link([
      '--store',
      '/tmp/x.db',
      '--url',
      'ws://127.0.0.1:1/ws/chat',
      '--root',
      ROOT_HEX,
    ]);
    expect(opened).toEqual(['/tmp/x.db']);
    expect(client.options.store).toBe(store);
    expect(client.options.url).toBe('ws://127.0.0.1:1/ws/chat');
    expect(client.options.rootPublicKey).toEqual(Uint8Array.from(Buffer.from(ROOT_HEX, 'hex')));
    deps.stop();
    expect(await run).toBe(0);
  });

  it('on SIGINT disconnects, closes the store, stops listening and exits 0', async () => {
    const { deps, client, store, run } = await link([]);
    expect(deps.activeStopListeners).toBe(1);
    expect(client.disconnectCalls).toBe(0);
    expect(await isClosed(store)).toBe(false);

    deps.stop('SIGINT');
    expect(await run).toBe(0);
    expect(client.disconnectCalls).toBe(1);
    expect(await isClosed(store)).toBe(true);
    expect(deps.activeStopListeners).toBe(0);
    expect(client.listenerCount).toBe(0);
    expect(deps.err.join('')).toBe('SIGINT: disconnecting\nstopped\n');
  });

  it('reports a reconnect and keeps running', async () => {
    const { deps, client, run } = await link([], JID);
    client.emit('disconnected', { reason: 'transport-closed', willReconnect: true, delayMs: 2_000 });
    client.emit('disconnected', { reason: 'restart-required', willReconnect: true, delayMs: 0 });
    await deps.waitForOutput('Disconnected (transport-closed); reconnecting in 2.0 s\n');
    await deps.waitForOutput('The server restarts the stream (as after pairing): reconnecting\n');
    deps.stop('SIGTERM');
    expect(await run).toBe(0);
  });

  it('exits 1 and closes the store when the device is unlinked', async () => {
    const { deps, client, store, run } = await link(['--store', 'gone.db'], JID);
    client.emit('disconnected', { reason: 'device-removed', willReconnect: false });
    client.emit('logged-out', { reason: 'device-removed' });
    expect(await run).toBe(1);
    expect(deps.out.join('')).toContain(
      'Disconnected (device-removed)\n' +
        'This device is no longer linked (device-removed); its credentials were removed from gone.db\n',
    );
    expect(await isClosed(store)).toBe(true);
    expect(deps.activeStopListeners).toBe(0);
  });

  it('exits 1 when the QR codes ran out, naming the reason', async () => {
    const { deps, client, run } = await link([]);
    const error = new Error('all 6 QR codes expired unscanned');
    client.emit('pairing-failed', { error });
    client.emit('disconnected', { reason: 'pairing-failed', willReconnect: false, error });
    expect(await run).toBe(1);
    expect(deps.out.join('')).toContain(
      'Pairing failed: all 6 QR codes expired unscanned\nDisconnected (pairing-failed: all 6 QR codes expired unscanned)\n',
    );
  });

  it('exits 1 naming the URL when the client stops before it reached the server', async () => {
    const { deps, client, run } = await link(['--url', 'ws://127.0.0.1:9/ws/chat']);
    client.emit('disconnected', {
      reason: 'transport-error',
      willReconnect: false,
      error: new TypeError(''),
    });
    expect(await run).toBe(1);
    expect(deps.out.join('')).toContain('\nDisconnected (transport-error)\n');
    expect(deps.err.join('')).toBe('wakit link: could not connect to ws://127.0.0.1:9/ws/chat\n');
  });

  it('suggests --root when the server is not WhatsApp, and names --root when that key did not verify', async () => {
    for (const [args, hint] of [
      [
        ['--url', 'ws://h/'],
        'wakit link: ws://h/ is not WhatsApp; for a test server pass its root with --root\n',
      ],
      [
        ['--url', 'ws://h/', '--root', ROOT_HEX],
        'wakit link: the certificate of ws://h/ does not lead to the --root key\n',
      ],
    ] as const) {
      const { deps, client, run } = await link([...args]);
      client.emit('disconnected', { reason: 'certificate-refused', willReconnect: false });
      expect(await run).toBe(1);
      expect(deps.err.join('')).toBe(hint);
    }
  });

  it('gives no connection hint when the server was reached', async () => {
    const { deps, client, run } = await link([], JID);
    client.emit('socket-open', { paired: true });
    client.emit('disconnected', { reason: 'replaced', willReconnect: false });
    expect(await run).toBe(1);
    expect(deps.out.join('')).toContain('Disconnected (replaced)\n');
    expect(deps.err).toEqual([]);
  });

  it('exits 1 with the reason when it cannot connect, and still closes the store', async () => {
    const store = new MemoryStore();
    const createClient = fakeClientFactory();
    const deps = fakeDeps({
      openStore: async () => store,
      createClient: async (options) => {
        const client = await createClient(options);
        Object.assign(client, { connectError: new Error('this store is in use by another client') });
        return client;
      },
    });
    expect(await linkCommand.run([], deps)).toBe(1);
    expect(deps.err.join('')).toBe('wakit link: this store is in use by another client\n');
    expect(await isClosed(store)).toBe(true);
    expect(deps.activeStopListeners).toBe(0);
  });

  it('exits 1 with a plain message when the store file cannot be opened', async () => {
    const deps = fakeDeps({
      openStore: async () => {
        throw Object.assign(new Error('notes.txt is not a readable SQLite database'), {
          code: 'ERR_CLIENT_STORE_CORRUPT',
        });
      },
    });
    expect(await linkCommand.run(['--store', 'notes.txt'], deps)).toBe(1);
    expect(deps.err.join('')).toBe(
      'wakit link: cannot open notes.txt: notes.txt is not a readable SQLite database\n',
    );
    expect(deps.activeStopListeners).toBe(0);
  });

  it('prints one JSON object per event with --json', async () => {
    const { deps, client, run } = await link(['--json', '--store', 'd.db']);
    client.emit('qr', { qr: QR_1, index: 0, count: 6, timeoutMs: 60_000 });
    client.emit('paired', { account: credentials(JID).account! });
    client.emit('connected', { node: { tag: 'success', attrs: {} } });
    client.emit('prekeys-uploaded', { count: 812 });
    await deps.waitForOutput('"prekeys-uploaded"');
    deps.stop();
    expect(await run).toBe(0);
    expect(
      deps.out
        .join('')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { event: 'starting', store: 'd.db', url: 'wss://web.whatsapp.com/ws/chat', jid: null },
      { event: 'qr', qr: QR_1, index: 0, count: 6, timeoutMs: 60_000 },
      { event: 'paired', jid: JID },
      { event: 'logged-in', jid: JID },
      { event: 'prekeys-uploaded', count: 812 },
      // Unlike the text output, JSON reports our own disconnect too: a script sees the end.
      { event: 'disconnected', reason: 'user', willReconnect: false },
    ]);
  });

  it('prints its help without opening a store', async () => {
    const deps = fakeDeps();
    expect(await linkCommand.run(['--help'], deps)).toBe(0);
    expect(deps.out.join('')).toBe(linkCommand.usage);
  });
});
