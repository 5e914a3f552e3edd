import { describe, expect, it } from 'vitest';
import {
  formatServerBanner,
  parseServeArgs,
  SERVE_DEFAULT_HOST,
  SERVE_DEFAULT_PHONES,
  SERVE_DEFAULT_PORT,
  serveCommand,
  toHex,
} from '../src/commands/serve';
import { UsageError } from '../src/errors';
import { fakeDeps, fakeStartServer } from './_fake-deps';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 5) & 0xff);
const KEY_HEX = '052a4f7499bee3082d52779cc1e60b30557a9fc4e90e33587da2c7ec11365b80';

describe('parseServeArgs', () => {
  it('listens on loopback port 8080 with one phone by default', () => {
    expect(parseServeArgs([])).toEqual({
      host: SERVE_DEFAULT_HOST,
      port: SERVE_DEFAULT_PORT,
      phones: ['15550001234'],
      json: false,
    });
    expect(SERVE_DEFAULT_HOST).toBe('127.0.0.1');
    expect(SERVE_DEFAULT_PORT).toBe(8080);
    expect(SERVE_DEFAULT_PHONES).toEqual(['15550001234']);
  });

  it('takes --host, --port and --json, in both --opt value and --opt=value forms', () => {
    expect(parseServeArgs(['--host', '0.0.0.0', '--port=9000', '--json'])).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      json: true,
    });
    expect(parseServeArgs(['--host=::1', '--port', '0'])).toMatchObject({
      host: '::1',
      port: 0,
      json: false,
    });
  });

  it('takes phones from repeated --phone options and comma lists, in order, without the +', () => {
    expect(
      parseServeArgs(['--phone', '+15550001111', '--phone=15550002222,15550003333 , 4915550004444'])?.phones,
    ).toEqual(['15550001111', '15550002222', '15550003333', '4915550004444']);
  });

  for (const [phones, message] of [
    [['--phone', '555'], '--phone expected 5 to 20 digits, got "555"'],
    [['--phone', '1555000123x'], '--phone expected 5 to 20 digits, got "1555000123x"'],
    [['--phone', '15550001111,'], '--phone expected 5 to 20 digits, got ""'],
    [['--phone', '15550001111', '--phone', '+15550001111'], '--phone 15550001111 is given twice'],
  ] as const) {
    it(`rejects ${phones.slice(1).join(' ')} as a usage mistake`, () => {
      expect(() => parseServeArgs(phones)).toThrow(message);
    });
  }

  it('returns null for --help and -h', () => {
    expect(parseServeArgs(['--help'])).toBeNull();
    expect(parseServeArgs(['--port', '1', '-h'])).toBeNull();
  });

  for (const port of ['65536', '-1', '80.5', '0x50', '1e3', ' 80', '', 'http']) {
    it(`rejects the port ${JSON.stringify(port)}`, () => {
      expect(() => parseServeArgs([`--port=${port}`])).toThrow(
        `--port expected an integer from 0 to 65535, got ${JSON.stringify(port)}`,
      );
    });
  }

  it('accepts the extreme ports 0 and 65535', () => {
    expect(parseServeArgs(['--port', '65535'])?.port).toBe(65535);
    expect(parseServeArgs(['--port', '0'])?.port).toBe(0);
  });

  it('rejects an empty host, unknown options, a missing value and positional arguments', () => {
    for (const args of [['--host', ''], ['--verbose'], ['--port'], ['extra']]) {
      const attempt = () => parseServeArgs(args);
      expect(attempt).toThrow(UsageError);
      try {
        attempt();
      } catch (e) {
        expect((e as UsageError).command).toBe('serve');
      }
    }
  });
});

describe('formatServerBanner', () => {
  it('prints the URL, the root public key in lowercase hex, the phones and how to link to them', () => {
    const server = { url: 'ws://127.0.0.1:8080/ws/chat', rootPublicKey: KEY };
    expect(formatServerBanner(server, ['15550001234', '15550005678'], false)).toBe(
      'wakit server listening\n' +
        '  url            ws://127.0.0.1:8080/ws/chat\n' +
        `  rootPublicKey  ${KEY_HEX}\n` +
        '  phones         +15550001234, +15550005678\n' +
        `Link a companion: wakit link --url ws://127.0.0.1:8080/ws/chat --root ${KEY_HEX}\n` +
        'then paste its QR text here (+15550001234 scans it), or type `code <phone> <XXXX-XXXX>`.\n' +
        'Press Ctrl-C to stop.\n',
    );
  });

  it('prints one parseable JSON line with --json', () => {
    const banner = formatServerBanner({ url: 'ws://[::1]:1/x', rootPublicKey: KEY }, ['15550001234'], true);
    expect(banner.endsWith('\n')).toBe(true);
    expect(banner.trimEnd()).not.toContain('\n');
    expect(JSON.parse(banner)).toEqual({
      url: 'ws://[::1]:1/x',
      rootPublicKey: KEY_HEX,
      phones: ['15550001234'],
    });
  });

  it('hex-encodes only the viewed bytes of a key that is a window into a larger buffer', () => {
    const backing = new Uint8Array(40).fill(0xee);
    backing.set(KEY, 3);
    expect(toHex(backing.subarray(3, 35))).toBe(KEY_HEX);
  });
});

describe('wakit serve', () => {
  it('starts the server where asked, creates its phones, prints the banner, and closes only when stopped', async () => {
    const startServer = fakeStartServer('ws://0.0.0.0:9000/ws/chat', KEY);
    const deps = fakeDeps({ startServer });
    const run = serveCommand.run(
      ['--host', '0.0.0.0', '--port', '9000', '--phone', '15550001111,15550002222'],
      deps,
    );
    await deps.firstOutput;

    const [server] = startServer.servers;
    expect(startServer.servers).toHaveLength(1);
    expect(server!.startedWith).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(server!.phones.list().map((p) => p.phoneNumber)).toEqual(['15550001111', '15550002222']);
    expect(deps.out.join('')).toBe(formatServerBanner(server!, ['15550001111', '15550002222'], false));
    expect(server!.closeCalls).toBe(0);
    expect(deps.activeStopListeners).toBe(1);
    expect(deps.activeLineReaders).toBe(1);

    deps.stop('SIGTERM');
    expect(await run).toBe(0);
    expect(server!.closeCalls).toBe(1);
    expect(deps.activeStopListeners).toBe(0);
    expect(deps.activeLineReaders).toBe(0);
    expect(deps.err.join('')).toBe('SIGTERM: stopping the server\nstopped\n');
  });

  it('closes the server and stops listening for signals when a phone cannot be created', async () => {
    const startServer = fakeStartServer();
    const deps = fakeDeps({
      startServer: async (options) => {
        const server = await startServer(options);
        // The server has this number already: its own create() refuses the second one.
        await server.phones.create('15550001234');
        return server;
      },
    });
    await expect(serveCommand.run([], deps)).rejects.toThrow('phone 15550001234 already exists');
    expect(startServer.servers[0]!.closeCalls).toBe(1);
    expect(deps.activeStopListeners).toBe(0);
    expect(deps.out).toEqual([]);
  });

  it('keeps stdout to the single JSON line with --json', async () => {
    const deps = fakeDeps({ startServer: fakeStartServer('ws://127.0.0.1:1/', KEY) });
    const run = serveCommand.run(['--json'], deps);
    await deps.firstOutput;
    deps.stop();
    expect(await run).toBe(0);
    expect(deps.out).toEqual([
      `{"url":"ws://127.0.0.1:1/","rootPublicKey":"${KEY_HEX}","phones":["15550001234"]}\n`,
    ]);
  });

  it('listens for a stop before the server has started, so an early Ctrl-C is not lost', async () => {
    let finishStarting!: () => void;
    const inner = fakeStartServer();
    const deps = fakeDeps({
      startServer: (options) =>
        new Promise((resolve) => {
          finishStarting = () => resolve(inner(options));
        }),
    });
    const run = serveCommand.run([], deps);
    deps.stop('SIGINT');
    finishStarting();
    expect(await run).toBe(0);
    expect(inner.servers[0]!.closeCalls).toBe(1);
  });

  it('stops listening for signals when the server fails to start', async () => {
    const deps = fakeDeps({ startServer: () => Promise.reject(new Error('EADDRINUSE')) });
    await expect(serveCommand.run([], deps)).rejects.toThrow('EADDRINUSE');
    expect(deps.activeStopListeners).toBe(0);
    expect(deps.out).toEqual([]);
  });

  it('prints its help without starting a server', async () => {
    const startServer = fakeStartServer();
    const deps = fakeDeps({ startServer });
    expect(await serveCommand.run(['--help'], deps)).toBe(0);
    expect(deps.out.join('')).toBe(serveCommand.usage);
    expect(startServer.servers).toEqual([]);
  });
});
