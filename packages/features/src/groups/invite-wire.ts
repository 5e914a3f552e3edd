/**
 * Invite links (docs/protocol.md §10.5), sans-IO:
 *
 *   code      <iq to=<group> type=get xmlns=w:g2><invite/></iq>  -> <invite code/>
 *   reset     the same with type=set: the old link stops working   -> <invite code/>
 *   look      <iq to=@g.us type=get xmlns=w:g2><invite code/></iq>  -> <group …/>, not joined
 *   join      <iq to=@g.us type=set xmlns=w:g2><invite code/></iq>
 *             -> <group jid/>, or <membership_approval_request jid/> when an admin must approve
 *   accept    <iq to=<group> type=set xmlns=w:g2><accept code expiration admin=<inviter>/></iq>
 *             joins with a personal invite: the code of an add the invitee's privacy refused,
 *             which the admin sent in a GroupInviteMessage (whatsmeow JoinGroupWithInvite)
 *
 * The link is `https://chat.whatsapp.com/<code>` (whatsmeow InviteLinkPrefix, whatsapp-rust
 * GetGroupInviteLinkIq). A join accepts the link or the bare code, in the forms whatsapp-rust's
 * `extract_invite_code` reads (http or https, an `invite/` path, a query or trailing slash).
 */
import { type BinaryNode, getChild } from '@wakit/binary-node';
import { InvalidInviteCodeError, MalformedFeatureReplyError } from '../errors';
import { checkGroupJid, checkParticipantJid } from './group-checks';
import { GROUPS_SERVER, groupIq, INVITE_LINK_PREFIX } from './groups-wire';

/** What joining by invite gave. */
export interface JoinResult {
  /** The group joined, or asked to join. */
  jid: string;
  /** True when the group needs an admin's approval first: the request is pending, not joined. */
  pendingApproval: boolean;
}

/** Characters an invite code is made of (WhatsApp's are 22 letters and digits). */
const CODE = /^[A-Za-z0-9_-]+$/;

/** The current invite code of the group, or a new one (`reset`, which revokes the old link). */
export function buildInviteCodeQuery(groupJid: string, reset: boolean): BinaryNode {
  return groupIq(reset ? 'set' : 'get', groupJid, { tag: 'invite', attrs: {} });
}

/**
 * The link in an invite-code reply.
 *
 * @throws MalformedFeatureReplyError when it has no `<invite code>`.
 */
export function parseInviteLink(reply: BinaryNode): string {
  const code = getChild(reply, 'invite')?.attrs.code;
  if (!code) throw new MalformedFeatureReplyError('an invite reply without <invite code>');
  return `${INVITE_LINK_PREFIX}${code}`;
}

/**
 * The code in `link` (a link or a bare code).
 *
 * @throws InvalidInviteCodeError when no code can be read from it.
 */
export function inviteCodeOf(link: string): string {
  const input = link.trim();
  const path = input.replace(/^https?:\/\/chat\.whatsapp\.com\//, '');
  const code = (path === input ? input : path.replace(/^invite\//, '').split('?')[0]!).replace(/\/+$/, '');
  if (!CODE.test(code)) {
    throw new InvalidInviteCodeError(link, 'expected https://chat.whatsapp.com/<code> or the code itself');
  }
  return code;
}

/** Joins the group `code` invites to. */
export function buildJoinWithInvite(code: string): BinaryNode {
  return groupIq('set', GROUPS_SERVER, { tag: 'invite', attrs: { code } });
}

/**
 * Asks about the group `code` invites to, without joining (whatsmeow GetGroupInfoFromLink,
 * whatsapp-rust `get_invite_info`, Baileys `groupGetInviteInfo`): the answer is its `<group>`.
 */
export function buildInviteInfoQuery(code: string): BinaryNode {
  return groupIq('get', GROUPS_SERVER, { tag: 'invite', attrs: { code } });
}

/**
 * The group a join reply names (whatsapp-rust parse_join_group_response; whatsmeow reads the same
 * two forms).
 *
 * @throws MalformedFeatureReplyError when it names none.
 */
export function parseJoinReply(reply: BinaryNode): JoinResult {
  const group = getChild(reply, 'group')?.attrs.jid;
  if (group) return { jid: group, pendingApproval: false };
  const pending = getChild(reply, 'membership_approval_request')?.attrs.jid;
  if (pending) return { jid: pending, pendingApproval: true };
  throw new MalformedFeatureReplyError(
    'a join reply without <group jid> or <membership_approval_request jid>',
  );
}

/**
 * A personal invite, as a GroupInviteMessage carries it (`groupJid`, `inviteCode`,
 * `inviteExpiration`, and its sender): the code an add refused by the invitee's privacy gave the
 * admin (`ParticipantResult.addRequest`).
 */
export interface PersonalInvite {
  /** The group. */
  jid: string;
  /** The admin who invited: the message's sender. */
  inviter: string;
  code: string;
  /** Unix seconds. */
  expiration: number;
}

/**
 * Joins with `invite` (whatsmeow JoinGroupWithInvite: `code`, `expiration`, and the inviter as
 * `admin`).
 *
 * @throws InvalidGroupJidError for a group or inviter JID that is not one; InvalidInviteCodeError
 *   for an empty code; RangeError for an expiration that is not Unix seconds.
 */
export function buildAcceptInvite(invite: PersonalInvite): BinaryNode {
  const group = checkGroupJid(invite.jid);
  const admin = checkParticipantJid(invite.inviter);
  if (typeof invite.code !== 'string' || invite.code === '') {
    throw new InvalidInviteCodeError(String(invite.code), 'expected the code of a GroupInviteMessage');
  }
  if (!Number.isSafeInteger(invite.expiration) || invite.expiration < 0) {
    throw new RangeError(`"expiration" expected Unix seconds, got ${invite.expiration}`);
  }
  return groupIq('set', group, {
    tag: 'accept',
    attrs: { code: invite.code, expiration: String(invite.expiration), admin },
  });
}
