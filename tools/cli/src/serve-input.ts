/**
 * The lines `wakit serve` reads on standard input, which make its virtual phones link companions
 * by hand: paste a companion's QR text and the first phone scans it, or type the pair code a
 * companion shows. Parsing is separate from acting on it so the grammar is tested on its own.
 *
 * ```
 * <qr text>                     the first phone scans it (with or without the wa.me prefix)
 * scan <phone> <qr text>        that phone scans it
 * code <phone> <XXXX-XXXX>      that phone enters the pair code
 * help                          prints this list
 * ```
 */

/** What one input line asks for. */
export type ServeInput =
  | { kind: 'empty' }
  | { kind: 'help' }
  /** `phone` is undefined for a bare QR line: the first phone scans it. */
  | { kind: 'scan'; phone: string | undefined; qr: string }
  | { kind: 'code'; phone: string; code: string }
  | { kind: 'invalid'; message: string };

/** The help `wakit serve` prints for `help`, ending in a newline. */
export const SERVE_INPUT_HELP = `Type one of these lines:
  <qr text>                  the first phone scans a companion's QR text (as \`wakit link\` prints it)
  scan <phone> <qr text>     that phone scans it
  code <phone> <XXXX-XXXX>   that phone enters the pair code a companion shows
  help                       this list
`;

// A QR string is `ref,noise,identity,adv,platform` (docs/protocol.md §5.2): one word with commas. The
// phone checks the fields; this only tells a pasted QR from a typo.
const QR_TEXT = /^\S+,\S*$/;
// Eight characters from the code alphabet, optionally split in the middle as companions show it.
const PAIR_CODE = /^[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}$/;
const PHONE_NUMBER = /^\+?\d{5,20}$/;

/** Parses one line of `wakit serve`'s standard input. Never throws: mistakes are `invalid`. */
export function parseServeInput(line: string): ServeInput {
  const words = line
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  const [first, ...rest] = words;
  if (first === undefined) return { kind: 'empty' };
  const verb = first.toLowerCase();
  if (verb === 'help' || verb === '?') return { kind: 'help' };
  if (verb === 'code') {
    const [phone, code] = rest;
    if (rest.length !== 2 || !PHONE_NUMBER.test(phone!) || !PAIR_CODE.test(code!)) {
      return invalid('expected `code <phone> <XXXX-XXXX>`, e.g. `code 15550001234 ABCD-EFGH`');
    }
    return { kind: 'code', phone: stripPlus(phone!), code: code!.toUpperCase() };
  }
  if (verb === 'scan') {
    const [phone, qr] = rest;
    if (rest.length !== 2 || !PHONE_NUMBER.test(phone!) || !QR_TEXT.test(qr!)) {
      return invalid('expected `scan <phone> <qr text>`');
    }
    return { kind: 'scan', phone: stripPlus(phone!), qr: qr! };
  }
  if (words.length === 1 && QR_TEXT.test(first)) return { kind: 'scan', phone: undefined, qr: first };
  const shown = line.trim().length > 40 ? `${line.trim().slice(0, 40)}…` : line.trim();
  return invalid(`not a QR text or a command: ${JSON.stringify(shown)}; type \`help\``);
}

function invalid(message: string): ServeInput {
  return { kind: 'invalid', message };
}

/** `+15550001234` and `15550001234` name the same phone; the server keys phones by digits. */
function stripPlus(phone: string): string {
  return phone.replace(/^\+/, '');
}
