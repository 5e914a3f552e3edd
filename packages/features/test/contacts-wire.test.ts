import { type BinaryNode, decodeNode, encodeNode, fromXml, toXml } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import {
  buildOnWhatsAppQuery,
  buildProfilePictureGet,
  buildUserInfoQuery,
  MalformedFeatureReplyError,
  parseOnWhatsApp,
  parseProfilePicture,
  parseUserInfo,
  phoneDigits,
} from '../src/index';

const xml = (node: BinaryNode) => toXml(decodeNode(encodeNode(node)));
const same = (node: BinaryNode, expected: string) => expect(xml(node)).toBe(xml(fromXml(expected)));
const reply = (inner: string) => fromXml(`<iq type="result">${inner}</iq>`);

describe('on WhatsApp: the usync contact query (docs/protocol.md §10.6)', () => {
  it('takes digits with or without +, nothing else', () => {
    expect(phoneDigits('+15551234567')).toBe('15551234567');
    expect(phoneDigits('15551234567')).toBe('15551234567');
    for (const bad of [
      '',
      '+',
      '1',
      '+1 555 123',
      '1555-123',
      '15551234567@s.whatsapp.net',
      '++1555',
      '1234567890123456',
    ])
      expect(() => phoneDigits(bad), bad).toThrow(RangeError);
  });

  it('asks each number as +digits, with the contact and lid protocols', () => {
    same(
      buildOnWhatsAppQuery(['15551234567', '4930123'], 'sid-1'),
      `<iq to="s.whatsapp.net" type="get" xmlns="usync"><usync sid="sid-1" mode="query" last="true" index="0" context="interactive">
        <query><contact/><lid/></query>
        <list><user><contact>+15551234567</contact></user><user><contact>+4930123</contact></user></list></usync></iq>`,
    );
  });

  it('matches answers by the echoed number, reading both the PN form and the LID form (pn_jid)', () => {
    const answers = parseOnWhatsApp(
      reply(`<usync><list>
        <user jid="4930123@s.whatsapp.net"><contact type="out">+4930123</contact></user>
        <user jid="15551234567@s.whatsapp.net"><lid val="88:0@lid"/><contact type="in">+15551234567</contact></user>
        <user jid="99@lid" pn_jid="4940555@s.whatsapp.net"><contact type="in">4940555@c.us</contact></user>
        <user jid="4950777@s.whatsapp.net"><contact type="in"><error code="429" text="rate-overlimit"/></contact></user>
      </list></usync>`),
    );
    expect(Object.fromEntries(answers)).toEqual({
      '4930123': { exists: false, jid: undefined, lid: undefined },
      '15551234567': { exists: true, jid: '15551234567@s.whatsapp.net', lid: '88@lid' },
      '4940555': { exists: true, jid: '4940555@s.whatsapp.net', lid: '99@lid' },
      '4950777': { exists: false, jid: undefined, lid: undefined },
    });
  });

  it('refuses a reply without a list, or a user naming no number', () => {
    expect(() => parseOnWhatsApp(reply('<usync/>'))).toThrow(MalformedFeatureReplyError);
    expect(() =>
      parseOnWhatsApp(reply('<usync><list><user jid="9@lid"><contact type="in"/></user></list></usync>')),
    ).toThrow(MalformedFeatureReplyError);
  });
});

/** A VerifiedNameCertificate: details (1) holding verifiedName (4) = `name`, and a signature (2). */
function certificate(name: string): Uint8Array {
  const text = new TextEncoder().encode(name);
  const details = [0x08, 0x96, 0x01, 0x22, text.length, ...text]; // serial 150, then the name
  return Uint8Array.from([0x0a, details.length, ...details, 0x12, 2, 0xaa, 0xbb]);
}

describe('user info: the usync full query (whatsmeow GetUserInfo)', () => {
  it('asks business, status, picture, devices v2 and lid, with a user token where there is one', () => {
    same(
      buildUserInfoQuery([{ jid: '1@s.whatsapp.net' }, { jid: '2@lid' }], 's'),
      `<iq to="s.whatsapp.net" type="get" xmlns="usync"><usync sid="s" mode="full" last="true" index="0" context="background">
        <query><business><verified_name/></business><status/><picture/><devices version="2"/><lid/></query>
        <list><user jid="1@s.whatsapp.net"/><user jid="2@lid"/></list></usync></iq>`,
    );
    const list = (
      (buildUserInfoQuery([{ jid: '2@lid', tcToken: Uint8Array.of(7) }], 's').content as BinaryNode[])[0]!
        .content as BinaryNode[]
    )[1]!;
    expect(((list.content as BinaryNode[])[0]!.content as BinaryNode[])[0]).toEqual({
      tag: 'tctoken',
      attrs: {},
      content: Uint8Array.of(7),
    });
  });

  it('reads status and its time, picture id, devices (hosted ones on hosted servers), lid, verified name', () => {
    const business: BinaryNode = {
      tag: 'business',
      attrs: {},
      content: [{ tag: 'verified_name', attrs: {}, content: certificate('Acme Ltd') }],
    };
    const parsed = fromXml(`<iq type="result"><usync><list>
      <user jid="15551234567@s.whatsapp.net"><status t="1700000000">Hey there</status><picture id="1234"/>
        <devices><device-list><device id="0"/><device id="3" key-index="3"/><device id="99" is_hosted="true"/></device-list></devices>
        <lid val="88@lid"/></user>
      <user jid="2@lid"><status><error code="401" text="not-authorized"/></status><picture><error code="404"/></picture></user>
    </list></usync></iq>`);
    const users = ((parsed.content as BinaryNode[])[0]!.content as BinaryNode[])[0]!.content as BinaryNode[];
    (users[0]!.content as BinaryNode[]).push(business);
    const info = parseUserInfo(parsed);
    expect(info.get('15551234567@s.whatsapp.net')).toEqual({
      jid: '15551234567@s.whatsapp.net',
      status: 'Hey there',
      statusSetAt: 1_700_000_000,
      pictureId: '1234',
      devices: ['15551234567@s.whatsapp.net', '15551234567:3@s.whatsapp.net', '15551234567:99@hosted'],
      lid: '88@lid',
      verifiedName: 'Acme Ltd',
    });
    expect(info.get('2@lid')).toEqual({ jid: '2@lid', devices: [] });
  });

  it('refuses a reply without a list, a device id or status time that is not a number, a broken certificate', () => {
    const user = (inner: string) =>
      reply(`<usync><list><user jid="1@s.whatsapp.net">${inner}</user></list></usync>`);
    expect(() => parseUserInfo(reply('<usync/>'))).toThrow(MalformedFeatureReplyError);
    expect(() => parseUserInfo(reply('<usync><list><user/></list></usync>'))).toThrow(
      MalformedFeatureReplyError,
    );
    expect(() =>
      parseUserInfo(user('<devices><device-list><device id="x"/></device-list></devices>')),
    ).toThrow(MalformedFeatureReplyError);
    expect(() => parseUserInfo(user('<status t="soon">hi</status>'))).toThrow(MalformedFeatureReplyError);
    const broken = user('');
    const node = ((broken.content as BinaryNode[])[0]!.content as BinaryNode[])[0]!.content as BinaryNode[];
    (node[0]!.content as BinaryNode[]) = [
      {
        tag: 'business',
        attrs: {},
        content: [{ tag: 'verified_name', attrs: {}, content: Uint8Array.of(0x0a, 9, 1) }],
      },
    ];
    expect(() => parseUserInfo(broken)).toThrow(MalformedFeatureReplyError);
  });
});

describe('profile pictures (docs/protocol.md §10.7)', () => {
  it('asks the image or the preview of a target, with the known id and the token as given', () => {
    same(
      buildProfilePictureGet('1@s.whatsapp.net'),
      '<iq to="s.whatsapp.net" type="get" xmlns="w:profile:picture" target="1@s.whatsapp.net"><picture type="image" query="url"/></iq>',
    );
    same(
      buildProfilePictureGet('1@lid', { preview: true, id: '55' }),
      '<iq to="s.whatsapp.net" type="get" xmlns="w:profile:picture" target="1@lid"><picture type="preview" query="url" id="55"/></iq>',
    );
    const withToken = buildProfilePictureGet('1@lid', { tcToken: Uint8Array.of(9) });
    expect(((withToken.content as BinaryNode[])[0]!.content as BinaryNode[])[0]).toEqual({
      tag: 'tctoken',
      attrs: {},
      content: Uint8Array.of(9),
    });
  });

  it('reads a picture, unchanged (304, or no url for a known id), none (204, 404) and not authorized (401)', () => {
    expect(
      parseProfilePicture(
        reply('<picture id="7" url="https://x/p.jpg" direct_path="/p.jpg" type="image" hash="aGk="/>'),
      ),
    ).toEqual({ id: '7', url: 'https://x/p.jpg', directPath: '/p.jpg', type: 'image', hash: 'aGk=' });
    expect(parseProfilePicture(reply('<picture id="7" type="image" status="304"/>'), '7')).toEqual({
      id: '7',
      unchanged: true,
    });
    expect(parseProfilePicture(reply('<picture/>'), '7')).toEqual({ id: '7', unchanged: true });
    expect(parseProfilePicture(reply(''), '7')).toEqual({ id: '7', unchanged: true });
    expect(parseProfilePicture(reply('<picture status="204"/>'))).toBeUndefined();
    expect(
      parseProfilePicture(reply('<picture><error code="404" text="item-not-found"/></picture>')),
    ).toBeUndefined();
    expect(
      parseProfilePicture(reply('<picture><error code="401" text="not-authorized"/></picture>')),
    ).toEqual({
      notAuthorized: true,
      text: 'not-authorized',
    });
  });

  it('refuses a reply without a picture (no id known), without id or url, or with another error', () => {
    expect(() => parseProfilePicture(reply(''))).toThrow(MalformedFeatureReplyError);
    expect(() => parseProfilePicture(reply('<picture id="7"/>'))).toThrow(MalformedFeatureReplyError);
    expect(() => parseProfilePicture(reply('<picture><error code="500"/></picture>'))).toThrow(
      MalformedFeatureReplyError,
    );
  });
});
