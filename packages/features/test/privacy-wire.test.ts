import { type BinaryNode, decodeNode, encodeNode, fromXml, toXml } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import {
  buildDisallowedListSet,
  buildDisappearingModeSet,
  buildPrivacyGet,
  buildPrivacySet,
  dhashIn,
  MalformedFeatureReplyError,
  parsePrivacySettings,
  readDisappearingMode,
} from '../src/index';

/** The node as XML, the shapes docs/protocol.md writes (after a trip through the binary codec). */
const xml = (node: BinaryNode) => toXml(decodeNode(encodeNode(node)));

describe('privacy IQ builders (docs/protocol.md §10.1, §10.2)', () => {
  it('get: <iq to=s.whatsapp.net type=get xmlns=privacy><privacy/>', () => {
    expect(xml(buildPrivacyGet())).toBe(
      xml(fromXml('<iq to="s.whatsapp.net" type="get" xmlns="privacy"><privacy/></iq>')),
    );
  });

  it('set: one <category name value/>', () => {
    expect(xml(buildPrivacySet('online', 'match_last_seen'))).toBe(
      xml(
        fromXml(
          '<iq to="s.whatsapp.net" type="set" xmlns="privacy"><privacy><category name="online" value="match_last_seen"/></privacy></iq>',
        ),
      ),
    );
  });

  it('disallowed list: addressing_mode=lid, the current dhash, users with pn_jid when known', () => {
    const iq = buildDisallowedListSet('last', {
      dhash: '1234',
      users: [
        { action: 'add', jid: '100@lid', pnJid: '15550001@s.whatsapp.net' },
        { action: 'remove', jid: '200@lid' },
      ],
    });
    expect(xml(iq)).toBe(
      xml(
        fromXml(
          '<iq to="s.whatsapp.net" type="set" xmlns="privacy"><privacy addressing_mode="lid">' +
            '<category name="last" value="contact_blacklist" dhash="1234">' +
            '<user action="add" jid="100@lid" pn_jid="15550001@s.whatsapp.net"/><user action="remove" jid="200@lid"/>' +
            '</category></privacy></iq>',
        ),
      ),
    );
  });

  it('default disappearing mode: <disappearing_mode duration/>', () => {
    expect(xml(buildDisappearingModeSet(86_400))).toBe(
      xml(
        fromXml(
          '<iq to="s.whatsapp.net" type="set" xmlns="disappearing_mode"><disappearing_mode duration="86400"/></iq>',
        ),
      ),
    );
  });
});

describe('privacy reply parsers', () => {
  it('reads every category in order, keeping unknown ones and the dhash of a list', () => {
    const reply = fromXml(
      '<iq type="result"><privacy><category name="last" value="contact_blacklist" dhash="77"/>' +
        '<category name="online" value="all"/><category name="future" value="sometimes"/></privacy></iq>',
    );
    expect(parsePrivacySettings(reply)).toEqual([
      { category: 'last', value: 'contact_blacklist', dhash: '77' },
      { category: 'online', value: 'all' },
      { category: 'future', value: 'sometimes' },
    ]);
    expect(dhashIn(reply, 'last')).toBe('77');
    expect(dhashIn(reply, 'online')).toBeUndefined();
  });

  it('an empty result (a set the server does not echo) has no settings', () => {
    expect(parsePrivacySettings(fromXml('<iq type="result"/>'))).toEqual([]);
  });

  it('refuses a category without its name or value', () => {
    for (const bad of [
      '<category value="all"/>',
      '<category name="last"/>',
      '<category name="" value="all"/>',
    ]) {
      expect(() => parsePrivacySettings(fromXml(`<iq><privacy>${bad}</privacy></iq>`))).toThrow(
        MalformedFeatureReplyError,
      );
    }
  });

  it('reads a disappearing_mode notification, and nothing from a broken one', () => {
    const node = (attrs: string) =>
      fromXml(`<notification type="disappearing_mode"><disappearing_mode ${attrs}/></notification>`);
    expect(readDisappearingMode(node('duration="604800" t="1700000000"'))).toEqual({
      duration: 604_800,
      timestamp: 1_700_000_000,
    });
    expect(readDisappearingMode(node('duration="0"'))).toEqual({ duration: 0 });
    expect(readDisappearingMode(node('duration="-1"'))).toBeUndefined();
    expect(readDisappearingMode(node('duration="soon"'))).toBeUndefined();
    expect(readDisappearingMode(fromXml('<notification type="disappearing_mode"/>'))).toBeUndefined();
  });
});
