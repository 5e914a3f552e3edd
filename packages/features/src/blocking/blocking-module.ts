/**
 * Blocking as a client module: the shell over `blocklist-wire.ts`. The list is cached in memory and
 * in the module's store namespace, so `isBlocked` answers without a round trip. It is kept in step
 * with the server: every update's reply carries the whole new list, and a change made on another
 * device arrives as an `account_sync` notification, applied when it follows the version held here
 * (its `prev_dhash` is our `dhash`) and answered with a fresh fetch otherwise.
 *
 * @example
 * ```ts
 * const blocking = client.use(blockingModule);
 * await blocking.block('15551234567@s.whatsapp.net');
 * await blocking.isBlocked('15551234567@s.whatsapp.net'); // true
 * ```
 */
import { type BinaryNode, getChild, normalizeJid, toNonAd } from '@wakit/binary-node';
import { defineModule, type ModuleHost } from '@wakit/client';
import { buildLidQuery, parseLids } from '../_usync-lid';
import {
  type Blocklist,
  type BlocklistChange,
  buildBlocklistGet,
  buildBlocklistUpdate,
  parseBlocklist,
  parseBlocklistChange,
} from './blocklist-wire';

/** What `client.use(blockingModule)` gives. */
export interface BlockingApi {
  /** Blocks `jid` (a user, by PN or LID, or any of its devices); resolves with the new list. */
  block(jid: string): Promise<Blocklist>;
  /** Unblocks `jid`; resolves with the new list. */
  unblock(jid: string): Promise<Blocklist>;
  /** The list from the server (and refreshes the cache). */
  getBlocklist(): Promise<Blocklist>;
  /** True when `jid`'s user is blocked, by either of its names; fetches the list once if none is held. */
  isBlocked(jid: string): Promise<boolean>;
}

const LIST_KEY = 'blocklist';

/** The blocking module; mount it with `client.use(blockingModule)`. Emits `blocklist-update`. */
export const blockingModule = defineModule('blocking', (host): BlockingApi => {
  let held: Blocklist | undefined;
  // PN user -> LID user, as the server answered: the client's own mapping stays the client's.
  const asked = new Map<string, string>();

  const keep = async (list: Blocklist): Promise<Blocklist> => {
    held = { dhash: list.dhash, jids: list.jids.map(userOf) };
    await host.data.putJson(LIST_KEY, held);
    return held;
  };
  const current = async (): Promise<Blocklist> => {
    held ??= await host.data.getJson<Blocklist>(LIST_KEY);
    return held ?? (await fetch());
  };
  const fetch = async () => keep(parseBlocklist(await host.query(buildBlocklistGet())));
  const update = async (action: 'block' | 'unblock', jid: string) => {
    const names = await namesOf(host, asked, jid);
    return keep(
      parseBlocklist(await host.query(buildBlocklistUpdate(action, names.lid ?? names.pn!, names.pn))),
    );
  };

  host.handle({
    name: 'blocking:account-sync',
    match: (node: BinaryNode) =>
      node.tag === 'notification' &&
      node.attrs.type === 'account_sync' &&
      getChild(node, 'blocklist') !== undefined,
    // Returns false after applying it: other modules read other children of the same notification.
    handle: async ({ node }) => {
      const change = parseBlocklistChange(node);
      if (change !== undefined) {
        const list = await applyChange(await current(), change, fetch);
        await keep(list);
        host.emit('blocklist-update', { change, blocklist: list });
      }
      return false;
    },
  });

  return {
    block: (jid) => update('block', jid),
    unblock: (jid) => update('unblock', jid),
    getBlocklist: fetch,
    async isBlocked(jid) {
      const list = await current();
      const names = await namesOf(host, asked, jid);
      return list.jids.some((blocked) => blocked === names.lid || blocked === names.pn);
    },
  };
});

/** `list` with `change` applied, or the server's list when `change` does not follow `list`. */
async function applyChange(
  list: Blocklist,
  change: BlocklistChange,
  fetch: () => Promise<Blocklist>,
): Promise<Blocklist> {
  if (change.previousDhash !== undefined && change.previousDhash !== list.dhash) return fetch();
  const jids = new Set(list.jids);
  for (const { jid, action } of change.items) {
    if (action === 'block') jids.add(userOf(jid));
    else jids.delete(userOf(jid));
  }
  return { dhash: change.dhash ?? list.dhash, jids: [...jids] };
}

/** The user JID of `jid` (device and agent dropped, `c.us` folded to `s.whatsapp.net`). */
function userOf(jid: string): string {
  return normalizeJid(toNonAd(jid));
}

/** `jid`'s user by LID and by PN, from the client's mapping, else (a PN) from the server. */
async function namesOf(
  host: ModuleHost,
  asked: Map<string, string>,
  jid: string,
): Promise<{ lid?: string | undefined; pn?: string | undefined }> {
  const user = userOf(jid);
  if (user.endsWith('@lid')) return { lid: user, pn: await host.store.lids.getPn(user) };
  let lid = (await host.store.lids.getLid(user)) ?? asked.get(user);
  if (lid === undefined) {
    // The list names users by LID: without it, a PN could never be matched against the list.
    const reply = await host.query(buildLidQuery([user], `blocking-${host.timers.now()}-${asked.size}`));
    lid = parseLids(reply).get(user);
    if (lid !== undefined) asked.set(user, userOf(lid));
  }
  return { pn: user, lid: lid === undefined ? undefined : userOf(lid) };
}
