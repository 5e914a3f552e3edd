import { type BinaryNode, decodeNode, encodeNode, fromXml, toXml } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import {
  buildChatState,
  buildPresence,
  buildPresenceSubscribe,
  MalformedFeatureReplyError,
  parseChatState,
  parsePresence,
} from '../src/index';

const xml = (node: BinaryNode) => toXml(decodeNode(encodeNode(node)));
const same = (node: BinaryNode, expected: string) => expect(xml(node)).toBe(xml(fromXml(expected)));

describe('presence and chat state stanzas (docs/protocol.md §10.4)', () => {
  it('own presence, with the push name when there is one', () => {
    same(buildPresence('available', 'Ana'), '<presence type="available" name="Ana"/>');
    same(buildPresence('unavailable'), '<presence type="unavailable"/>');
    same(buildPresence('available', ''), '<presence type="available"/>');
  });

  it('subscribe, with the trusted-contact token as bytes when given', () => {
    same(buildPresenceSubscribe('1@s.whatsapp.net'), '<presence type="subscribe" to="1@s.whatsapp.net"/>');
    const withToken = buildPresenceSubscribe('1@s.whatsapp.net', Uint8Array.of(1, 2, 3));
    expect(decodeNode(encodeNode(withToken))).toEqual({
      tag: 'presence',
      attrs: { type: 'subscribe', to: '1@s.whatsapp.net' },
      content: [{ tag: 'tctoken', attrs: {}, content: Uint8Array.of(1, 2, 3) }],
    });
  });

  it('chat states: composing, recording (composing media=audio), paused', () => {
    same(
      buildChatState('1@s.whatsapp.net', 'composing'),
      '<chatstate to="1@s.whatsapp.net"><composing/></chatstate>',
    );
    same(
      buildChatState('1@s.whatsapp.net', 'recording'),
      '<chatstate to="1@s.whatsapp.net"><composing media="audio"/></chatstate>',
    );
    same(
      buildChatState('1@s.whatsapp.net', 'paused'),
      '<chatstate to="1@s.whatsapp.net"><paused/></chatstate>',
    );
  });

  it('reads incoming presence: available unless unavailable, last seen only as a time', () => {
    expect(parsePresence(fromXml('<presence from="1@s.whatsapp.net"/>'))).toEqual({
      jid: '1@s.whatsapp.net',
      available: true,
    });
    expect(parsePresence(fromXml('<presence from="1@lid" type="unavailable" last="1700000000"/>'))).toEqual({
      jid: '1@lid',
      available: false,
      lastSeen: 1_700_000_000,
    });
    expect(parsePresence(fromXml('<presence from="1@lid" type="unavailable" last="deny"/>'))).toEqual({
      jid: '1@lid',
      available: false,
    });
    expect(() => parsePresence(fromXml('<presence type="available"/>'))).toThrow(MalformedFeatureReplyError);
  });

  it('reads incoming chat states, the sender being the participant in a group', () => {
    expect(
      parseChatState(fromXml('<chatstate from="1@s.whatsapp.net"><composing media="audio"/></chatstate>')),
    ).toEqual({
      chat: '1@s.whatsapp.net',
      sender: '1@s.whatsapp.net',
      state: 'recording',
    });
    expect(
      parseChatState(fromXml('<chatstate from="9@g.us" participant="1@lid"><paused/></chatstate>')),
    ).toEqual({ chat: '9@g.us', sender: '1@lid', state: 'paused' });
    expect(parseChatState(fromXml('<chatstate from="1@lid"><dancing/></chatstate>'))).toBeUndefined();
    expect(() => parseChatState(fromXml('<chatstate><paused/></chatstate>'))).toThrow(
      MalformedFeatureReplyError,
    );
  });
});
