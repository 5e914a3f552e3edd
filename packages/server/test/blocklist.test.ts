/**
 * The blocklist (docs/protocol.md §10.3) and the default disappearing mode (§10.2) through the IQ
 * router, kept per account and told to the account's other devices.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_LIST_HASH, listHash } from '../src/list-hash';
import { child, children } from '../src/nodes';
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
import { ask, errorCode } from './privacy-fixtures';

const A = `${ALICE.phone}@s.whatsapp.net`;
const BOB_LID = `${BOB.lid}@lid`;
const BOB_PN = `${BOB.phone}@s.whatsapp.net`;
const STRANGER = '300000000000003@lid';

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

const item = (attrs: Record<string, string>): BinaryNode => ({ tag: 'item', attrs });
const update = (items: Record<string, string>[], device: DeviceRecord = a1) =>
  ask(state, device, 'blocklist', 'set', items.map(item));
const list = (reply: BinaryNode) => child(reply, 'list');

describe('blocklist', () => {
  it('starts empty with the empty dhash', async () => {
    const reply = await ask(state, a1, 'blocklist', 'get');
    expect(list(reply)).toEqual({ tag: 'list', attrs: { dhash: EMPTY_LIST_HASH }, content: [] });
  });

  it('blocks by LID with pn_jid and by PN, answers the new list, and every device reads it back', async () => {
    const first = await update([{ action: 'block', jid: BOB_LID, pn_jid: BOB_PN }]);
    expect(list(first)).toEqual({
      tag: 'list',
      attrs: { dhash: listHash([BOB_LID]) },
      content: [{ tag: 'item', attrs: { jid: BOB_LID, t: NOW_T } }],
    });
    // Blocking Bob again by PN changes nothing; a user the server does not know is kept as named.
    const second = await update([
      { action: 'block', jid: BOB_PN },
      { action: 'block', jid: `${STRANGER.replace('@', ':4@')}` },
    ]);
    expect(children(list(second), 'item').map((i) => i.attrs.jid)).toEqual([BOB_LID, STRANGER]);
    const read = await ask(state, a2, 'blocklist', 'get');
    expect(list(read)).toEqual(list(second));
    expect(list(read)?.attrs.dhash).toBe(listHash([STRANGER, BOB_LID]));
    expect(state.accounts.get(ALICE.phone).privacy.blocks(BOB.phone)).toBe(true);
  });

  it('unblocks, and unblocking a user who is not blocked changes nothing', async () => {
    await update([{ action: 'block', jid: BOB_LID, pn_jid: BOB_PN }]);
    const reply = await update([{ action: 'unblock', jid: BOB_LID }]);
    expect(list(reply)).toEqual({ tag: 'list', attrs: { dhash: EMPTY_LIST_HASH }, content: [] });
    expect(state.accounts.get(ALICE.phone).privacy.blocks(BOB.phone)).toBe(false);
    expect((await update([{ action: 'unblock', jid: STRANGER }])).attrs.type).toBe('result');
  });

  it('tells the other devices, the phone included, with account_sync <blocklist dhash prev_dhash>', async () => {
    await update([{ action: 'block', jid: BOB_LID, pn_jid: BOB_PN }]);
    await update([{ action: 'unblock', jid: BOB_PN }]);
    for (const endpoint of [at.a0, at.a2]) {
      const notes = endpoint.tagged('notification');
      expect(notes.map((n) => n.attrs)).toEqual([
        { from: A, type: 'account_sync', id: expect.any(String), t: NOW_T },
        { from: A, type: 'account_sync', id: expect.any(String), t: NOW_T },
      ]);
      expect(notes.map((n) => child(n, 'blocklist'))).toEqual([
        {
          tag: 'blocklist',
          attrs: { dhash: listHash([BOB_LID]), prev_dhash: EMPTY_LIST_HASH },
          content: [{ tag: 'item', attrs: { jid: BOB_LID, action: 'block' } }],
        },
        {
          tag: 'blocklist',
          attrs: { dhash: EMPTY_LIST_HASH, prev_dhash: listHash([BOB_LID]) },
          content: [{ tag: 'item', attrs: { jid: BOB_LID, action: 'unblock' } }],
        },
      ]);
    }
    expect(state.outbox.pending(a1.jid)).toEqual([]);
    expect(state.outbox.pending(a2.jid)).toHaveLength(2);
  });

  it('refuses a malformed item with 400 and changes nothing; a set without items is not its own (501)', async () => {
    const malformed: Record<string, string>[] = [
      { action: 'ban', jid: BOB_LID },
      { action: 'block', jid: '1234@g.us' },
      { action: 'block' },
      { action: 'block', jid: '@s.whatsapp.net' },
    ];
    for (const bad of malformed) {
      expect(errorCode(await update([{ action: 'block', jid: STRANGER }, bad])), JSON.stringify(bad)).toBe(
        '400',
      );
    }
    expect(state.accounts.get(ALICE.phone).privacy.blocklist.size).toBe(0);
    expect(at.a2.tagged('notification')).toEqual([]);
    expect(errorCode(await update([]))).toBe('501');
  });
});

describe('default disappearing mode', () => {
  const setMode = (duration: string | undefined) =>
    ask(state, a1, 'disappearing_mode', 'set', [
      { tag: 'disappearing_mode', attrs: duration === undefined ? {} : { duration } },
    ]);

  it('keeps the duration and tells the other devices in both notification shapes', async () => {
    const reply = await setMode('604800');
    expect(reply).toEqual({ tag: 'iq', attrs: { from: '@s.whatsapp.net', type: 'result', id: 'q1' } });
    expect(state.accounts.get(ALICE.phone).privacy.disappearingMode).toEqual({ duration: 604800, t: NOW_T });
    for (const endpoint of [at.a0, at.a2]) {
      const notes = endpoint.tagged('notification');
      expect(notes.map((n) => n.attrs.type)).toEqual(['account_sync', 'disappearing_mode']);
      for (const note of notes) {
        expect(note.attrs.from).toBe(A);
        expect(child(note, 'disappearing_mode')?.attrs).toEqual({ duration: '604800', t: NOW_T });
      }
    }
    await setMode('0');
    expect(state.accounts.get(ALICE.phone).privacy.disappearingMode.duration).toBe(0);
  });

  it('refuses a duration that is not whole seconds with 400', async () => {
    for (const bad of ['-1', '1.5', 'week', '', undefined, '99999999999']) {
      expect(errorCode(await setMode(bad)), String(bad)).toBe('400');
    }
    expect(state.accounts.get(ALICE.phone).privacy.disappearingMode).toEqual({ duration: 0, t: '0' });
    expect(at.a2.tagged('notification')).toEqual([]);
  });
});
