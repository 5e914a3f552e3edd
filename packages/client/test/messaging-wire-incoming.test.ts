import { type BinaryNode, fromXml, toNonAd } from '@wakit/binary-node';
import { decodeMessageNode } from 'baileys/lib/Utils/decode-wa-message.js';
import { jidNormalizedUser } from 'baileys/lib/WABinary/jid-utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedStanzaError } from '../src/errors';
import { type IncomingMessage, parseIncomingMessage } from '../src/messaging/wire/incoming';
import { arbitraryNode, expectOnly, mutated } from './messaging-wire-helpers';

/** Our account: PN user 100, LID user 900, this device 5 (devices in these JIDs are ignored). */
const OWN = { pn: '100:5@s.whatsapp.net', lid: '900:5@lid' };
const CT = Uint8Array.of(0x33, 9, 9);

function stanza(
  attrs: Record<string, string>,
  encs: BinaryNode[] = [{ tag: 'enc', attrs: { v: '2', type: 'msg' }, content: CT }],
): BinaryNode {
  return { tag: 'message', attrs: { id: 'M1', t: '1700000000', type: 'text', ...attrs }, content: encs };
}

describe('parseIncomingMessage', () => {
  it("reads a peer's 1:1 message: chat = from without device, senderAlt from sender_lid", () => {
    const msg = parseIncomingMessage(
      stanza({
        from: '200:2@s.whatsapp.net',
        notify: 'Alice',
        sender_lid: '800:2@lid',
        offline: '1',
        edit: '1',
      }),
      OWN,
    );
    expect(msg).toEqual<IncomingMessage>({
      id: 'M1',
      from: '200:2@s.whatsapp.net',
      chat: '200@s.whatsapp.net',
      chatAlt: '800@lid',
      sender: '200:2@s.whatsapp.net',
      senderAlt: '800:2@lid',
      fromMe: false,
      isGroup: false,
      timestamp: 1_700_000_000,
      type: 'text',
      pushName: 'Alice',
      offline: true,
      edit: '1',
      encs: [{ type: 'msg', v: '2', ciphertext: CT }],
    });
  });

  it('reads LID-addressed messages the other way round, and gives an alternate without device the sender device', () => {
    const msg = parseIncomingMessage(stanza({ from: '800:2@lid', sender_pn: '200@s.whatsapp.net' }), OWN);
    expect(msg.chat).toBe('800@lid');
    expect(msg.senderAlt).toBe('200:2@s.whatsapp.net');
    expect(msg.chatAlt).toBe('200@s.whatsapp.net');
    // sender_lid on a LID sender is not its alternate.
    expect(
      parseIncomingMessage(stanza({ from: '800:2@lid', sender_lid: '1@lid' }), OWN).senderAlt,
    ).toBeUndefined();
  });

  it('reads our own message synced from another of our devices: fromMe, chat = recipient', () => {
    const msg = parseIncomingMessage(
      stanza({
        from: '100:3@s.whatsapp.net',
        recipient: '200@s.whatsapp.net',
        peer_recipient_lid: '800@lid',
      }),
      OWN,
    );
    expect(msg).toMatchObject({
      fromMe: true,
      chat: '200@s.whatsapp.net',
      chatAlt: '800@lid',
      sender: '100:3@s.whatsapp.net',
      recipient: '200@s.whatsapp.net',
    });
    const lid = parseIncomingMessage(
      stanza({ from: '900:3@lid', recipient: '800@lid', peer_recipient_pn: '200@s.whatsapp.net' }),
      OWN,
    );
    expect(lid).toMatchObject({ fromMe: true, chat: '800@lid', chatAlt: '200@s.whatsapp.net' });
  });

  it('reads a peer message from our own device without recipient: the chat is our own user', () => {
    const msg = parseIncomingMessage(stanza({ from: '100@s.whatsapp.net', category: 'peer' }), OWN);
    expect(msg).toMatchObject({
      fromMe: true,
      chat: '100@s.whatsapp.net',
      category: 'peer',
      sender: '100@s.whatsapp.net',
    });
  });

  it('reads group messages: chat = from, sender = participant, every <enc> in order', () => {
    const encs: BinaryNode[] = [
      { tag: 'enc', attrs: { v: '2', type: 'pkmsg', count: '1' }, content: CT },
      {
        tag: 'enc',
        attrs: { v: '2', type: 'skmsg', mediatype: 'image', 'decrypt-fail': 'hide' },
        content: CT,
      },
    ];
    const msg = parseIncomingMessage(
      stanza(
        {
          from: '120363@g.us',
          participant: '800:2@lid',
          participant_pn: '200:2@s.whatsapp.net',
          addressing_mode: 'lid',
        },
        encs,
      ),
      OWN,
    );
    expect(msg).toMatchObject({
      chat: '120363@g.us',
      sender: '800:2@lid',
      senderAlt: '200:2@s.whatsapp.net',
      participant: '800:2@lid',
      isGroup: true,
      fromMe: false,
      addressingMode: 'lid',
    });
    expect(msg.chatAlt).toBeUndefined();
    expect(msg.encs).toEqual([
      { type: 'pkmsg', v: '2', ciphertext: CT, count: 1 },
      { type: 'skmsg', v: '2', ciphertext: CT, mediatype: 'image', decryptFail: 'hide' },
    ]);
    expect(parseIncomingMessage(stanza({ from: '120363@g.us', participant: '900:1@lid' }), OWN).fromMe).toBe(
      true,
    );
  });

  it('folds a hosted chat to its PN / LID account, keeps the sender device as addressed', () => {
    const msg = parseIncomingMessage(stanza({ from: '300:99@hosted' }), OWN);
    expect(msg).toMatchObject({ chat: '300@s.whatsapp.net', sender: '300:99@hosted' });
    expect(parseIncomingMessage(stanza({ from: '100:99@hosted' }), OWN).fromMe).toBe(true);
  });

  it('defaults the padding version to 2', () => {
    const msg = parseIncomingMessage(
      stanza({ from: '200@s.whatsapp.net' }, [{ tag: 'enc', attrs: { type: 'msg' }, content: CT }]),
      OWN,
    );
    expect(msg.encs[0]!.v).toBe('2');
  });

  it('refuses what a <message> requires missing or garbled', () => {
    const from = { from: '200@s.whatsapp.net' };
    const bad: [string, BinaryNode][] = [
      ['no id', { ...stanza(from), attrs: { from: '200@s.whatsapp.net', t: '1' } }],
      ['empty id', stanza({ ...from, id: '' })],
      ['no from', { ...stanza(from), attrs: { id: 'M', t: '1' } }],
      ['bad from', stanza({ from: 'nope' })],
      ['server from', stanza({ from: '@s.whatsapp.net' })],
      ['no t', { ...stanza(from), attrs: { id: 'M', from: '200@s.whatsapp.net' } }],
      ['bad t', stanza({ ...from, t: '-5' })],
      ['group without participant', stanza({ from: '1@g.us' })],
      ['server participant', stanza({ from: '1@g.us', participant: '@lid' })],
      ['server recipient', stanza({ from: '100:3@s.whatsapp.net', recipient: '@s.whatsapp.net' })],
      // Found by the fuzzer: a user with a "." reached the Signal address check as a TypeError.
      ['dotted from', stanza({ from: 'a.b:3@s.whatsapp.net' })],
      ['dotted participant', stanza({ from: '1@g.us', participant: '12.-56:3@lid' })],
      ['dotted recipient', stanza({ from: '100:3@s.whatsapp.net', recipient: 'a.b@s.whatsapp.net' })],
      ['bad alternate', stanza({ ...from, sender_lid: 'x y' })],
      ['no enc', stanza(from, [])],
      ['only unavailable', stanza(from, [{ tag: 'unavailable', attrs: { type: 'view_once' } }])],
      ['enc without type', stanza(from, [{ tag: 'enc', attrs: { v: '2' }, content: CT }])],
      ['enc without bytes', stanza(from, [{ tag: 'enc', attrs: { type: 'msg' }, content: 'text' }])],
      [
        'enc with a bad count',
        stanza(from, [{ tag: 'enc', attrs: { type: 'msg', count: 'x' }, content: CT }]),
      ],
    ];
    for (const [name, node] of bad)
      expect(() => parseIncomingMessage(node, OWN), name).toThrow(MalformedStanzaError);
  });

  it('throws nothing but MalformedStanzaError, on arbitrary nodes and on damaged messages', () => {
    const valid = fromXml(
      '<message from="120363@g.us" participant="800:2@lid" participant_pn="200:2@s.whatsapp.net" id="M" t="5"><enc type="pkmsg" v="2">AA</enc></message>',
    );
    (valid.content as BinaryNode[])[0]!.content = CT;
    fc.assert(
      fc.property(arbitraryNode, (node) =>
        expectOnly(MalformedStanzaError, () => parseIncomingMessage(node, OWN)),
      ),
    );
    fc.assert(
      fc.property(mutated(valid), (node) =>
        expectOnly(MalformedStanzaError, () => parseIncomingMessage(node, OWN)),
      ),
    );
    fc.assert(
      fc.property(
        mutated(stanza({ from: '100:3@s.whatsapp.net', recipient: '200@s.whatsapp.net' })),
        (node) => expectOnly(MalformedStanzaError, () => parseIncomingMessage(node, OWN)),
      ),
    );
  });
});

/**
 * The stanzas the server relays (docs/protocol.md §7.2; the shapes Baileys 7's `relayMessage`
 * fan-out produces at each recipient): a peer's 1:1 message, our own synced copy, a peer message
 * between our devices, a group message. One namespace per stanza, as the server requires.
 */
const relayed: fc.Arbitrary<BinaryNode> = fc
  .record({
    kind: fc.constantFrom('peer', 'own-copy', 'own-peer', 'group'),
    lid: fc.boolean(),
    device: fc.integer({ min: 0, max: 30 }),
    peer: fc.integer({ min: 200, max: 299 }),
    withAlt: fc.boolean(),
    groupFromMe: fc.boolean(),
    t: fc.integer({ min: 0, max: 2 ** 32 }),
    notify: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
  })
  .map(({ kind, lid, device, peer, withAlt, groupFromMe, t, notify }) => {
    const user = (pn: number, d = 0) =>
      lid ? `${pn + 600}${d ? `:${d}` : ''}@lid` : `${pn}${d ? `:${d}` : ''}@s.whatsapp.net`;
    const alt = (pn: number, d = 0) =>
      lid ? `${pn}${d ? `:${d}` : ''}@s.whatsapp.net` : `${pn + 600}${d ? `:${d}` : ''}@lid`;
    const attrs: Record<string, string> = { id: 'M', t: String(t), type: 'text' };
    if (notify !== undefined) attrs.notify = notify;
    if (kind === 'peer') {
      attrs.from = user(peer, device);
      if (withAlt) attrs[lid ? 'sender_pn' : 'sender_lid'] = alt(peer, device);
    } else if (kind === 'own-copy') {
      attrs.from = user(100, device);
      attrs.recipient = user(peer);
      if (withAlt) attrs[lid ? 'peer_recipient_pn' : 'peer_recipient_lid'] = alt(peer);
    } else if (kind === 'own-peer') {
      attrs.from = user(100, device);
      attrs.category = 'peer';
    } else {
      attrs.from = '120363999@g.us';
      attrs.participant = user(groupFromMe ? 100 : peer, device);
      attrs.addressing_mode = lid ? 'lid' : 'pn';
      if (withAlt) attrs[lid ? 'participant_pn' : 'participant_lid'] = alt(groupFromMe ? 100 : peer, device);
    }
    return { tag: 'message', attrs, content: [{ tag: 'enc', attrs: { v: '2', type: 'msg' }, content: CT }] };
  });

describe('parseIncomingMessage against Baileys 7 decodeMessageNode', () => {
  it('agrees on chat, fromMe, participant, alternate chat, time and push name', () => {
    fc.assert(
      fc.property(relayed, (node) => {
        const ours = parseIncomingMessage(node, { pn: '100:5@s.whatsapp.net', lid: '700:5@lid' });
        const { fullMessage } = decodeMessageNode(node, '100:5@s.whatsapp.net', '700:5@lid');
        const key = fullMessage.key;
        expect(ours.chat).toBe(jidNormalizedUser(key.remoteJid ?? undefined));
        expect(ours.fromMe).toBe(key.fromMe);
        expect(ours.participant).toBe(key.participant);
        expect(ours.timestamp).toBe(fullMessage.messageTimestamp);
        expect(ours.pushName).toBe(fullMessage.pushName ?? undefined);
        if (ours.isGroup) {
          expect(ours.senderAlt).toBe(key.participantAlt);
        } else {
          expect(ours.chatAlt).toBe(key.remoteJidAlt === undefined ? undefined : toNonAd(key.remoteJidAlt));
        }
      }),
    );
  });

  it('keeps a recipient on a message that is not ours, which Baileys refuses', () => {
    const node = stanza({ from: '200:2@s.whatsapp.net', recipient: '300@s.whatsapp.net' });
    expect(() => decodeMessageNode(node, OWN.pn, OWN.lid)).toThrow();
    expect(parseIncomingMessage(node, OWN)).toMatchObject({
      chat: '200@s.whatsapp.net',
      fromMe: false,
      recipient: '300@s.whatsapp.net',
    });
  });
});
