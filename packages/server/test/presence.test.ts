/**
 * Presence (docs/protocol.md §10.4) through the stanza router: availability per account from its
 * devices, last seen from the server's clock, subscriptions answered at once and kept while the
 * subscriber's connection stays up.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { PresenceState } from '../src/presence-state';
import type { DeviceRecord, ServerState } from '../src/server-state';
import {
  ALICE,
  addAccount,
  addCompanion,
  BOB,
  Endpoint,
  loggingCompanion,
  online,
} from './messaging-fixtures';
import { clockedState, presence, presences, subscribe } from './presence-fixtures';

const B = `${BOB.phone}@s.whatsapp.net`;
const B_LID = `${BOB.lid}@lid`;
const B3 = `${BOB.phone}:3@s.whatsapp.net`;
const T0 = 1_767_225_600;

let state: ServerState;
let clock: { ms: number };
let a1: DeviceRecord;
let b3: DeviceRecord;
let b4: DeviceRecord;
let at: Record<'a1' | 'b3' | 'b4', Endpoint>;

beforeEach(async () => {
  ({ state, clock } = clockedState());
  await addAccount(state, ALICE);
  await addAccount(state, BOB);
  a1 = addCompanion(state, ALICE, 1);
  b3 = addCompanion(state, BOB, 3);
  b4 = addCompanion(state, BOB, 4);
  at = { a1: online(state, a1), b3: online(state, b3), b4: online(state, b4) };
});

/** Moves the clock to T0 + `seconds`. */
const clockAt = (seconds: number) => {
  clock.ms = (T0 + seconds) * 1000;
};

describe('presence subscriptions', () => {
  it('answers a subscribe at once, then pushes every change while subscribed', () => {
    state.stanzas.receive(a1, subscribe(B));
    // Never seen: offline without a last seen.
    expect(presences(at.a1)).toEqual([{ from: B, type: 'unavailable' }]);
    clockAt(10);
    state.stanzas.receive(b3, presence({ type: 'available', name: 'Bob' }));
    clockAt(70);
    state.stanzas.receive(b3, presence({ type: 'unavailable', name: 'Bob' }));
    expect(presences(at.a1).slice(1)).toEqual([
      { from: B },
      { from: B, type: 'unavailable', last: String(T0 + 70) },
    ]);
    // A new subscriber gets the current state, last seen included.
    const a2 = addCompanion(state, ALICE, 2);
    const e2 = online(state, a2);
    state.stanzas.receive(a2, subscribe(B));
    expect(presences(e2)).toEqual([{ from: B, type: 'unavailable', last: String(T0 + 70) }]);
  });

  it('names the account the way the subscriber did (LID or PN, device part ignored)', () => {
    state.stanzas.receive(b3, presence({ type: 'available' }));
    state.stanzas.receive(a1, subscribe(`${BOB.lid}:3@lid`));
    state.stanzas.receive(b3, presence({ type: 'unavailable' }));
    expect(presences(at.a1)).toEqual([
      { from: B_LID },
      { from: B_LID, type: 'unavailable', last: String(T0) },
    ]);
    state.stanzas.receive(a1, subscribe(`${BOB.phone}:4@s.whatsapp.net`));
    state.stanzas.receive(b4, presence({ type: 'available' }));
    expect(presences(at.a1).slice(2)).toEqual([
      { from: B, type: 'unavailable', last: String(T0) },
      { from: B },
    ]);
  });

  it('keeps the account online while any of its devices is available', () => {
    state.stanzas.receive(a1, subscribe(B));
    state.stanzas.receive(b3, presence({ type: 'available' }));
    state.stanzas.receive(b4, presence({ type: 'available' }));
    clockAt(5);
    state.stanzas.receive(b3, presence({ type: 'unavailable' }));
    expect(presences(at.a1)).toEqual([{ from: B, type: 'unavailable' }, { from: B }]);
    clockAt(9);
    state.stanzas.receive(b4, presence({ type: 'unavailable' }));
    expect(presences(at.a1).slice(2)).toEqual([{ from: B, type: 'unavailable', last: String(T0 + 9) }]);
  });

  it('stops pushing after an unsubscribe', () => {
    state.stanzas.receive(a1, subscribe(B_LID));
    state.stanzas.receive(a1, { tag: 'presence', attrs: { to: B, type: 'unsubscribe' } });
    state.stanzas.receive(b3, presence({ type: 'available' }));
    expect(presences(at.a1)).toEqual([{ from: B_LID, type: 'unavailable' }]);
  });

  it('leaves a subscribe to a user it does not know, or to a group, unanswered', () => {
    state.stanzas.receive(a1, subscribe('15559999999@s.whatsapp.net'));
    state.stanzas.receive(a1, subscribe('120363000000000000@g.us'));
    state.stanzas.receive(a1, { tag: 'presence', attrs: { type: 'subscribe' } });
    expect(presences(at.a1)).toEqual([]);
  });
});

describe('presence from a device', () => {
  it('tolerates a bare <presence/> and a name-only one: the name is kept, availability is not touched', () => {
    state.stanzas.receive(a1, subscribe(B));
    state.stanzas.receive(b3, presence());
    state.stanzas.receive(b3, presence({ name: 'Robert' }));
    expect(state.accounts.get(BOB.phone).pushName).toBe('Robert');
    expect(presences(at.a1)).toEqual([{ from: B, type: 'unavailable' }]);
    state.stanzas.receive(b3, presence({ type: 'available', name: 'Bob' }));
    expect(state.accounts.get(BOB.phone).pushName).toBe('Bob');
    state.stanzas.receive(b3, presence({ name: 'Robert' }));
    expect(presences(at.a1)).toEqual([{ from: B, type: 'unavailable' }, { from: B }]);
  });

  it('counts a disconnect as unavailable, stamped with the time of the disconnect', async () => {
    const bob = await loggingCompanion(state, BOB, 5);
    const first = await bob.login();
    state.stanzas.receive(a1, subscribe(B));
    await first.handler.receive(presence({ type: 'available', name: 'Bob' }));
    clockAt(30);
    first.handler.closed('network gone');
    expect(presences(at.a1)).toEqual([
      { from: B, type: 'unavailable' },
      { from: B },
      { from: B, type: 'unavailable', last: String(T0 + 30) },
    ]);
  });

  it('takes a device offline when a newer login replaces its connection, until the new one says available', async () => {
    const bob = await loggingCompanion(state, BOB, 5);
    const first = await bob.login();
    await first.handler.receive(presence({ type: 'available' }));
    state.stanzas.receive(a1, subscribe(B));
    clockAt(20);
    const second = await bob.login();
    expect(first.output.closed).toBe('replaced');
    await second.handler.receive(presence({ type: 'available' }));
    expect(presences(at.a1)).toEqual([
      { from: B },
      { from: B, type: 'unavailable', last: String(T0 + 20) },
      { from: B },
    ]);
  });

  it("ends a device's subscriptions with its connection: after a reconnect it must subscribe again", async () => {
    const alice = await loggingCompanion(state, ALICE, 6);
    const first = await alice.login();
    await first.handler.receive(subscribe(B));
    expect(presences(first)).toEqual([{ from: B, type: 'unavailable' }]);
    expect(state.presence.subscribersOf(BOB.phone)).toEqual([alice.record.jid]);
    first.handler.closed('network gone');
    expect(state.presence.subscribersOf(BOB.phone)).toEqual([]);
    const second = await alice.login();
    state.stanzas.receive(b3, presence({ type: 'available' }));
    expect(presences(first)).toHaveLength(1);
    expect(presences(second)).toEqual([]);
    await second.handler.receive(subscribe(B));
    expect(presences(second)).toEqual([{ from: B }]);
  });
});

describe('PresenceState', () => {
  it("ignores the close of a connection the device's availability no longer belongs to", () => {
    const status = new PresenceState();
    const [older, newer] = [new Endpoint(), new Endpoint()];
    status.set(BOB.phone, B3, older, true, T0);
    status.set(BOB.phone, B3, newer, true, T0 + 1);
    expect(status.disconnected(BOB.phone, B3, older, T0 + 2)).toBe(false);
    expect([status.isOnline(BOB.phone), status.lastSeen(BOB.phone)]).toEqual([true, T0 + 1]);
    expect(status.disconnected(BOB.phone, B3, newer, T0 + 3)).toBe(true);
    expect([status.isOnline(BOB.phone), status.lastSeen(BOB.phone)]).toEqual([false, T0 + 3]);
  });
});
