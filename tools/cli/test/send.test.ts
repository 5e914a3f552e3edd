/**
 * `wakit send` with a fake client (its events and answers set by the test) and a real MemoryStore:
 * the arguments, and what each outcome prints and exits with.
 */
import {
  ConnectionClosedError,
  MemoryStore,
  MessageRejectedError,
  NoRecipientDevicesError,
  StoreInUseError,
  TimeoutError,
} from '@wakit/client';
import { describe, expect, it } from 'vitest';
import { parseSendArgs, sendCommand } from '../src/commands/send';
import { parseRecipient } from '../src/recipient';
import { credentials } from './_credentials';
import { type FakeClient, fakeClientFactory } from './_fake-client';
import { fakeDeps } from './_fake-deps';
import { received } from './_messages';

const JID = '15550000001:2@s.whatsapp.net';
const BOB = '15550000002@s.whatsapp.net';
const SUCCESS = { node: { tag: 'success', attrs: {} } };

/**
 * Starts `wakit send <args>` on a MemoryStore linked as {@link JID} (unless `linked` is false);
 * `setup` shapes the client before it connects.
 */
async function send(
  args: string[],
  options: { linked?: boolean; stdin?: string; setup?: (client: FakeClient) => void } = {},
) {
  const store = new MemoryStore();
  if (options.linked ?? true) await store.saveCredentials(credentials(JID));
  const opened: { path: string; options: unknown }[] = [];
  const createClient = fakeClientFactory();
  const deps = fakeDeps({
    stdin: options.stdin,
    openStore: async (path, openOptions) => {
      opened.push({ path, options: openOptions });
      return store;
    },
    createClient: async (clientOptions) => {
      const client = await createClient(clientOptions);
      options.setup?.(client);
      return client;
    },
  });
  const run = sendCommand.run(args, deps);
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

describe('parseRecipient', () => {
  it('turns a phone number as people write it into a PN JID', () => {
    expect(parseRecipient('+1 (555) 000-0002')).toBe(BOB);
    expect(parseRecipient('15550000002')).toBe(BOB);
    expect(parseRecipient('+1.555.000.0002')).toBe(BOB);
  });

  it('keeps PN and LID user JIDs', () => {
    expect(parseRecipient(BOB)).toBe(BOB);
    expect(parseRecipient('123456789012345@lid')).toBe('123456789012345@lid');
  });

  for (const [to, message] of [
    ['1234', '<to> expected a phone number in international format (country code first), got "1234"'],
    ['bob', '<to> expected a phone number in international format'],
    ['120363000000000001@g.us', 'is a group; wakit send writes to one person'],
    ['15550000002:3@s.whatsapp.net', 'names one device; give the user, "15550000002@s.whatsapp.net"'],
    ['1234:1@lid', 'names one device; give the user, "1234@lid"'],
    ['15550000002@c.us', '<to> expected a phone number or a user JID (…@s.whatsapp.net, …@lid)'],
    ['@s.whatsapp.net', '<to> expected a phone number or a user JID'],
  ] as const) {
    it(`rejects ${to} as a usage mistake`, () => {
      expect(() => parseRecipient(to)).toThrow(message);
    });
  }
});

describe('parseSendArgs', () => {
  it('takes <to> and <text> after the shared device options', () => {
    expect(
      parseSendArgs(['--store', 'a.db', '--url', 'ws://127.0.0.1:1/ws/chat', '+15550000002', 'hi']),
    ).toEqual({
      storePath: 'a.db',
      url: 'ws://127.0.0.1:1/ws/chat',
      rootPublicKey: undefined,
      to: BOB,
      text: 'hi',
    });
    expect(parseSendArgs(['15550000002', '--', '-n'])?.text).toBe('-n');
  });

  for (const [args, message] of [
    [['15550000002'], 'expected <to> and <text> (quote a text with spaces), got 1 argument'],
    [['15550000002', 'two', 'words'], 'expected <to> and <text> (quote a text with spaces), got 3 arguments'],
    [['15550000002', ''], 'the text is empty'],
    [['--root', 'abc', '15550000002', 'hi'], '--root expected 64 hex digits (32 bytes)'],
    [['--json', '15550000002', 'hi'], "'--json'"],
  ] as const) {
    it(`rejects ${JSON.stringify(args)} as a usage mistake`, () => {
      expect(() => parseSendArgs(args)).toThrow(message);
    });
  }
});

describe('wakit send', () => {
  it('logs in, sends the text as a conversation, prints the acked id, and lets go of everything', async () => {
    const { deps, client, store, run, opened } = await send(['--store', 'a.db', '+1 555 000 0002', 'hello']);
    expect(opened).toEqual([{ path: 'a.db', options: { command: 'send', mustExist: true } }]);
    // Nothing is sent before the login.
    expect(client.sends).toEqual([]);
    client.emit('connected', SUCCESS);
    expect(await run).toBe(0);
    expect(client.sends).toEqual([{ to: BOB, message: { conversation: 'hello' } }]);
    expect(deps.out.join('')).toBe('3EB0FAKE0001\n');
    expect(deps.err).toEqual([]);
    expect(client.disconnectCalls).toBe(1);
    expect(client.listenerCount).toBe(0);
    expect(await isClosed(store)).toBe(true);
    expect(deps.activeStopListeners).toBe(0);
  });

  it('reads the text from standard input for -, dropping one trailing newline', async () => {
    const { client, run } = await send([BOB, '-'], { stdin: 'two\nlines\n' });
    client.emit('connected', SUCCESS);
    expect(await run).toBe(0);
    expect(client.sends[0]?.message).toEqual({ conversation: 'two\nlines' });
  });

  it('calls empty standard input a usage mistake', async () => {
    const deps = fakeDeps({ stdin: '\n' });
    await expect(sendCommand.run([BOB, '-'], deps)).rejects.toThrow(
      'the text read from standard input is empty',
    );
  });

  it('refuses a store with no linked device before connecting', async () => {
    const { deps, run, store, createClient } = await send(['--store', 'new.db', BOB, 'hi'], {
      linked: false,
    });
    expect(await run).toBe(1);
    expect(deps.err.join('')).toBe(
      'wakit send: new.db holds no linked device; link one first with `wakit link --store new.db`\n',
    );
    expect(createClient.clients).toEqual([]);
    expect(await isClosed(store)).toBe(true);
    expect(deps.activeStopListeners).toBe(0);
  });

  it('exits 3 when the recipient is not on WhatsApp', async () => {
    const { deps, client, run } = await send([BOB, 'hi'], {
      setup: (c) => {
        c.onSend = () => Promise.reject(new NoRecipientDevicesError(`the server lists no device of ${BOB}`));
      },
    });
    client.emit('connected', SUCCESS);
    expect(await run).toBe(3);
    expect(deps.out).toEqual([]);
    expect(deps.err.join('')).toBe(
      `wakit send: ${BOB} is not on WhatsApp (the server lists no device of it)\n`,
    );
  });

  it('exits 3 naming the error code when the server rejects the message', async () => {
    const { deps, client, run } = await send([BOB, 'hi'], {
      setup: (c) => {
        c.onSend = () => Promise.reject(new MessageRejectedError('3EB0X', 479, 'the server refused 3EB0X'));
      },
    });
    client.emit('connected', SUCCESS);
    expect(await run).toBe(3);
    expect(deps.err.join('')).toBe('wakit send: the server refused the message (error 479)\n');
  });

  it('exits 1 without an ack in time, saying the message may have been delivered', async () => {
    const { deps, client, run } = await send([BOB, 'hi'], {
      setup: (c) => {
        c.onSend = () =>
          Promise.reject(new TimeoutError('no server ack for message 3EB0X within 60000 ms', 60_000));
      },
    });
    client.emit('connected', SUCCESS);
    expect(await run).toBe(1);
    expect(deps.err.join('')).toBe(
      'wakit send: no server ack for message 3EB0X within 60000 ms; the message may or may not have been delivered\n',
    );
  });

  it('exits 1 when the connection drops before the login, saying the message was not sent', async () => {
    const { deps, client, run } = await send([BOB, 'hi']);
    client.emit('disconnected', { reason: 'replaced', willReconnect: false });
    expect(await run).toBe(1);
    expect(deps.err.join('')).toBe(
      'wakit send: the client stopped while waiting for the login (disconnected: replaced); the message was not sent\n',
    );
    expect(client.sends).toEqual([]);
  });

  it('says the device was unlinked when the server logged it out', async () => {
    const { deps, client, run } = await send(['--store', 'gone.db', BOB, 'hi']);
    client.emit('logged-out', { reason: 'device-removed' });
    client.emit('disconnected', { reason: 'device-removed', willReconnect: false });
    expect(await run).toBe(1);
    expect(deps.err.join('')).toBe(
      'wakit send: this device is no longer linked (device-removed); its credentials were removed from gone.db\n',
    );
  });

  it('names the URL when it cannot connect, and the other process when the store is in use', async () => {
    for (const [error, reason, message] of [
      [new TypeError(''), 'transport-error', 'wakit send: could not connect to ws://127.0.0.1:9/ws/chat\n'],
      [
        new Error('certificate chain does not verify'),
        'certificate-refused',
        'wakit send: the certificate of ws://127.0.0.1:9/ws/chat does not lead to the --root key\n',
      ],
      [
        new StoreInUseError('a.db is held by another client'),
        undefined,
        'wakit send: a.db is in use by another wakit process (a `wakit link` or `wakit listen` on the same store?)\n',
      ],
    ] as const) {
      const args = [
        '--store',
        'a.db',
        '--url',
        'ws://127.0.0.1:9/ws/chat',
        '--root',
        'ab'.repeat(32),
        BOB,
        'hi',
      ];
      const { deps, run } = await send(args, {
        setup: (c) => {
          // The real client reports the end of a failed first attempt before connect() rejects.
          c.connect = async () => {
            if (reason !== undefined) c.emit('disconnected', { reason, willReconnect: false, error });
            throw error;
          };
        },
      });
      expect(await run).toBe(1);
      expect(deps.err.join('')).toBe(message);
    }
  });

  it('on SIGINT before the ack disconnects and exits 1, saying what may have happened', async () => {
    let sentIt!: () => void;
    const sending = new Promise<void>((resolve) => {
      sentIt = resolve;
    });
    const { deps, client, run, store } = await send([BOB, 'hi'], {
      setup: (c) => {
        c.onSend = () => {
          sentIt();
          // The ack never comes; the disconnect ends it as the real client does.
          return new Promise((_, reject) =>
            c.on('disconnected', () => reject(new ConnectionClosedError('closed'))),
          );
        };
      },
    });
    client.emit('connected', SUCCESS);
    await sending;
    deps.stop('SIGINT');
    expect(await run).toBe(1);
    expect(deps.err.join('')).toBe(
      'SIGINT: stopped while sending; the message may or may not have been delivered\n',
    );
    expect(deps.out).toEqual([]);
    expect(client.disconnectCalls).toBe(1);
    expect(await isClosed(store)).toBe(true);
  });

  it('shows on stderr what arrives while it is connected, keeping stdout for the id', async () => {
    const { deps, client, run } = await send([BOB, 'hi']);
    client.emit('message', received({ conversation: 'queued for you' }, { offline: true }));
    client.emit('connected', SUCCESS);
    expect(await run).toBe(0);
    expect(deps.out.join('')).toBe('3EB0FAKE0001\n');
    expect(deps.err.join('')).toBe(
      'received: 2025-01-02T03:04:05Z 15550000001@s.whatsapp.net 15550000001:2@s.whatsapp.net ~Alice [offline]: queued for you\n',
    );
  });

  it('prints its help without opening a store', async () => {
    const deps = fakeDeps();
    expect(await sendCommand.run(['--help'], deps)).toBe(0);
    expect(deps.out.join('')).toBe(sendCommand.usage);
  });
});
