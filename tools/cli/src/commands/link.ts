/**
 * `wakit link`: link this machine as a companion device (QR code or pair code) and stay connected
 * until Ctrl-C. Credentials live in a SQLite file, so the next run logs in without linking.
 * The defaults reach the real WhatsApp service; `--url` and `--root` point at a test server.
 */
import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { DEFAULT_STORE_PATH, DEFAULT_URL, DEVICE_ARG_SPECS, parseDeviceOptions } from '../device-options';
import { UsageError } from '../errors';
import { type LinkOptions, runLink } from '../link-session';

/** The store file unless `--store` names another (shared with `send` and `listen`). */
export const LINK_DEFAULT_STORE = DEFAULT_STORE_PATH;
/** WhatsApp Web's endpoint (shared with `send` and `listen`). */
export const LINK_DEFAULT_URL = DEFAULT_URL;

const USAGE = `Usage: wakit link [--store <file.db>] [--url <ws url>] [--root <hex>] [--pair-code <phone>] [--json] [--invert]

Links this machine as a companion device of a WhatsApp account and stays connected until Ctrl-C
(SIGINT) or SIGTERM. Shows a QR code to scan with the phone (a new one each time it rotates), or
with --pair-code a code to type on the phone. A store that is already linked logs in directly.

Options:
  --store <file.db>      the device's SQLite store (default ${LINK_DEFAULT_STORE})
  --url <ws url>         server to connect to (default ${LINK_DEFAULT_URL})
  --root <hex>           certificate root to trust instead of WhatsApp's: only for test servers,
                         the rootPublicKey \`wakit serve\` prints (64 hex digits)
  --pair-code <phone>    link with a code for this phone number (international, digits) instead of a QR
  --json                 print each event as one JSON line, for scripts
  --invert               draw the QR code for a dark terminal (as \`wakit qr --invert\`)
  -h, --help             show this help

Exits 0 when stopped by a signal, 1 when the client stops on its own (unlinked, pairing expired,
a server it cannot reach).
`;

/** Parses the arguments after `link`; `null` means `--help` was asked for. */
export function parseLinkArgs(args: readonly string[]): LinkOptions | null {
  const { values } = parseCommandArgs(args);
  if (values.help) return null;
  return {
    ...parseDeviceOptions(values, 'link'),
    pairCodePhone: values['pair-code'] === undefined ? undefined : parsePhone(values['pair-code']),
    json: values.json ?? false,
    invert: values.invert ?? false,
  };
}

function parseCommandArgs(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        ...DEVICE_ARG_SPECS,
        'pair-code': { type: 'string' },
        json: { type: 'boolean' },
        invert: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw new UsageError((e as Error).message, 'link');
  }
}

function parsePhone(phone: string): string {
  // People write numbers with spaces, dashes and a leading +; the protocol wants the digits.
  const digits = phone.replace(/[\s\-+().]/g, '');
  if (!/^\d{5,20}$/.test(digits)) {
    throw new UsageError(
      `--pair-code expected a phone number in international format, got ${JSON.stringify(phone)}`,
      'link',
    );
  }
  return digits;
}

/** The `link` subcommand. */
export const linkCommand: Command = {
  name: 'link',
  summary: 'link this machine as a companion device and stay connected',
  usage: USAGE,
  async run(args, deps) {
    const options = parseLinkArgs(args);
    if (options === null) {
      deps.stdout(USAGE);
      return 0;
    }
    return runLink(options, deps);
  },
};
