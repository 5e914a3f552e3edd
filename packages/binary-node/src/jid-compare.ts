/**
 * Comparing and transforming JIDs given as `Jid` or string. Transforms return the kind they were
 * given (a string comes back canonical), so string-keeping and typed callers both read naturally.
 * Non-JID strings make the transforms throw `InvalidJidError` and the comparisons return false.
 */
import { checkRange, isAdServer, type Jid, SERVERS } from './jid';
import { formatJid } from './jid-format';
import { parseJid, tryToJid } from './jid-parse';

/**
 * True when `a` and `b` address the same thing: they render the same canonical string. So the
 * agent counts only where it is rendered, the integrator only on `interop`, and `c.us` differs
 * from `s.whatsapp.net` (use `isSameUser` to fold those).
 *
 * @example
 * jidEquals('123:0@s.whatsapp.net', '123@s.whatsapp.net'); // true
 * jidEquals('123:1@s.whatsapp.net', '123:2@s.whatsapp.net'); // false
 */
export function jidEquals(a: Jid | string, b: Jid | string): boolean {
  const x = tryToJid(a);
  const y = tryToJid(b);
  if (x === undefined || y === undefined) return false;
  if (x.user !== y.user || x.server !== y.server) return false;
  // A server-only JID renders as `@server` whatever its numeric fields hold.
  if (x.user === '') return true;
  return (
    x.device === y.device &&
    renderedAgent(x) === renderedAgent(y) &&
    (x.server !== SERVERS.interop || x.integrator === y.integrator)
  );
}

/**
 * True when `a` and `b` name the same account: equal user and server (and integrator on
 * `interop`) after folding `c.us` into `s.whatsapp.net`, whatever their devices and agents.
 * A PN and a LID of one person differ here; relating them needs the LID↔PN store.
 *
 * @example
 * isSameUser('123:5@s.whatsapp.net', '123@c.us'); // true
 */
export function isSameUser(a: Jid | string, b: Jid | string): boolean {
  const x = tryToJid(a);
  const y = tryToJid(b);
  if (x === undefined || y === undefined) return false;
  return (
    x.user === y.user &&
    foldLegacyServer(x.server) === foldLegacyServer(y.server) &&
    (x.server !== SERVERS.interop || x.integrator === y.integrator)
  );
}

/**
 * The canonical equivalent of `jid`: `c.us` becomes `s.whatsapp.net`, an agent that is never
 * rendered (on s.whatsapp.net/lid/hosted/hosted.lid) and an integrator off `interop` become 0,
 * and a server-only JID loses its numeric parts. The device is kept.
 *
 * @example
 * normalizeJid('123.0:0@c.us'); // '123@s.whatsapp.net'
 */
export function normalizeJid(jid: string): string;
export function normalizeJid(jid: Jid): Jid;
export function normalizeJid(jid: Jid | string): Jid | string;
export function normalizeJid(jid: Jid | string): Jid | string {
  return mapJid(jid, (j) => {
    const server = foldLegacyServer(j.server);
    if (j.user === '') return { user: '', server, device: 0, agent: 0, integrator: 0 };
    return {
      user: j.user,
      server,
      device: j.device,
      agent: isAdServer(server) ? 0 : j.agent,
      integrator: server === SERVERS.interop ? j.integrator : 0,
    };
  });
}

/**
 * The user JID behind a device JID: device and agent cleared, integrator kept (whatsmeow
 * `ToNonAD`), e.g. `123:7@lid` -> `123@lid`. The server is not folded (see `normalizeJid`).
 */
export function toNonAd(jid: string): string;
export function toNonAd(jid: Jid): Jid;
export function toNonAd(jid: Jid | string): Jid | string;
export function toNonAd(jid: Jid | string): Jid | string {
  return mapJid(jid, (j) => ({ ...j, device: 0, agent: 0 }));
}

/** `jid` addressed to `device` (0..65535, else RangeError); TypeError for a server-only JID. */
export function withDevice(jid: string, device: number): string;
export function withDevice(jid: Jid, device: number): Jid;
export function withDevice(jid: Jid | string, device: number): Jid | string;
export function withDevice(jid: Jid | string, device: number): Jid | string {
  checkRange('device', device, 0xffff);
  return mapJid(jid, (j) => {
    if (j.user === '') throw new TypeError(`server-only JID "@${j.server}" has no devices`);
    return { ...j, device };
  });
}

function mapJid(jid: Jid | string, transform: (jid: Jid) => Jid): Jid | string {
  return typeof jid === 'string' ? formatJid(transform(parseJid(jid))) : transform(jid);
}

function foldLegacyServer(server: string): string {
  return server === SERVERS.legacyUser ? SERVERS.pn : server;
}

function renderedAgent(jid: Jid): number {
  return isAdServer(jid.server) ? 0 : jid.agent;
}
