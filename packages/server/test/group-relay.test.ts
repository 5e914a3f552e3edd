/** Group messages and their receipts through the stanza router (docs/protocol.md §6.7, §6.9, §7.1–7.4). */
import type { BinaryNode } from '@wakit/binary-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { participantListHash } from '../src/participant-hash';
import {
  B,
  C,
  clearAll,
  createGroup,
  type GroupWorld,
  groupIq,
  groupWorld,
  kids,
  LA,
  LB,
  LC,
  n,
} from './group-fixtures';
import { ALICE, BOB, enc, NOW_T } from './messaging-fixtures';

let world: GroupWorld;
let group: string;
beforeEach(async () => {
  world = await groupWorld();
  group = await createGroup(world, world.dev.a1, [B, C]);
  clearAll(world);
});

const LA1 = `${ALICE.lid}:1@lid`;
const A1 = `${ALICE.phone}:1@s.whatsapp.net`;
const LB3 = `${BOB.lid}:3@lid`;
/** Every member device in LID form: what a client's phash covers. */
const ALL_DEVICES = [LA, LA1, LB, LB3, LC];

/** A group message: `<participants>` with the given pairwise encs, then the skmsg. */
function groupMessage(id: string, pairwise: Record<string, BinaryNode>, attrs: Record<string, string> = {}) {
  const skmsg = enc('msg');
  skmsg.attrs.type = 'skmsg';
  const listed = Object.entries(pairwise).map(([jid, e]) => n('to', { jid }, [e]));
  const content = listed.length === 0 ? [skmsg] : [n('participants', {}, listed), skmsg];
  return {
    node: n('message', { to: group, id, type: 'text', addressing_mode: 'lid', ...attrs }, content),
    skmsg,
  };
}

const messages = (device: keyof GroupWorld['at']) => world.at[device].tagged('message');
const ack = (device: keyof GroupWorld['at']) => world.at[device].tagged('ack').at(-1)!;

describe('group fan-out', () => {
  it('writes every member device but the sender its message, the listed ones their SKDM enc first', () => {
    const skdmB3 = enc('pkmsg');
    const skdmC = enc('msg');
    const identity = n('device-identity', {}, 'id');
    const { node, skmsg } = groupMessage('G1', { [LB3]: skdmB3, [LC]: skdmC });
    node.content = [...(node.content as BinaryNode[]), identity];
    world.state.stanzas.receive(world.dev.a1, node);
    const attrs = {
      from: group,
      participant: LA1,
      participant_pn: A1,
      id: 'G1',
      t: NOW_T,
      type: 'text',
      addressing_mode: 'lid',
      notify: 'User 1111',
    };
    expect(messages('b3')).toEqual([{ tag: 'message', attrs, content: [skdmB3, skmsg, identity] }]);
    expect(messages('c0')).toEqual([{ tag: 'message', attrs, content: [skdmC, skmsg] }]);
    expect(messages('b0')).toEqual([{ tag: 'message', attrs, content: [skmsg] }]);
    // The sender's own other device gets it too; the sending device does not.
    expect(messages('a0')).toEqual([{ tag: 'message', attrs, content: [skmsg] }]);
    expect(messages('a1')).toEqual([]);
  });

  it('acks with the server phash only when the sender phash differs', () => {
    const right = participantListHash(ALL_DEVICES);
    world.state.stanzas.receive(world.dev.a1, groupMessage('G1', {}, { phash: right }).node);
    expect(ack('a1').attrs).toEqual({ class: 'message', id: 'G1', from: group, t: NOW_T });
    world.state.stanzas.receive(
      world.dev.a1,
      groupMessage('G2', {}, { phash: participantListHash([LA, LB]) }).node,
    );
    expect(ack('a1').attrs).toMatchObject({ id: 'G2', phash: right });
    world.state.stanzas.receive(world.dev.a1, groupMessage('G3', {}).node);
    expect(ack('a1').attrs.phash).toBeUndefined();
  });

  it('queues the message for an offline member device, pending until its receipt', () => {
    world.state.live.delete(world.dev.c0.jid);
    world.state.stanzas.receive(world.dev.a1, groupMessage('G1', { [LC]: enc('pkmsg') }).node);
    const queued = () => world.state.outbox.pending(world.dev.c0.jid).filter((m) => m.tag === 'message');
    expect(queued().map((m) => [m.attrs.id, kids(m).length])).toEqual([['G1', 2]]);
    world.state.stanzas.receive(world.dev.c0, n('receipt', { id: 'G1', to: group, participant: LA1 }));
    expect(queued()).toEqual([]);
  });

  it('refuses a non-member (403), an unknown group (404), and a non-admin of an announcement group (403)', async () => {
    await groupIq(world.state, world.dev.a1, group, 'set', [n('remove', {}, [n('participant', { jid: C })])]);
    clearAll(world);
    // Carol was removed: her send is refused, and the members' lists naming her devices give her nothing.
    world.state.stanzas.receive(world.dev.c0, groupMessage('G1', {}).node);
    expect(ack('c0').attrs).toMatchObject({ id: 'G1', error: '403' });
    world.state.stanzas.receive(world.dev.a1, groupMessage('G2', { [LC]: enc('pkmsg') }).node);
    expect(messages('c0')).toEqual([]);
    expect(messages('b0').map((m) => m.attrs.id)).toEqual(['G2']);
    world.state.stanzas.receive(world.dev.a1, n('message', { to: '120363000000000000@g.us', id: 'G3' }, []));
    expect(ack('a1').attrs.error).toBe('404');
    await groupIq(world.state, world.dev.a1, group, 'set', [n('announcement')]);
    world.state.stanzas.receive(world.dev.b3, groupMessage('G4', {}).node);
    expect(ack('b3').attrs.error).toBe('403');
    world.state.stanzas.receive(world.dev.a0, groupMessage('G5', {}).node);
    expect(ack('a0').attrs.error).toBeUndefined();
    expect(messages('b0').map((m) => m.attrs.id)).toEqual(['G2', 'G5']);
  });

  it('sends a retry resend (participant on the stanza) to that one device only', () => {
    const resent = enc('pkmsg', { count: '1' });
    world.state.stanzas.receive(
      world.dev.a1,
      n('message', { to: group, id: 'G1', type: 'text', participant: LB3 }, [resent]),
    );
    expect(messages('b3').map((m) => [m.attrs.participant, kids(m)])).toEqual([[LA1, [resent]]]);
    expect(messages('b0')).toEqual([]);
    expect(messages('c0')).toEqual([]);
  });
});

describe('group receipts', () => {
  it('go to the sender device named by participant, from the group with the reader as participant', () => {
    world.state.stanzas.receive(world.dev.a1, groupMessage('G1', {}).node);
    world.state.stanzas.receive(world.dev.b3, n('receipt', { id: 'G1', to: group, participant: LA1 }));
    expect(world.at.a1.tagged('receipt')).toEqual([
      n('receipt', {
        from: group,
        participant: LB3,
        participant_pn: `${BOB.phone}:3@s.whatsapp.net`,
        id: 'G1',
        t: NOW_T,
      }),
    ]);
    expect(world.at.a0.tagged('receipt')).toEqual([]);
    expect(world.at.b3.tagged('ack').at(-1)!.attrs).toMatchObject({ class: 'receipt', id: 'G1' });
  });

  it("read receipts also go to the reader's own devices, and reach the sender whatever the reader's readreceipts", () => {
    world.state.stanzas.receive(world.dev.a1, groupMessage('G1', {}).node);
    world.state.stanzas.receive(
      world.dev.b3,
      n('receipt', { id: 'G1', to: group, participant: LA1, type: 'read' }),
    );
    expect(world.at.a1.tagged('receipt').map((r) => r.attrs.type)).toEqual(['read']);
    expect(
      world.at.b0.tagged('receipt').map((r) => [r.attrs.from, r.attrs.participant, r.attrs.type]),
    ).toEqual([[group, LB3, 'read']]);
    world.state.accounts.get(BOB.phone).privacy.settings.set('readreceipts', 'none');
    clearAll(world);
    world.state.stanzas.receive(
      world.dev.b3,
      n('receipt', { id: 'G1', to: group, participant: LA1, type: 'read' }),
    );
    // WhatsApp always sends read receipts in groups; the setting covers 1:1 chats only.
    expect(world.at.a1.tagged('receipt').map((r) => r.attrs.type)).toEqual(['read']);
    expect(world.at.b0.tagged('receipt').map((r) => r.attrs.type)).toEqual(['read']);
    clearAll(world);
    world.state.stanzas.receive(
      world.dev.b3,
      n('receipt', { id: 'G1', to: group, participant: LA1, type: 'read-self' }),
    );
    expect(world.at.a1.tagged('receipt')).toEqual([]);
    expect(world.at.b0.tagged('receipt').map((r) => r.attrs.type)).toEqual(['read-self']);
  });
});
