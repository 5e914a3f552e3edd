/** Statuses (`status@broadcast`) and their receipts through the stanza router (src/status-relay.ts). */
import type { BinaryNode } from '@wakit/binary-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { CAROL, clearAll, type GroupWorld, groupWorld, n } from './group-fixtures';
import { ALICE, BOB, enc, NOW_T } from './messaging-fixtures';

const STATUS = 'status@broadcast';
const A1 = `${ALICE.phone}:1@s.whatsapp.net`;
const LA1 = `${ALICE.lid}:1@lid`;
const B3 = `${BOB.phone}:3@s.whatsapp.net`;
const LB3 = `${BOB.lid}:3@lid`;
const C0 = `${CAROL.phone}@s.whatsapp.net`;

let world: GroupWorld;
beforeEach(async () => {
  world = await groupWorld();
  clearAll(world);
});

const messages = (device: keyof GroupWorld['at']) => world.at[device].tagged('message');
const ack = (device: keyof GroupWorld['at']) => world.at[device].tagged('ack').at(-1)!;

/** A status from a1: `<participants>` with the given pairwise encs, then the skmsg. */
function status(id: string, pairwise: Record<string, BinaryNode>, attrs: Record<string, string> = {}) {
  const skmsg = enc('msg');
  skmsg.attrs.type = 'skmsg';
  const listed = Object.entries(pairwise).map(([jid, e]) => n('to', { jid }, [e]));
  return {
    node: n('message', { to: STATUS, id, type: 'text', ...attrs }, [n('participants', {}, listed), skmsg]),
    skmsg,
  };
}

describe('status relay', () => {
  it('writes each listed device its enc and the skmsg, from status@broadcast naming the sender; nobody else', () => {
    const forB3 = enc('pkmsg');
    const forA0 = enc('msg');
    const identity = n('device-identity', {}, 'id');
    const { node, skmsg } = status('S1', { [B3]: forB3, [`${ALICE.phone}@s.whatsapp.net`]: forA0 });
    node.content = [...(node.content as BinaryNode[]), identity];
    world.state.stanzas.receive(world.dev.a1, node);
    const attrs = {
      from: STATUS,
      participant: A1,
      participant_lid: LA1,
      id: 'S1',
      t: NOW_T,
      type: 'text',
      notify: 'User 1111',
    };
    expect(messages('b3')).toEqual([{ tag: 'message', attrs, content: [forB3, skmsg, identity] }]);
    expect(messages('a0')).toEqual([{ tag: 'message', attrs, content: [forA0, skmsg] }]);
    // Not listed: Bob's phone and Carol get nothing, whatever they are to the sender.
    expect(messages('b0')).toEqual([]);
    expect(messages('c0')).toEqual([]);
    expect(ack('a1').attrs).toEqual({ class: 'message', id: 'S1', from: STATUS, t: NOW_T });
  });

  it('a listed LID device is reached too; the sending device never', () => {
    const { node } = status('S2', { [LB3]: enc('msg'), [A1]: enc('msg') });
    world.state.stanzas.receive(world.dev.a1, node);
    expect(messages('b3')).toHaveLength(1);
    expect(messages('a1')).toEqual([]);
  });

  it('a retry resend goes to the one device it names, with its own enc', () => {
    world.state.stanzas.receive(world.dev.a1, status('S3', { [B3]: enc('msg'), [C0]: enc('msg') }).node);
    clearAll(world);
    const resend = enc('pkmsg', { count: '1' });
    world.state.stanzas.receive(
      world.dev.a1,
      n('message', { to: STATUS, id: 'S3', type: 'text', participant: B3 }, [resend]),
    );
    expect(messages('b3').map((m) => m.content)).toEqual([[resend]]);
    expect(messages('c0')).toEqual([]);
  });

  it("a receiver's receipt, retry or not, reaches the sender's device in the status's form", () => {
    world.state.stanzas.receive(world.dev.a1, status('S4', { [B3]: enc('msg') }).node);
    clearAll(world);
    const retry = [n('retry', { count: '1', id: 'S4', t: NOW_T, v: '1' }), n('registration', {}, 'reg')];
    world.state.stanzas.receive(
      world.dev.b3,
      n('receipt', { id: 'S4', to: STATUS, participant: A1, type: 'retry' }, retry),
    );
    expect(world.at.a1.tagged('receipt')).toEqual([
      n(
        'receipt',
        { from: STATUS, participant: B3, participant_lid: LB3, id: 'S4', t: NOW_T, type: 'retry' },
        retry,
      ),
    ]);
    expect(world.at.a0.tagged('receipt')).toEqual([]);
  });

  it('broadcast lists are not relayed: error 501', () => {
    world.state.stanzas.receive(
      world.dev.a1,
      n('message', { to: '1234@broadcast', id: 'L1', type: 'text' }, [enc()]),
    );
    expect(ack('a1').attrs).toMatchObject({ id: 'L1', error: '501' });
    expect(messages('b0')).toEqual([]);
  });
});
