/**
 * Push names: a `<presence name>` from any device of an account, with or without a type (whatsapp-rust
 * `set_push_name` sends none), becomes the `notify` of the account's relayed messages. Nothing else is
 * sent for it: WhatsApp spreads a name change to the account's own devices through app state.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeviceRecord, ServerState } from '../src/server-state';
import {
  ALICE,
  addAccount,
  addCompanion,
  BOB,
  type Endpoint,
  enc,
  fanOut,
  newState,
  online,
} from './messaging-fixtures';
import { presence } from './presence-fixtures';

const B = `${BOB.phone}@s.whatsapp.net`;

let state: ServerState;
let a1: DeviceRecord;
let at: Record<'a2' | 'b0', Endpoint>;

beforeEach(async () => {
  state = newState();
  await addAccount(state, ALICE);
  const bob = (await addAccount(state, BOB)).record;
  a1 = addCompanion(state, ALICE, 1);
  at = { a2: online(state, addCompanion(state, ALICE, 2)), b0: online(state, bob) };
  online(state, a1);
});

const notifyOf = (id: string) => at.b0.tagged('message').find((m) => m.attrs.id === id)?.attrs.notify;

describe('push names', () => {
  it('relays `User <last 4 digits>` until a name is set, then the name from a <presence name> without type', () => {
    state.stanzas.receive(a1, fanOut(B, 'M1', { [B]: enc() }));
    expect(notifyOf('M1')).toBe('User 1111');
    state.stanzas.receive(a1, presence({ name: 'Alicia' }));
    state.stanzas.receive(a1, fanOut(B, 'M2', { [B]: enc() }));
    expect(notifyOf('M2')).toBe('Alicia');
    // A name-only presence does not make the account available, and nothing is sent for it.
    expect(state.presence.status.isOnline(ALICE.phone)).toBe(false);
    expect(at.a2.sent).toEqual([]);
  });

  it('takes the newest name from any device, with a type or without, and ignores an empty one', () => {
    state.stanzas.receive(a1, presence({ name: 'Alicia', type: 'available' }));
    state.stanzas.receive(a1, presence({ name: '' }));
    state.stanzas.receive(a1, fanOut(B, 'M3', { [B]: enc() }));
    expect(notifyOf('M3')).toBe('Alicia');
    state.stanzas.receive(a1, presence({ name: 'Ali' }));
    state.stanzas.receive(a1, fanOut(B, 'M4', { [B]: enc() }));
    expect(notifyOf('M4')).toBe('Ali');
    expect(state.accounts.get(ALICE.phone).pushName).toBe('Ali');
  });
});
