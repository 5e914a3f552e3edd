/**
 * `wakit link` against the real server, client and SQLite store, in process: `wakit serve` runs
 * the server, `link` shows its QR text, and the text is typed into `serve`'s standard input as a
 * user of the two-terminal demo pastes it. Then `link` runs again on the same file and logs in
 * without a QR code. Every wait is on printed output, with a deadline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli';
import { createClientLazily, openStoreLazily } from '../src/load-client';
import { startServerLazily } from '../src/load-server';
import { type FakeDeps, fakeDeps } from './_fake-deps';

/** Pairing, the 515 restart, login and 812 prekeys: generous, only a broken run waits this long. */
const FLOW_MS = 20_000;
const QR_LINE = /^(https:\/\/wa\.me\/settings\/linked_devices#\S+,\S+)$/m;

let directory: string;
let running: { deps: FakeDeps; run: Promise<number> }[] = [];

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'wakit-cli-link-'));
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
function start(argv: string[]) {
  const deps = fakeDeps({
    startServer: startServerLazily,
    openStore: openStoreLazily,
    createClient: createClientLazily,
  });
  const run = runCli(argv, deps);
  running.push({ deps, run });
  return { deps, run };
}

/** Starts `wakit serve --json` and returns its banner. */
async function serve() {
  const server = start(['serve', '--port', '0', '--json']);
  await Promise.race([server.deps.firstOutput, server.run]);
  const banner = JSON.parse(server.deps.out.join('')) as {
    url: string;
    rootPublicKey: string;
    phones: string[];
  };
  return { ...server, banner };
}

/** `wakit link` against the server `serve()` started, storing in `storePath`, plus `extra` flags. */
function linkArgs(
  server: { banner: { url: string; rootPublicKey: string } },
  storePath: string,
  ...extra: string[]
) {
  return [
    'link',
    '--store',
    storePath,
    '--url',
    server.banner.url,
    '--root',
    server.banner.rootPublicKey,
    ...extra,
  ];
}

async function stopped(command: { deps: FakeDeps; run: Promise<number> }): Promise<number> {
  command.deps.stop('SIGINT');
  return command.run;
}

describe('wakit link with the real server, client and store', () => {
  it('links by QR typed into serve, logs in, and on the next run logs in from the file without a QR', async () => {
    const server = await serve();
    const storePath = join(directory, 'device.db');
    const args = linkArgs(server, storePath);

    const first = start(args);
    await first.deps.waitForOutput(QR_LINE, 'out', FLOW_MS);
    const qr = QR_LINE.exec(first.deps.out.join(''))![1]!;
    server.deps.typeLine(qr);

    await server.deps.waitForOutput(/"event":"linked"/, 'out', FLOW_MS);
    const linked = JSON.parse(server.deps.out.join('').trimEnd().split('\n').at(-1)!) as { jid: string };
    expect(linked.jid).toMatch(/^15550001234:\d+@s\.whatsapp\.net$/);
    await first.deps.waitForOutput(`Paired as ${linked.jid}\n`, 'out', FLOW_MS);
    await first.deps.waitForOutput(`Logged in as ${linked.jid}.`, 'out', FLOW_MS);
    // The first login uploads prekeys; stopping in the middle would only make the next run redo it.
    await first.deps.waitForOutput('Uploaded 812 one-time prekeys\n', 'out', FLOW_MS);
    expect(await stopped(first)).toBe(0);
    expect(first.deps.err.join('')).toBe('SIGINT: disconnecting\nstopped\n');

    const second = start(args);
    await second.deps.waitForOutput(`Logged in as ${linked.jid}.`, 'out', FLOW_MS);
    expect(second.deps.out.join('')).toContain(
      `${storePath} holds the linked device ${linked.jid}: logging in`,
    );
    expect(second.deps.out.join('')).not.toContain('QR code');
    expect(await stopped(second)).toBe(0);

    expect(await stopped(server)).toBe(0);
  });

  it('links with a pair code typed into serve as `code <phone> <code>`', async () => {
    const server = await serve();
    const storePath = join(directory, 'device.db');
    const link = start(linkArgs(server, storePath, '--pair-code', '+1 555 000 1234'));
    const codeLine = /^Pairing code for \+15550001234: ([0-9A-Z]{4}-[0-9A-Z]{4})$/m;
    await link.deps.waitForOutput(codeLine, 'out', FLOW_MS);
    server.deps.typeLine(`code 15550001234 ${codeLine.exec(link.deps.out.join(''))![1]}`);

    await link.deps.waitForOutput(/^Logged in as 15550001234:\d+@s\.whatsapp\.net\./m, 'out', FLOW_MS);
    await server.deps.waitForOutput(/"event":"linked"/, 'out', FLOW_MS);
    expect(link.deps.out.join('')).not.toContain('QR code');
    await link.deps.waitForOutput('Uploaded 812 one-time prekeys\n', 'out', FLOW_MS);
    expect(await stopped(link)).toBe(0);
    expect(await stopped(server)).toBe(0);
  });

  it('exits 1 naming the failure when nothing listens at the URL, leaving the store usable', async () => {
    // A port that was just free: start the server and close it.
    const server = await serve();
    expect(await stopped(server)).toBe(0);
    const storePath = join(directory, 'device.db');
    const link = start(linkArgs(server, storePath));
    expect(await link.run).toBe(1);
    expect(link.deps.out.join('')).toContain(
      `\nDisconnected (transport-error: could not open a WebSocket to ${server.banner.url}: connect ECONNREFUSED `,
    );
    expect(link.deps.err.join('')).toBe(`wakit link: could not connect to ${server.banner.url}\n`);

    // The store was closed, its lease released, and it holds new, unlinked credentials.
    const store = await openStoreLazily(storePath);
    const credentials = await store.loadCredentials();
    expect(credentials?.account).toBeUndefined();
    await store.close();
  });
});
