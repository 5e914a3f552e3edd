/**
 * What the server enforces of an account's privacy: `readreceipts` = none keeps read receipts among
 * the reader's own devices (as `read-self`), and a blocked user's messages are not delivered.
 */
import type { BinaryNode } from '@wakit/binary-node';
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
  NOW_T,
  newState,
  online,
} from './messaging-fixtures';
import { ask, category, privacyNode } from './privacy-fixtures';

const A = `${ALICE.phone}@s.whatsapp.net`;
const A1 = `${ALICE.phone}:1@s.whatsapp.net`;
const B = `${BOB.phone}@s.whatsapp.net`;
const B3 = `${BOB.phone}:3@s.whatsapp.net`;

let state: ServerState;
let a1: DeviceRecord;
let b3: DeviceRecord;
let at: Record<'a0' | 'a1' | 'b0' | 'b3', Endpoint>;

beforeEach(async () => {
  state = newState();
  const alice = (await addAccount(state, ALICE)).record;
  const bob = (await addAccount(state, BOB)).record;
  a1 = addCompanion(state, ALICE, 1);
  b3 = addCompanion(state, BOB, 3);
  at = { a0: online(state, alice), a1: online(state, a1), b0: online(state, bob), b3: online(state, b3) };
});

const receipt = (attrs: Record<string, string>): BinaryNode => ({ tag: 'receipt', attrs });
const receipts = (endpoint: Endpoint) => endpoint.tagged('receipt').map((r) => r.attrs);

describe('readreceipts = none', () => {
  beforeEach(async () => {
    // Alice's companion 1 wrote M1 to Bob.
    state.stanzas.receive(a1, fanOut(B, 'M1', { [B]: enc(), [B3]: enc(), [A]: enc() }));
  });

  it("keeps Bob's read receipt from Alice and turns it into read-self for Bob's other devices", async () => {
    await ask(state, b3, 'privacy', 'set', [privacyNode([category('readreceipts', 'none')])]);
    state.stanzas.receive(b3, receipt({ id: 'M1', to: A1, type: 'read' }));
    expect(receipts(at.a1)).toEqual([]);
    expect(receipts(at.a0)).toEqual([]);
    expect(receipts(at.b0)).toEqual([{ from: B3, id: 'M1', t: NOW_T, type: 'read-self', recipient: A }]);
    // Still acked, and still the delivery ack of M1.
    expect(at.b3.tagged('ack')[0]?.attrs).toMatchObject({ class: 'receipt', id: 'M1', type: 'read' });
    expect(state.outbox.pending(b3.jid)).toEqual([]);
    // Delivery and played receipts still reach Alice.
    state.stanzas.receive(b3, receipt({ id: 'M1', to: A1 }));
    state.stanzas.receive(b3, receipt({ id: 'M1', to: A1, type: 'played' }));
    expect(receipts(at.a1).map((r) => r.type)).toEqual([undefined, 'played']);
  });

  it('relays read receipts again once the setting is back to all', async () => {
    await ask(state, b3, 'privacy', 'set', [privacyNode([category('readreceipts', 'none')])]);
    await ask(state, b3, 'privacy', 'set', [privacyNode([category('readreceipts', 'all')])]);
    state.stanzas.receive(b3, receipt({ id: 'M1', to: A1, type: 'read' }));
    expect(receipts(at.a1)).toEqual([{ from: B3, id: 'M1', t: NOW_T, type: 'read' }]);
  });

  it("never gives the other party a read-self or played-self, whatever the reader's setting", () => {
    state.stanzas.receive(b3, receipt({ id: 'M1', to: A, type: 'read-self' }));
    state.stanzas.receive(b3, receipt({ id: 'M1', to: A, type: 'played-self' }));
    expect([at.a0, at.a1].map(receipts)).toEqual([[], []]);
    expect(receipts(at.b0).map((r) => [r.type, r.recipient])).toEqual([
      ['read-self', A],
      ['played-self', A],
    ]);
  });
});

describe('blocked senders', () => {
  const block = (action: 'block' | 'unblock') =>
    ask(state, a1, 'blocklist', 'set', [
      { tag: 'item', attrs: { action, jid: `${BOB.lid}@lid`, pn_jid: B } },
    ]);
  // Bob's companion writes to Alice, with a copy for his phone.
  const send = (id: string) =>
    state.stanzas.receive(b3, fanOut(A, id, { [A]: enc(), [A1]: enc(), [B]: enc() }));

  it("does not deliver a message to the account that blocked its sender, acks it as delivered, and still syncs the sender's own copy", async () => {
    await block('block');
    send('M2');
    expect([at.a0, at.a1].map((e) => e.tagged('message'))).toEqual([[], []]);
    expect(state.outbox.pending(a1.jid).filter((n) => n.tag === 'message')).toEqual([]);
    expect(at.b0.tagged('message').map((m) => m.attrs.id)).toEqual(['M2']);
    expect(at.b3.tagged('ack').map((a) => a.attrs)).toEqual([
      { class: 'message', id: 'M2', from: A, t: NOW_T },
    ]);
  });

  it('delivers again once unblocked, and the blocker can still write to the blocked user', async () => {
    await block('block');
    state.stanzas.receive(a1, fanOut(B, 'M3', { [B]: enc(), [B3]: enc(), [A]: enc() }));
    expect(at.b3.tagged('message').map((m) => m.attrs.id)).toEqual(['M3']);
    await block('unblock');
    send('M4');
    expect([at.a0, at.a1].map((e) => e.tagged('message').map((m) => m.attrs.id))).toEqual([
      ['M3', 'M4'],
      ['M4'],
    ]);
  });
});
