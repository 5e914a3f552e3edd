import {
  type BinaryNode,
  decodeNode,
  encodeNode,
  fromXml,
  getChild,
  getChildren,
  toXml,
} from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import {
  buildAcceptInvite,
  buildCreateGroup,
  buildDescriptionSet,
  buildGroupQuery,
  buildInviteCodeQuery,
  buildInviteInfoQuery,
  buildJoinRequestsAction,
  buildJoinRequestsQuery,
  buildJoinWithInvite,
  buildLeave,
  buildParticipantsChange,
  buildParticipatingQuery,
  buildSettingSet,
  buildSubjectSet,
  InvalidGroupJidError,
  InvalidInviteCodeError,
  inviteCodeOf,
  MalformedFeatureReplyError,
  parseInviteLink,
  parseJoinReply,
  parseJoinRequests,
  parseJoinRequestsAction,
  parseParticipantResults,
} from '../src/index';

/** Both through the codec, so attribute order and string/JID encodings are compared as sent. */
const xml = (node: BinaryNode) => toXml(decodeNode(encodeNode(node)));
const same = (node: BinaryNode, expected: string) => expect(xml(node)).toBe(xml(fromXml(expected)));
const G = '120363000000000001@g.us';

describe('group IQs (docs/protocol.md §10.5)', () => {
  it('metadata: <query request=interactive/> to the group', () => {
    same(buildGroupQuery(G), `<iq to="${G}" type="get" xmlns="w:g2"><query request="interactive"/></iq>`);
  });

  it('participating: to the groups server as a JID pair, with participants and descriptions', () => {
    same(
      buildParticipatingQuery(),
      '<iq to="@g.us" type="get" xmlns="w:g2"><participating><participants/><description/></participating></iq>',
    );
    // whatsmeow GroupServerJID / whatsapp-rust Jid::new("", Group): JID_PAIR(LIST_EMPTY, "g.us").
    const bytes = encodeNode(buildParticipatingQuery());
    expect(Buffer.from(bytes).toString('hex')).toContain('fa00');
  });

  it('create: add mode, participants (PN beside a LID only), flags, ephemeral 0 and approval off by default', () => {
    same(
      buildCreateGroup({
        subject: 'Team',
        participants: [
          { jid: '15550001@s.whatsapp.net', phoneNumber: '15550001@s.whatsapp.net' },
          { jid: '100@lid', phoneNumber: '15550002@s.whatsapp.net' },
        ],
      }),
      '<iq to="@g.us" type="set" xmlns="w:g2"><create subject="Team"><member_add_mode>all_member_add</member_add_mode>' +
        '<participant jid="15550001@s.whatsapp.net"/><participant jid="100@lid" phone_number="15550002@s.whatsapp.net"/>' +
        '<ephemeral expiration="0"/><membership_approval_mode><group_join state="off"/></membership_approval_mode></create></iq>',
    );
    same(
      buildCreateGroup({
        subject: 'T',
        participants: [],
        locked: true,
        announcement: true,
        ephemeral: 86_400,
        membershipApproval: true,
        memberAddMode: 'admin_add',
        description: { text: 'About', id: 'ABCDEF01' },
      }),
      '<iq to="@g.us" type="set" xmlns="w:g2"><create subject="T"><member_add_mode>admin_add</member_add_mode>' +
        '<locked/><announcement/><ephemeral expiration="86400"/><membership_approval_mode><group_join state="on"/></membership_approval_mode>' +
        '<description id="ABCDEF01"><body>About</body></description></create></iq>',
    );
  });

  it('subject, description (set with prev, removal), leave', () => {
    same(buildSubjectSet(G, 'New'), `<iq to="${G}" type="set" xmlns="w:g2"><subject>New</subject></iq>`);
    same(
      buildDescriptionSet(G, 'Text', 'NEW1', 'OLD1'),
      `<iq to="${G}" type="set" xmlns="w:g2"><description id="NEW1" prev="OLD1"><body>Text</body></description></iq>`,
    );
    same(
      buildDescriptionSet(G, 'First', 'NEW1'),
      `<iq to="${G}" type="set" xmlns="w:g2"><description id="NEW1"><body>First</body></description></iq>`,
    );
    same(
      buildDescriptionSet(G, undefined, 'NEW2', 'NEW1'),
      `<iq to="${G}" type="set" xmlns="w:g2"><description id="NEW2" delete="true" prev="NEW1"/></iq>`,
    );
    same(buildLeave(G), `<iq to="@g.us" type="set" xmlns="w:g2"><leave><group id="${G}"/></leave></iq>`);
  });

  it('settings: one child each, ephemeral 0 as not_ephemeral', () => {
    const cases: [Parameters<typeof buildSettingSet>[1], string][] = [
      [{ setting: 'announcement', on: true }, '<announcement/>'],
      [{ setting: 'announcement', on: false }, '<not_announcement/>'],
      [{ setting: 'locked', on: true }, '<locked/>'],
      [{ setting: 'locked', on: false }, '<unlocked/>'],
      [{ setting: 'ephemeral', seconds: 604_800 }, '<ephemeral expiration="604800"/>'],
      [{ setting: 'ephemeral', seconds: 0 }, '<not_ephemeral/>'],
      [
        { setting: 'membershipApproval', on: true },
        '<membership_approval_mode><group_join state="on"/></membership_approval_mode>',
      ],
      [
        { setting: 'memberAddMode', mode: 'all_member_add' },
        '<member_add_mode>all_member_add</member_add_mode>',
      ],
      [{ setting: 'memberAddMode', mode: 'admin_add' }, '<member_add_mode>admin_add</member_add_mode>'],
    ];
    for (const [change, child] of cases) {
      same(buildSettingSet(G, change), `<iq to="${G}" type="set" xmlns="w:g2">${child}</iq>`);
    }
  });
});

describe('participant changes', () => {
  it('builds <action><participant jid/>…, a LID with its PN only when adding', () => {
    const people = [
      { jid: '100@lid', phoneNumber: '15550002@s.whatsapp.net' },
      { jid: '15550003@s.whatsapp.net' },
    ];
    same(
      buildParticipantsChange(G, 'add', people),
      `<iq to="${G}" type="set" xmlns="w:g2"><add><participant jid="100@lid" phone_number="15550002@s.whatsapp.net"/><participant jid="15550003@s.whatsapp.net"/></add></iq>`,
    );
    same(
      buildParticipantsChange(G, 'promote', people),
      `<iq to="${G}" type="set" xmlns="w:g2"><promote><participant jid="100@lid"/><participant jid="15550003@s.whatsapp.net"/></promote></iq>`,
    );
  });

  it('names a person with its trusted-contact token as bytes on a create and an add, never on other changes', () => {
    const token = Uint8Array.of(1, 2, 3, 250);
    const person = { jid: '100@lid', phoneNumber: '15550002@s.whatsapp.net', privacyToken: token };
    const named: BinaryNode = {
      tag: 'participant',
      attrs: { jid: '100@lid', phone_number: '15550002@s.whatsapp.net' },
      content: [{ tag: 'privacy', attrs: {}, content: token }],
    };
    const create = getChild(buildCreateGroup({ subject: 'T', participants: [person] }), 'create')!;
    expect(getChildren(create, 'participant')).toEqual([named]);
    expect(getChild(buildParticipantsChange(G, 'add', [person]), 'add')!.content).toEqual([named]);
    for (const action of ['remove', 'promote', 'demote'] as const) {
      expect(getChild(buildParticipantsChange(G, action, [person]), action)!.content).toEqual([
        { tag: 'participant', attrs: { jid: '100@lid' } },
      ]);
    }
  });

  it('reads each participant: ok without error, failed with the code and the add_request invite', () => {
    const reply = fromXml(
      '<iq type="result"><add>' +
        '<participant jid="100@lid" phone_number="15550002@s.whatsapp.net"/>' +
        '<participant jid="101@lid" error="403"><add_request code="AbC" expiration="1700000000"/></participant>' +
        '<participant jid="15550009@s.whatsapp.net" error="409"/>' +
        '</add></iq>',
    );
    expect(parseParticipantResults(reply, 'add')).toEqual([
      { jid: '100@lid', status: 'ok', lid: '100@lid', phoneNumber: '15550002@s.whatsapp.net' },
      {
        jid: '101@lid',
        status: 'failed',
        error: 403,
        lid: '101@lid',
        addRequest: { code: 'AbC', expiration: 1_700_000_000 },
      },
      {
        jid: '15550009@s.whatsapp.net',
        status: 'failed',
        error: 409,
        phoneNumber: '15550009@s.whatsapp.net',
      },
    ]);
  });

  it('refuses a reply without the action, or with a non-numeric error', () => {
    expect(() => parseParticipantResults(fromXml('<iq type="result"><remove/></iq>'), 'add')).toThrow(
      MalformedFeatureReplyError,
    );
    expect(() =>
      parseParticipantResults(
        fromXml('<iq type="result"><remove><participant jid="1@lid" error="nope"/></remove></iq>'),
        'remove',
      ),
    ).toThrow(MalformedFeatureReplyError);
  });
});

describe('invites', () => {
  it('gets with type get, resets with type set, and gives the chat.whatsapp.com link', () => {
    same(buildInviteCodeQuery(G, false), `<iq to="${G}" type="get" xmlns="w:g2"><invite/></iq>`);
    same(buildInviteCodeQuery(G, true), `<iq to="${G}" type="set" xmlns="w:g2"><invite/></iq>`);
    expect(parseInviteLink(fromXml('<iq type="result"><invite code="Abc123"/></iq>'))).toBe(
      'https://chat.whatsapp.com/Abc123',
    );
    expect(() => parseInviteLink(fromXml('<iq type="result"/>'))).toThrow(MalformedFeatureReplyError);
  });

  it('reads the code from a link in the forms whatsapp-rust reads, or a bare code', () => {
    for (const link of [
      'Abc123',
      'https://chat.whatsapp.com/Abc123',
      'http://chat.whatsapp.com/Abc123/',
      'https://chat.whatsapp.com/invite/Abc123?utm=x',
      '  https://chat.whatsapp.com/Abc123  ',
    ]) {
      expect(inviteCodeOf(link)).toBe('Abc123');
    }
    for (const bad of ['', 'https://chat.whatsapp.com/', 'https://example.com/Abc', 'a b']) {
      expect(() => inviteCodeOf(bad)).toThrow(InvalidInviteCodeError);
    }
  });

  it('joins with <invite code/> to the groups server; reads joined and pending approval', () => {
    same(
      buildJoinWithInvite('Abc123'),
      '<iq to="@g.us" type="set" xmlns="w:g2"><invite code="Abc123"/></iq>',
    );
    expect(parseJoinReply(fromXml(`<iq type="result"><group jid="${G}"/></iq>`))).toEqual({
      jid: G,
      pendingApproval: false,
    });
    expect(
      parseJoinReply(fromXml(`<iq type="result"><membership_approval_request jid="${G}"/></iq>`)),
    ).toEqual({
      jid: G,
      pendingApproval: true,
    });
    expect(() => parseJoinReply(fromXml('<iq type="result"/>'))).toThrow(MalformedFeatureReplyError);
  });

  it('lists, approves and rejects join requests, and reads the answers', () => {
    same(
      buildJoinRequestsQuery(G),
      `<iq to="${G}" type="get" xmlns="w:g2"><membership_approval_requests/></iq>`,
    );
    expect(
      parseJoinRequests(
        fromXml(
          '<iq type="result"><membership_approval_requests><membership_approval_request jid="102@lid" request_time="1700000300"/>' +
            '<membership_approval_request jid="103@lid"/></membership_approval_requests></iq>',
        ),
      ),
    ).toEqual([
      { jid: '102@lid', requestedAt: 1_700_000_300 },
      { jid: '103@lid', requestedAt: 0 },
    ]);
    same(
      buildJoinRequestsAction(G, 'approve', ['102@lid', '103@lid']),
      `<iq to="${G}" type="set" xmlns="w:g2"><membership_requests_action><approve><participant jid="102@lid"/><participant jid="103@lid"/></approve></membership_requests_action></iq>`,
    );
    const reply = fromXml(
      '<iq type="result"><membership_requests_action><reject><participant jid="102@lid"/><participant jid="103@lid" error="404"/></reject></membership_requests_action></iq>',
    );
    expect(parseJoinRequestsAction(reply, 'reject').map((r) => [r.jid, r.status, r.error])).toEqual([
      ['102@lid', 'ok', undefined],
      ['103@lid', 'failed', 404],
    ]);
    expect(() => parseJoinRequestsAction(reply, 'approve')).toThrow(MalformedFeatureReplyError);
    expect(() => parseJoinRequests(fromXml('<iq type="result"/>'))).toThrow(MalformedFeatureReplyError);
  });

  it('asks about a link with <invite code/> (get) to the groups server', () => {
    same(
      buildInviteInfoQuery('Abc123'),
      '<iq to="@g.us" type="get" xmlns="w:g2"><invite code="Abc123"/></iq>',
    );
  });

  it('accepts a personal invite with <accept code expiration admin/> to the group, refusing bad fields first', () => {
    const invite = {
      jid: G,
      inviter: '15550001:3@s.whatsapp.net',
      code: 'a+b/c=',
      expiration: 1_700_259_200,
    };
    same(
      buildAcceptInvite(invite),
      `<iq to="${G}" type="set" xmlns="w:g2"><accept code="a+b/c=" expiration="1700259200" admin="15550001@s.whatsapp.net"/></iq>`,
    );
    expect(() => buildAcceptInvite({ ...invite, jid: '15550001@s.whatsapp.net' })).toThrow(
      InvalidGroupJidError,
    );
    expect(() => buildAcceptInvite({ ...invite, inviter: G })).toThrow(InvalidGroupJidError);
    expect(() => buildAcceptInvite({ ...invite, code: '' })).toThrow(InvalidInviteCodeError);
    for (const expiration of [-1, 1.5, Number.NaN]) {
      expect(() => buildAcceptInvite({ ...invite, expiration })).toThrow(RangeError);
    }
  });
});
