/**
 * The group wire pieces on their own: the w:g2 metadata query and the participants read from its
 * reply, the group `<message>` layout, the SKDM carried in a `Message`, and telling a
 * distribution-only message from one with content.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import { MalformedStanzaError } from '../src/errors';
import { withoutDistribution } from '../src/messaging/receive-group';
import {
  buildGroupInfoQuery,
  isGroupJid,
  parseGroupParticipants,
} from '../src/messaging/wire/group-participants';
import { decodeMessage, encodeMessage } from '../src/messaging/wire/message-codec';
import { buildGroupStanza } from '../src/messaging/wire/outgoing';

const GROUP = '120363000000000001@g.us';

describe('w:g2 metadata for sending', () => {
  it('asks <iq to=group type=get xmlns=w:g2><query request=interactive/></iq>', () => {
    expect(buildGroupInfoQuery(GROUP, 'q1')).toEqual({
      tag: 'iq',
      attrs: { id: 'q1', to: GROUP, type: 'get', xmlns: 'w:g2' },
      content: [{ tag: 'query', attrs: { request: 'interactive' } }],
    });
  });

  it('reads a LID group: mode, participants without devices, their phone numbers', () => {
    const reply: BinaryNode = {
      tag: 'iq',
      attrs: { type: 'result' },
      content: [
        {
          tag: 'group',
          attrs: { id: '120363000000000001', subject: 's', addressing_mode: 'lid' },
          content: [
            {
              tag: 'participant',
              attrs: { jid: '111@lid', type: 'superadmin', phone_number: '1555:3@s.whatsapp.net' },
            },
            { tag: 'participant', attrs: { jid: '222@lid' } },
            { tag: 'description', attrs: { id: 'd' }, content: [] },
          ],
        },
      ],
    };
    expect(parseGroupParticipants(GROUP, reply)).toEqual({
      jid: GROUP,
      addressingMode: 'lid',
      participants: [{ jid: '111@lid', pn: '1555@s.whatsapp.net' }, { jid: '222@lid' }],
    });
  });

  it('defaults to pn addressing, reads lid alternates, and refuses a reply without <group>', () => {
    const group: BinaryNode = {
      tag: 'group',
      attrs: {},
      content: [{ tag: 'participant', attrs: { jid: '1555@s.whatsapp.net', lid: '111@lid' } }],
    };
    expect(parseGroupParticipants(GROUP, group)).toEqual({
      jid: GROUP,
      addressingMode: 'pn',
      participants: [{ jid: '1555@s.whatsapp.net', lid: '111@lid' }],
    });
    expect(() => parseGroupParticipants(GROUP, { tag: 'iq', attrs: {} })).toThrow(MalformedStanzaError);
    const bad: BinaryNode = { tag: 'group', attrs: {}, content: [{ tag: 'participant', attrs: {} }] };
    expect(() => parseGroupParticipants(GROUP, bad)).toThrow(MalformedStanzaError);
    expect(isGroupJid(GROUP)).toBe(true);
    expect(isGroupJid('1555@s.whatsapp.net')).toBe(false);
  });

  it('skips a participant that is no person, and an alternate that is none of its namespace', () => {
    // Found by the fuzzer: a participant on another server reached the usync query builder as a
    // RangeError, failing the whole send.
    const group: BinaryNode = {
      tag: 'group',
      attrs: {},
      content: [
        { tag: 'participant', attrs: { jid: '1555@s.whatsapp.net', lid: '111@status' } },
        { tag: 'participant', attrs: { jid: '1556@ip6' } },
        { tag: 'participant', attrs: { jid: 'a.b@s.whatsapp.net' } },
        { tag: 'participant', attrs: { jid: '222@lid', phone_number: '1557@lid' } },
        { tag: 'participant', attrs: { jid: '333@lid', phone_number: 'x.y@s.whatsapp.net' } },
      ],
    };
    expect(parseGroupParticipants(GROUP, group).participants).toEqual([
      { jid: '1555@s.whatsapp.net' },
      { jid: '222@lid' },
      { jid: '333@lid' },
    ]);
  });
});

describe('the group <message>', () => {
  const skmsg = { ciphertext: Uint8Array.of(9, 9), mediatype: 'image' };
  it('lays out participants, device-identity (a pkmsg is in it), then the skmsg, with phash and addressing_mode', () => {
    const node = buildGroupStanza({
      to: GROUP,
      id: '3EB0AA',
      type: 'media',
      phash: '2:abcdefgh',
      addressingMode: 'lid',
      participants: [
        { jid: '111:2@lid', type: 'pkmsg', ciphertext: Uint8Array.of(1) },
        { jid: '222@lid', type: 'msg', ciphertext: Uint8Array.of(2) },
      ],
      deviceIdentity: Uint8Array.of(7),
      skmsg,
    });
    expect(node).toEqual({
      tag: 'message',
      attrs: { to: GROUP, id: '3EB0AA', type: 'media', phash: '2:abcdefgh', addressing_mode: 'lid' },
      content: [
        {
          tag: 'participants',
          attrs: {},
          content: [
            {
              tag: 'to',
              attrs: { jid: '111:2@lid' },
              content: [{ tag: 'enc', attrs: { v: '2', type: 'pkmsg' }, content: Uint8Array.of(1) }],
            },
            {
              tag: 'to',
              attrs: { jid: '222@lid' },
              content: [{ tag: 'enc', attrs: { v: '2', type: 'msg' }, content: Uint8Array.of(2) }],
            },
          ],
        },
        { tag: 'device-identity', attrs: {}, content: Uint8Array.of(7) },
        { tag: 'enc', attrs: { v: '2', type: 'skmsg', mediatype: 'image' }, content: Uint8Array.of(9, 9) },
      ],
    });
  });

  it('has only the skmsg once every device holds our key, no addressing_mode for pn groups, no device-identity without a pkmsg', () => {
    const bare = buildGroupStanza({
      to: GROUP,
      id: 'x',
      type: 'text',
      phash: '2:x',
      addressingMode: 'pn',
      participants: [],
      skmsg,
    });
    expect(bare.attrs).toEqual({ to: GROUP, id: 'x', type: 'text', phash: '2:x' });
    expect((bare.content as BinaryNode[]).map((c) => c.tag)).toEqual(['enc']);
    const msgOnly = buildGroupStanza({
      to: GROUP,
      id: 'x',
      type: 'text',
      phash: '2:x',
      addressingMode: 'pn',
      participants: [{ jid: '1@s.whatsapp.net', type: 'msg', ciphertext: Uint8Array.of(1) }],
      skmsg,
    });
    expect((msgOnly.content as BinaryNode[]).map((c) => c.tag)).toEqual(['participants', 'enc']);
    expect(() =>
      buildGroupStanza({
        to: GROUP,
        id: 'x',
        type: 'text',
        phash: '2:x',
        addressingMode: 'pn',
        participants: [{ jid: '1@s.whatsapp.net', type: 'pkmsg', ciphertext: Uint8Array.of(1) }],
        skmsg,
      }),
    ).toThrow(TypeError);
  });
});

describe('the SKDM inside a Message (docs/protocol.md §6.7)', () => {
  it('is field 2 { groupId = 1, axolotlSenderKeyDistributionMessage = 2 }', () => {
    const bytes = encodeMessage({
      senderKeyDistributionMessage: {
        groupId: 'g@g.us',
        axolotlSenderKeyDistributionMessage: Uint8Array.of(0x33, 1),
      },
    });
    // 0x12 = field 2, length-delimited; inside: 0x0a "g@g.us", 0x12 [0x33, 0x01].
    expect([...bytes]).toEqual([0x12, 12, 0x0a, 6, ...new TextEncoder().encode('g@g.us'), 0x12, 2, 0x33, 1]);
  });

  it('a distribution alone has no content; with a conversation the content stays and the SKDM goes', () => {
    const skdm = { groupId: 'g@g.us', axolotlSenderKeyDistributionMessage: Uint8Array.of(0x33) };
    expect(
      withoutDistribution(decodeMessage(encodeMessage({ senderKeyDistributionMessage: skdm }))),
    ).toBeUndefined();
    expect(
      withoutDistribution(
        decodeMessage(
          encodeMessage({
            senderKeyDistributionMessage: skdm,
            messageContextInfo: { messageSecret: Uint8Array.of(1) },
          }),
        ),
      ),
    ).toBeUndefined();
    const both = withoutDistribution(
      decodeMessage(encodeMessage({ senderKeyDistributionMessage: skdm, conversation: 'hi' })),
    );
    expect(both?.conversation).toBe('hi');
    expect(both?.senderKeyDistributionMessage).toBeUndefined();
    const plain = decodeMessage(encodeMessage({ conversation: 'plain' }));
    expect(withoutDistribution(plain)).toBe(plain);
  });
});
