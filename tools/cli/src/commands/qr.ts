/**
 * `wakit qr`: print any text as a terminal QR code, to eyeball the renderer or to move a string
 * to a phone. `-` reads the text from standard input.
 */
import { parseArgs } from 'node:util';
import {
  QR_COMPACT_QUIET_ZONE_MODULES,
  qrByteCapacity,
  type RenderQrOptions,
  renderQr,
} from '@wakit/client/qr';
import type { Command } from '../command';
import { UsageError } from '../errors';

/** The error correction level `wakit qr` draws with: `renderQr`'s default. */
const LEVEL = 'L';

const USAGE = `Usage: wakit qr [--invert] [--compact | --quiet-zone <modules>] <text | ->

Prints <text> as a QR code drawn with half-block characters (two module rows per line).
Use - to read the text from standard input (one trailing newline is dropped).

Options:
  --invert                 draw the light modules; use this on a dark terminal
  --compact                2-module quiet zone instead of the standard 4
  --quiet-zone <modules>   any quiet zone width, a non-negative integer
  -h, --help               show this help
`;

/** The parsed arguments of `wakit qr`. */
export interface QrArgs {
  /** The text to encode, or `-` for standard input. */
  text: string;
  render: RenderQrOptions;
}

/** Parses the arguments after `qr`; `null` means `--help` was asked for. */
export function parseQrArgs(args: readonly string[]): QrArgs | null {
  let parsed: ReturnType<typeof parseQrOptions>;
  try {
    parsed = parseQrOptions(args);
  } catch (e) {
    throw new UsageError((e as Error).message, 'qr');
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  if (positionals.length !== 1) {
    throw new UsageError(
      `expected one text argument (quote text with spaces), got ${positionals.length}`,
      'qr',
    );
  }
  if (values.compact && values['quiet-zone'] !== undefined) {
    throw new UsageError('--compact and --quiet-zone both set the quiet zone; use one', 'qr');
  }
  const render: RenderQrOptions = { invert: values.invert ?? false };
  if (values.compact) render.quietZone = QR_COMPACT_QUIET_ZONE_MODULES;
  if (values['quiet-zone'] !== undefined) render.quietZone = parseQuietZone(values['quiet-zone']);
  return { text: positionals[0]!, render };
}

function parseQrOptions(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      invert: { type: 'boolean' },
      compact: { type: 'boolean' },
      'quiet-zone': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
}

function parseQuietZone(value: string): number {
  if (!/^\d{1,2}$/.test(value)) {
    throw new UsageError(`--quiet-zone expected an integer from 0 to 99, got ${JSON.stringify(value)}`, 'qr');
  }
  return Number(value);
}

/** The `qr` subcommand. */
export const qrCommand: Command = {
  name: 'qr',
  summary: 'print text as a terminal QR code',
  usage: USAGE,
  async run(args, deps) {
    const parsed = parseQrArgs(args);
    if (parsed === null) {
      deps.stdout(USAGE);
      return 0;
    }
    const text = parsed.text === '-' ? (await deps.readStdin()).replace(/\r?\n$/, '') : parsed.text;
    // A QR code can hold zero bytes, but an empty code is surely a mistake (an empty pipe, say).
    if (text === '') throw new UsageError('the text to encode is empty', 'qr');
    // Checked here rather than by catching renderQr's RangeError, so that a RangeError from a bug
    // still reaches the user with its stack.
    const bytes = new TextEncoder().encode(text).length;
    const max = qrByteCapacity(LEVEL);
    if (bytes > max) {
      throw new UsageError(`the text is ${bytes} bytes of UTF-8; a QR code holds at most ${max}`, 'qr');
    }
    deps.stdout(`${renderQr(text, { ...parsed.render, errorCorrectionLevel: LEVEL })}\n`);
    return 0;
  },
};
