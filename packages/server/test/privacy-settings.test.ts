/**
 * Privacy settings and disallowed lists (docs/protocol.md §10.1) through the IQ router, kept per
 * account and told to the account's other devices.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_LIST_HASH, listHash } from '../src/list-hash';
import { child, children } from '../src/nodes';
import { DEFAULT_PRIVACY, PRIVACY_VALUES } from '../src/privacy-state';
import type { DeviceRecord, ServerState } from '../src/server-state';
import {
  ALICE,
  addAccount,
  addCompanion,
  BOB,
  type Endpoint,
  NOW_T,
  newState,
  online,
} from './messaging-fixtures';
import { ask, category, errorCode, privacyNode } from './privacy-fixtures';

const A = `${ALICE.phone}@s.whatsapp.net`;
const BOB_LID = `${BOB.lid}@lid`;
const BOB_PN = `${BOB.phone}@s.whatsapp.net`;

let state: ServerState;
let a1: DeviceRecord;
let a2: DeviceRecord;
let at: Record<'a0' | 'a2', Endpoint>;

beforeEach(async () => {
  state = newState();
  const alice = (await addAccount(state, ALICE)).record;
  await addAccount(state, BOB);
  a1 = addCompanion(state, ALICE, 1);
  a2 = addCompanion(state, ALICE, 2);
  at = { a0: online(state, alice), a2: online(state, a2) };
});

const get = async (device: DeviceRecord = a1) => {
  const reply = await ask(state, device, 'privacy', 'get', [privacyNode([])]);
  return children(child(reply, 'privacy'), 'category').map((c) => c.attrs);
};
const set = (categories: BinaryNode[], device: DeviceRecord = a1, attrs?: Record<string, string>) =>
  ask(state, device, 'privacy', 'set', [privacyNode(categories, attrs)]);

describe('privacy settings', () => {
  it("answers a new account's get with WhatsApp's defaults", async () => {
    expect(await get()).toEqual(Object.entries(DEFAULT_PRIVACY).map(([name, value]) => ({ name, value })));
  });

  it('sets every valid category/value pair, echoes it, and every device of the account reads it back', async () => {
    for (const [name, values] of Object.entries(PRIVACY_VALUES)) {
      for (const value of values) {
        const reply = await set([category(name, value)]);
        expect(reply.attrs.type, `${name}=${value}`).toBe('result');
        const echoed = children(child(reply, 'privacy'), 'category').map((c) => c.attrs);
        const expected =
          value === 'contact_blacklist' ? { name, value, dhash: EMPTY_LIST_HASH } : { name, value };
        expect(echoed).toEqual([expected]);
        expect((await get(a2)).find((c) => c.name === name)).toEqual(expected);
      }
    }
  });

  it('refuses invalid pairs, unknown categories and duplicates with 400 and changes nothing', async () => {
    const invalid: [string, string][] = [
      ['last', 'match_last_seen'],
      ['online', 'none'],
      ['readreceipts', 'contacts'],
      ['calladd', 'none'],
      ['messages', 'none'],
      ['defense', 'all'],
      ['groupadd', 'known'],
      ['stickers', 'all'],
      ['last', ''],
    ];
    for (const [name, value] of invalid) {
      const reply = await set([category('last', 'none'), category(name, value)]);
      expect(errorCode(reply), `${name}=${value}`).toBe('400');
    }
    expect(errorCode(await set([category('last', 'none'), category('last', 'all')]))).toBe('400');
    expect(errorCode(await set([]))).toBe('400');
    expect(await get()).toEqual(Object.entries(DEFAULT_PRIVACY).map(([name, value]) => ({ name, value })));
    expect(at.a2.tagged('notification')).toEqual([]);
  });

  it('sets several categories at once and tells the other devices, the phone included, in one account_sync', async () => {
    await set([category('last', 'none'), category('readreceipts', 'none')]);
    for (const endpoint of [at.a0, at.a2]) {
      const [note] = endpoint.tagged('notification');
      expect(note?.attrs).toEqual({ from: A, type: 'account_sync', id: expect.any(String), t: NOW_T });
      expect(children(child(note, 'privacy'), 'category').map((c) => c.attrs)).toEqual([
        { name: 'last', value: 'none' },
        { name: 'readreceipts', value: 'none' },
      ]);
    }
    // Pending until acked; the device that made the change is not told.
    expect(state.outbox.pending(a2.jid)).toHaveLength(1);
    expect(state.outbox.pending(a1.jid)).toEqual([]);
  });

  it('queues the notification for a device that is offline', async () => {
    state.live.delete(a2.jid);
    await set([category('profile', 'contacts')]);
    expect(state.outbox.pending(a2.jid).map((n) => [n.attrs.type, child(n, 'privacy')?.tag])).toEqual([
      ['account_sync', 'privacy'],
    ]);
  });

  it('keeps accounts apart', async () => {
    await set([category('last', 'none')]);
    const bob = state.devices.get(BOB_PN)!;
    expect((await get(bob)).find((c) => c.name === 'last')?.value).toBe('all');
  });

  it('leaves other shapes to the router (501)', async () => {
    expect(errorCode(await ask(state, a1, 'privacy', 'set', [{ tag: 'whatever', attrs: {} }]))).toBe('501');
    expect(errorCode(await ask(state, a1, 'privacy', 'get'))).toBe('501');
  });
});

describe('disallowed lists', () => {
  const update = (
    name: string,
    dhash: string,
    users: Record<string, string>[],
    value = 'contact_blacklist',
  ) => set([category(name, value, { dhash, users })], a1, { addressing_mode: 'lid' });

  it('adds and removes users, answers with the new dhash, and the get carries it', async () => {
    const first = await update('last', EMPTY_LIST_HASH, [
      { action: 'add', jid: BOB_LID, pn_jid: BOB_PN },
      { action: 'add', jid: '300000000000003@lid' },
    ]);
    expect(first.attrs.type).toBe('result');
    const dhash = child(child(first, 'privacy'), 'category')?.attrs;
    expect(dhash).toEqual({
      name: 'last',
      value: 'contact_blacklist',
      dhash: listHash([BOB_LID, '300000000000003@lid']),
    });
    expect(await get(a2)).toContainEqual(dhash);
    expect([...state.accounts.get(ALICE.phone).privacy.disallowedList('last').values()]).toEqual([
      { jid: BOB_LID, pnJid: BOB_PN, phoneNumber: BOB.phone, t: NOW_T },
      { jid: '300000000000003@lid', pnJid: undefined, phoneNumber: undefined, t: NOW_T },
    ]);
    // The other devices get the new value and dhash.
    const note = at.a2.tagged('notification')[0];
    expect(child(child(note, 'privacy'), 'category')?.attrs).toEqual(dhash);

    // Bob named by PN is the same user: removing him leaves the unknown user.
    const second = await update('last', dhash!.dhash!, [{ action: 'remove', jid: BOB_PN }]);
    expect(child(child(second, 'privacy'), 'category')?.attrs.dhash).toBe(listHash(['300000000000003@lid']));
  });

  it('refuses a stale dhash with 409, carrying the current one, and changes nothing', async () => {
    const first = await update('status', EMPTY_LIST_HASH, [{ action: 'add', jid: BOB_LID }]);
    const current = child(child(first, 'privacy'), 'category')!.attrs.dhash!;
    const stale = await update('status', EMPTY_LIST_HASH, [{ action: 'add', jid: '300000000000003@lid' }]);
    expect(errorCode(stale)).toBe('409');
    expect(child(stale, 'error')?.attrs).toEqual({ code: '409', text: 'conflict' });
    expect(child(child(stale, 'privacy'), 'category')?.attrs).toEqual({
      name: 'status',
      value: 'contact_blacklist',
      dhash: current,
    });
    expect(state.accounts.get(ALICE.phone).privacy.disallowedHash('status')).toBe(current);
    // Retried with the dhash the error carried, it goes through.
    const retried = await update('status', current, [{ action: 'add', jid: '300000000000003@lid' }]);
    expect(retried.attrs.type).toBe('result');
  });

  it('keeps the list when the value moves away and back', async () => {
    const first = await update('profile', EMPTY_LIST_HASH, [{ action: 'add', jid: BOB_LID }]);
    const dhash = child(child(first, 'privacy'), 'category')!.attrs.dhash;
    await set([category('profile', 'contacts')]);
    expect((await get()).find((c) => c.name === 'profile')).toEqual({ name: 'profile', value: 'contacts' });
    const back = await set([category('profile', 'contact_blacklist')]);
    expect(child(child(back, 'privacy'), 'category')?.attrs.dhash).toBe(dhash);
  });

  it('refuses a list on a category without one, with another value, or with a malformed user (400)', async () => {
    const user = [{ action: 'add', jid: BOB_LID }];
    expect(errorCode(await update('online', EMPTY_LIST_HASH, user, 'all'))).toBe('400');
    expect(errorCode(await update('readreceipts', EMPTY_LIST_HASH, user, 'none'))).toBe('400');
    expect(errorCode(await update('last', EMPTY_LIST_HASH, user, 'contacts'))).toBe('400');
    expect(errorCode(await update('last', EMPTY_LIST_HASH, [{ action: 'block', jid: BOB_LID }]))).toBe('400');
    expect(errorCode(await update('last', EMPTY_LIST_HASH, [{ action: 'add', jid: '123@g.us' }]))).toBe(
      '400',
    );
    expect(errorCode(await update('last', EMPTY_LIST_HASH, [{ action: 'add' }]))).toBe('400');
    // Users without a dhash: not a valid update either.
    const noHash = await set([category('last', 'contact_blacklist', { users: user })]);
    expect(errorCode(noHash)).toBe('400');
    expect(state.accounts.get(ALICE.phone).privacy.disallowed.size).toBe(0);
    expect((await get()).find((c) => c.name === 'last')?.value).toBe('all');
  });
});
