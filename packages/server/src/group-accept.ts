/**
 * Joining a group with the code of an add request (docs/protocol.md §10.5): an add the invitee's
 * `groupadd` privacy refused gave the adder `<add_request code expiration/>` (group-privacy.ts),
 * which the adder sends in a GroupInviteMessage; the invitee answers the group with
 *
 *   <iq to=<group> type=set xmlns=w:g2><accept code expiration admin=<inviter>/></iq>
 *
 * (whatsmeow `JoinGroupWithInvite`). The code is the invitee's alone and good once, until it
 * expires. Refusals, in the codes a join by link uses (whatsmeow's invite-link errors): 406 a code
 * this group did not give this account, 410 an expired one, 304 already a member. On success the
 * invitee is a member as if the inviting admin had added it: `<add>` to those already in, with the
 * inviter as actor, `<create>` to the invitee.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { groupError, groupReply } from './group-iq-replies';
import { tellJoined } from './group-notifications';
import type { GroupRecord } from './group-state';
import type { DeviceRecord, ServerState } from './server-state';

/** Answers `<accept>` from `device` to `group`. */
export function acceptAddRequest(
  state: ServerState,
  group: GroupRecord,
  device: DeviceRecord,
  node: BinaryNode,
  accept: BinaryNode,
): BinaryNode {
  const invitee = device.phoneNumber;
  const code = accept.attrs.code ?? '';
  const request = group.addRequests.get(code);
  if (request === undefined || request.phoneNumber !== invitee)
    return groupError(node, 406, 'not-acceptable');
  if (request.expiration < Math.floor(state.options.now() / 1000)) {
    group.addRequests.delete(code);
    return groupError(node, 410, 'gone');
  }
  if (group.members.has(invitee)) return groupError(node, 304, 'not-modified');
  group.addRequests.delete(code);
  const before = [...group.members.keys()];
  group.members.set(invitee, { phoneNumber: invitee, role: undefined });
  group.removedByAdmin.delete(invitee);
  tellJoined(state, group, request.inviter, [invitee], before);
  return groupReply(node);
}
