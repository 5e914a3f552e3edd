/** Dirty bits: set per account by a test, sent as <ib><dirty>, cleared by the clean IQ. */
import type { BinaryNode } from '@wakit/binary-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIRTY_XMLNS } from '../src/dirty-iqs';
import type { DeviceRecord, ServerState } from '../src/server-state';
import { startServer, type WaServer } from '../src/start-server';
import { login } from './helpers';
import { iq, isOfflineMarker, linkedClient } from './linked-client';
import {
  ALICE,
  addAccount,
  addCompanion,
  BOB,
  type Endpoint,
  NOW_MS,
  NOW_T,
  newState,
  online,
} from './messaging-fixtures';
import { ask, errorCode } from './privacy-fixtures';

const clean = (attrs: Record<string, string>): BinaryNode => ({ tag: 'clean', attrs });
const isDirty = (n: BinaryNode) => n.tag === 'ib' && (n.content as BinaryNode[])[0]?.tag === 'dirty';
const dirtyIb = (type: string, timestamp: string): BinaryNode => ({
  tag: 'ib',
  attrs: { from: '@s.whatsapp.net' },
  content: [{ tag: 'dirty', attrs: { type, timestamp } }],
});

describe('dirty bits in the server state', () => {
  let state: ServerState;
  let a1: DeviceRecord;
  let at: Record<'a0' | 'a1' | 'b0', Endpoint>;

  beforeEach(async () => {
    state = newState();
    const alice = (await addAccount(state, ALICE)).record;
    const bob = (await addAccount(state, BOB)).record;
    a1 = addCompanion(state, ALICE, 1);
    addCompanion(state, ALICE, 2); // offline
    at = { a0: online(state, alice), a1: online(state, a1), b0: online(state, bob) };
  });

  it("sends a new bit to the account's online devices only, one <ib> per bit", () => {
    state.dirty.mark(ALICE.phone, 'account_sync');
    state.dirty.mark(ALICE.phone, 'groups');
    for (const endpoint of [at.a0, at.a1]) {
      expect(endpoint.tagged('ib')).toEqual([dirtyIb('account_sync', NOW_T), dirtyIb('groups', NOW_T)]);
    }
    expect(at.b0.sent).toEqual([]);
    expect(state.dirty.bitsOf(ALICE.phone)).toEqual([
      { type: 'account_sync', timestamp: NOW_T },
      { type: 'groups', timestamp: NOW_T },
    ]);
    expect(state.dirty.bitsOf(BOB.phone)).toEqual([]);
  });

  it('clears a bit for the whole account on a clean of its type, whatever the timestamp, and records every clean', async () => {
    state.dirty.mark(ALICE.phone, 'account_sync');
    state.dirty.mark(ALICE.phone, 'groups');
    const reply = await ask(state, a1, DIRTY_XMLNS, 'set', [
      clean({ type: 'account_sync', timestamp: '1700000000' }),
      clean({ type: 'syncd_app_state' }),
    ]);
    expect(reply).toEqual({ tag: 'iq', attrs: { from: '@s.whatsapp.net', type: 'result', id: 'q1' } });
    expect(state.dirty.bitsOf(ALICE.phone)).toEqual([{ type: 'groups', timestamp: NOW_T }]);
    expect(state.dirty.cleans()).toEqual([
      {
        device: a1.jid,
        phoneNumber: ALICE.phone,
        type: 'account_sync',
        timestamp: '1700000000',
        cleared: true,
        receivedAt: NOW_MS,
      },
      {
        device: a1.jid,
        phoneNumber: ALICE.phone,
        type: 'syncd_app_state',
        timestamp: undefined,
        cleared: false,
        receivedAt: NOW_MS,
      },
    ]);
  });

  it('refuses a clean without type or with a non-numeric timestamp (400, nothing cleared) and leaves other shapes to the router', async () => {
    state.dirty.mark(ALICE.phone, 'account_sync');
    const refused = [
      [clean({ type: 'account_sync' }), clean({})],
      [clean({ type: 'account_sync', timestamp: 'now' })],
    ];
    for (const content of refused) {
      expect(errorCode(await ask(state, a1, DIRTY_XMLNS, 'set', content))).toBe('400');
    }
    expect(state.dirty.bitsOf(ALICE.phone)).toHaveLength(1);
    expect(state.dirty.cleans()).toEqual([]);
    expect(errorCode(await ask(state, a1, DIRTY_XMLNS, 'set'))).toBe('501');
    expect(errorCode(await ask(state, a1, DIRTY_XMLNS, 'get', [clean({ type: 'groups' })]))).toBe('501');
  });
});

describe('dirty bits over a WebSocket', () => {
  let server: WaServer;

  beforeAll(async () => {
    server = await startServer({ now: () => NOW_MS });
  });

  afterAll(() => server.close());

  it('reaches a device online at once and one that logs in later after <success>, until a clean clears it', async () => {
    const { phone, client } = await linkedClient(server, '15550007003');
    expect(() => server.markDirty('15550000000', 'groups')).toThrow(RangeError);
    expect(server.markDirty(phone.phoneNumber, 'account_sync')).toEqual({
      type: 'account_sync',
      timestamp: NOW_T,
    });
    expect(await client.next(isDirty)).toEqual(dirtyIb('account_sync', NOW_T));

    // A second device of the account logs in while the bit is set: it gets it after <success>.
    const second = await linkedClient(server, phone);
    // linkedClient consumed up to the offline marker; the dirty <ib> follows the preview.
    expect(await second.client.next(isDirty)).toEqual(dirtyIb('account_sync', NOW_T));

    const reply = await second.client.query(
      iq(DIRTY_XMLNS, 'set', [clean({ type: 'account_sync', timestamp: NOW_T })]),
    );
    expect(reply.attrs.type).toBe('result');
    expect(server.dirtyBits(phone.phoneNumber)).toEqual([]);
    expect(server.dirtyCleans()).toMatchObject([{ device: second.jid, type: 'account_sync', cleared: true }]);

    // Cleared: the next login of the second device gets no <dirty>.
    await second.client.close();
    const { client: again } = await login(server, second.companion, second.jid);
    await again.next(isOfflineMarker);
    // The reply to a ping comes after anything sent at login: nothing dirty is queued before it.
    await again.query(iq('w:p', 'get'));
    await expect(again.next(isDirty, 0)).rejects.toThrow(/no matching stanza/);
    await Promise.all([client.close(), again.close()]);
  });
});
