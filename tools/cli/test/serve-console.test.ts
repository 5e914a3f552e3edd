/**
 * `wakit serve`'s standard input, through the whole command with fake phones: each test types
 * lines after the banner and waits for the answer it expects.
 */
import { describe, expect, it } from 'vitest';
import { serveCommand } from '../src/commands/serve';
import { SERVE_INPUT_HELP } from '../src/serve-input';
import { type FakeServer, fakeDeps, fakeStartServer } from './_fake-deps';
import type { FakePhone } from './_fake-phones';

const QR = 'https://wa.me/settings/linked_devices#2@ref,bm9pc2U=,aWRlbnRpdHk=,YWR2,1';

/** Starts `wakit serve <args>` on fake deps and waits for the banner. */
async function serve(args: string[] = []) {
  const startServer = fakeStartServer();
  const deps = fakeDeps({ startServer });
  const run = serveCommand.run(args, deps);
  await Promise.race([deps.firstOutput, run]);
  const server = startServer.servers[0]!;
  const stop = async () => {
    deps.stop();
    expect(await run).toBe(0);
  };
  return { deps, server, stop };
}

/** The fake phone of number `n`, which the command must have created. */
function phone(server: FakeServer, n: string): FakePhone {
  const found = server.phones.get(n);
  if (found === undefined) throw new Error(`serve did not create the phone ${n}`);
  return found;
}

describe('wakit serve standard input', () => {
  it('has the first phone scan a pasted QR text and prints the linked device', async () => {
    const { deps, server, stop } = await serve(['--phone', '15550001111,15550002222']);
    deps.typeLine(QR);
    await deps.waitForOutput('+15550001111 linked 15550001111:1@s.whatsapp.net\n');
    expect(phone(server, '15550001111').scanned).toEqual([QR]);
    expect(phone(server, '15550002222').scanned).toEqual([]);
    await stop();
  });

  it('enters a code line on the phone it names', async () => {
    const { deps, server, stop } = await serve(['--phone', '15550001111', '--phone', '15550002222']);
    deps.typeLine('code +15550002222 abcd-efgh');
    await deps.waitForOutput('+15550002222 linked 15550002222:1@s.whatsapp.net\n');
    expect(phone(server, '15550002222').codes).toEqual(['ABCD-EFGH']);
    expect(phone(server, '15550001111').codes).toEqual([]);
    await stop();
  });

  it('reports a bad line, an unknown phone and a refused scan on stderr, and keeps going', async () => {
    const { deps, server, stop } = await serve();
    deps.typeLine('hello');
    await deps.waitForOutput('error: not a QR text or a command: "hello"; type `help`\n', 'err');
    deps.typeLine('code 15559999999 ABCD-EFGH');
    await deps.waitForOutput(
      'error: no phone +15559999999 on this server (phones: +15550001234); add one with --phone\n',
      'err',
    );
    deps.typeLine('unknown,bm9pc2U=,aWRlbnRpdHk=,YWR2,1');
    await deps.waitForOutput(
      'error: +15550001234 could not link: unknown-ref: no waiting connection holds ref "unknown"\n',
      'err',
    );
    // Still reading: the next good line links.
    deps.typeLine(QR);
    await deps.waitForOutput('+15550001234 linked 15550001234:1@s.whatsapp.net\n');
    expect(phone(server, '15550001234').scanned).toHaveLength(2);
    await stop();
  });

  it('does not queue a line behind a pairing that is still waiting', async () => {
    const { deps, server, stop } = await serve(['--phone', '15550001111,15550002222']);
    const release = phone(server, '15550001111').hold();
    deps.typeLine(QR);
    deps.typeLine('code 15550002222 ABCD-EFGH');
    await deps.waitForOutput('+15550002222 linked');
    expect(deps.out.join('')).not.toContain('+15550001111 linked');
    release();
    await deps.waitForOutput('+15550001111 linked 15550001111:1@s.whatsapp.net\n');
    await stop();
  });

  it('prints the input help for `help`', async () => {
    const { deps, stop } = await serve();
    deps.typeLine('help');
    await deps.waitForOutput(SERVE_INPUT_HELP);
    await stop();
  });

  it('prints results as JSON lines on stdout with --json, errors included', async () => {
    const { deps, stop } = await serve(['--json']);
    deps.typeLine(QR);
    deps.typeLine('nonsense');
    await deps.waitForOutput('"event":"error"');
    await deps.waitForOutput('"event":"linked"');
    const [banner, ...results] = deps.out
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(banner).toMatchObject({ phones: ['15550001234'] });
    expect(results).toContainEqual({
      event: 'linked',
      phone: '15550001234',
      jid: '15550001234:1@s.whatsapp.net',
    });
    expect(results).toContainEqual({
      event: 'error',
      input: 'nonsense',
      message: 'not a QR text or a command: "nonsense"; type `help`',
    });
    expect(deps.err).toEqual([]);
    await stop();
  });

  it('prints nothing for a pairing that ends after the server was stopped', async () => {
    const { deps, server, stop } = await serve();
    const release = phone(server, '15550001234').hold();
    deps.typeLine(QR);
    await stop();
    const after = deps.out.length;
    release();
    // The held scan settles in a microtask or two; a macrotask later it has surely printed if it would.
    await new Promise((resolve) => setImmediate(resolve));
    expect(deps.out.length).toBe(after);
    expect(deps.err.join('')).toBe('SIGINT: stopping the server\nstopped\n');
  });
});
