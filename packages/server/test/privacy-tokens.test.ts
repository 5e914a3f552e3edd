/** Trusted-contact token issue (docs/protocol.md §10.8) through the IQ router. */
import type { BinaryNode } from '@wakit/binary-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { routeIq } from '../src/iq-router';
import { child, children, contentBytes } from '../src/nodes';
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

let state: ServerState;
let a1: DeviceRecord;
let b3: DeviceRecord;
let at: Record<'b0' | 'b3', Endpoint>;

beforeEach(async () => {
  state = newState();
  await addAccount(state, ALICE);
  const bob = (await addAccount(state, BOB)).record;
  a1 = addCompanion(state, ALICE, 1);
  b3 = addCompanion(state, BOB, 3);
  at = { b0: online(state, bob), b3: online(state, b3) };
});

function issue(device: DeviceRecord, jid: string): Promise<BinaryNode> {
  return routeIq(
    {
      state,
      connection: { id: 1, deviceJid: device.jid },
      device,
      target: { noiseKey: undefined, send: () => {}, pair: async () => '' },
      send: () => {},
      after: () => {},
      setPassive: () => {},
    },
    {
      tag: 'iq',
      attrs: { id: 't1', to: '@s.whatsapp.net', type: 'set', xmlns: 'privacy' },
      content: [
        {
          tag: 'tokens',
          attrs: {},
          content: [{ tag: 'token', attrs: { jid, t: '1700000000', type: 'trusted_contact' } }],
        },
      ],
    },
  );
}

describe('privacy tokens', () => {
  it("delivers the issuer's token to every device of the peer and answers with the peer's token for the issuer", async () => {
    const first = await issue(a1, `${BOB.phone}@s.whatsapp.net`);
    expect(first.attrs.type).toBe('result');
    expect(children(child(first, 'tokens'))).toEqual([]);
    for (const endpoint of [at.b0, at.b3]) {
      const [note] = endpoint.tagged('notification');
      expect(note?.attrs).toEqual({
        from: `${ALICE.phone}@s.whatsapp.net`,
        type: 'privacy_token',
        id: expect.any(String),
        t: NOW_T,
        sender_lid: `${ALICE.lid}@lid`,
      });
      const token = child(child(note, 'tokens'), 'token');
      expect(token?.attrs).toEqual({ type: 'trusted_contact', t: '1700000000' });
      expect(contentBytes(token)).toHaveLength(32);
    }
    const aliceToBob = contentBytes(child(child(at.b3.tagged('notification')[0], 'tokens'), 'token'));

    // Bob issues back by LID: Alice's token for Bob comes back in the answer, under the jid asked.
    const back = await issue(b3, `${ALICE.lid}@lid`);
    const [token] = children(child(back, 'tokens'), 'token');
    expect(token?.attrs).toEqual({ jid: `${ALICE.lid}@lid`, t: '1700000000', type: 'trusted_contact' });
    expect(contentBytes(token)).toEqual(aliceToBob);
    // And Alice's devices were told in the LID namespace.
    expect(state.outbox.pending(a1.jid)[0]?.attrs).toMatchObject({
      from: `${BOB.lid}@lid`,
      type: 'privacy_token',
    });
  });

  it('skips users it does not know and the own account', async () => {
    const reply = await issue(a1, '19990000000@s.whatsapp.net');
    expect(reply.attrs.type).toBe('result');
    await issue(a1, `${ALICE.phone}@s.whatsapp.net`);
    expect(state.outbox.pending(a1.jid)).toEqual([]);
    expect(at.b3.tagged('notification')).toEqual([]);
  });
});
