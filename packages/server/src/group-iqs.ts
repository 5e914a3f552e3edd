/**
 * `w:g2` IQs to the group server `@g.us` (docs/protocol.md §10.5), and the router for every `w:g2`
 * IQ: what names a group goes to group-change-iqs.ts. Replies come `from` the JID the IQ went to,
 * as WhatsApp answers group IQs.
 *
 *   get <participating>                   -> <groups><group …/>…</groups>, the asker's groups
 *   set <create subject [key]><participant jid/>…[<ephemeral expiration/>][<locked/>][<announcement/>]</create>
 *                                         -> <group …/>: the creator superadmin; a participant the
 *                                            server does not know is listed with error="404", one
 *                                            whose `groupadd` privacy refuses the creator with
 *                                            error="403" and an <add_request code expiration/>;
 *                                            a <privacy> token inside a <participant> (the one the
 *                                            person issued to the creator) is accepted, not checked
 *   set <leave><group id=G/>…</leave>     -> result; the others and the leaver get <remove>
 *   set <invite code/>                    -> <group jid=G/>: joined; 406 unknown code, 410 a reset
 *                                            code, 405 removed by an admin, 304 already a member
 *   get <invite code/>                    -> <group …/> (anyone with the code may look)
 *
 * Error codes follow whatsmeow's mapping (errors.go and group.go): 404 no such group, 403 not a
 * member, 401 not an admin, 406/410 invalid/revoked invite links; whatsapp-rust's GroupJoinError
 * for 304 and 405.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { resolveAddress } from './addresses';
import { handleGroupChangeIq } from './group-change-iqs';
import {
  GROUP_EPHEMERAL_DURATIONS,
  GROUP_SUBJECT_MAX_LENGTH,
  groupError,
  groupReply,
  textOf,
} from './group-iq-replies';
import { requestToJoin } from './group-join-requests';
import { approvalAsked, groupNode } from './group-nodes';
import { notifyGroup, participantsChange, tellJoined } from './group-notifications';
import { type MemberRefusal, memberRefusal } from './group-privacy';
import { type GroupRecord, isMemberAddMode } from './group-state';
import type { IqHandler } from './iq-context';
import { child, children } from './nodes';
import type { DeviceRecord, ServerState } from './server-state';

/** The `xmlns` of group IQs. */
export const GROUPS_XMLNS = 'w:g2';

/** Every `w:g2` IQ of a logged-in device. */
export const handleGroupsIq: IqHandler = (ctx, node) => {
  if (node.attrs.xmlns !== GROUPS_XMLNS) return undefined;
  const device = ctx.device;
  if (device === undefined) return groupError(node, 401, 'not-authorized');
  const to = node.attrs.to ?? '';
  if (to !== '@g.us' && to !== 'g.us') return handleGroupChangeIq(ctx.state, device, node);
  const request = children(node)[0];
  const type = node.attrs.type;
  switch (`${type} ${request?.tag}`) {
    case 'get participating':
      return groupReply(node, [
        {
          tag: 'groups',
          attrs: {},
          content: ctx.state.groups.participating(device.phoneNumber).map((g) => groupNode(ctx.state, g)),
        },
      ]);
    case 'set create':
      return createGroup(ctx.state, device, node, request!);
    case 'set leave':
      return leaveGroups(ctx.state, device, node, request!);
    case 'set invite':
      return joinByInvite(ctx.state, device, node, request!.attrs.code ?? '');
    case 'get invite': {
      const found = ctx.state.groups.byInviteCode(request!.attrs.code ?? '');
      if (found === undefined) return groupError(node, 406, 'not-acceptable');
      if (found.revoked) return groupError(node, 410, 'gone');
      return groupReply(node, [groupNode(ctx.state, found.group)]);
    }
    default:
      return groupError(node, 501, 'feature-not-implemented');
  }
};

function createGroup(state: ServerState, device: DeviceRecord, node: BinaryNode, create: BinaryNode) {
  const subject = create.attrs.subject ?? '';
  if (subject.trim() === '' || [...subject].length > GROUP_SUBJECT_MAX_LENGTH) {
    return groupError(node, 400, 'bad-request');
  }
  const ephemeral = Number(child(create, 'ephemeral')?.attrs.expiration ?? '0');
  if (ephemeral !== 0 && !GROUP_EPHEMERAL_DURATIONS.has(ephemeral))
    return groupError(node, 400, 'bad-request');
  const creator = device.phoneNumber;
  const members: string[] = [];
  const failures: BinaryNode[] = [];
  const refusals: MemberRefusal[] = [];
  for (const participant of children(create, 'participant')) {
    const jid = participant.attrs.jid ?? '';
    const phoneNumber = resolveAddress(state, jid)?.account.phoneNumber;
    if (phoneNumber === undefined) {
      failures.push({ tag: 'participant', attrs: { jid, error: '404' } });
      continue;
    }
    if (phoneNumber === creator || members.includes(phoneNumber)) continue;
    const refusal = memberRefusal(state, creator, phoneNumber, jid);
    if (refusal !== undefined) {
      failures.push(refusal.node);
      refusals.push(refusal);
    } else members.push(phoneNumber);
  }
  const group = state.groups.create(creator, subject, members);
  for (const { code, request } of refusals) group.addRequests.set(code, request);
  group.ephemeral = ephemeral;
  group.locked = child(create, 'locked') !== undefined;
  group.announcement = child(create, 'announcement') !== undefined;
  // whatsmeow and whatsapp-rust ask for all_member_add; without the child (Baileys) admins add.
  const addMode = textOf(child(create, 'member_add_mode')) ?? '';
  if (isMemberAddMode(addMode)) group.memberAddMode = addMode;
  group.membershipApproval = approvalAsked(child(create, 'membership_approval_mode'));
  const attrs: Record<string, string> = { type: 'new' };
  if (create.attrs.key !== undefined) attrs.key = create.attrs.key;
  notifyGroup(
    state,
    group,
    creator,
    [{ tag: 'create', attrs, content: [groupNode(state, group)] }],
    group.members.keys(),
  );
  return groupReply(node, [groupNode(state, group, failures)]);
}

function leaveGroups(state: ServerState, device: DeviceRecord, node: BinaryNode, leave: BinaryNode) {
  const groups: GroupRecord[] = [];
  for (const entry of children(leave, 'group')) {
    const group = state.groups.find(entry.attrs.id ?? '');
    if (group === undefined) return groupError(node, 404, 'item-not-found');
    if (!group.members.has(device.phoneNumber)) return groupError(node, 403, 'forbidden');
    groups.push(group);
  }
  if (groups.length === 0) return groupError(node, 400, 'bad-request');
  for (const group of groups) {
    const told = [...group.members.keys()];
    const change = participantsChange(state, group, 'remove', [device.phoneNumber]);
    group.members.delete(device.phoneNumber);
    notifyGroup(state, group, device.phoneNumber, [change], told);
  }
  return groupReply(node, [
    { tag: 'leave', attrs: {}, content: groups.map((g) => ({ tag: 'group', attrs: { id: g.jid } })) },
  ]);
}

function joinByInvite(state: ServerState, device: DeviceRecord, node: BinaryNode, code: string) {
  const found = state.groups.byInviteCode(code);
  if (found === undefined) return groupError(node, 406, 'not-acceptable');
  if (found.revoked) return groupError(node, 410, 'gone');
  const { group } = found;
  const joiner = device.phoneNumber;
  if (group.members.has(joiner)) return groupError(node, 304, 'not-modified');
  if (group.removedByAdmin.has(joiner)) return groupError(node, 405, 'not-allowed');
  if (group.membershipApproval) return requestToJoin(state, group, joiner, node);
  const told = [...group.members.keys()];
  group.members.set(joiner, { phoneNumber: joiner, role: undefined });
  tellJoined(state, group, joiner, [joiner], told, { reason: 'invite' });
  return groupReply(node, [{ tag: 'group', attrs: { jid: group.jid } }]);
}
