/** The messaging fault hooks (`server.faults`). */
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
  loggingCompanion,
  newState,
  online,
} from './messaging-fixtures';

const A1 = `${ALICE.phone}:1@s.whatsapp.net`;
const B = `${BOB.phone}@s.whatsapp.net`;
const B3 = `${BOB.phone}:3@s.whatsapp.net`;

let state: ServerState;
let a1: DeviceRecord;
let b3: DeviceRecord;
let at: Record<'a1' | 'b0' | 'b3', Endpoint>;

beforeEach(async () => {
  state = newState();
  await addAccount(state, ALICE);
  const bob = (await addAccount(state, BOB)).record;
  a1 = addCompanion(state, ALICE, 1);
  b3 = addCompanion(state, BOB, 3);
  at = { a1: online(state, a1), b0: online(state, bob), b3: online(state, b3) };
});

const send = (id: string) => state.stanzas.receive(a1, fanOut(B, id, { [B]: enc(), [B3]: enc() }));

describe('messaging faults', () => {
  it('drops the sender after k deliveries of the next fan-out: no ack, the rest undelivered; the one after is whole', () => {
    state.faults.dropSenderDuringFanOut(1);
    send('M1');
    expect(at.b0.tagged('message').map((m) => m.attrs.id)).toEqual(['M1']);
    expect(at.b3.tagged('message')).toEqual([]);
    expect(at.a1.dropped).toMatch(/fan-out/);
    expect(at.a1.tagged('ack')).toEqual([]);
    send('M2');
    expect(at.b3.tagged('message').map((m) => m.attrs.id)).toEqual(['M2']);
    expect(() => state.faults.dropSenderDuringFanOut(-1)).toThrow(RangeError);
  });

  it('writes the next delivery to a device twice, once pending', () => {
    state.faults.duplicateNextDelivery(b3.jid);
    send('M1');
    send('M2');
    expect(at.b3.tagged('message').map((m) => m.attrs.id)).toEqual(['M1', 'M1', 'M2']);
    expect(at.b0.tagged('message').map((m) => m.attrs.id)).toEqual(['M1', 'M2']);
    expect(state.outbox.pending(b3.jid).map((m) => m.attrs.id)).toEqual(['M1', 'M2']);
  });

  it('holds receipts for a device until released, then delivers them in order', () => {
    send('M1');
    const release = state.faults.holdReceipts(a1.jid);
    state.stanzas.receive(b3, { tag: 'receipt', attrs: { id: 'M1', to: A1 } });
    state.stanzas.receive(b3, { tag: 'receipt', attrs: { id: 'M1', to: A1, type: 'read' } });
    expect(at.a1.tagged('receipt')).toEqual([]);
    expect(state.outbox.pending(a1.jid)).toEqual([]);
    // Messages are not held.
    state.stanzas.receive(b3, fanOut(`${ALICE.phone}@s.whatsapp.net`, 'R1', { [A1]: enc() }));
    expect(at.a1.tagged('message')).toHaveLength(1);
    release();
    expect(at.a1.tagged('receipt').map((r) => r.attrs.type)).toEqual([undefined, 'read']);
    release();
    expect(at.a1.tagged('receipt')).toHaveLength(2);
  });

  it("drops a real connection mid fan-out: the handler closes and the sender's device goes offline", async () => {
    const carol = await loggingCompanion(state, { phone: '15550003333', lid: '300000000000003' }, 1);
    const { handler, sent, output } = await carol.login();
    state.faults.dropSenderDuringFanOut(0);
    await handler.receive(fanOut(B, 'M9', { [B]: enc(), [B3]: enc() }));
    expect(handler.state).toBe('closed');
    expect(output.closed).toMatch(/fan-out/);
    expect(sent.filter((n) => n.tag === 'ack')).toEqual([]);
    expect(state.live.has(carol.record.jid)).toBe(false);
    expect(at.b3.tagged('message')).toEqual([]);
  });
});
