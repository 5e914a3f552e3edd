/**
 * Chat state relay (docs/protocol.md §10.4): typing and recording indicators reach every connected
 * device of the other account, as from the sender's user JID, never an account that blocked the
 * sender; nothing is queued or acked.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeviceRecord, ServerState } from '../src/server-state';
import { ALICE, addAccount, addCompanion, BOB, type Endpoint, newState, online } from './messaging-fixtures';
import { ask } from './privacy-fixtures';

const A = `${ALICE.phone}@s.whatsapp.net`;
const A1 = `${ALICE.phone}:1@s.whatsapp.net`;
const A_LID = `${ALICE.lid}@lid`;
const B = `${BOB.phone}@s.whatsapp.net`;
const B_LID = `${BOB.lid}@lid`;

let state: ServerState;
let a1: DeviceRecord;
let b3: DeviceRecord;
let at: Record<'a0' | 'a1' | 'a2' | 'b0' | 'b3', Endpoint>;

beforeEach(async () => {
  state = newState();
  const alice = (await addAccount(state, ALICE)).record;
  const bob = (await addAccount(state, BOB)).record;
  a1 = addCompanion(state, ALICE, 1);
  const a2 = addCompanion(state, ALICE, 2);
  b3 = addCompanion(state, BOB, 3);
  // Bob's companion 4 is linked but not connected.
  addCompanion(state, BOB, 4);
  at = {
    a0: online(state, alice),
    a1: online(state, a1),
    a2: online(state, a2),
    b0: online(state, bob),
    b3: online(state, b3),
  };
});

const chatstate = (to: string, state_: BinaryNode[], from = A1): BinaryNode => ({
  tag: 'chatstate',
  attrs: { from, to },
  content: state_,
});
const composing = (attrs: Record<string, string> = {}): BinaryNode => ({ tag: 'composing', attrs });
const paused: BinaryNode = { tag: 'paused', attrs: {} };

describe('chat state relay', () => {
  it("relays composing, recording and paused to every connected device of the other account, from the sender's user", () => {
    state.stanzas.receive(a1, chatstate(B, [composing()]));
    state.stanzas.receive(a1, chatstate(`${BOB.phone}:3@s.whatsapp.net`, [composing({ media: 'audio' })]));
    state.stanzas.receive(a1, chatstate(B, [paused]));
    const expected = [
      { tag: 'chatstate', attrs: { from: A }, content: [composing()] },
      { tag: 'chatstate', attrs: { from: A }, content: [composing({ media: 'audio' })] },
      { tag: 'chatstate', attrs: { from: A }, content: [paused] },
    ];
    expect(at.b0.tagged('chatstate')).toEqual(expected);
    expect(at.b3.tagged('chatstate')).toEqual(expected);
    // Not queued for the device that is offline, not echoed to the sender's account, not acked.
    expect(state.outbox.pending(`${BOB.phone}:4@s.whatsapp.net`)).toEqual([]);
    expect([at.a0, at.a1, at.a2].map((e) => e.sent)).toEqual([[], [], []]);
  });

  it('names the sender by LID in a LID chat, whatever `from` the sender wrote', () => {
    state.stanzas.receive(a1, chatstate(B_LID, [composing()], '15559999999@s.whatsapp.net'));
    expect(at.b3.tagged('chatstate')).toEqual([
      { tag: 'chatstate', attrs: { from: A_LID }, content: [composing()] },
    ]);
  });

  it('gives an account that blocked the sender nothing, and relays again once unblocked', async () => {
    const block = (action: string) =>
      ask(state, b3, 'blocklist', 'set', [{ tag: 'item', attrs: { action, jid: A_LID, pn_jid: A } }]);
    await block('block');
    state.stanzas.receive(a1, chatstate(B, [composing()]));
    expect([at.b0, at.b3].map((e) => e.tagged('chatstate'))).toEqual([[], []]);
    // The blocker's own chat states still reach the user it blocked (clients decide what to send).
    state.stanzas.receive(b3, chatstate(A, [composing()], `${BOB.phone}:3@s.whatsapp.net`));
    expect(at.a1.tagged('chatstate')).toHaveLength(1);
    await block('unblock');
    state.stanzas.receive(a1, chatstate(B, [paused]));
    expect(at.b3.tagged('chatstate')).toEqual([{ tag: 'chatstate', attrs: { from: A }, content: [paused] }]);
  });

  it("sent to the sender's own account, reaches its other devices, not the sender", () => {
    state.stanzas.receive(a1, chatstate(A, [composing()]));
    const expected = [{ tag: 'chatstate', attrs: { from: A }, content: [composing()] }];
    expect([at.a0, at.a1, at.a2].map((e) => e.tagged('chatstate'))).toEqual([expected, [], expected]);
  });

  it('drops group chat states, unknown users and malformed ones without an answer', () => {
    state.stanzas.receive(a1, chatstate('120363000000000000@g.us', [composing()]));
    state.stanzas.receive(a1, chatstate('15559999999@s.whatsapp.net', [composing()]));
    state.stanzas.receive(a1, chatstate(B, [{ tag: 'typing', attrs: {} }]));
    state.stanzas.receive(a1, chatstate(B, [composing(), paused]));
    state.stanzas.receive(a1, chatstate(B, []));
    state.stanzas.receive(a1, { tag: 'chatstate', attrs: {}, content: [composing()] });
    expect([at.a1, at.b0, at.b3].map((e) => e.sent)).toEqual([[], [], []]);
  });
});
