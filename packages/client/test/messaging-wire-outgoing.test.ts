import { type BinaryNode, decodeNode, encodeNode } from '@wakit/binary-node';
import { decodeBinaryNode } from 'baileys/lib/WABinary/decode.js';
import { encodeBinaryNode } from 'baileys/lib/WABinary/encode.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildMessageStanza,
  buildRetryResend,
  ENC_VERSION,
  type OutgoingParticipant,
} from '../src/messaging/wire/outgoing';

const CT = Uint8Array.of(0x33, 1, 2, 3);
const IDENTITY = Uint8Array.of(0x0a, 0x20, 7);

describe('buildMessageStanza', () => {
  it('lays out <participants><to jid><enc v="2" type [mediatype]> and <device-identity> (docs/protocol.md §7.1)', () => {
    const stanza = buildMessageStanza({
      to: '15550001111@s.whatsapp.net',
      id: '3EB0AA',
      type: 'media',
      mediatype: 'image',
      participants: [
        { jid: '15550001111@s.whatsapp.net', type: 'pkmsg', ciphertext: CT },
        { jid: '15550001111:4@s.whatsapp.net', type: 'msg', ciphertext: CT },
        { jid: '15552223333:2@s.whatsapp.net', type: 'msg', ciphertext: CT, mediatype: 'video' },
      ],
      deviceIdentity: IDENTITY,
      children: [{ tag: 'tctoken', attrs: {}, content: Uint8Array.of(9) }],
    });
    expect(stanza).toEqual({
      tag: 'message',
      attrs: { to: '15550001111@s.whatsapp.net', id: '3EB0AA', type: 'media' },
      content: [
        {
          tag: 'participants',
          attrs: {},
          content: [
            {
              tag: 'to',
              attrs: { jid: '15550001111@s.whatsapp.net' },
              content: [{ tag: 'enc', attrs: { v: '2', type: 'pkmsg', mediatype: 'image' }, content: CT }],
            },
            {
              tag: 'to',
              attrs: { jid: '15550001111:4@s.whatsapp.net' },
              content: [{ tag: 'enc', attrs: { v: '2', type: 'msg', mediatype: 'image' }, content: CT }],
            },
            {
              tag: 'to',
              attrs: { jid: '15552223333:2@s.whatsapp.net' },
              content: [{ tag: 'enc', attrs: { v: '2', type: 'msg', mediatype: 'video' }, content: CT }],
            },
          ],
        },
        { tag: 'device-identity', attrs: {}, content: IDENTITY },
        { tag: 'tctoken', attrs: {}, content: Uint8Array.of(9) },
      ],
    });
  });

  it('adds edit, decrypt-fail and extra attributes, which never replace the standard ones', () => {
    const stanza = buildMessageStanza({
      to: '1@lid',
      id: 'X',
      type: 'text',
      edit: '7',
      decryptFail: 'hide',
      participants: [{ jid: '1:1@lid', type: 'msg', ciphertext: CT }],
      attrs: { addressing_mode: 'lid', to: 'evil@lid', id: 'other' },
    });
    expect(stanza.attrs).toEqual({ to: '1@lid', id: 'X', type: 'text', edit: '7', addressing_mode: 'lid' });
    expect(Object.keys(stanza.attrs)).toEqual(['to', 'id', 'type', 'edit', 'addressing_mode']);
    const enc = ((stanza.content as BinaryNode[])[0]!.content as BinaryNode[])[0]!.content as BinaryNode[];
    expect(enc[0]!.attrs).toEqual({ v: '2', type: 'msg', 'decrypt-fail': 'hide' });
    expect(
      buildMessageStanza({
        to: '1@lid',
        id: 'X',
        type: 'text',
        edit: '',
        participants: [{ jid: '1@lid', type: 'msg', ciphertext: CT }],
      }).attrs,
    ).not.toHaveProperty('edit');
  });

  it('sends <device-identity> iff some device gets a pkmsg, and refuses a pkmsg without one', () => {
    const participant = (type: 'pkmsg' | 'msg', i: number): OutgoingParticipant => ({
      jid: `1:${i}@lid`,
      type,
      ciphertext: CT,
    });
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<'pkmsg' | 'msg'>('pkmsg', 'msg'), { minLength: 1, maxLength: 6 }),
        (types) => {
          const participants = types.map(participant);
          const stanza = buildMessageStanza({
            to: '1@lid',
            id: 'X',
            type: 'text',
            participants,
            deviceIdentity: IDENTITY,
          });
          const tags = (stanza.content as BinaryNode[]).map((c) => c.tag);
          expect(tags).toEqual(
            types.includes('pkmsg') ? ['participants', 'device-identity'] : ['participants'],
          );
          const tos = (stanza.content as BinaryNode[])[0]!.content as BinaryNode[];
          expect(tos.map((to) => to.attrs.jid)).toEqual(participants.map((p) => p.jid));
          expect(tos.map((to) => (to.content as BinaryNode[])[0]!.attrs.type)).toEqual(types);
          if (types.includes('pkmsg')) {
            expect(() => buildMessageStanza({ to: '1@lid', id: 'X', type: 'text', participants })).toThrow(
              TypeError,
            );
          }
        },
      ),
    );
  });

  it('refuses an empty fan-out (the server would deliver the stanza to nobody)', () => {
    expect(() => buildMessageStanza({ to: '1@lid', id: 'X', type: 'text', participants: [] })).toThrow(
      TypeError,
    );
  });

  it('encodes to the bytes Baileys 7 encodes the same stanza to, and reads back', async () => {
    const stanza = buildMessageStanza({
      to: '15550001111@s.whatsapp.net',
      id: '3EB0ABCDEF0123456789AB',
      type: 'text',
      participants: [
        { jid: '15550001111@s.whatsapp.net', type: 'pkmsg', ciphertext: CT },
        { jid: '15559998888:12@s.whatsapp.net', type: 'msg', ciphertext: CT },
      ],
      deviceIdentity: IDENTITY,
    });
    const ours = encodeNode(stanza);
    expect(new Uint8Array(encodeBinaryNode(stanza))).toEqual(ours);
    expect(decodeNode(ours)).toEqual(stanza);
    const theirs = await decodeBinaryNode(Buffer.from(ours));
    expect(theirs.attrs).toEqual(stanza.attrs);
  });
});

describe('buildRetryResend', () => {
  it('puts one <enc count> directly under <message to=device> with no <participants> (§7.1 "Resend after retry")', () => {
    expect(
      buildRetryResend({
        to: '15550001111:3@s.whatsapp.net',
        id: 'M',
        type: 'media',
        count: 2,
        enc: { type: 'pkmsg', ciphertext: CT, mediatype: 'ptt' },
        deviceIdentity: IDENTITY,
      }),
    ).toEqual({
      tag: 'message',
      attrs: { to: '15550001111:3@s.whatsapp.net', id: 'M', type: 'media' },
      content: [
        { tag: 'enc', attrs: { v: ENC_VERSION, type: 'pkmsg', count: '2', mediatype: 'ptt' }, content: CT },
        { tag: 'device-identity', attrs: {}, content: IDENTITY },
      ],
    });
  });

  it('keeps the chat as recipient on a resend to our own device, and carries edit and extra attributes', () => {
    const stanza = buildRetryResend({
      to: '15554445555:2@s.whatsapp.net',
      recipient: '15550001111@s.whatsapp.net',
      id: 'M',
      type: 'text',
      edit: '1',
      count: 1,
      enc: { type: 'msg', ciphertext: CT, decryptFail: 'hide' },
      attrs: { device_fanout: 'false' },
    });
    expect(stanza.attrs).toEqual({
      to: '15554445555:2@s.whatsapp.net',
      recipient: '15550001111@s.whatsapp.net',
      id: 'M',
      type: 'text',
      edit: '1',
      device_fanout: 'false',
    });
    expect(stanza.content).toEqual([
      { tag: 'enc', attrs: { v: '2', type: 'msg', count: '1', 'decrypt-fail': 'hide' }, content: CT },
    ]);
  });

  it('refuses a pkmsg without device identity and a count that is not a positive integer', () => {
    const base = {
      to: '1:1@lid',
      id: 'M',
      type: 'text',
      count: 1,
      enc: { type: 'msg' as const, ciphertext: CT },
    };
    expect(() => buildRetryResend({ ...base, enc: { type: 'pkmsg', ciphertext: CT } })).toThrow(TypeError);
    expect(() => buildRetryResend({ ...base, count: 0 })).toThrow(RangeError);
    expect(() => buildRetryResend({ ...base, count: 1.5 })).toThrow(RangeError);
    expect(buildRetryResend({ ...base, count: 5 }).content).toHaveLength(1);
  });
});
