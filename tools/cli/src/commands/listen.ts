/**
 * `wakit listen`: print every message the device `wakit link` linked receives, until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { DEVICE_ARG_SPECS, DEVICE_OPTIONS_HELP, parseDeviceOptions } from '../device-options';
import { UsageError } from '../errors';
import { EXIT_LISTEN_FAILED, type ListenOptions, runListen } from '../listen-session';

const USAGE = `Usage: wakit listen [--store <file.db>] [--url <ws url>] [--root <hex>] [--json] [--receipts]

Connects the device linked in the store (see \`wakit link\`) and prints every message it receives,
one line each, until Ctrl-C (SIGINT) or SIGTERM. Messages that arrived while it was away come
first, marked [offline]. Edits, revokes and messages that could not be read are printed too.

  2025-01-02T03:04:05Z <chat> <sender device> ~<push name> [offline]: <text>

Messages go to stdout; the connection's status lines go to stderr.

Options:
${DEVICE_OPTIONS_HELP}
  --json                 print each event as one JSON line on stdout, for scripts
  --receipts             also print delivery and read receipts of the messages this account sent
  -h, --help             show this help

Exits 0 when stopped by a signal, ${EXIT_LISTEN_FAILED} when there is no linked device or the client stops on its
own (unlinked, a server it cannot reach).
`;

/** Parses the arguments after `listen`; `null` means `--help` was asked for. */
export function parseListenArgs(args: readonly string[]): ListenOptions | null {
  const { values } = parseCommandArgs(args);
  if (values.help) return null;
  return {
    ...parseDeviceOptions(values, 'listen'),
    json: values.json ?? false,
    receipts: values.receipts ?? false,
  };
}

function parseCommandArgs(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        ...DEVICE_ARG_SPECS,
        json: { type: 'boolean' },
        receipts: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw new UsageError((e as Error).message, 'listen');
  }
}

/** The `listen` subcommand. */
export const listenCommand: Command = {
  name: 'listen',
  summary: 'print the messages the linked device receives, until Ctrl-C',
  usage: USAGE,
  async run(args, deps) {
    const options = parseListenArgs(args);
    if (options === null) {
      deps.stdout(USAGE);
      return 0;
    }
    return runListen(options, deps);
  },
};
