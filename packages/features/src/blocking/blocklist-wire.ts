/**
 * The blocklist (docs/protocol.md §10.3), sans-IO:
 *
 *   get      <iq to=s.whatsapp.net type=get xmlns=blocklist/>  -> <list dhash><item jid [t]/>…</list>
 *   update   <iq to=s.whatsapp.net type=set xmlns=blocklist><item action=block|unblock jid [pn_jid]/></iq>
 *            -> the new <list>
 *   pushed   <notification type=account_sync><blocklist dhash prev_dhash><item jid action/>…</blocklist>
 *            when another device of the account changed it
 *
 * Users are named by LID where the client knows it, with the PN beside it (`pn_jid`; WhatsApp
 * requires it to block), else by PN.
 */
import { type BinaryNode, getChild, getChildren } from '@wakit/binary-node';
import { MalformedFeatureReplyError } from '../errors';

const SERVER = 's.whatsapp.net';

/** The account's blocklist as the server reported it. */
export interface Blocklist {
  /** The list's hash, to tell whether a pushed change follows the version this device has. */
  dhash: string | undefined;
  /** Blocked users, as the server names them (by LID, usually). */
  jids: string[];
}

/** A change another device made, from an `account_sync` notification. */
export interface BlocklistChange {
  dhash: string | undefined;
  /** The hash of the list the change applies to. */
  previousDhash: string | undefined;
  items: { jid: string; action: 'block' | 'unblock' }[];
}

/** The query for the whole list. */
export function buildBlocklistGet(): BinaryNode {
  return { tag: 'iq', attrs: { to: SERVER, type: 'get', xmlns: 'blocklist' } };
}

/** Blocks or unblocks one user: `jid` (a LID, or a PN when the LID is not known) and its PN if known. */
export function buildBlocklistUpdate(action: 'block' | 'unblock', jid: string, pnJid?: string): BinaryNode {
  const attrs: Record<string, string> = { action, jid };
  if (pnJid !== undefined && pnJid !== jid) attrs.pn_jid = pnJid;
  return {
    tag: 'iq',
    attrs: { to: SERVER, type: 'set', xmlns: 'blocklist' },
    content: [{ tag: 'item', attrs }],
  };
}

/**
 * The `<list>` of a get's or an update's reply.
 *
 * @throws MalformedFeatureReplyError when there is no `<list>` or an item has no jid.
 */
export function parseBlocklist(reply: BinaryNode): Blocklist {
  const list = getChild(reply, 'list');
  if (list === undefined) throw new MalformedFeatureReplyError('a blocklist reply without its <list>');
  return { dhash: list.attrs.dhash, jids: getChildren(list, 'item').map((item) => jidOf(item)) };
}

/** The change in an `account_sync` notification, or undefined when it holds no `<blocklist>`. */
export function parseBlocklistChange(notification: BinaryNode): BlocklistChange | undefined {
  const blocklist = getChild(notification, 'blocklist');
  if (blocklist === undefined) return undefined;
  const items = getChildren(blocklist, 'item').map((item) => {
    const action = item.attrs.action;
    if (action !== 'block' && action !== 'unblock') {
      throw new MalformedFeatureReplyError(`a blocklist item with action "${action}"`);
    }
    return { jid: jidOf(item), action } as const;
  });
  return { dhash: blocklist.attrs.dhash, previousDhash: blocklist.attrs.prev_dhash, items };
}

function jidOf(item: BinaryNode): string {
  const jid = item.attrs.jid;
  if (jid === undefined || jid === '')
    throw new MalformedFeatureReplyError('a blocklist <item> without a jid');
  return jid;
}
