/**
 * `wakit serve`: run the embedded server in the foreground until SIGINT or SIGTERM, after
 * printing what a client needs to reach it (its URL and the certificate root to trust).
 */
import { parseArgs } from 'node:util';
import type { CliDeps, Command } from '../command';
import { UsageError } from '../errors';
import type { RunningServer } from '../server-contract';

/** Where `wakit serve` listens unless told otherwise: loopback only, as befits a test server. */
export const SERVE_DEFAULT_HOST = '127.0.0.1';
export const SERVE_DEFAULT_PORT = 8080;

const USAGE = `Usage: wakit serve [--host <address>] [--port <number>] [--json]

Runs the embedded wakit server (real WebSockets, Noise with a test certificate root, virtual
phones) in the foreground. Prints its URL and the root public key clients must trust; stops
cleanly on Ctrl-C (SIGINT) or SIGTERM.

Options:
  --host <address>  address to listen on (default ${SERVE_DEFAULT_HOST})
  --port <number>   port to listen on, 0 for any free port (default ${SERVE_DEFAULT_PORT})
  --json            print the URL and key as one JSON line, for scripts
  -h, --help        show this help
`;

/** The parsed options of `wakit serve`. */
export interface ServeOptions {
  host: string;
  port: number;
  json: boolean;
}

/** Parses the arguments after `serve`; `null` means `--help` was asked for. */
export function parseServeArgs(args: readonly string[]): ServeOptions | null {
  const { values } = parseCommandArgs(args);
  if (values.help) return null;
  return {
    host: parseHost(values.host),
    port: parsePort(values.port),
    json: values.json ?? false,
  };
}

function parseCommandArgs(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    // parseArgs reports unknown options and stray arguments with clear messages of its own.
    throw new UsageError((e as Error).message, 'serve');
  }
}

function parseHost(host: string | undefined): string {
  if (host === undefined) return SERVE_DEFAULT_HOST;
  if (host.trim() === '') throw new UsageError('--host expected an address, got an empty string', 'serve');
  return host;
}

function parsePort(port: string | undefined): number {
  if (port === undefined) return SERVE_DEFAULT_PORT;
  // Digits only: Number() would also accept '0x1f', '1e3' and ' 80 '.
  const n = /^\d{1,5}$/.test(port) ? Number(port) : Number.NaN;
  if (!(n >= 0 && n <= 65535)) {
    throw new UsageError(`--port expected an integer from 0 to 65535, got ${JSON.stringify(port)}`, 'serve');
  }
  return n;
}

/** Lowercase hex, the form `rootPublicKey` takes on a command line or in a config file. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** What `wakit serve` prints once the server listens, ending in a newline. */
export function formatServerBanner(
  server: Pick<RunningServer, 'url' | 'rootPublicKey'>,
  json: boolean,
): string {
  const rootPublicKey = toHex(server.rootPublicKey);
  if (json) return `${JSON.stringify({ url: server.url, rootPublicKey })}\n`;
  return [
    'wakit server listening',
    `  url            ${server.url}`,
    `  rootPublicKey  ${rootPublicKey}`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

async function runServe(options: ServeOptions, deps: CliDeps): Promise<number> {
  const stop = deps.listenForStop();
  let server: RunningServer;
  try {
    server = await deps.startServer({ host: options.host, port: options.port });
  } catch (e) {
    stop.dispose();
    throw e;
  }
  deps.stdout(formatServerBanner(server, options.json));
  const signal = await stop.stopped;
  // Give the signals their default back first: a second Ctrl-C while closing hangs is a forced exit.
  stop.dispose();
  // Status lines go to stderr so that with --json, stdout stays exactly one JSON line.
  deps.stderr(`${signal}: stopping the server\n`);
  await server.close();
  deps.stderr('stopped\n');
  return 0;
}

/** The `serve` subcommand. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the embedded server until Ctrl-C',
  usage: USAGE,
  async run(args, deps) {
    const options = parseServeArgs(args);
    if (options === null) {
      deps.stdout(USAGE);
      return 0;
    }
    return runServe(options, deps);
  },
};
