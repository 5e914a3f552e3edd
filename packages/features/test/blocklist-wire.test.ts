import { type BinaryNode, decodeNode, encodeNode, fromXml, toXml } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import {
  buildBlocklistGet,
  buildBlocklistUpdate,
  MalformedFeatureReplyError,
  parseBlocklist,
  parseBlocklistChange,
} from '../src/index';

const xml = (node: BinaryNode) => toXml(decodeNode(encodeNode(node)));

describe('blocklist IQs (docs/protocol.md §10.3)', () => {
  it('get: <iq to=s.whatsapp.net type=get xmlns=blocklist/>', () => {
    expect(xml(buildBlocklistGet())).toBe(
      xml(fromXml('<iq to="s.whatsapp.net" type="get" xmlns="blocklist"/>')),
    );
  });

  it('update: one <item action jid [pn_jid]/>, the PN only when it is another name', () => {
    expect(xml(buildBlocklistUpdate('block', '100@lid', '15550001@s.whatsapp.net'))).toBe(
      xml(
        fromXml(
          '<iq to="s.whatsapp.net" type="set" xmlns="blocklist"><item action="block" jid="100@lid" pn_jid="15550001@s.whatsapp.net"/></iq>',
        ),
      ),
    );
    expect(xml(buildBlocklistUpdate('unblock', '15550001@s.whatsapp.net', '15550001@s.whatsapp.net'))).toBe(
      xml(
        fromXml(
          '<iq to="s.whatsapp.net" type="set" xmlns="blocklist"><item action="unblock" jid="15550001@s.whatsapp.net"/></iq>',
        ),
      ),
    );
  });

  it('reads the list with its dhash; refuses a reply without <list> or an item without jid', () => {
    expect(
      parseBlocklist(
        fromXml(
          '<iq type="result"><list dhash="ab"><item jid="1@lid" t="5"/><item jid="2@lid"/></list></iq>',
        ),
      ),
    ).toEqual({ dhash: 'ab', jids: ['1@lid', '2@lid'] });
    expect(parseBlocklist(fromXml('<iq type="result"><list/></iq>'))).toEqual({ dhash: undefined, jids: [] });
    expect(() => parseBlocklist(fromXml('<iq type="result"/>'))).toThrow(MalformedFeatureReplyError);
    expect(() => parseBlocklist(fromXml('<iq><list><item/></list></iq>'))).toThrow(
      MalformedFeatureReplyError,
    );
  });

  it('reads an account_sync blocklist change, and nothing from one about something else', () => {
    const change = parseBlocklistChange(
      fromXml(
        '<notification type="account_sync"><blocklist dhash="new" prev_dhash="old"><item jid="1@lid" action="block"/><item jid="2@lid" action="unblock"/></blocklist></notification>',
      ),
    );
    expect(change).toEqual({
      dhash: 'new',
      previousDhash: 'old',
      items: [
        { jid: '1@lid', action: 'block' },
        { jid: '2@lid', action: 'unblock' },
      ],
    });
    expect(
      parseBlocklistChange(fromXml('<notification type="account_sync"><privacy/></notification>')),
    ).toBeUndefined();
    expect(() =>
      parseBlocklistChange(
        fromXml('<notification><blocklist><item jid="1@lid" action="mute"/></blocklist></notification>'),
      ),
    ).toThrow(MalformedFeatureReplyError);
  });
});
