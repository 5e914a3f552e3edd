import { fromXml } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import {
  applyGroupNotification,
  type GroupMetadata,
  MalformedFeatureReplyError,
  parseGroupNotification,
} from '../src/index';

const G = '120363000000000001@g.us';
const notification = (
  children: string,
  attrs = 'participant="100@lid" participant_pn="15550001@s.whatsapp.net"',
) =>
  parseGroupNotification(
    fromXml(
      `<notification from="${G}" type="w:gp2" id="n1" t="1700000100" ${attrs}>${children}</notification>`,
    ),
  );

const held: GroupMetadata = {
  jid: G,
  subject: 'Team',
  description: 'About',
  descriptionId: 'D1',
  owner: '100@lid',
  creation: 1_700_000_000,
  participants: [
    { jid: '100@lid', lid: '100@lid', admin: 'superadmin' },
    { jid: '101@lid', lid: '101@lid', phoneNumber: '15550002@s.whatsapp.net' },
  ],
  settings: {
    announcement: false,
    locked: false,
    ephemeral: 0,
    membershipApproval: false,
    memberAddMode: 'admin_add',
    addressingMode: 'lid',
  },
};

describe('w:gp2 notifications (docs/protocol.md §10.5, whatsmeow parseGroupChange)', () => {
  it('reads a <create> as the new group, with the actor and the notification addressing mode', () => {
    const parsed = notification(
      '<create reason="invite" key="k"><group id="120363000000000001" subject="Team" creation="1700000000" creator="100@lid">' +
        '<participant jid="100@lid" type="superadmin"/><participant jid="101@lid"/></group></create>',
      'participant="100@lid" addressing_mode="lid"',
    );
    expect(parsed.created).toMatchObject({
      jid: G,
      subject: 'Team',
      actor: '100@lid',
      settings: { addressingMode: 'lid' },
      participants: [{ jid: '100@lid', admin: 'superadmin' }, { jid: '101@lid' }],
    });
    expect(parsed.participants).toEqual([]);
    expect(() => notification('<create/>')).toThrow(MalformedFeatureReplyError);
  });

  it('reads each participant child as one change, with the actor', () => {
    const parsed = notification(
      '<add reason="invite"><participant jid="102@lid" phone_number="15550003@s.whatsapp.net"/></add>' +
        '<promote><participant jid="101@lid"/></promote><demote><participant jid="101@lid"/></demote>' +
        '<remove><participant jid="101@lid"/></remove>',
    );
    expect(
      parsed.participants.map((c) => [c.action, c.participants.map((p) => p.jid), c.actor, c.actorPn]),
    ).toEqual([
      ['add', ['102@lid'], '100@lid', '15550001@s.whatsapp.net'],
      ['promote', ['101@lid'], '100@lid', '15550001@s.whatsapp.net'],
      ['demote', ['101@lid'], '100@lid', '15550001@s.whatsapp.net'],
      ['remove', ['101@lid'], '100@lid', '15550001@s.whatsapp.net'],
    ]);
    expect(parsed.participants[0]!.participants[0]).toEqual({
      jid: '102@lid',
      lid: '102@lid',
      phoneNumber: '15550003@s.whatsapp.net',
    });
  });

  it('reports leave for <leave> and for a <remove> of the actor alone (by LID or PN)', () => {
    expect(notification('<leave><participant jid="101@lid"/></leave>').participants[0]!.action).toBe('leave');
    expect(
      notification('<remove><participant jid="101:2@lid"/></remove>', 'participant="101@lid"')
        .participants[0]!.action,
    ).toBe('leave');
    expect(
      notification(
        '<remove><participant jid="15550002@s.whatsapp.net"/></remove>',
        'participant="101@lid" participant_pn="15550002@s.whatsapp.net"',
      ).participants[0]!.action,
    ).toBe('leave');
    // Removing someone else, or the actor among others, stays a removal.
    expect(notification('<remove><participant jid="101@lid"/></remove>').participants[0]!.action).toBe(
      'remove',
    );
    expect(
      notification('<remove><participant jid="100@lid"/><participant jid="101@lid"/></remove>')
        .participants[0]!.action,
    ).toBe('remove');
  });

  it('gathers subject, description, settings and invite children into one update', () => {
    const parsed = notification(
      '<subject subject="New" s_t="1700000100" s_o="100@lid"/><description id="D2"><body>Now</body></description>' +
        '<announcement/><unlocked/><ephemeral expiration="86400"/>' +
        '<membership_approval_mode><group_join state="on"/></membership_approval_mode><invite code="Xyz"/>',
    );
    expect(parsed.update).toEqual({
      jid: G,
      actor: '100@lid',
      actorPn: '15550001@s.whatsapp.net',
      subject: 'New',
      description: 'Now',
      descriptionId: 'D2',
      settings: { announcement: true, locked: false, ephemeral: 86_400, membershipApproval: true },
      inviteLink: 'https://chat.whatsapp.com/Xyz',
    });
    expect(notification('<not_announcement/><locked/><not_ephemeral/>').update?.settings).toEqual({
      announcement: false,
      locked: true,
      ephemeral: 0,
    });
  });

  it("reads a deleted description as '' without id, in whatsmeow's and the attribute's form", () => {
    for (const child of [
      '<description id="D3"><delete/></description>',
      '<description id="D3" delete="true"/>',
    ]) {
      const update = notification(child).update;
      expect(update?.description).toBe('');
      expect(update).not.toHaveProperty('descriptionId');
    }
  });

  it('reads join requests made and gone as their own events, which change no metadata', () => {
    const made = notification(
      '<created_membership_requests request_method="invite_link"><requested_user jid="103@lid" phone_number="15550003@s.whatsapp.net"/></created_membership_requests>',
    );
    expect(made.joinRequests).toEqual([
      {
        jid: G,
        action: 'created',
        people: [{ jid: '103@lid', lid: '103@lid', phoneNumber: '15550003@s.whatsapp.net' }],
        actor: '100@lid',
        actorPn: '15550001@s.whatsapp.net',
      },
    ]);
    expect(made.unknown).toEqual([]);
    expect(applyGroupNotification(held, made)).toEqual(held);
    const gone = notification(
      '<revoked_membership_requests><participant jid="103@lid"/></revoked_membership_requests>',
    );
    expect(gone.joinRequests.map((e) => [e.action, e.people.map((p) => p.jid)])).toEqual([
      ['revoked', ['103@lid']],
    ]);
  });

  it('reads <member_add_mode> as a settings update, and applies it', () => {
    const parsed = notification('<member_add_mode>all_member_add</member_add_mode>');
    expect(parsed.update?.settings).toEqual({ memberAddMode: 'all_member_add' });
    expect(applyGroupNotification(held, parsed)?.settings.memberAddMode).toBe('all_member_add');
    expect(notification('<member_add_mode>admin_add</member_add_mode>').update?.settings).toEqual({
      memberAddMode: 'admin_add',
    });
  });

  it('lists children it does not know; refuses a notification without from', () => {
    expect(
      notification('<member_link_mode>admin_link</member_link_mode><missing_participant_identification/>')
        .unknown,
    ).toEqual(['member_link_mode']);
    expect(() =>
      parseGroupNotification(fromXml('<notification type="w:gp2"><locked/></notification>')),
    ).toThrow(MalformedFeatureReplyError);
  });
});

describe('applying a notification to held metadata', () => {
  it('adds, removes, promotes and demotes in place', () => {
    const next = applyGroupNotification(
      held,
      notification(
        '<add><participant jid="102@lid" phone_number="15550003@s.whatsapp.net"/><participant jid="101@lid"/></add>' +
          '<promote><participant jid="102@lid"/><participant jid="100@lid"/></promote>' +
          '<remove><participant jid="101@lid"/></remove>',
      ),
    );
    expect(next?.participants).toEqual([
      { jid: '100@lid', lid: '100@lid', admin: 'superadmin' },
      { jid: '102@lid', lid: '102@lid', phoneNumber: '15550003@s.whatsapp.net', admin: 'admin' },
    ]);
    const demoted = applyGroupNotification(
      next!,
      notification('<demote><participant jid="15550003@s.whatsapp.net"/></demote>'),
    );
    expect(demoted?.participants[1]).toEqual({
      jid: '102@lid',
      lid: '102@lid',
      phoneNumber: '15550003@s.whatsapp.net',
    });
    // The held metadata itself is left as it was.
    expect(held.participants).toHaveLength(2);
  });

  it('applies subject, description (also its removal) and settings', () => {
    const next = applyGroupNotification(
      held,
      notification(
        '<subject subject="New"/><description id="D2"><body>Now</body></description><locked/><ephemeral expiration="60"/>',
      ),
    );
    expect(next).toMatchObject({ subject: 'New', description: 'Now', descriptionId: 'D2' });
    expect(next?.settings).toEqual({ ...held.settings, locked: true, ephemeral: 60 });
    const removed = applyGroupNotification(
      next!,
      notification('<description id="D3"><delete/></description>'),
    );
    expect(removed).not.toHaveProperty('description');
    expect(removed).not.toHaveProperty('descriptionId');
  });

  it('gives up (undefined) on a child it does not know or a promotion of someone it does not hold', () => {
    expect(
      applyGroupNotification(held, notification('<modify><participant jid="101@lid"/></modify>')),
    ).toBeUndefined();
    expect(
      applyGroupNotification(held, notification('<promote><participant jid="999@lid"/></promote>')),
    ).toBeUndefined();
  });
});
