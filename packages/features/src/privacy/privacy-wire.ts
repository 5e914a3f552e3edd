/**
 * The privacy IQs (docs/protocol.md §10.1, §10.2), sans-IO: builders give the `<iq>` to send (the
 * client adds its id), parsers read the server's reply. Nothing here touches a socket, so every
 * shape is unit-tested against the protocol's.
 *
 *   get        <iq to=s.whatsapp.net type=get xmlns=privacy><privacy/></iq>
 *              -> <privacy><category name value [dhash]/>…</privacy>
 *   set        <iq type=set xmlns=privacy><privacy><category name value/></privacy></iq>
 *              -> <privacy><category name value [dhash]/></privacy>, or an empty result
 *   list       <iq type=set xmlns=privacy><privacy addressing_mode=lid>
 *                <category name value=contact_blacklist dhash=<current>><user action jid [pn_jid]/>…
 *              -> <privacy><category … dhash=<new>/></privacy>; 409 when <current> is stale
 *   disappear  <iq type=set xmlns=disappearing_mode><disappearing_mode duration=<seconds>/></iq>
 */
import { type BinaryNode, getChild, getChildren } from '@wakit/binary-node';
import { MalformedFeatureReplyError } from '../errors';
import type { PrivacyCategory, PrivacyValue } from './privacy-values';

/** Where account IQs go. */
const SERVER = 's.whatsapp.net';

/** One category's setting, as the server reports it. */
export interface PrivacySetting {
  category: PrivacyCategory;
  value: PrivacyValue;
  /** The disallowed list's hash, on `contact_blacklist` settings. */
  dhash?: string | undefined;
}

/** One change to a disallowed list. */
export interface DisallowedListUser {
  action: 'add' | 'remove';
  /** The user, by LID (the list is addressed by LID). */
  jid: string;
  /** The same user's PN, when known. */
  pnJid?: string | undefined;
}

/** A disallowed-list update: the list's current hash and the changes. */
export interface DisallowedListUpdate {
  dhash: string;
  users: readonly DisallowedListUser[];
}

function privacyIq(type: 'get' | 'set', content: BinaryNode[]): BinaryNode {
  return { tag: 'iq', attrs: { to: SERVER, type, xmlns: 'privacy' }, content };
}

/** The query for every privacy setting. */
export function buildPrivacyGet(): BinaryNode {
  return privacyIq('get', [{ tag: 'privacy', attrs: {} }]);
}

/** Sets one category (the caller checked the pair). */
export function buildPrivacySet(category: PrivacyCategory, value: PrivacyValue): BinaryNode {
  return privacyIq('set', [
    { tag: 'privacy', attrs: {}, content: [{ tag: 'category', attrs: { name: category, value } }] },
  ]);
}

/** Adds users to or removes them from `category`'s disallowed list. */
export function buildDisallowedListSet(category: PrivacyCategory, update: DisallowedListUpdate): BinaryNode {
  const users = update.users.map(({ action, jid, pnJid }): BinaryNode => {
    const attrs: Record<string, string> = { action, jid };
    if (pnJid !== undefined) attrs.pn_jid = pnJid;
    return { tag: 'user', attrs };
  });
  const list: BinaryNode = {
    tag: 'category',
    attrs: { name: category, value: 'contact_blacklist', dhash: update.dhash },
    content: users,
  };
  return privacyIq('set', [{ tag: 'privacy', attrs: { addressing_mode: 'lid' }, content: [list] }]);
}

/** Sets the default disappearing-messages timer for new chats (0 turns it off). */
export function buildDisappearingModeSet(seconds: number): BinaryNode {
  return {
    tag: 'iq',
    attrs: { to: SERVER, type: 'set', xmlns: 'disappearing_mode' },
    content: [{ tag: 'disappearing_mode', attrs: { duration: String(seconds) } }],
  };
}

/**
 * The settings in a `<privacy>` reply (a get's, a set's echo), in the server's order; categories
 * and values this package does not know are kept.
 *
 * @throws MalformedFeatureReplyError when a category lacks its name or value.
 */
export function parsePrivacySettings(reply: BinaryNode): PrivacySetting[] {
  const privacy = getChild(reply, 'privacy');
  if (privacy === undefined) return [];
  return getChildren(privacy, 'category').map((node) => {
    const { name, value, dhash } = node.attrs;
    if (name === undefined || name === '' || value === undefined) {
      throw new MalformedFeatureReplyError('a privacy <category> without its name or value');
    }
    return dhash === undefined ? { category: name, value } : { category: name, value, dhash };
  });
}

/** The dhash a reply gives `category`, if any. */
export function dhashIn(reply: BinaryNode, category: PrivacyCategory): string | undefined {
  return parsePrivacySettings(reply).find((setting) => setting.category === category)?.dhash;
}
