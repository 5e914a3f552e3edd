import { fromXml } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import {
  checkDescription,
  checkGroupJid,
  checkParticipantJid,
  checkSubject,
  GROUP_SUBJECT_MAX_LENGTH,
  InvalidGroupDescriptionError,
  InvalidGroupJidError,
  InvalidGroupSubjectError,
  MalformedFeatureReplyError,
  parseGroupReply,
  parseParticipatingGroups,
} from '../src/index';

// The reply shape whatsmeow's parseGroupNode and whatsapp-rust's GroupInfoResponse read.
const LID_GROUP =
  '<group id="120363000000000001" subject="Team" s_t="1700000001" s_o="100@lid" creation="1700000000" creator="100@lid" addressing_mode="lid" size="3">' +
  '<participant jid="100@lid" type="superadmin" phone_number="15550001@s.whatsapp.net"/>' +
  '<participant jid="101@lid" type="admin" phone_number="15550002@s.whatsapp.net"/>' +
  '<participant jid="102@lid"/>' +
  '<description id="DESC0001" participant="100@lid" t="1700000002"><body>About us</body></description>' +
  '<announcement/><locked/><ephemeral expiration="604800" trigger="1"/>' +
  '<membership_approval_mode><group_join state="on"/></membership_approval_mode>' +
  '<member_add_mode>all_member_add</member_add_mode>' +
  '</group>';

describe('group metadata', () => {
  it('reads every field of a lid group: participants with both names, admins, description, settings', () => {
    expect(parseGroupReply(fromXml(`<iq type="result">${LID_GROUP}</iq>`))).toEqual({
      jid: '120363000000000001@g.us',
      subject: 'Team',
      description: 'About us',
      descriptionId: 'DESC0001',
      owner: '100@lid',
      creation: 1_700_000_000,
      participants: [
        { jid: '100@lid', lid: '100@lid', phoneNumber: '15550001@s.whatsapp.net', admin: 'superadmin' },
        { jid: '101@lid', lid: '101@lid', phoneNumber: '15550002@s.whatsapp.net', admin: 'admin' },
        { jid: '102@lid', lid: '102@lid' },
      ],
      settings: {
        announcement: true,
        locked: true,
        ephemeral: 604_800,
        membershipApproval: true,
        memberAddMode: 'all_member_add',
        addressingMode: 'lid',
      },
    });
  });

  it('reads a pn group: the LID beside the PN, defaults for what is absent', () => {
    const metadata = parseGroupReply(
      fromXml(
        '<iq type="result"><group id="1-2@g.us" subject="Old"><participant jid="15550001@s.whatsapp.net" lid="100@lid" type="member"/>' +
          '<membership_approval_mode><group_join state="off"/></membership_approval_mode></group></iq>',
      ),
    );
    expect(metadata).toEqual({
      jid: '1-2@g.us',
      subject: 'Old',
      creation: 0,
      participants: [
        { jid: '15550001@s.whatsapp.net', phoneNumber: '15550001@s.whatsapp.net', lid: '100@lid' },
      ],
      // whatsmeow would say true here (the node is present); whatsapp-rust reads the state.
      settings: {
        announcement: false,
        locked: false,
        ephemeral: 0,
        membershipApproval: false,
        memberAddMode: 'admin_add',
        addressingMode: 'pn',
      },
    });
  });

  it('refuses a reply without <group>, a group without id, a participant without jid, a bad number', () => {
    for (const reply of [
      '<iq type="result"/>',
      '<iq type="result"><group subject="x"/></iq>',
      '<iq type="result"><group id="1"><participant type="admin"/></group></iq>',
      '<iq type="result"><group id="1" creation="soon"/></iq>',
      '<iq type="result"><group id="1"><ephemeral expiration="-5"/></group></iq>',
    ]) {
      expect(() => parseGroupReply(fromXml(reply)), reply).toThrow(MalformedFeatureReplyError);
    }
  });

  it('reads every group of a participating reply', () => {
    const groups = parseParticipatingGroups(
      fromXml(`<iq type="result"><groups>${LID_GROUP}<group id="9" subject="Other"/></groups></iq>`),
    );
    expect(groups.map((g) => [g.jid, g.subject])).toEqual([
      ['120363000000000001@g.us', 'Team'],
      ['9@g.us', 'Other'],
    ]);
    expect(() => parseParticipatingGroups(fromXml('<iq type="result"/>'))).toThrow(
      MalformedFeatureReplyError,
    );
  });
});

describe('checks before the wire', () => {
  it('subjects: not empty, at most 100 characters counted as code points', () => {
    expect(checkSubject('Team')).toBe('Team');
    expect(checkSubject('😀'.repeat(GROUP_SUBJECT_MAX_LENGTH))).toHaveLength(200);
    for (const bad of ['', '   ', 'x'.repeat(101), '😀'.repeat(101)]) {
      expect(() => checkSubject(bad)).toThrow(InvalidGroupSubjectError);
    }
  });

  it('descriptions: at most 2048 characters', () => {
    expect(checkDescription('x'.repeat(2048))).toHaveLength(2048);
    expect(() => checkDescription('x'.repeat(2049))).toThrow(InvalidGroupDescriptionError);
  });

  it('group JIDs: <id>@g.us only; participants: PN or LID users, device dropped', () => {
    expect(checkGroupJid('120363000000000001@g.us')).toBe('120363000000000001@g.us');
    for (const bad of ['15550001@s.whatsapp.net', '@g.us', 'nonsense', '1@g.us@x']) {
      expect(() => checkGroupJid(bad), bad).toThrow(InvalidGroupJidError);
    }
    expect(checkParticipantJid('15550001:3@s.whatsapp.net')).toBe('15550001@s.whatsapp.net');
    expect(checkParticipantJid('15550001@c.us')).toBe('15550001@s.whatsapp.net');
    expect(checkParticipantJid('100@lid')).toBe('100@lid');
    for (const bad of ['1@g.us', 's.whatsapp.net', 'status@broadcast', '']) {
      expect(() => checkParticipantJid(bad), bad).toThrow(InvalidGroupJidError);
    }
  });
});
