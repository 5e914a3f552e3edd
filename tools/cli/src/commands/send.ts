/**
 * `wakit send <to> <text>`: send one text message from the device `wakit link` linked, and print
 * its id once the server acknowledged it.
 */
import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { DEVICE_ARG_SPECS, DEVICE_OPTIONS_HELP, parseDeviceOptions } from '../device-options';
import { UsageError } from '../errors';
import { parseRecipient } from '../recipient';
import { EXIT_SEND_FAILED, EXIT_SEND_REFUSED, runSend, type SendOptions } from '../send-session';

const USAGE = `Usage: wakit send [--store <file.db>] [--url <ws url>] [--root <hex>] <to> <text | ->

Sends <text> to <to> from the device linked in the store (see \`wakit link\`): connects, logs in,
sends, and prints the message id once the server acknowledged it. Use - to read the text from
standard input (one trailing newline is dropped).

<to> is a phone number in international format (+1 555 000 1234, 15550001234) or a user JID
(15550001234@s.whatsapp.net, 123456789@lid).

Options:
${DEVICE_OPTIONS_HELP}
  -h, --help             show this help

Exits 0 when the server acknowledged the message, ${EXIT_SEND_FAILED} when it was not sent or not acknowledged
(no linked device, no connection, a timeout, Ctrl-C), ${EXIT_SEND_REFUSED} when it was refused (<to> is not on
WhatsApp, or the server rejected it), 2 for a usage mistake.
`;

/**
 * Parses the arguments after `send`; `null` means `--help` was asked for. A `text` of `-` stays
 * `-`: the command reads standard input when it runs.
 */
export function parseSendArgs(args: readonly string[]): SendOptions | null {
  const { values, positionals } = parseCommandArgs(args);
  if (values.help) return null;
  if (positionals.length !== 2) {
    throw new UsageError(
      `expected <to> and <text> (quote a text with spaces), got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`,
      'send',
    );
  }
  const [to, text] = positionals as [string, string];
  if (text === '') throw new UsageError('the text is empty', 'send');
  return { ...parseDeviceOptions(values, 'send'), to: parseRecipient(to), text };
}

function parseCommandArgs(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...DEVICE_ARG_SPECS, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message, 'send');
  }
}

/** The `send` subcommand. */
export const sendCommand: Command = {
  name: 'send',
  summary: 'send a text message from the linked device and print its id',
  usage: USAGE,
  async run(args, deps) {
    const options = parseSendArgs(args);
    if (options === null) {
      deps.stdout(USAGE);
      return 0;
    }
    if (options.text === '-') {
      // As `wakit qr -`: `echo hi | wakit send …` should not send the echo's newline.
      const text = (await deps.readStdin()).replace(/\r?\n$/, '');
      if (text === '') throw new UsageError('the text read from standard input is empty', 'send');
      options.text = text;
    }
    return runSend(options, deps);
  },
};
