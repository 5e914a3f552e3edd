/** Receipt relay through the stanza router with plain nodes (docs/protocol.md §7.4, §7.5). */
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

const A = `${ALICE.phone}@s.whatsapp.net`;
const A1 = `${ALICE.phone}:1@s.whatsapp.net`;
const A2 = `${ALICE.phone}:2@s.whatsapp.net`;
const B = `${BOB.phone}@s.whatsapp.net`;
const B3 = `${BOB.phone}:3@s.whatsapp.net`;

let state: ServerState;
let a1: DeviceRecord;
let a2: DeviceRecord;
let b0: DeviceRecord;
let b3: DeviceRecord;
let at: Record<'a0' | 'a1' | 'a2' | 'b0' | 'b3', Endpoint>;

beforeEach(async () => {
  state = newState();
  const alice = (await addAccount(state, ALICE)).record;
  b0 = (await addAccount(state, BOB)).record;
  a1 = addCompanion(state, ALICE, 1);
  a2 = addCompanion(state, ALICE, 2);
  b3 = addCompanion(state, BOB, 3);
  at = {
    a0: online(state, alice),
    a1: online(state, a1),
    a2: online(state, a2),
    b0: online(state, b0),
    b3: online(state, b3),
  };
  // Alice's companion 1 writes M1 to Bob; everybody has it pending.
  state.stanzas.receive(a1, fanOut(B, 'M1', { [B]: enc(), [B3]: enc(), [A]: enc(), [A2]: enc() }));
});

const receipts = (endpoint: Endpoint) => endpoint.tagged('receipt');
const receipt = (attrs: Record<string, string>, content?: BinaryNode[]): BinaryNode =>
  content === undefined ? { tag: 'receipt', attrs } : { tag: 'receipt', attrs, content };

describe('receipts', () => {
  it('forwards a delivery receipt to the device it names, acks it, and takes the message off the reader’s queue', () => {
    expect(state.outbox.pending(b3.jid).map((n) => n.attrs.id)).toEqual(['M1']);
    state.stanzas.receive(b3, receipt({ id: 'M1', to: A1 }));
    expect(receipts(at.a1)).toEqual([{ tag: 'receipt', attrs: { from: B3, id: 'M1', t: NOW_T } }]);
    expect([at.a0, at.a2, at.b0].map((e) => receipts(e).length)).toEqual([0, 0, 0]);
    expect(at.b3.tagged('ack')).toEqual([{ tag: 'ack', attrs: { class: 'receipt', id: 'M1', from: A1 } }]);
    expect(state.outbox.pending(b3.jid)).toEqual([]);
    expect(state.outbox.pending(a1.jid).map((n) => n.tag)).toEqual(['receipt']);
  });

  it('sends a read receipt to every device of the chat user and syncs it to the reader’s own other devices', () => {
    const list: BinaryNode[] = [{ tag: 'list', attrs: {}, content: [{ tag: 'item', attrs: { id: 'M0' } }] }];
    let event: { to: string[]; type: string | undefined } | undefined;
    state.events.on('receipt', (e) => (event = e));
    state.stanzas.receive(b3, receipt({ id: 'M1', to: A, type: 'read', t: '1' }, list));
    const toSender = { tag: 'receipt', attrs: { from: B3, id: 'M1', t: NOW_T, type: 'read' }, content: list };
    expect(receipts(at.a0)).toEqual([toSender]);
    expect(receipts(at.a1)).toEqual([toSender]);
    expect(receipts(at.a2)).toEqual([toSender]);
    expect(receipts(at.b0)).toEqual([
      { tag: 'receipt', attrs: { from: B3, id: 'M1', t: NOW_T, type: 'read', recipient: A }, content: list },
    ]);
    expect(receipts(at.b3)).toEqual([]);
    expect(event).toMatchObject({ type: 'read', to: [`${ALICE.phone}@s.whatsapp.net`, A1, A2, B] });
    expect(at.b3.tagged('ack')[0]?.attrs).toMatchObject({ class: 'receipt', type: 'read' });
  });

  it('sends a retry receipt with its children to the one device named, and to every device when it names none', () => {
    const children: BinaryNode[] = [
      { tag: 'retry', attrs: { count: '1', id: 'M1', t: NOW_T, v: '1' } },
      { tag: 'registration', attrs: {}, content: Uint8Array.of(0, 0, 0, 7) },
    ];
    state.stanzas.receive(b3, receipt({ id: 'M1', to: A1, type: 'retry' }, children));
    expect(receipts(at.a1)).toEqual([
      { tag: 'receipt', attrs: { from: B3, id: 'M1', t: NOW_T, type: 'retry' }, content: children },
    ]);
    expect(receipts(at.a2)).toEqual([]);
    state.stanzas.receive(b3, receipt({ id: 'M1', to: A, type: 'retry' }, children));
    expect([at.a0, at.a1, at.a2].map((e) => receipts(e).length)).toEqual([1, 2, 1]);
  });

  it('sends an own device’s sender receipt without `to` to the device that sent the message', () => {
    state.stanzas.receive(a2, receipt({ id: 'M1', type: 'sender', recipient: B }));
    expect(receipts(at.a1)).toEqual([
      { tag: 'receipt', attrs: { from: A2, id: 'M1', t: NOW_T, type: 'sender', recipient: B } },
    ]);
    expect(receipts(at.a0)).toEqual([]);
    // A message the server does not remember: every other own device.
    state.stanzas.receive(a2, receipt({ id: 'OLD', type: 'sender', recipient: B }));
    expect([at.a0, at.a1, at.a2].map((e) => receipts(e).length)).toEqual([1, 2, 0]);
  });

  it('writes `from` in the namespace of `to`', () => {
    state.stanzas.receive(b3, receipt({ id: 'M1', to: `${ALICE.lid}:1@lid` }));
    expect(receipts(at.a1)[0]?.attrs.from).toBe(`${BOB.lid}:3@lid`);
  });

  it('drops a receipt for a user it does not know, but still acks it', () => {
    state.stanzas.receive(b3, receipt({ id: 'M1', to: '19990000000@s.whatsapp.net' }));
    expect(at.b3.tagged('ack')).toHaveLength(1);
    expect([at.a0, at.a1, at.a2].map((e) => receipts(e).length)).toEqual([0, 0, 0]);
  });
});
