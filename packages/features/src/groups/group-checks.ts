/**
 * What the groups module checks before anything is sent, so a request the server would refuse for
 * its shape fails at once with a typed error.
 *
 * Limits are whatsapp-rust's (wacore/src/iq/groups.rs), read from WhatsApp's A/B props
 * `group_max_subject` and `group_description_length`, counted in characters (Unicode code points,
 * as its `chars().count()`). whatsmeow's comment of 25 characters for a subject is older; Baileys
 * checks nothing.
 */
import { isGroup, isLidUser, isPnUser, tryParseJid } from '@wakit/binary-node';
import { userOf } from '../_users';
import { InvalidGroupDescriptionError, InvalidGroupJidError, InvalidGroupSubjectError } from '../errors';

/** The longest subject WhatsApp accepts, in characters. */
export const GROUP_SUBJECT_MAX_LENGTH = 100;
/** The longest description WhatsApp accepts, in characters. */
export const GROUP_DESCRIPTION_MAX_LENGTH = 2048;

/**
 * `jid` as a group JID (`<id>@g.us`, no device).
 *
 * @throws InvalidGroupJidError when it is not one.
 */
export function checkGroupJid(jid: string): string {
  const parsed = typeof jid === 'string' ? tryParseJid(jid) : undefined;
  if (parsed === undefined || !isGroup(parsed) || parsed.user === '' || parsed.device !== 0) {
    throw new InvalidGroupJidError(String(jid), 'group');
  }
  return `${parsed.user}@g.us`;
}

/**
 * `jid` as a person's user JID (device dropped, `c.us` read as `s.whatsapp.net`).
 *
 * @throws InvalidGroupJidError when it is not a PN or LID user.
 */
export function checkParticipantJid(jid: string): string {
  const parsed = typeof jid === 'string' ? tryParseJid(jid) : undefined;
  const user = parsed === undefined ? undefined : userOf(jid);
  if (user === undefined || user.startsWith('@') || !(isPnUser(user) || isLidUser(user))) {
    throw new InvalidGroupJidError(String(jid), 'participant');
  }
  return user;
}

/**
 * `subject` unchanged when WhatsApp would take it.
 *
 * @throws InvalidGroupSubjectError when it is empty (or only spaces) or too long.
 */
export function checkSubject(subject: string): string {
  if (typeof subject !== 'string' || subject.trim() === '') {
    throw new InvalidGroupSubjectError(String(subject), 'a group subject must not be empty');
  }
  const length = [...subject].length;
  if (length > GROUP_SUBJECT_MAX_LENGTH) {
    throw new InvalidGroupSubjectError(
      subject,
      `a group subject takes at most ${GROUP_SUBJECT_MAX_LENGTH} characters, got ${length}`,
    );
  }
  return subject;
}

/**
 * `description` unchanged when WhatsApp would take it.
 *
 * @throws InvalidGroupDescriptionError when it is too long.
 */
export function checkDescription(description: string): string {
  if (typeof description !== 'string') {
    throw new InvalidGroupDescriptionError(`a group description must be a string, got ${typeof description}`);
  }
  const length = [...description].length;
  if (length > GROUP_DESCRIPTION_MAX_LENGTH) {
    throw new InvalidGroupDescriptionError(
      `a group description takes at most ${GROUP_DESCRIPTION_MAX_LENGTH} characters, got ${length}`,
    );
  }
  return description;
}
