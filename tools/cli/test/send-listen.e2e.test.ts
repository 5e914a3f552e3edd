/**
 * `wakit send` and `wakit listen` against the real server, client and SQLite stores, in process:
 * `wakit serve` runs the server with two phones, `wakit link` links one device to each (the QR
 * text typed into `serve` as `scan <phone> <qr>`), then one device listens while the other sends.
 * Every wait is on printed output, with a deadline.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli';
import { createClientLazily, openStoreLazily } from '../src/load-client';
import { startServerLazily } from '../src/load-server';
import { type FakeDeps, fakeDeps } from './_fake-deps';

/** Pairing, the 515 restart, login and 812 prekeys: generous, only a broken run waits this long. */
const FLOW_MS = 30_000;
const QR_LINE = /^(https:\/\/wa\.me\/settings\/linked_devices#\S+,\S+)$/m;
const ALICE = '15550000001';
const BOB = '15550000002';
/** A message id as the client makes them: 3EB0 and hex. */
const MESSAGE_ID = /^(3EB0[0-9A-F]+)\n$/;

interface Running {
  deps: FakeDeps;
  run: Promise<number>;
}

let directory: string;
let running: Running[] = [];

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'wakit-cli-send-'));
  running = [];
});

afterEach(async () => {
  // A failed assertion leaves commands running: stop them (newest first, the server last).
  for (const { deps, run } of running.reverse()) {
    if (deps.activeStopListeners > 0) deps.stop();
    await run.catch(() => {});
  }
  await rm(directory, { recursive: true, force: true });
});

/** Runs `wakit <argv>` in process with the real server, client and store. */
function start(argv: string[], stdin?: string): Running {
  const deps = fakeDeps({
    stdin,
    startServer: startServerLazily,
    openStore: openStoreLazily,
    createClient: createClientLazily,
  });
  const command = { deps, run: runCli(argv, deps) };
  running.push(command);
  return command;
}

async function stopped(command: Running): Promise<number> {
  command.deps.stop('SIGINT');
  return command.run;
}

/** `wakit serve` with Alice's and Bob's phones, and the arguments that reach it. */
async function serve() {
  const server = start(['serve', '--port', '0', '--json', '--phone', `${ALICE},${BOB}`]);
  await Promise.race([server.deps.firstOutput, server.run]);
  const banner = JSON.parse(server.deps.out.join('')) as { url: string; rootPublicKey: string };
  const reach = ['--url', banner.url, '--root', banner.rootPublicKey];
  return { ...server, reach };
}

/** Links a new device in `storePath` to `phone`'s account with `wakit link`; returns its JID. */
async function linkDevice(server: Running & { reach: string[] }, phone: string, storePath: string) {
  const link = start(['link', '--store', storePath, ...server.reach]);
  await link.deps.waitForOutput(QR_LINE, 'out', FLOW_MS);
  server.deps.typeLine(`scan ${phone} ${QR_LINE.exec(link.deps.out.join(''))![1]}`);
  const loggedIn = new RegExp(`^Logged in as (${phone}:\\d+@s\\.whatsapp\\.net)\\.`, 'm');
  await link.deps.waitForOutput(loggedIn, 'out', FLOW_MS);
  // The first login uploads prekeys; a peer needs them to start a session with this device.
  await link.deps.waitForOutput('Uploaded 812 one-time prekeys\n', 'out', FLOW_MS);
  expect(await stopped(link)).toBe(0);
  return loggedIn.exec(link.deps.out.join(''))![1]!;
}

/** `wakit send` to completion. */
async function send(storePath: string, server: { reach: string[] }, ...args: string[]) {
  const command = start(['send', '--store', storePath, ...server.reach, ...args]);
  const code = await command.run;
  return { code, stdout: command.deps.out.join(''), stderr: command.deps.err.join('') };
}

describe('wakit send and wakit listen with the real server, client and stores', () => {
  it('a listening device prints what another account sends, live and from its offline queue', async () => {
    const server = await serve();
    const alicePath = join(directory, 'alice.db');
    const bobPath = join(directory, 'bob.db');
    const aliceDevice = await linkDevice(server, ALICE, alicePath);
    const bobDevice = await linkDevice(server, BOB, bobPath);

    const listen = start(['listen', '--store', bobPath, ...server.reach]);
    await listen.deps.waitForOutput(`Logged in as ${bobDevice}; listening.`, 'err', FLOW_MS);

    const sent = await send(alicePath, server, `+${BOB.slice(0, 1)} ${BOB.slice(1)}`, 'hello from the cli');
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(sent.stdout).toMatch(MESSAGE_ID);
    const live = new RegExp(
      `^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ${ALICE}@s\\.whatsapp\\.net ${escapeRegExp(aliceDevice)}( ~[^:]+)?: hello from the cli$`,
      'm',
    );
    await listen.deps.waitForOutput(live, 'out', FLOW_MS);
    expect(listen.deps.out.join('')).not.toContain('[offline]');
    expect(await stopped(listen)).toBe(0);
    expect(listen.deps.err.join('')).toMatch(/SIGINT: disconnecting\nstopped\n$/);

    // Bob is away: the next message (its text on stdin) waits in the server's queue for his device.
    const away = start(['send', '--store', alicePath, ...server.reach, BOB, '-'], 'while you were away\n');
    expect(await away.run).toBe(0);
    const awayId = MESSAGE_ID.exec(away.deps.out.join(''))![1];

    const again = start(['listen', '--store', bobPath, ...server.reach, '--json']);
    await again.deps.waitForOutput(/"event":"offline-sync-complete"/, 'out', FLOW_MS);
    const events = again.deps.out
      .join('')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const messages = events.filter((e) => e.event === 'message');
    expect(messages).toEqual([
      expect.objectContaining({
        id: awayId,
        chat: `${ALICE}@s.whatsapp.net`,
        sender: aliceDevice,
        fromMe: false,
        offline: true,
        type: 'conversation',
        text: 'while you were away',
      }),
    ]);
    expect(await stopped(again)).toBe(0);
    expect(await stopped(server)).toBe(0);
  });

  it('refuses a number that is not on WhatsApp with exit code 3, and sends nothing without a store', async () => {
    const server = await serve();
    const alicePath = join(directory, 'alice.db');
    await linkDevice(server, ALICE, alicePath);

    const unknown = await send(alicePath, server, '+1 555 999 9999', 'anyone there?');
    expect(unknown).toEqual({
      code: 3,
      stdout: '',
      stderr:
        'wakit send: 15559999999@s.whatsapp.net is not on WhatsApp (the server lists no device of it)\n',
    });

    // A mistyped --store is a usage mistake, and leaves no new file behind.
    const missing = join(directory, 'nobody.db');
    const noStore = await send(missing, server, ALICE, 'hi');
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toContain(`wakit: --store ${missing}: no such file;`);
    expect(existsSync(missing)).toBe(false);
    expect(await stopped(server)).toBe(0);
  });

  it('exits 1 naming the URL when nothing listens there, for send and listen alike', async () => {
    const server = await serve();
    const alicePath = join(directory, 'alice.db');
    await linkDevice(server, ALICE, alicePath);
    const url = server.reach[1]!;
    expect(await stopped(server)).toBe(0);

    const failed = await send(alicePath, server, BOB, 'hello?');
    expect(failed).toEqual({ code: 1, stdout: '', stderr: `wakit send: could not connect to ${url}\n` });
    const listen = start(['listen', '--store', alicePath, ...server.reach]);
    expect(await listen.run).toBe(1);
    expect(listen.deps.err.join('')).toContain(`wakit listen: could not connect to ${url}\n`);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
