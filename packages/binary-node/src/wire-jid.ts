/**
 * Which strings the encoder writes as JIDs, and how the decoder renders JID tags as strings.
 *
 * The node model is stringly typed (as in Baileys and whatsapp-rust's string attributes), so the
 * encoder must recognise JIDs inside strings. The rule here: a string is written in a JID form
 * exactly when it is the canonical rendering of a JID, i.e. when the decoder will render the wire
 * form back to the same string. Everything else is written as the literal string, so no input is
 * ever altered by a round trip.
 *
 * Canonical renderings (server must be one of jid.ts SERVERS, at most JID_MAX_BYTES long):
 *   `@server`                      JID_PAIR(LIST_EMPTY, server)        e.g. `@s.whatsapp.net` -> fa 00 03
 *   `user@server`                  JID_PAIR(user, server)
 *   `user:device@server`           AD_JID(domain, device, user)       server s.whatsapp.net|lid|hosted|hosted.lid, device 1..255
 *   `user:device@msgr`             FB_JID(user, device, "msgr")        device 1..65535
 *   `integrator-user[:device]@interop`  INTEROP_JID(user, device, integrator)   integrator 1..65535
 * `user` never contains `@`, `:` or `_`: Baileys reads `_` as an agent separator and `:` as the
 * device separator, and whatsapp-rust drops an unparsable suffix, so such strings cannot survive
 * those peers either. On canonical JIDs all three encoders agree byte for byte
 * (test/differential.test.ts); test/encode.test.ts lists what wakit writes for the rest. One
 * deliberate difference: both references write any `user@anything` as a JID_PAIR, so text such as
 * `bob@example.com` would reach the server as a JID; wakit sends it as text.
 */
import { domainTypeOfServer, isKnownServer } from './jid';
import { JID_MAX_BYTES } from './tags';
import { utf8Length } from './utf8';

/** Decimal 1..99999 without sign or leading zero; callers range-check the value. */
const POSITIVE_DECIMAL = /^[1-9][0-9]{0,4}$/;

export const JID_KIND_PAIR = 0;
export const JID_KIND_AD = 1;
export const JID_KIND_FB = 2;
export const JID_KIND_INTEROP = 3;

/** A JID string split into its wire parts. */
export interface WireJid {
  kind: typeof JID_KIND_PAIR | typeof JID_KIND_AD | typeof JID_KIND_FB | typeof JID_KIND_INTEROP;
  /** '' only for a server-only JID_PAIR. */
  user: string;
  server: string;
  device: number;
  integrator: number;
  /** AD_JID domain byte. */
  domain: number;
}

function wire(kind: WireJid['kind'], user: string, server: string, device = 0, integrator = 0): WireJid {
  return { kind, user, server, device, integrator, domain: domainTypeOfServer(server) ?? 0 };
}

/**
 * The wire form of `s` if it is a canonical JID rendering (see the file comment), else undefined.
 * `s` must already be known not to be a token or a packed string.
 */
export function matchWireJid(s: string): WireJid | undefined {
  if (s.length > JID_MAX_BYTES) return undefined;
  const at = s.indexOf('@');
  if (at < 0 || s.indexOf('@', at + 1) >= 0) return undefined;
  const server = s.slice(at + 1);
  if (!isKnownServer(server) || !fitsJidLimit(s)) return undefined;
  if (at === 0) return wire(JID_KIND_PAIR, '', server);

  const left = s.slice(0, at);
  if (left.includes('_')) return undefined;
  const colon = left.indexOf(':');
  const user = colon < 0 ? left : left.slice(0, colon);
  let device = 0;
  if (colon >= 0) {
    const digits = left.slice(colon + 1);
    if (user === '' || !POSITIVE_DECIMAL.test(digits)) return undefined;
    device = Number(digits);
  }

  if (server === 'interop') return matchInterop(user, device);
  if (device === 0) return wire(JID_KIND_PAIR, user, server);
  if (domainTypeOfServer(server) !== undefined) {
    return device <= 0xff ? wire(JID_KIND_AD, user, server, device) : undefined;
  }
  if (server === 'msgr') return device <= 0xffff ? wire(JID_KIND_FB, user, server, device) : undefined;
  // A device on a server without a device form (groups, broadcast...): no wire form keeps it.
  return undefined;
}

function fitsJidLimit(s: string): boolean {
  // s.length <= JID_MAX_BYTES already holds; only non-ASCII users can push the byte length over.
  return s.length * 3 <= JID_MAX_BYTES || utf8Length(s) <= JID_MAX_BYTES;
}

function matchInterop(left: string, device: number): WireJid | undefined {
  const dash = left.indexOf('-');
  if (dash < 0) return device === 0 ? wire(JID_KIND_PAIR, left, 'interop') : undefined;
  const integratorDigits = left.slice(0, dash);
  const user = left.slice(dash + 1);
  if (!POSITIVE_DECIMAL.test(integratorDigits) || user === '' || device > 0xffff) {
    return device === 0 ? wire(JID_KIND_PAIR, left, 'interop') : undefined;
  }
  const integrator = Number(integratorDigits);
  if (integrator > 0xffff) return device === 0 ? wire(JID_KIND_PAIR, left, 'interop') : undefined;
  return wire(JID_KIND_INTEROP, user, 'interop', device, integrator);
}

/** The string the decoder yields for a JID with these parts (device 0 is not rendered). */
export function renderJid(user: string, server: string, device: number): string {
  return device > 0 ? `${user}:${device}@${server}` : `${user}@${server}`;
}

/** The string the decoder yields for an INTEROP_JID (Baileys' `integrator-user:device@interop`). */
export function renderInteropJid(user: string, device: number, integrator: number): string {
  return renderJid(`${integrator}-${user}`, 'interop', device);
}
