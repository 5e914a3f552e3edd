/**
 * User JIDs of people, as features key and compare them: the device and agent dropped and `c.us`
 * folded to `s.whatsapp.net`, so `1:3@s.whatsapp.net`, `1@c.us` and `1@s.whatsapp.net` are one user.
 */
import { isBot, isLidUser, isPnUser, normalizeJid, toNonAd, tryParseJid } from '@wakit/binary-node';

/** The user JID of `jid` (any device of a person, or any other JID, reduced the same way). */
export function userOf(jid: string): string {
  return normalizeJid(toNonAd(jid));
}

/** `userOf(jid)`, or undefined when `jid` does not parse. */
export function tryUserOf(jid: string | undefined): string | undefined {
  return jid === undefined || tryParseJid(jid) === undefined ? undefined : userOf(jid);
}

/**
 * The user JID of a person's `jid` (PN or LID, any device).
 *
 * @throws RangeError naming `what` when `jid` does not parse or is not a person's (a group, a
 *   broadcast, a server JID).
 */
export function personUser(jid: string, what: string): string {
  const parsed = tryParseJid(jid);
  const user = parsed === undefined ? undefined : userOf(jid);
  if (user === undefined || !(isPnUser(user) || isLidUser(user)) || user.startsWith('@')) {
    throw new RangeError(`${what} expects a person's JID (PN or LID), got "${jid}"`);
  }
  return user;
}

/**
 * True for the users trusted-contact tokens are exchanged with: a PN or LID user that is not the
 * PSA account (`0`) nor a Meta AI bot (whatsmeow `shouldSendTCTokenInChatAction`).
 */
export function takesTcTokens(user: string): boolean {
  return (isPnUser(user) || isLidUser(user)) && !user.startsWith('0@') && !isBot(user);
}
