/**
 * `wakit serve`: run the embedded server in the foreground until SIGINT or SIGTERM, after
 * creating its virtual phones and printing what a client needs to reach it (its URL and the
 * certificate root to trust). Lines typed on standard input make the phones link companions
 * (`serve-console.ts`).
 */
import { parseArgs } from 'node:util';
import type { CliDeps, Command } from '../command';
import { UsageError } from '../errors';
import { startServeConsole } from '../serve-console';
import type { RunningServer } from '../server-contract';

/** Where `wakit serve` listens unless told otherwise: loopback only, as befits a test server. */
export const SERVE_DEFAULT_HOST = '127.0.0.1';
export const SERVE_DEFAULT_PORT = 8080;
/** The one phone created unless `--phone` says otherwise: 555-01xx numbers are reserved for fiction. */
export const SERVE_DEFAULT_PHONES: readonly string[] = ['15550001234'];

const USAGE = `Usage: wakit serve [--host <address>] [--port <number>] [--phone <number>]... [--json]

Runs the embedded wakit server (real WebSockets, Noise with a test certificate root, virtual
phones) in the foreground. Prints its URL and the root public key clients must trust; stops
cleanly on Ctrl-C (SIGINT) or SIGTERM.

Standard input links companions: paste the QR text \`wakit link\` prints and the first phone
scans it, or type \`code <phone> <XXXX-XXXX>\` to enter a pair code on a phone. Type \`help\`
for the list.

Options:
  --host <address>  address to listen on (default ${SERVE_DEFAULT_HOST})
  --port <number>   port to listen on, 0 for any free port (default ${SERVE_DEFAULT_PORT})
  --phone <number>  a virtual phone to create (repeat or use commas; default ${SERVE_DEFAULT_PHONES.join(',')})
  --json            print the banner and each result as one JSON line, for scripts
  -h, --help        show this help
`;

/** The parsed options of `wakit serve`. */
export interface ServeOptions {
  host: string;
  port: number;
  /** Phone numbers (digits, no `+`), in order; the first scans bare QR lines. */
  phones: string[];
  json: boolean;
}

/** Parses the arguments after `serve`; `null` means `--help` was asked for. */
export function parseServeArgs(args: readonly string[]): ServeOptions | null {
  const { values } = parseCommandArgs(args);
  if (values.help) return null;
  return {
    host: parseHost(values.host),
    port: parsePort(values.port),
    phones: parsePhones(values.phone),
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
        phone: { type: 'string', multiple: true },
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

function parsePhones(values: string[] | undefined): string[] {
  if (values === undefined) return [...SERVE_DEFAULT_PHONES];
  const phones: string[] = [];
  for (const value of values.flatMap((v) => v.split(','))) {
    const number = value.trim().replace(/^\+/, '');
    // The server's own rule (Phones.create); checked here so a typo is a usage error, not a crash.
    if (!/^\d{5,20}$/.test(number)) {
      throw new UsageError(`--phone expected 5 to 20 digits, got ${JSON.stringify(value)}`, 'serve');
    }
    if (phones.includes(number)) throw new UsageError(`--phone ${number} is given twice`, 'serve');
    phones.push(number);
  }
  return phones;
}

/** Lowercase hex, the form `rootPublicKey` takes on a command line or in a config file. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * What `wakit serve` prints once the server listens and its phones exist, ending in a newline:
 * the URL and root for clients, the phones, and the `wakit link` command line that reaches them.
 */
export function formatServerBanner(
  server: Pick<RunningServer, 'url' | 'rootPublicKey'>,
  phones: readonly string[],
  json: boolean,
): string {
  const rootPublicKey = toHex(server.rootPublicKey);
  if (json) return `${JSON.stringify({ url: server.url, rootPublicKey, phones })}\n`;
  return [
    'wakit server listening',
    `  url            ${server.url}`,
    `  rootPublicKey  ${rootPublicKey}`,
    `  phones         ${phones.map((p) => `+${p}`).join(', ')}`,
    `Link a companion: wakit link --url ${server.url} --root ${rootPublicKey}`,
    `then paste its QR text here (+${phones[0]} scans it), or type \`code <phone> <XXXX-XXXX>\`.`,
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
    throw listenUsageError(e, options) ?? e;
  }
  try {
    for (const phone of options.phones) await server.phones.create(phone);
  } catch (e) {
    stop.dispose();
    await server.close();
    throw e;
  }
  deps.stdout(formatServerBanner(server, options.phones, options.json));
  const input = startServeConsole(server, { json: options.json, defaultPhone: options.phones[0]! }, deps);
  const signal = await stop.stopped;
  // Give the signals their default back first: a second Ctrl-C while closing hangs is a forced exit.
  stop.dispose();
  input.stop();
  // Status lines go to stderr so that with --json, stdout holds only JSON lines.
  deps.stderr(`${signal}: stopping the server\n`);
  await server.close();
  deps.stderr('stopped\n');
  return 0;
}

/**
 * Why the address the user chose cannot be listened on, as a usage error, or `undefined` for any
 * other failure (a bug keeps its stack). Node's codes: EADDRINUSE (port taken), EACCES (a port
 * below 1024 without the right), EADDRNOTAVAIL (no such local address), ENOTFOUND (host name
 * does not resolve).
 */
function listenUsageError(e: unknown, options: ServeOptions): UsageError | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  const reason = typeof code === 'string' ? LISTEN_FAILURES[code] : undefined;
  if (reason === undefined) return undefined;
  return new UsageError(`cannot listen on ${options.host} port ${options.port}: ${reason}`, 'serve');
}

const LISTEN_FAILURES: Record<string, string> = {
  EADDRINUSE: 'the port is in use (--port 0 picks a free one)',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'the address is not one of this machine',
  ENOTFOUND: 'the host name does not resolve',
};

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
