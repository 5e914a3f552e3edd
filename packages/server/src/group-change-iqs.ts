/**
 * `w:g2` IQs to one group (docs/protocol.md §10.5). Only members may ask anything (404 no such
 * group, 403 not a member); admins alone add (unless the group's member add mode is
 * all_member_add), remove, promote, demote, change settings and get or reset the invite code (401
 * otherwise, whatsmeow's ErrGroupInviteLinkUnauthorized); with `locked` only admins change the
 * subject and description.
 *
 *   get <query request="interactive"/>         -> <group …/> (group-nodes.ts)
 *   set <subject>text</subject>                -> result; <subject> to every member
 *   set <description id [prev]><body/></description> | <description [id] delete="true" [prev]/>
 *                                              -> result; `prev` must be the current id, and absent
 *                                                 when there is none, else 409 conflict (whatsapp-rust
 *                                                 PreviousDescription: WhatsApp's optimistic check)
 *   set <add|remove|promote|demote><participant jid/>…</…>
 *                                              -> <add|…><participant jid type="200" [phone_number|lid]/>
 *                                                 or <participant jid error/> per participant: 404 not
 *                                                 on WhatsApp / not a member, 409 already a member,
 *                                                 403 (+ add_request) refused by privacy; the
 *                                                 superadmin cannot be removed or demoted (406)
 *   set <accept code expiration admin/>        -> result: an invitee joins with an add request's
 *                                                 code (group-accept.ts; the one request a non-member
 *                                                 may make)
 *   get <invite/> | set <invite/>              -> <invite code/> (set: a new code, the old one gone,
 *                                                 and <invite code/> to the admins' devices, the
 *                                                 only members who may read the link)
 *   set <announcement/>|<not_announcement/>|<locked/>|<unlocked/>|<ephemeral expiration/>|<not_ephemeral/>
 *                                              -> result; the change to every member
 *   set <membership_approval_mode><group_join state=on|off/></membership_approval_mode>
 *                                              -> result; the change to every member; with it on a
 *                                                 join by link is a request (group-join-requests.ts)
 *   get <membership_approval_requests/> | set <membership_requests_action>…
 *                                              -> admins list, approve and reject join requests
 *   set <member_add_mode>admin_add|all_member_add</member_add_mode>
 *                                              -> result; the change to every member (400 another
 *                                                 value); with all_member_add any member may add
 *
 * Success `type="200"` is what whatsapp-rust's e2e server answers and reads as the status; Baileys
 * reads "no error" as 200 and whatsmeow only `error`. A removal is told to the remaining members and
 * to the removed one, an addition with `<add>` to those already in and `<create>` to the new ones.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { resolveAddress } from './addresses';
import { acceptAddRequest } from './group-accept';
import {
  GROUP_EPHEMERAL_DURATIONS,
  GROUP_SUBJECT_MAX_LENGTH,
  groupError,
  groupReply,
  textOf,
} from './group-iq-replies';
import { actOnJoinRequests, listJoinRequests } from './group-join-requests';
import { approvalAsked, approvalModeNode, groupNode, memberJid, otherNamespace } from './group-nodes';
import { notifyGroup, participantsChange, tellJoined } from './group-notifications';
import { memberRefusal } from './group-privacy';
import { type GroupRecord, groupAdmins, isGroupAdmin, isMemberAddMode } from './group-state';
import { child, children } from './nodes';
import type { DeviceRecord, ServerState } from './server-state';

/** Longest description accepted, in characters (whatsapp-rust GROUP_DESCRIPTION_MAX_LENGTH). */
export const GROUP_DESCRIPTION_MAX_LENGTH = 2048;

type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote';
const SETTINGS = new Set([
  'announcement',
  'not_announcement',
  'locked',
  'unlocked',
  'ephemeral',
  'not_ephemeral',
]);

/** Answers a `w:g2` IQ whose `to` is a group. */
export function handleGroupChangeIq(state: ServerState, device: DeviceRecord, node: BinaryNode): BinaryNode {
  const group = state.groups.find(node.attrs.to ?? '');
  if (group === undefined || !(node.attrs.to ?? '').endsWith('@g.us')) {
    return groupError(node, 404, 'item-not-found');
  }
  const actor = device.phoneNumber;
  // The one request from someone not (yet) a member: an invitee redeeming an add request.
  const accept = node.attrs.type === 'set' ? child(node, 'accept') : undefined;
  if (accept !== undefined) return acceptAddRequest(state, group, device, node, accept);
  if (!group.members.has(actor)) return groupError(node, 403, 'forbidden');
  const admin = isGroupAdmin(group, actor);
  const request = children(node)[0];
  const tag = request?.tag ?? '';
  if (node.attrs.type === 'get') {
    if (tag === 'query') return groupReply(node, [groupNode(state, group)]);
    if (tag === 'membership_approval_requests') {
      return admin ? listJoinRequests(state, group, node) : groupError(node, 401, 'not-authorized');
    }
    if (tag === 'invite') {
      return admin ? inviteReply(node, group) : groupError(node, 401, 'not-authorized');
    }
    return groupError(node, 501, 'feature-not-implemented');
  }
  if (node.attrs.type !== 'set' || request === undefined) return groupError(node, 400, 'bad-request');
  if (tag === 'subject' || tag === 'description') {
    if (group.locked && !admin) return groupError(node, 401, 'not-authorized');
    return tag === 'subject'
      ? setSubject(state, group, actor, node, request)
      : setDescription(state, group, actor, node, request);
  }
  if (tag === 'add' || tag === 'remove' || tag === 'promote' || tag === 'demote') {
    // With all_member_add any member may add; the rest stays the admins'.
    const allowed = admin || (tag === 'add' && group.memberAddMode === 'all_member_add');
    if (!allowed) return groupError(node, 401, 'not-authorized');
    return changeParticipants(state, group, actor, node, request, tag);
  }
  if (tag === 'membership_requests_action') {
    if (!admin) return groupError(node, 401, 'not-authorized');
    return actOnJoinRequests(state, group, actor, node, request);
  }
  if (tag === 'membership_approval_mode') {
    if (!admin) return groupError(node, 401, 'not-authorized');
    group.membershipApproval = approvalAsked(request);
    notifyGroup(state, group, actor, [approvalModeNode(group.membershipApproval)], group.members.keys());
    return groupReply(node);
  }
  if (tag === 'member_add_mode') {
    if (!admin) return groupError(node, 401, 'not-authorized');
    const mode = textOf(request) ?? '';
    if (!isMemberAddMode(mode)) return groupError(node, 400, 'bad-request');
    group.memberAddMode = mode;
    const told: BinaryNode = { tag: 'member_add_mode', attrs: {}, content: new TextEncoder().encode(mode) };
    notifyGroup(state, group, actor, [told], group.members.keys());
    return groupReply(node);
  }
  if (tag === 'invite') {
    if (!admin) return groupError(node, 401, 'not-authorized');
    group.revokedCodes.add(group.inviteCode);
    group.inviteCode = state.groups.newInviteCode();
    // The parsers read <invite code> as the link reset (whatsmeow parseGroupChange `NewInviteLink`):
    // told to those who may read the link, not to every member, whom a code would let share it.
    notifyGroup(
      state,
      group,
      actor,
      [{ tag: 'invite', attrs: { code: group.inviteCode } }],
      groupAdmins(group),
    );
    return inviteReply(node, group);
  }
  if (SETTINGS.has(tag)) {
    if (!admin) return groupError(node, 401, 'not-authorized');
    return changeSetting(state, group, actor, node, request);
  }
  return groupError(node, 501, 'feature-not-implemented');
}

function inviteReply(node: BinaryNode, group: GroupRecord): BinaryNode {
  return groupReply(node, [{ tag: 'invite', attrs: { code: group.inviteCode } }]);
}

function setSubject(
  state: ServerState,
  group: GroupRecord,
  actor: string,
  node: BinaryNode,
  request: BinaryNode,
) {
  const subject = textOf(request) ?? '';
  if (subject.trim() === '' || [...subject].length > GROUP_SUBJECT_MAX_LENGTH) {
    return groupError(node, 400, 'bad-request');
  }
  group.subject = subject;
  group.subjectTime = Math.floor(state.options.now() / 1000);
  group.subjectOwner = actor;
  const s_o = memberJid(state, actor, group.addressingMode);
  const attrs: Record<string, string> = { subject, s_t: String(group.subjectTime), s_o };
  if (group.addressingMode === 'lid') attrs.s_o_pn = memberJid(state, actor, 'pn');
  notifyGroup(state, group, actor, [{ tag: 'subject', attrs }], group.members.keys());
  return groupReply(node);
}

function setDescription(
  state: ServerState,
  group: GroupRecord,
  actor: string,
  node: BinaryNode,
  request: BinaryNode,
) {
  // The optimistic check: `prev` names the description being replaced, none when there is none.
  if (request.attrs.prev !== group.description?.id) return groupError(node, 409, 'conflict');
  const remove = request.attrs.delete === 'true';
  const text = textOf(child(request, 'body'));
  const id = request.attrs.id ?? (remove ? state.nextStanzaId() : '');
  if (id === '' || (!remove && (text === undefined || [...text].length > GROUP_DESCRIPTION_MAX_LENGTH))) {
    return groupError(node, 400, 'bad-request');
  }
  const t = Math.floor(state.options.now() / 1000);
  group.description = remove || text === undefined ? undefined : { id, text, t, by: actor };
  const content: BinaryNode[] = remove
    ? [{ tag: 'delete', attrs: {} }]
    : [{ tag: 'body', attrs: {}, content: new TextEncoder().encode(text) }];
  notifyGroup(state, group, actor, [{ tag: 'description', attrs: { id }, content }], group.members.keys());
  return groupReply(node);
}

function changeSetting(
  state: ServerState,
  group: GroupRecord,
  actor: string,
  node: BinaryNode,
  request: BinaryNode,
) {
  const tag = request.tag;
  let told: BinaryNode;
  if (tag === 'ephemeral' || tag === 'not_ephemeral') {
    const expiration = tag === 'ephemeral' ? Number(request.attrs.expiration ?? '') : 0;
    if (expiration !== 0 && !GROUP_EPHEMERAL_DURATIONS.has(expiration))
      return groupError(node, 400, 'bad-request');
    group.ephemeral = expiration;
    told =
      expiration === 0
        ? { tag: 'not_ephemeral', attrs: {} }
        : { tag: 'ephemeral', attrs: { expiration: String(expiration) } };
  } else if (tag === 'announcement' || tag === 'not_announcement') {
    group.announcement = tag === 'announcement';
    // whatsmeow reads `v_id` as required on both; the announcement version is the change's time.
    told = { tag, attrs: { v_id: String(state.options.now()) } };
  } else {
    group.locked = tag === 'locked';
    told = { tag, attrs: {} };
  }
  notifyGroup(state, group, actor, [told], group.members.keys());
  return groupReply(node);
}

function changeParticipants(
  state: ServerState,
  group: GroupRecord,
  actor: string,
  node: BinaryNode,
  request: BinaryNode,
  action: ParticipantAction,
) {
  const before = [...group.members.keys()];
  const done: string[] = [];
  const results: BinaryNode[] = [];
  for (const participant of children(request, 'participant')) {
    const jid = participant.attrs.jid ?? '';
    const target = resolveAddress(state, jid)?.account.phoneNumber;
    const error = target === undefined || done.includes(target) ? '404' : refusal(group, action, target);
    if (error !== undefined) {
      results.push({ tag: 'participant', attrs: { jid, error } });
      continue;
    }
    if (action === 'add') {
      const refused = memberRefusal(state, actor, target!, jid);
      if (refused !== undefined) {
        group.addRequests.set(refused.code, refused.request);
        results.push(refused.node);
        continue;
      }
    }
    apply(group, action, target!);
    done.push(target!);
    const other = otherNamespace(namespaceOfJid(jid) ?? group.addressingMode);
    results.push({
      tag: 'participant',
      attrs: {
        jid,
        type: '200',
        [other === 'pn' ? 'phone_number' : 'lid']: memberJid(state, target!, other),
      },
    });
  }
  if (done.length > 0) tell(state, group, actor, action, done, before);
  return groupReply(node, [{ tag: action, attrs: {}, content: results }]);
}

/** Why `action` cannot apply to `target`, as a participant error code; undefined when it can. */
function refusal(group: GroupRecord, action: ParticipantAction, target: string): string | undefined {
  const member = group.members.get(target);
  if (action === 'add') return member === undefined ? undefined : '409';
  if (member === undefined) return '404';
  // The creator stays superadmin: nobody removes or demotes it.
  if (member.role === 'superadmin' && action !== 'promote') return '406';
  return undefined;
}

function apply(group: GroupRecord, action: ParticipantAction, target: string): void {
  switch (action) {
    case 'add':
      group.members.set(target, { phoneNumber: target, role: undefined });
      group.removedByAdmin.delete(target);
      return;
    case 'remove':
      group.members.delete(target);
      group.removedByAdmin.add(target);
      return;
    case 'promote':
      if (group.members.get(target)!.role === undefined) group.members.get(target)!.role = 'admin';
      return;
    case 'demote':
      group.members.get(target)!.role = undefined;
      return;
  }
}

/** The notifications of a participant change: see the header. */
function tell(
  state: ServerState,
  group: GroupRecord,
  actor: string,
  action: ParticipantAction,
  done: readonly string[],
  before: readonly string[],
): void {
  if (action === 'add') {
    tellJoined(state, group, actor, done, before);
    return;
  }
  // Removed members are named while still resolvable; they are told along with those who stay.
  notifyGroup(state, group, actor, [participantsChange(state, group, action, done)], before);
}

function namespaceOfJid(jid: string): 'pn' | 'lid' | undefined {
  if (jid.endsWith('@lid')) return 'lid';
  if (jid.endsWith('@s.whatsapp.net')) return 'pn';
  return undefined;
}
