/**
 * The account's own stanzas that carry no state of their own (docs/protocol.md §10.4, §7.6), sans-IO:
 *
 *   push name   <presence name=<name>/>                       no type: the name only, as WhatsApp Web's
 *                                                              push-name bridge sends it (whatsapp-rust
 *                                                              src/features/profile.rs `set_push_name`)
 *   passive     <iq to=s.whatsapp.net type=set xmlns=passive><passive/>|<active/></iq>
 *                                                              (whatsapp-rust wacore/src/iq/passive.rs)
 */
import type { BinaryNode } from '@wakit/binary-node';
import { InvalidPushNameError } from '../errors';

/**
 * The longest push name accepted, in characters (code points). The references check only that the
 * name is not empty (whatsapp-rust `set_push_name`); 25 is what WhatsApp's apps let a user type, so a
 * longer name is one no official client could have set.
 */
export const PUSH_NAME_MAX_LENGTH = 25;

/**
 * Checks a push name before it is sent: not blank, at most PUSH_NAME_MAX_LENGTH characters, no
 * control characters (it is shown as one line in contacts' chat lists and notifications).
 *
 * @throws InvalidPushNameError naming what is wrong.
 */
export function checkPushName(name: string): void {
  if (typeof name !== 'string') throw new InvalidPushNameError(String(name), 'a push name must be a string');
  if (name.trim() === '') throw new InvalidPushNameError(name, 'a push name cannot be empty or blank');
  const length = [...name].length;
  if (length > PUSH_NAME_MAX_LENGTH) {
    throw new InvalidPushNameError(
      name,
      `a push name has at most ${PUSH_NAME_MAX_LENGTH} characters, got ${length}`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new InvalidPushNameError(name, 'a push name cannot contain control characters (line breaks, tabs)');
  }
}

/** `<presence name=…/>`: tells the server (and through it the account's contacts) the new push name. */
export function buildPushNamePresence(name: string): BinaryNode {
  return { tag: 'presence', attrs: { name } };
}

/** Passive (`true`: the server holds the offline queue and pushes nothing) or active mode. */
export function buildPassiveSet(passive: boolean): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: 's.whatsapp.net', type: 'set', xmlns: 'passive' },
    content: [{ tag: passive ? 'passive' : 'active', attrs: {} }],
  };
}
