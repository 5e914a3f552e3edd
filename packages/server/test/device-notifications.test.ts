/** Device-list notifications (docs/protocol.md §6.8) when a companion links or is removed. */
import type { BinaryNode } from '@wakit/binary-node';
import { ADVKeyIndexListSchema, ADVSignedKeyIndexListSchema, fromBinary } from '@wakit/proto';
import { beforeEach, describe, expect, it } from 'vitest';
import { announceDeviceChange } from '../src/device-notifications';
import { child, contentBytes } from '../src/nodes';
import { participantListHash } from '../src/participant-hash';
import { Phones } from '../src/phones';
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
import { until } from './until';

const A = `${ALICE.phone}@s.whatsapp.net`;

let state: ServerState;
let a1: DeviceRecord;
let b3: DeviceRecord;
let at: Record<'a0' | 'a1' | 'b3', Endpoint>;

beforeEach(async () => {
  state = newState();
  const alice = (await addAccount(state, ALICE)).record;
  await addAccount(state, BOB);
  a1 = addCompanion(state, ALICE, 1);
  b3 = addCompanion(state, BOB, 3);
  at = { a0: online(state, alice), a1: online(state, a1), b3: online(state, b3) };
  // Bob's companion asked for Alice's devices by LID.
  state.accounts.get(ALICE.phone).subscribers.set(b3.jid, 'lid');
});

const notifications = (endpoint: Endpoint) => endpoint.tagged('notification');

describe('device notifications', () => {
  it('tells the other companions (PN, with lid) and the subscribers (their namespace) about a new companion', async () => {
    const a2 = addCompanion(state, ALICE, 2);
    await announceDeviceChange(state, a2, 'add');
    const [own] = notifications(at.a1);
    expect(own?.attrs).toEqual({
      from: A,
      lid: `${ALICE.lid}@lid`,
      type: 'devices',
      id: expect.any(String),
      t: NOW_T,
    });
    const add = child(own, 'add')!;
    expect(add.attrs.device_hash).toBe(
      participantListHash([A, `${ALICE.phone}:1@s.whatsapp.net`, `${ALICE.phone}:2@s.whatsapp.net`]),
    );
    expect(child(add, 'device')?.attrs).toEqual({
      jid: `${ALICE.phone}:2@s.whatsapp.net`,
      'key-index': '2',
      lid: `${ALICE.lid}:2@lid`,
    });
    const list = child(add, 'key-index-list')!;
    expect(list.attrs.ts).toBe(NOW_T);
    const details = fromBinary(
      ADVKeyIndexListSchema,
      fromBinary(ADVSignedKeyIndexListSchema, contentBytes(list)!).details!,
    );
    expect(details.validIndexes).toEqual([1, 2]);

    const [subscribed] = notifications(at.b3);
    expect(subscribed?.attrs.from).toBe(`${ALICE.lid}@lid`);
    expect(subscribed?.attrs.lid).toBeUndefined();
    expect(child(child(subscribed, 'add'), 'device')?.attrs).toEqual({
      jid: `${ALICE.lid}:2@lid`,
      'key-index': '2',
    });
    // The phone made the change; it is not told.
    expect(notifications(at.a0)).toEqual([]);
  });

  it('removes a companion: kicked with device_removed, its queue dropped, the others told with a timestamped key-index-list', async () => {
    const a2 = addCompanion(state, ALICE, 2);
    const a2At = online(state, a2);
    state.stanzas.receive(b3, fanOut(A, 'M1', { [`${ALICE.phone}:2@s.whatsapp.net`]: enc() }));
    expect(state.outbox.pending(a2.jid)).toHaveLength(1);
    state.removeDevice(a2);
    expect(a2.removed).toBe(true);
    expect(a2At.kicked).toEqual({ code: 401, conflict: 'device_removed' });
    expect(state.outbox.pending(a2.jid)).toEqual([]);
    await until(() => notifications(at.a1).length === 1, 'companion 1 was told');
    const remove = child(notifications(at.a1)[0], 'remove')!;
    expect(child(remove, 'device')?.attrs.jid).toBe(`${ALICE.phone}:2@s.whatsapp.net`);
    expect(child(remove, 'device')?.attrs['key-index']).toBeUndefined();
    expect(child(remove, 'key-index-list')).toEqual({ tag: 'key-index-list', attrs: { ts: NOW_T } });
    expect(remove.attrs.device_hash).toBe(participantListHash([A, `${ALICE.phone}:1@s.whatsapp.net`]));
    await until(() => notifications(at.b3).length === 1, 'the subscriber was told');
    // A removed device's stanzas are ignored.
    state.stanzas.receive(
      a2,
      fanOut(`${BOB.phone}@s.whatsapp.net`, 'M2', { [`${BOB.phone}:3@s.whatsapp.net`]: enc() }),
    );
    expect(at.b3.tagged('message')).toEqual([]);
  });

  it('queues the notification for a companion that is offline', async () => {
    state.live.delete(a1.jid);
    await announceDeviceChange(state, addCompanion(state, ALICE, 2), 'add');
    expect(state.outbox.pending(a1.jid).map((n: BinaryNode) => [n.tag, n.attrs.type])).toEqual([
      ['notification', 'devices'],
    ]);
  });
});

describe('removal by the phone', () => {
  it('phone.removeDevice kicks the companion and announces the removal', async () => {
    const phones = new Phones(state);
    const phone = await phones.create('15550003333', { lidUser: '300000000000003' });
    const c1 = addCompanion(state, { phone: '15550003333', lid: '300000000000003' }, 1);
    const c2 = addCompanion(state, { phone: '15550003333', lid: '300000000000003' }, 2);
    const c1At = online(state, c1);
    const c2At = online(state, c2);
    expect(phone.removeDevice(c2.jid)).toBe(true);
    expect(c2.removed).toBe(true);
    expect(c2At.kicked).toEqual({ code: 401, conflict: 'device_removed' });
    await until(() => notifications(c1At).length === 1, 'the other companion was told');
    expect(child(child(notifications(c1At)[0], 'remove'), 'device')?.attrs.jid).toBe(
      '15550003333:2@s.whatsapp.net',
    );
  });
});
