/**
 * What kind of address a JID is. Every predicate takes a `Jid` or a string and answers false for
 * a string that is not a JID, so they can be used on untrusted attribute values directly. The
 * `is*User`/`isGroup`-style predicates are false for server-only JIDs (`@g.us` is the group
 * server, not a group).
 */
import { domainTypeOfServer, type Jid, SERVERS } from './jid';
import { tryToJid } from './jid-parse';

/** Meta AI bot numbers (whatsmeow `botUserRegex`; whatsapp-rust checks the same prefixes). */
const BOT_USER = /^1313555\d{4}$|^131655500\d{2}$/;

/** Hosted (Cloud API) companions use device 99 even on s.whatsapp.net/lid (docs/protocol.md §4.1). */
const HOSTED_DEVICE = 99;

/** True for a phone-number user on `s.whatsapp.net`, any device; not `c.us` (`normalizeJid` first). */
export function isPnUser(jid: Jid | string): boolean {
  return hasUserOn(jid, SERVERS.pn);
}

/** True for a LID user (`…@lid`), any device. */
export function isLidUser(jid: Jid | string): boolean {
  return hasUserOn(jid, SERVERS.lid);
}

/** True for a group (`…@g.us`). */
export function isGroup(jid: Jid | string): boolean {
  return hasUserOn(jid, SERVERS.group);
}

/** True for any `…@broadcast` JID, including `status@broadcast` (tell them apart with `isStatusBroadcast`). */
export function isBroadcast(jid: Jid | string): boolean {
  return hasUserOn(jid, SERVERS.broadcast);
}

/** True for `status@broadcast`, where status updates go. */
export function isStatusBroadcast(jid: Jid | string): boolean {
  const j = tryToJid(jid);
  return j !== undefined && j.server === SERVERS.broadcast && j.user === 'status';
}

/** True for a channel (`…@newsletter`). */
export function isNewsletter(jid: Jid | string): boolean {
  return hasUserOn(jid, SERVERS.newsletter);
}

/**
 * True for a hosted (Cloud API) device: device 99 on any server, or the `hosted`/`hosted.lid`
 * servers (whatsapp-rust `is_hosted`). Such devices are left out of group fan-out.
 */
export function isHosted(jid: Jid | string): boolean {
  const j = tryToJid(jid);
  return (
    j !== undefined &&
    (j.device === HOSTED_DEVICE || j.server === SERVERS.hosted || j.server === SERVERS.hostedLid)
  );
}

/**
 * True for a Meta AI bot: anything on `bot`, or a primary-device PN user with a bot number
 * (`1313555xxxx`, `131655500xx`) on s.whatsapp.net or, where Baileys looks, `c.us`.
 *
 * @example
 * isBot('13135550002@s.whatsapp.net'); // true (Meta AI)
 * isBot('13135550002:1@s.whatsapp.net'); // false: a companion device is not the bot
 */
export function isBot(jid: Jid | string): boolean {
  const j = tryToJid(jid);
  if (j === undefined) return false;
  if (j.server === SERVERS.bot) return true;
  return (
    (j.server === SERVERS.pn || j.server === SERVERS.legacyUser) && j.device === 0 && BOT_USER.test(j.user)
  );
}

/** True for an interop user (`…@interop`, usually `integrator-user`). */
export function isInterop(jid: Jid | string): boolean {
  return hasUserOn(jid, SERVERS.interop);
}

/** True for a Messenger user (`…@msgr`). */
export function isMessenger(jid: Jid | string): boolean {
  return hasUserOn(jid, SERVERS.msgr);
}

/** True for a server-only JID (empty user), e.g. `@s.whatsapp.net` (`SERVER_JID`) or `@g.us`. */
export function isServerJid(jid: Jid | string): boolean {
  const j = tryToJid(jid);
  return j !== undefined && j.user === '';
}

/**
 * The AD_JID domain byte of the JID's server: 0 s.whatsapp.net, 1 lid, 128 hosted,
 * 129 hosted.lid (docs/protocol.md §4.3); undefined for every other server and for non-JIDs.
 */
export function domainType(jid: Jid | string): number | undefined {
  const parsed = tryToJid(jid);
  return parsed === undefined ? undefined : domainTypeOfServer(parsed.server);
}

function hasUserOn(jid: Jid | string, server: string): boolean {
  const j = tryToJid(jid);
  return j !== undefined && j.user !== '' && j.server === server;
}
