/**
 * JID string parsing. One grammar for every server that reads the spellings of all three
 * references (docs/protocol.md §4.2):
 *
 *   jid       = "@" server | known-server | userpart "@" server
 *   userpart  = [integrator "-"] user [("." | "_") agent] [":" device]
 *
 * - Exactly one `@`; without one, the string must be a known server on its own (`s.whatsapp.net`),
 *   otherwise every word would be a JID.
 * - `server`: lowercase letters and digits in labels joined by `.` or `-`. Unknown servers parse;
 *   check `isKnownServer` where only real ones will do.
 * - `user`: one or more of `A-Z a-z 0-9 . _ -`; never `@` or `:`, and never ending in `.digits` or
 *   `_digits` (that is how an agent looks, so such a user could not be told apart from one).
 * - `agent`: whatsmeow writes `user.agent`, Baileys `user_agent`; both are read. The last `.` or `_`
 *   of the user part starts an agent when only digits follow it, and those digits must then be a
 *   valid agent (0..255). A `.` or `_` followed by anything else belongs to the user (`a.b@x`).
 * - `device`: 0..65535. `:0` is accepted (AD strings always carry it) though not canonical.
 * - `integrator`: only on `interop` (Baileys' `integrator-user` rendering); when the user part
 *   holds a `-`, what precedes the first one must be an integrator 1..65535.
 * - Numbers are plain decimal: no sign, no leading zeros except `0` itself.
 */
import { InvalidJidError } from './errors';
import { isKnownServer, type Jid, SERVERS } from './jid';

/** What a server may look like (lowercase DNS-ish labels); shared with `isCanonicalJid`. */
export const SERVER_SYNTAX = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
/** What a user may look like; shared with `isCanonicalJid`. */
export const USER_SYNTAX = /^[A-Za-z0-9._-]+$/;
/** A user may not end like this, or it would read as user + agent. */
export const ENDS_LIKE_AGENT = /[._][0-9]+$/;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
const DIGITS = /^[0-9]+$/;

/**
 * Parses a JID string. Throws `InvalidJidError` (code `ERR_JID_INVALID`) saying what is wrong.
 *
 * @example
 * parseJid('123:4@s.whatsapp.net'); // { user: '123', server: 's.whatsapp.net', device: 4, agent: 0, integrator: 0 }
 * parseJid('123.1:2@bot');          // agent 1, device 2
 * parseJid('5-123@interop');        // integrator 5
 * parseJid('@g.us');                // server-only: user ''
 */
export function parseJid(input: string): Jid {
  const result = parseOrReason(input);
  if (typeof result === 'string') throw new InvalidJidError(String(input), result);
  return result;
}

/** Like `parseJid` but returns undefined instead of throwing, also for non-string input. */
export function tryParseJid(input: string): Jid | undefined {
  const result = parseOrReason(input);
  return typeof result === 'string' ? undefined : result;
}

/** The JID itself, or `input` parsed. Throws `InvalidJidError` for a string that is not a JID. */
export function toJid(input: Jid | string): Jid {
  return typeof input === 'string' ? parseJid(input) : input;
}

/** The JID itself, or `input` parsed; undefined for a string that is not a JID. */
export function tryToJid(input: Jid | string): Jid | undefined {
  return typeof input === 'string' ? tryParseJid(input) : input;
}

/** Parsed JID, or the reason it is not one (a string, so the hot path allocates no error). */
function parseOrReason(input: string): Jid | string {
  if (typeof input !== 'string') return 'not a string';
  const at = input.indexOf('@');
  if (at < 0) {
    return isKnownServer(input)
      ? makeJid('', input, 0, 0, 0)
      : 'no "@" and not a known server name (write "@server" for a server-only JID)';
  }
  if (input.indexOf('@', at + 1) >= 0) return 'more than one "@"';
  const server = input.slice(at + 1);
  if (server === '') return 'server is empty';
  if (!SERVER_SYNTAX.test(server)) return 'server must be lowercase letters and digits joined by "." or "-"';
  if (at === 0) return makeJid('', server, 0, 0, 0);
  return parseUserPart(input.slice(0, at), server);
}

function parseUserPart(userPart: string, server: string): Jid | string {
  let rest = userPart;
  let device = 0;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    if (rest.indexOf(':', colon + 1) >= 0) return 'more than one ":"';
    const deviceText = rest.slice(colon + 1);
    device = parseDecimal(deviceText, 0xffff);
    if (device < 0) return `device must be a decimal 0..65535, got "${deviceText}"`;
    rest = rest.slice(0, colon);
  }

  let integrator = 0;
  const dash = rest.indexOf('-');
  if (server === SERVERS.interop && dash >= 0) {
    const integratorText = rest.slice(0, dash);
    integrator = parseDecimal(integratorText, 0xffff);
    if (integrator < 1) return `interop integrator must be a decimal 1..65535, got "${integratorText}"`;
    rest = rest.slice(dash + 1);
  }

  let agent = 0;
  const separator = Math.max(rest.lastIndexOf('.'), rest.lastIndexOf('_'));
  if (separator >= 0 && DIGITS.test(rest.slice(separator + 1))) {
    const agentText = rest.slice(separator + 1);
    agent = parseDecimal(agentText, 0xff);
    if (agent < 0) return `agent must be a decimal 0..255, got "${agentText}"`;
    rest = rest.slice(0, separator);
  }

  if (rest === '') return 'user is empty';
  if (!USER_SYNTAX.test(rest)) return `user "${rest}" may only hold A-Z, a-z, 0-9, ".", "_" and "-"`;
  // `a.5.0` would format (agent 0 is not rendered) as `a.5`, which reads as agent 5.
  if (ENDS_LIKE_AGENT.test(rest)) return `user "${rest}" ends like an agent (one agent suffix at most)`;
  return makeJid(rest, server, device, agent, integrator);
}

/** Value of a plain decimal string if it is at most `max`, else -1. */
function parseDecimal(text: string, max: number): number {
  // The length check keeps Number() exact: max is at most 65535 (5 digits).
  if (text.length > 5 || !DECIMAL.test(text)) return -1;
  const value = Number(text);
  return value <= max ? value : -1;
}

function makeJid(user: string, server: string, device: number, agent: number, integrator: number): Jid {
  return { user, server, device, agent, integrator };
}
