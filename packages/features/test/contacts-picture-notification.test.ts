/** `<notification type="picture">` read into `picture-changed` events (src/contacts/picture-notification.ts). */
import { fromXml } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import { buildGroupPictureSet, parseGroupPictureId, parsePictureNotification } from '../src/index';

describe('picture notifications', () => {
  it('give one change per set, add or delete, with its author and the stanza time', () => {
    const node = fromXml(
      '<notification from="120363@g.us" type="picture" id="1" t="1700000000">' +
        '<set jid="120363@g.us" id="7" author="100@lid"/><delete jid="200@s.whatsapp.net"/>' +
        '<add jid="300@s.whatsapp.net" id="9"/><other jid="400@s.whatsapp.net"/></notification>',
    );
    expect(parsePictureNotification(node)).toEqual([
      { jid: '120363@g.us', id: '7', removed: false, author: '100@lid', timestamp: 1700000000 },
      { jid: '200@s.whatsapp.net', removed: true, timestamp: 1700000000 },
      { jid: '300@s.whatsapp.net', id: '9', removed: false, timestamp: 1700000000 },
    ]);
  });

  it('skip a change that does not read, keeping the others', () => {
    const node = fromXml(
      '<notification from="120363@g.us" type="picture" id="1">' +
        '<set jid="120363@g.us"/><set id="3"/><delete jid="@s.whatsapp.net"/><set jid="120363@g.us" id="4" author="x"/>' +
        '<delete jid="120363@g.us" author="100@lid"/></notification>',
    );
    expect(parsePictureNotification(node)).toEqual([
      { jid: '120363@g.us', removed: true, author: '100@lid' },
    ]);
  });
});

describe('group picture set', () => {
  it('sends the JPEG as the image of the group target, and a remove without it', () => {
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xd9);
    expect(buildGroupPictureSet('120363@g.us', jpeg)).toEqual({
      tag: 'iq',
      attrs: { to: 's.whatsapp.net', type: 'set', xmlns: 'w:profile:picture', target: '120363@g.us' },
      content: [{ tag: 'picture', attrs: { type: 'image' }, content: jpeg }],
    });
    expect(buildGroupPictureSet('120363@g.us', undefined).content).toBeUndefined();
    expect(parseGroupPictureId(fromXml('<iq type="result"><picture id="12"/></iq>'))).toBe('12');
    expect(() => parseGroupPictureId(fromXml('<iq type="result"/>'))).toThrow(/without <picture id>/);
  });
});
