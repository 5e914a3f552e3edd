/**
 * Privacy settings (docs/protocol.md §10.1), kept per account in privacy-state.ts:
 *
 *   get : <iq xmlns="privacy" type="get"><privacy/></iq>
 *      -> <privacy><category name value [dhash when value="contact_blacklist"]/>…</privacy>
 *   set : <iq xmlns="privacy" type="set"><privacy><category name value/>…</privacy></iq>
 *      -> <privacy><category name value [dhash]/>…</privacy>, the categories set, as they now are
 *   disallowed list:
 *         <privacy addressing_mode="lid"><category name value="contact_blacklist" dhash=<the list's>>
 *           <user action="add|remove" jid=<LID> [pn_jid=<PN>]/>…</category></privacy>
 *      -> the same reply; `dhash` is the list's new hash (whatsapp-rust wacore/src/iq/privacy.rs)
 *
 * Validation comes first and a refused request changes nothing: a category or value outside the
 * table of privacy-state.ts, a list on a category that has none or with a value other than
 * `contact_blacklist`, a malformed user, or the same category twice is 400 bad-request; a `dhash`
 * that is not the list's current one is 409 conflict, with the category as the server has it
 * (value and current `dhash`) beside the `<error>`, so the client can fetch and retry. Every
 * accepted set is told to the account's other devices (account-sync.ts). `<tokens>` sets are
 * privacy-token-iqs.ts's; any other shape is not this handler's (501 from the router).
 */
import type { BinaryNode } from '@wakit/binary-node';
import { notifyOtherDevices } from './account-sync';
import type { IqHandler } from './iq-context';
import { child, children, iqError, iqResult, unixSeconds } from './nodes';
import {
  type AccountPrivacy,
  DISALLOWED_LIST_CATEGORIES,
  isValidPrivacyPair,
  type ListedUser,
  listedUser,
} from './privacy-state';
import type { ServerState } from './server-state';

/** One category of a set, validated. */
interface CategoryChange {
  readonly name: string;
  readonly value: string;
  /** Present on a disallowed-list update. */
  readonly list?: {
    readonly dhash: string;
    readonly users: { action: 'add' | 'remove'; user: ListedUser }[];
  };
}

/** Answers `privacy` gets and sets of `<privacy>`; `undefined` for anything else. */
export const handlePrivacyIq: IqHandler = (ctx, node) => {
  if (node.attrs.xmlns !== 'privacy') return undefined;
  const privacy = child(node, 'privacy');
  if (privacy === undefined || (node.attrs.type !== 'get' && node.attrs.type !== 'set')) return undefined;
  const device = ctx.device;
  if (device === undefined) return iqError(node, 401, 'not-authorized');
  const account = ctx.state.accounts.get(device.phoneNumber).privacy;
  if (node.attrs.type === 'get') {
    return iqResult(node, [
      {
        tag: 'privacy',
        attrs: {},
        content: [...account.settings.keys()].map((name) => category(account, name)),
      },
    ]);
  }
  const t = unixSeconds(ctx.state.options.now());
  const changes: CategoryChange[] = [];
  for (const request of children(privacy, 'category')) {
    const change = parseCategory(ctx.state, request, t);
    if (change === undefined || changes.some((c) => c.name === change.name)) {
      return iqError(node, 400, 'bad-request');
    }
    changes.push(change);
  }
  if (changes.length === 0) return iqError(node, 400, 'bad-request');
  for (const { name, list } of changes) {
    if (list !== undefined && list.dhash !== account.disallowedHash(name)) {
      const error = iqError(node, 409, 'conflict');
      (error.content as BinaryNode[]).push({
        tag: 'privacy',
        attrs: {},
        content: [category(account, name, true)],
      });
      return error;
    }
  }
  for (const { name, value, list } of changes) {
    account.settings.set(name, value);
    if (list === undefined) continue;
    const users = account.disallowedList(name);
    for (const { action, user } of list.users) {
      if (action === 'add') users.set(user.jid, user);
      else users.delete(user.jid);
    }
  }
  const echoed = changes.map(({ name }) => category(account, name));
  notifyOtherDevices(ctx.state, device, 'account_sync', [{ tag: 'privacy', attrs: {}, content: echoed }]);
  // `last` and `online` change what subscribers of this account see (presence-view.ts).
  ctx.state.presence.refresh(device.phoneNumber);
  return iqResult(node, [{ tag: 'privacy', attrs: {}, content: echoed }]);
};

/** `<category name value [dhash]/>` as the account has it; `dhash` with `contact_blacklist` or when asked. */
function category(account: AccountPrivacy, name: string, withHash = false): BinaryNode {
  const value = account.value(name) ?? '';
  const attrs: Record<string, string> = { name, value };
  if (withHash || value === 'contact_blacklist') attrs.dhash = account.disallowedHash(name);
  return { tag: 'category', attrs };
}

/** A request's `<category>`, checked against the value table; undefined when it is refused (400). */
function parseCategory(state: ServerState, request: BinaryNode, t: string): CategoryChange | undefined {
  const { name, value, dhash } = request.attrs;
  if (name === undefined || value === undefined || !isValidPrivacyPair(name, value)) return undefined;
  const requested = children(request, 'user');
  if (dhash === undefined && requested.length === 0) return { name, value };
  // A disallowed-list update: only where a list exists, and it sets the value to use it.
  if (dhash === undefined || !DISALLOWED_LIST_CATEGORIES.has(name) || value !== 'contact_blacklist') {
    return undefined;
  }
  const users: { action: 'add' | 'remove'; user: ListedUser }[] = [];
  for (const entry of requested) {
    const action = entry.attrs.action;
    const user = listedUser(state, entry.attrs.jid, entry.attrs.pn_jid, t);
    if ((action !== 'add' && action !== 'remove') || user === undefined) return undefined;
    users.push({ action, user });
  }
  return { name, value, list: { dhash, users } };
}
