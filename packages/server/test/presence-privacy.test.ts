/**
 * The watched account's privacy decides what subscribers see of its presence (docs/protocol.md
 * §10.1, §10.4): `last` hides last seen (`last="deny"`), `online` = match_last_seen hides online
 * with it, the blocklist hides both, and a change of any of them reaches subscribers at once.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeviceRecord, ServerState } from '../src/server-state';
import { ALICE, addAccount, addCompanion, BOB, type Endpoint, online } from './messaging-fixtures';
import { CAROL, clockedState, presence, presences, subscribe } from './presence-fixtures';
import { ask, category, privacyNode } from './privacy-fixtures';

const A_LID = `${ALICE.lid}@lid`;
const A_PN = `${ALICE.phone}@s.whatsapp.net`;
const B = `${BOB.phone}@s.whatsapp.net`;
const T0 = 1_767_225_600;
const OFFLINE = { from: B, type: 'unavailable', last: String(T0) };
const HIDDEN = { from: B, type: 'unavailable', last: 'deny' };
const ONLINE = { from: B };

let state: ServerState;
let a1: DeviceRecord;
let b3: DeviceRecord;
let c1: DeviceRecord;
let at: Record<'a1' | 'c1', Endpoint>;

beforeEach(async () => {
  ({ state } = clockedState());
  for (const who of [ALICE, BOB, CAROL]) await addAccount(state, who);
  a1 = addCompanion(state, ALICE, 1);
  b3 = addCompanion(state, BOB, 3);
  c1 = addCompanion(state, CAROL, 1);
  at = { a1: online(state, a1), c1: online(state, c1) };
  online(state, b3);
  // Bob has been seen (at T0) and is offline.
  state.stanzas.receive(b3, presence({ type: 'unavailable' }));
});

const bobSets = (name: string, value: string, users?: Record<string, string>[]) =>
  ask(state, b3, 'privacy', 'set', [
    privacyNode(
      [
        category(
          name,
          value,
          users === undefined
            ? {}
            : { dhash: state.accounts.get(BOB.phone).privacy.disallowedHash(name), users },
        ),
      ],
      users === undefined ? {} : { addressing_mode: 'lid' },
    ),
  ]);
const bobBlocks = (action: 'block' | 'unblock', jid: string) =>
  ask(state, b3, 'blocklist', 'set', [{ tag: 'item', attrs: { action, jid, pn_jid: A_PN } }]);
/** What Alice and Carol see of Bob: each subscribes again and takes the answer. */
const seen = () =>
  [a1, c1].map((device, i) => {
    state.stanzas.receive(device, subscribe(B));
    return presences([at.a1, at.c1][i]!).at(-1);
  });
const goOnline = () => state.stanzas.receive(b3, presence({ type: 'available' }));

describe('last seen and online privacy', () => {
  it('shows last seen and online to everyone by default', () => {
    expect(seen()).toEqual([OFFLINE, OFFLINE]);
    goOnline();
    expect(seen()).toEqual([ONLINE, ONLINE]);
  });

  it('last = none: last seen is "deny" for everyone, online still shows (online = all)', async () => {
    await bobSets('last', 'none');
    expect(seen()).toEqual([HIDDEN, HIDDEN]);
    goOnline();
    expect(seen()).toEqual([ONLINE, ONLINE]);
  });

  it('last = none with online = match_last_seen: online is hidden too', async () => {
    await bobSets('last', 'none');
    await bobSets('online', 'match_last_seen');
    goOnline();
    expect(seen()).toEqual([HIDDEN, HIDDEN]);
    // Bob's own other devices always see him.
    const b4 = addCompanion(state, BOB, 4);
    const e4 = online(state, b4);
    state.stanzas.receive(b4, subscribe(B));
    expect(presences(e4)).toEqual([ONLINE]);
  });

  it('online = match_last_seen alone hides nothing while last seen is shown', async () => {
    await bobSets('online', 'match_last_seen');
    goOnline();
    expect(seen()).toEqual([ONLINE, ONLINE]);
  });

  it('contacts: every account counts as a contact, so everyone sees it', async () => {
    await bobSets('last', 'contacts');
    await bobSets('online', 'match_last_seen');
    expect(seen()).toEqual([OFFLINE, OFFLINE]);
  });

  it('contact_blacklist: hidden from the users on the disallowed list only, online too with match_last_seen', async () => {
    await bobSets('last', 'contact_blacklist', [{ action: 'add', jid: A_LID, pn_jid: A_PN }]);
    await bobSets('online', 'match_last_seen');
    expect(seen()).toEqual([HIDDEN, OFFLINE]);
    goOnline();
    expect(seen()).toEqual([HIDDEN, ONLINE]);
    await bobSets('last', 'contact_blacklist', [{ action: 'remove', jid: A_LID }]);
    expect(seen()).toEqual([ONLINE, ONLINE]);
  });

  it('pushes the new view to subscribers when the setting changes', async () => {
    state.stanzas.receive(a1, subscribe(B));
    await bobSets('last', 'none');
    await bobSets('status', 'none');
    await bobSets('last', 'all');
    expect(presences(at.a1)).toEqual([OFFLINE, HIDDEN, OFFLINE]);
  });
});

describe('blocked users', () => {
  it('see neither online nor last seen, whatever the settings, until unblocked', async () => {
    await bobBlocks('block', A_LID);
    goOnline();
    expect(seen()).toEqual([HIDDEN, ONLINE]);
    await bobBlocks('unblock', A_LID);
    expect(seen()).toEqual([ONLINE, ONLINE]);
  });

  it('get no changes while blocked, and the hidden view the moment the block is made', async () => {
    state.stanzas.receive(a1, subscribe(B));
    await bobBlocks('block', A_PN);
    expect(presences(at.a1)).toEqual([OFFLINE, HIDDEN]);
    goOnline();
    state.stanzas.receive(b3, presence({ type: 'unavailable' }));
    expect(presences(at.a1)).toEqual([OFFLINE, HIDDEN]);
  });
});
