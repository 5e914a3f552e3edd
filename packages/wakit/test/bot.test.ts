import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type VirtualPhone, type WaServer } from '@wakit/server';
import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent, until } from '../../client/test/_wait';
import {
  type Bot,
  BotAlreadyRunningError,
  type BotError,
  BotNotStartedError,
  type BotOptions,
  type BotRunResult,
  createBot,
  createClient,
  DEFAULT_BOT_STORE_PATH,
  MemoryStore,
  type MessageContext,
  type WakitClient,
  WaWebVersionCache,
} from '../src/index';

const DEADLINE_MS = 30_000;
const FAST_RECONNECT = { baseDelayMs: 20, maxDelayMs: 100, jitter: 0 } as const;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Captures what a bot prints. */
function capture(): { write(text: string): void; text(): string } {
  const chunks: string[] = [];
  return { write: (text) => void chunks.push(text), text: () => chunks.join('') };
}

async function serverWithPhone(
  phoneNumber = '15550001111',
): Promise<{ server: WaServer; phone: VirtualPhone }> {
  const server = await startServer();
  cleanups.push(() => server.close());
  return { server, phone: await server.phones.create(phoneNumber) };
}

/** A bot on `server` that `phone` links by scanning its first QR code; `run()` started. */
function startBot(
  server: WaServer,
  phone: VirtualPhone,
  options: BotOptions = {},
  setup: (bot: Bot) => Bot = (bot) => bot,
): { bot: Bot; running: Promise<BotRunResult>; connected: Promise<WakitClient> } {
  const bot = setup(
    createBot({
      url: server.url,
      rootPublicKey: server.rootPublicKey,
      store: new MemoryStore(),
      output: false,
      stopOnSignals: false,
      reconnect: FAST_RECONNECT,
      ...options,
    }),
  );
  let scanned = false;
  bot.onQr(({ qr }) => {
    if (scanned) return;
    scanned = true;
    return phone.scanQr(qr);
  });
  const connected = new Promise<WakitClient>((resolve) => bot.onConnected(resolve));
  const running = bot.run();
  cleanups.unshift(async () => {
    bot.stop();
    await running.catch(() => {});
  });
  return { bot, running, connected };
}

/** A plain facade client of a new account, logged in. */
async function otherAccount(
  server: WaServer,
  phoneNumber: string,
): Promise<{ client: WakitClient; jid: string }> {
  const phone = await server.phones.create(phoneNumber);
  const client = createClient({
    url: server.url,
    rootPublicKey: server.rootPublicKey,
    store: new MemoryStore(),
  });
  cleanups.unshift(() => client.disconnect());
  const qr = nextEvent(client, 'qr');
  await client.connect();
  await phone.scanQr((await qr).qr);
  await client.waitForConnected(DEADLINE_MS);
  return { client, jid: `${phoneNumber}@s.whatsapp.net` };
}

describe('createBot', () => {
  it('links by QR (printed to the output), answers messages with reply, and stops when asked', async () => {
    const { server, phone } = await serverWithPhone();
    const out = capture();
    const seen: MessageContext[] = [];
    const { bot, running, connected } = startBot(server, phone, { output: out }, (b) =>
      b.onMessage(async (m) => {
        seen.push(m);
        if (m.text === 'ping') await m.reply('pong');
      }),
    );
    await connected;
    expect(out.text()).toContain('Scan this QR code in WhatsApp > Linked devices (code 1 of');
    expect(out.text()).toMatch(/[█▀▄]/);
    await until(() => out.text().includes('Connected as 15550001111:'), 'the login line');

    const ben = await otherAccount(server, '15550002222');
    const pong = nextEvent(ben.client, 'message', (e) => e.message.conversation === 'pong');
    await ben.client.sendMessage('15550001111@s.whatsapp.net', { conversation: 'ping' });
    const answer = await pong;
    expect(answer.info.chat).toBe('15550001111@s.whatsapp.net');
    expect(seen.map((m) => [m.text, m.info.chat, m.client === bot.client])).toEqual([
      ['ping', '15550002222@s.whatsapp.net', true],
    ]);

    bot.stop();
    await expect(running).resolves.toEqual({ reason: 'stopped' });
    expect(bot.client.state).toBe('closed');
  });

  it('lets a running handler finish before it disconnects on stop()', async () => {
    const { server, phone } = await serverWithPhone();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const started = deferred();
    const { bot, running, connected } = startBot(server, phone, {}, (b) =>
      b.onMessage(async (m) => {
        started.resolve();
        await gate;
        await m.reply('done after stop');
      }),
    );
    await connected;
    const ben = await otherAccount(server, '15550002222');
    const reply = nextEvent(ben.client, 'message', (e) => e.message.conversation === 'done after stop');
    await ben.client.sendMessage('15550001111@s.whatsapp.net', { conversation: 'work' });
    await started.promise;
    bot.stop();
    let ended = false;
    void running.then(() => {
      ended = true;
    });
    // The handler still holds the run open (its reply needs the connection).
    await Promise.resolve();
    expect(ended).toBe(false);
    release();
    await reply;
    await expect(running).resolves.toEqual({ reason: 'stopped' });
  });

  it('reports a failing handler to onError and goes on handling', async () => {
    const { server, phone } = await serverWithPhone();
    const errors: BotError[] = [];
    const texts: string[] = [];
    const { connected } = startBot(server, phone, {}, (b) =>
      b
        .onMessage((m) => {
          if (m.text === 'boom') throw new Error('handler failed');
          texts.push(m.text ?? '');
        })
        .onMessage(async (m) => {
          if (m.text === 'boom') throw new RangeError('async handler failed');
        })
        .onError((error) => errors.push(error)),
    );
    await connected;
    const ben = await otherAccount(server, '15550002222');
    await ben.client.sendMessage('15550001111@s.whatsapp.net', { conversation: 'boom' });
    await ben.client.sendMessage('15550001111@s.whatsapp.net', { conversation: 'after' });
    await until(() => texts.includes('after') && errors.length === 2, 'both messages handled');
    expect(errors.map((e) => [e.context, (e.error as Error).message]).sort()).toEqual([
      ['handler:message', 'async handler failed'],
      ['handler:message', 'handler failed'],
    ]);
  });

  it('reconnects after a dropped connection and keeps running', async () => {
    const { server, phone } = await serverWithPhone();
    let logins = 0;
    const drops: boolean[] = [];
    const { bot, running, connected } = startBot(server, phone, {}, (b) =>
      b.onConnected(() => void logins++).onDisconnected((e) => void drops.push(e.willReconnect)),
    );
    await connected;
    // Linking itself ends with a restart (515) the client reconnects from: count from the login.
    drops.length = 0;
    const jid = [...server.devices.keys()].find(
      (j) => j.startsWith('15550001111:') && !j.startsWith('15550001111:0'),
    );
    server.connectionOf(jid!)!.drop();
    await until(() => logins === 2, 'the second login');
    expect(drops).toEqual([true]);
    bot.stop();
    await expect(running).resolves.toEqual({ reason: 'stopped' });
  });

  it('ends run() when the device is unlinked, after the logged-out handlers', async () => {
    const { server, phone } = await serverWithPhone();
    const loggedOut: string[] = [];
    const { running, connected } = startBot(server, phone, {}, (b) =>
      b.onLoggedOut((e) => void loggedOut.push(e.reason)),
    );
    await connected;
    const jid = [...server.devices.keys()].find(
      (j) => j.startsWith('15550001111:') && !j.startsWith('15550001111:0'),
    );
    expect(phone.removeDevice(jid!)).toBe(true);
    const result = await running;
    expect(result.reason).toBe(loggedOut[0]);
    expect(loggedOut).toHaveLength(1);
  });

  it('links by pairing code when given a phone number, printing the code', async () => {
    const { server, phone } = await serverWithPhone('15550003333');
    const out = capture();
    const codes: string[] = [];
    const bot = createBot({
      url: server.url,
      rootPublicKey: server.rootPublicKey,
      store: new MemoryStore(),
      output: out,
      stopOnSignals: false,
      pairWithPhone: '15550003333',
    })
      .onPairCode(({ code }) => void codes.push(code))
      .onQr(() => {
        throw new Error('no QR code should be shown when linking by code');
      });
    const connected = new Promise<void>((resolve) => bot.onConnected(() => resolve()));
    const running = bot.run();
    cleanups.unshift(async () => {
      bot.stop();
      await running.catch(() => {});
    });
    await until(() => codes.length === 1, 'the pairing code');
    expect(out.text()).toContain(`Enter this code in WhatsApp on +15550003333`);
    expect(out.text()).toContain(codes[0]);
    expect(out.text()).not.toContain('Scan this QR code');
    await phone.enterPairCode(codes[0]!);
    await connected;
  });

  it('keeps the device in a SQLite file (wakit.db by default), so a second run logs in without linking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wakit-bot-'));
    const cwd = process.cwd();
    process.chdir(dir);
    cleanups.push(() => {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    });
    const { server, phone } = await serverWithPhone();
    const first = startBot(server, phone, { store: undefined });
    await first.connected;
    first.bot.stop();
    await first.running;
    expect(existsSync(join(dir, DEFAULT_BOT_STORE_PATH))).toBe(true);

    let qrs = 0;
    const again = createBot({
      url: server.url,
      rootPublicKey: server.rootPublicKey,
      store: join(dir, DEFAULT_BOT_STORE_PATH),
      output: false,
      stopOnSignals: false,
    }).onQr(() => void qrs++);
    const connected = new Promise<void>((resolve) => again.onConnected(() => resolve()));
    const running = again.run();
    await connected;
    expect(qrs).toBe(0);
    again.stop();
    await expect(running).resolves.toEqual({ reason: 'stopped' });
  });

  it('fetches the WhatsApp Web version before connecting when asked, once a day, kept in the store', async () => {
    const { server, phone } = await serverWithPhone();
    const store = new MemoryStore();
    const requests: string[] = [];
    const fetch = async (url: string | URL | Request) => {
      requests.push(String(url));
      return new Response('self.__swData = {"client_revision":1012345678};');
    };
    const first = startBot(server, phone, { store, fetchVersion: { fetch } });
    await first.connected;
    first.bot.stop();
    await first.running;
    expect(requests).toEqual(['https://web.whatsapp.com/sw.js']);
    const held = await new WaWebVersionCache({
      kv: store.kv,
      fetch: () => Promise.reject(new Error('offline')),
    }).get();
    expect(held).toMatchObject({ version: [2, 3000, 1012345678], source: 'cache' });

    // The next run uses the held version; a version in the payload options wins over any fetch.
    const again = startBot(server, phone, { store, fetchVersion: { fetch } });
    await again.connected;
    again.bot.stop();
    await again.running;
    const pinned = startBot(server, phone, {
      store,
      fetchVersion: { fetch },
      payload: { version: [2, 3000, 1] },
    });
    await pinned.connected;
    expect(requests).toHaveLength(1);
  });

  it('stops on SIGINT/SIGTERM only when asked to, and releases the signals after the run', async () => {
    const { server, phone } = await serverWithPhone();
    const before = process.listenerCount('SIGINT');
    const quiet = startBot(server, phone);
    await quiet.connected;
    expect(process.listenerCount('SIGINT')).toBe(before);
    quiet.bot.stop();
    await quiet.running;

    const listening = startBot(server, phone, { stopOnSignals: true, store: new MemoryStore() });
    await listening.connected;
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    expect(process.listenerCount('SIGTERM')).toBeGreaterThan(0);
    // What a Ctrl-C runs (emitting the signal itself would reach the test runner's own listeners).
    (process.listeners('SIGINT').at(-1) as () => void)();
    await expect(listening.running).resolves.toEqual({ reason: 'stopped' });
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('refuses misuse with typed errors', async () => {
    const { server, phone } = await serverWithPhone();
    const idle = createBot({ output: false });
    expect(() => idle.client).toThrow(BotNotStartedError);
    const { bot, connected } = startBot(server, phone);
    await connected;
    await expect(bot.run()).rejects.toBeInstanceOf(BotAlreadyRunningError);
  });

  it('fails run() when the first connect cannot reach the server', async () => {
    const bot = createBot({
      url: 'ws://127.0.0.1:9/ws/chat',
      store: new MemoryStore(),
      output: false,
      stopOnSignals: false,
    });
    await expect(bot.run()).rejects.toThrow();
    // The run ended: a new one may start (and fail the same way).
    await expect(bot.run()).rejects.not.toBeInstanceOf(BotAlreadyRunningError);
  });
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
