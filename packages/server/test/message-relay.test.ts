/** 1:1 message relay through the stanza router with plain nodes (docs/protocol.md §7.1, §7.2). */
import { readFileSync } from 'node:fs';
import type { BinaryNode } from '@wakit/binary-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { participantListHash } from '../src/participant-hash';
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
const B = `${BOB.phone}@s.whatsapp.net`;
const LA = `${ALICE.lid}@lid`;
const LB = `${BOB.lid}@lid`;

let state: ServerState;
let a1: DeviceRecord;
let a2: DeviceRecord;
let b3: DeviceRecord;
let at: Record<'a0' | 'a1' | 'a2' | 'b0' | 'b3', Endpoint>;

beforeEach(async () => {
  state = newState();
  const alice = (await addAccount(state, ALICE)).record;
  const bob = (await addAccount(state, BOB)).record;
  a1 = addCompanion(state, ALICE, 1);
  a2 = addCompanion(state, ALICE, 2);
  b3 = addCompanion(state, BOB, 3);
  at = {
    a0: online(state, alice),
    a1: online(state, a1),
    a2: online(state, a2),
    b0: online(state, bob),
    b3: online(state, b3),
  };
});

const messages = (endpoint: Endpoint) => endpoint.tagged('message');
const identity: BinaryNode = { tag: 'device-identity', attrs: {}, content: Uint8Array.of(1, 2, 3) };

describe('fan-out', () => {
  it('writes each listed device its own <message> with the attributes of its role, and acks the sender', () => {
    const b0Enc = enc('pkmsg');
    const b3Enc = enc('msg', { mediatype: 'image' });
    const a2Enc = enc('msg');
    const a0Enc = enc('msg');
    state.stanzas.receive(
      a1,
      fanOut(
        B,
        'M1',
        {
          [B]: b0Enc,
          [`${BOB.phone}:3@s.whatsapp.net`]: b3Enc,
          [`${ALICE.phone}:2@s.whatsapp.net`]: a2Enc,
          [A]: a0Enc,
        },
        {
          attrs: { type: 'media' },
          content: [identity, { tag: 'reporting', attrs: {} }],
        },
      ),
    );
    const peer = {
      from: `${ALICE.phone}:1@s.whatsapp.net`,
      id: 'M1',
      t: NOW_T,
      type: 'media',
      notify: 'User 1111',
    };
    expect(messages(at.b3)).toEqual([
      { tag: 'message', attrs: { ...peer, sender_lid: `${ALICE.lid}:1@lid` }, content: [b3Enc] },
    ]);
    // device-identity only where the enc is a pkmsg (the recipient has no session yet).
    expect(messages(at.b0)).toEqual([
      { tag: 'message', attrs: { ...peer, sender_lid: `${ALICE.lid}:1@lid` }, content: [b0Enc, identity] },
    ]);
    // Own copies: the chat as recipient and its other namespace; no sender_lid.
    const own = { ...peer, recipient: B, peer_recipient_lid: LB };
    expect(messages(at.a2)).toEqual([{ tag: 'message', attrs: own, content: [a2Enc] }]);
    expect(messages(at.a0)).toEqual([{ tag: 'message', attrs: own, content: [a0Enc] }]);
    expect(messages(at.a1)).toEqual([]);
    expect(at.a1.tagged('ack')).toEqual([
      { tag: 'ack', attrs: { class: 'message', id: 'M1', from: B, t: NOW_T } },
    ]);
  });

  it('speaks the LID namespace when the stanza does: from is the LID, the PN goes in sender_pn / peer_recipient_pn', () => {
    state.stanzas.receive(
      a1,
      fanOut(LB, 'M2', {
        [`${BOB.lid}:3@lid`]: enc(),
        [`${ALICE.lid}:2@lid`]: enc(),
        [LB]: enc(),
        [LA]: enc(),
      }),
    );
    expect(messages(at.b3)[0]?.attrs).toMatchObject({
      from: `${ALICE.lid}:1@lid`,
      sender_pn: `${ALICE.phone}:1@s.whatsapp.net`,
    });
    expect(messages(at.b3)[0]?.attrs.sender_lid).toBeUndefined();
    expect(messages(at.a2)[0]?.attrs).toMatchObject({
      from: `${ALICE.lid}:1@lid`,
      recipient: LB,
      peer_recipient_pn: B,
    });
    expect(at.a1.tagged('ack')[0]?.attrs).toMatchObject({ from: LB, id: 'M2' });
  });

  it('copies edit and category, and takes notify from the account push name that presence set', () => {
    state.stanzas.receive(a2, { tag: 'presence', attrs: { name: 'Alice', type: 'available' } });
    state.stanzas.receive(a1, fanOut(B, 'M3', { [B]: enc() }, { attrs: { edit: '7' } }));
    expect(messages(at.b0)[0]?.attrs).toMatchObject({ notify: 'Alice', edit: '7' });
  });

  it('refuses a stanza mixing a PN chat with LID participants with ack 400 and delivers nothing', () => {
    state.stanzas.receive(a1, fanOut(B, 'M4', { [B]: enc(), [`${BOB.lid}:3@lid`]: enc() }));
    expect(at.a1.tagged('ack')[0]?.attrs).toMatchObject({ class: 'message', id: 'M4', error: '400' });
    expect([at.b0, at.b3].map((e) => messages(e).length)).toEqual([0, 0]);
  });

  it('skips devices it does not know or that were removed, and answers with the phash of the real devices', () => {
    addCompanion(state, BOB, 4).removed = true;
    state.stanzas.receive(
      a1,
      fanOut(B, 'M5', {
        [B]: enc(),
        [`${BOB.phone}:3@s.whatsapp.net`]: enc(),
        [`${BOB.phone}:4@s.whatsapp.net`]: enc(),
        [`${BOB.phone}:9@s.whatsapp.net`]: enc(),
        [A]: enc(),
        [`${ALICE.phone}:2@s.whatsapp.net`]: enc(),
      }),
    );
    expect([at.b0, at.b3, at.a0, at.a2].map((e) => messages(e).length)).toEqual([1, 1, 1, 1]);
    const real = [
      B,
      `${BOB.phone}:3@s.whatsapp.net`,
      A,
      `${ALICE.phone}:1@s.whatsapp.net`,
      `${ALICE.phone}:2@s.whatsapp.net`,
    ];
    expect(at.a1.tagged('ack')[0]?.attrs.phash).toBe(participantListHash(real));
  });

  it('adds the phash when a device of the chat was left out', () => {
    state.stanzas.receive(
      a1,
      fanOut(B, 'M6', { [B]: enc(), [A]: enc(), [`${ALICE.phone}:2@s.whatsapp.net`]: enc() }),
    );
    expect(messages(at.b3)).toEqual([]);
    expect(at.a1.tagged('ack')[0]?.attrs.phash).toMatch(/^2:[A-Za-z0-9+/]{8}$/);
  });

  it('queues for a device that is offline and emits message and delivered events', () => {
    state.live.delete(b3.jid);
    const delivered: string[] = [];
    state.events.on('delivered', (e) => delivered.push(e.jid));
    let relayed: { to: string[]; from: string } | undefined;
    state.events.on('message', (e) => (relayed = e));
    state.stanzas.receive(a1, fanOut(B, 'M7', { [B]: enc(), [`${BOB.phone}:3@s.whatsapp.net`]: enc() }));
    expect(state.outbox.pending(b3.jid).map((n) => n.attrs.id)).toEqual(['M7']);
    expect(delivered).toEqual([`${BOB.phone}@s.whatsapp.net`]);
    expect(relayed).toMatchObject({ from: `${ALICE.phone}:1@s.whatsapp.net`, to: [B, b3.jid] });
  });
});

describe('retries and peer messages', () => {
  it('sends a retry resend to the one device it names', () => {
    const resend = enc('pkmsg', { count: '1' });
    state.stanzas.receive(a1, {
      tag: 'message',
      attrs: { to: `${BOB.phone}:3@s.whatsapp.net`, id: 'M8', type: 'text', device_fanout: 'false' },
      content: [resend, identity],
    });
    expect(messages(at.b3)).toEqual([
      {
        tag: 'message',
        attrs: {
          from: `${ALICE.phone}:1@s.whatsapp.net`,
          id: 'M8',
          t: NOW_T,
          type: 'text',
          sender_lid: `${ALICE.lid}:1@lid`,
          notify: 'User 1111',
        },
        content: [resend, identity],
      },
    ]);
    expect(messages(at.b0)).toEqual([]);
    expect(at.a1.tagged('ack')[0]?.attrs.error).toBeUndefined();
  });

  it('keeps the recipient of a resend to an own device', () => {
    state.stanzas.receive(a1, {
      tag: 'message',
      attrs: { to: `${ALICE.phone}:2@s.whatsapp.net`, recipient: B, id: 'M9', type: 'text' },
      content: [enc('msg', { count: '2' })],
    });
    expect(messages(at.a2)[0]?.attrs).toMatchObject({ recipient: B, peer_recipient_lid: LB });
    expect(messages(at.a0)).toEqual([]);
  });

  it('sends a peer message to the own device 0 only, and refuses one to another account', () => {
    const peer = (to: string, id: string): BinaryNode => ({
      tag: 'message',
      attrs: { to, id, type: 'text', category: 'peer', push_priority: 'high' },
      content: [{ tag: 'meta', attrs: { appdata: 'default' } }, enc()],
    });
    state.stanzas.receive(a1, peer(A, 'P1'));
    expect(messages(at.a0).map((m) => [m.attrs.id, m.attrs.category, m.attrs.recipient])).toEqual([
      ['P1', 'peer', undefined],
    ]);
    expect(messages(at.a2)).toEqual([]);
    state.stanzas.receive(a1, peer(B, 'P2'));
    expect(at.a1.tagged('ack').map((a) => a.attrs.error)).toEqual([undefined, '400']);
    expect(messages(at.b0)).toEqual([]);
  });

  it('acks a message to a user that is not on WhatsApp without delivering anything', () => {
    state.stanzas.receive(
      a1,
      fanOut('19990000000@s.whatsapp.net', 'M10', { '19990000000@s.whatsapp.net': enc() }),
    );
    expect(at.a1.tagged('ack')[0]?.attrs).toMatchObject({ id: 'M10', from: '19990000000@s.whatsapp.net' });
    expect(at.a1.tagged('ack')[0]?.attrs.error).toBeUndefined();
  });

  it('refuses broadcast messages with 501 and a group it does not know with 404 (group-relay.test.ts)', () => {
    state.stanzas.receive(a1, {
      tag: 'message',
      attrs: { to: '120363000000000001@g.us', id: 'G1', type: 'text' },
      content: [enc()],
    });
    state.stanzas.receive(a1, {
      tag: 'message',
      attrs: { to: '1767225600@broadcast', id: 'G2', type: 'text' },
      content: [enc()],
    });
    expect(at.a1.tagged('ack').map((a) => [a.attrs.id, a.attrs.error])).toEqual([
      ['G1', '404'],
      ['G2', '501'],
    ]);
  });
});

describe('participant list hash', () => {
  const vectors = JSON.parse(
    readFileSync(new URL('./vectors/whatsapp-rust/participant-hash.json', import.meta.url), 'utf8'),
  ) as { cases: { devices: string[]; hash: string }[] };

  it.each(vectors.cases)('hashes $devices as $hash', ({ devices, hash }) => {
    expect(participantListHash(devices)).toBe(hash);
    expect(participantListHash([...devices].reverse())).toBe(hash);
  });

  it('has its vectors', () => {
    expect(vectors.cases.length).toBe(3);
  });
});
