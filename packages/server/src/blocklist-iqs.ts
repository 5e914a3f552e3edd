/**
 * The blocklist (docs/protocol.md §10.3), kept per account in privacy-state.ts:
 *
 *   get : <iq xmlns="blocklist" type="get"/>  -> <list dhash><item jid t/>…</list>
 *   set : <iq xmlns="blocklist" type="set"><item action="block|unblock" jid=<LID or PN> [pn_jid=<PN>]/>…</iq>
 *      -> the new <list dhash><item jid t/>…</list> (whatsmeow user.go `UpdateBlocklist` reads it)
 *
 * Items name users by LID (privacy-state.ts `listedUser`); blocking a blocked user or unblocking
 * one who is not is accepted and changes nothing. A malformed item is 400 and nothing changes.
 * The account's other devices are told with `<notification type="account_sync"><blocklist dhash
 * prev_dhash><item jid action/>…</blocklist>` (account-sync.ts). What a block does is in
 * message-relay.ts: the blocked user's messages are not delivered.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { notifyOtherDevices } from './account-sync';
import type { IqHandler } from './iq-context';
import { children, iqError, iqResult, unixSeconds } from './nodes';
import type { AccountPrivacy, ListedUser } from './privacy-state';
import { listedUser } from './privacy-state';

/** Answers `blocklist` gets and sets; `undefined` for anything else. */
export const handleBlocklistIq: IqHandler = (ctx, node) => {
  if (node.attrs.xmlns !== 'blocklist') return undefined;
  const items = children(node, 'item');
  if (node.attrs.type === 'set' && items.length === 0) return undefined;
  if (node.attrs.type !== 'get' && node.attrs.type !== 'set') return undefined;
  const device = ctx.device;
  if (device === undefined) return iqError(node, 401, 'not-authorized');
  const account = ctx.state.accounts.get(device.phoneNumber).privacy;
  if (node.attrs.type === 'get') return iqResult(node, [list(account)]);

  const t = unixSeconds(ctx.state.options.now());
  const changes: { action: 'block' | 'unblock'; user: ListedUser }[] = [];
  for (const item of items) {
    const action = item.attrs.action;
    const user = listedUser(ctx.state, item.attrs.jid, item.attrs.pn_jid, t);
    if ((action !== 'block' && action !== 'unblock') || user === undefined) {
      return iqError(node, 400, 'bad-request');
    }
    changes.push({ action, user });
  }
  const previous = account.blocklistHash();
  for (const { action, user } of changes) {
    if (action === 'unblock') account.blocklist.delete(user.jid);
    else if (!account.blocklist.has(user.jid)) account.blocklist.set(user.jid, user);
  }
  notifyOtherDevices(ctx.state, device, 'account_sync', [
    {
      tag: 'blocklist',
      attrs: { dhash: account.blocklistHash(), prev_dhash: previous },
      content: changes.map(({ action, user }) => ({ tag: 'item', attrs: { jid: user.jid, action } })),
    },
  ]);
  // A block hides the account's presence from that user at once (presence-view.ts).
  ctx.state.presence.refresh(device.phoneNumber);
  return iqResult(node, [list(account)]);
};

/** `<list dhash><item jid t/>…</list>`. */
function list(account: AccountPrivacy): BinaryNode {
  return {
    tag: 'list',
    attrs: { dhash: account.blocklistHash() },
    content: [...account.blocklist.values()].map((user) => ({
      tag: 'item',
      attrs: { jid: user.jid, t: user.t },
    })),
  };
}
