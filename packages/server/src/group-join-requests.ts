/**
 * Joining by link when a group needs an admin's approval (docs/protocol.md §10.5; whatsmeow
 * JoinGroupWithLink, GetGroupRequestParticipants, UpdateGroupRequestParticipants; whatsapp-rust
 * wacore/src/stanza/groups.rs for the notifications):
 *
 *   join      set <invite code/> to @g.us  -> <membership_approval_request jid=G/>: asked, not joined;
 *             the admins get <created_membership_requests request_method="invite_link">
 *             <requested_user jid phone_number|lid/></created_membership_requests>
 *   list      get <membership_approval_requests/> to G (admins)
 *             -> <membership_approval_requests><membership_approval_request jid request_time/>…
 *   act       set <membership_requests_action><approve|reject><participant jid/>…</…></…> (admins)
 *             -> <membership_requests_action><approve|reject><participant jid [error="404"]/>…:
 *             404 for someone who has not asked. Approved people join as if the admin added them
 *             (`<add>` to the members, `<create>` to them); a rejection is told to the admins as
 *             <revoked_membership_requests><participant jid/>…</revoked_membership_requests>.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { type Namespace, resolveAddress } from './addresses';
import { groupError, groupReply } from './group-iq-replies';
import { memberJid, otherNamespace } from './group-nodes';
import { notifyGroup, tellJoined } from './group-notifications';
import { type GroupRecord, groupAdmins } from './group-state';
import { children } from './nodes';
import type { ServerState } from './server-state';

/** `joiner` asks to join `group` (approval on): kept, the admins told; the join's reply. */
export function requestToJoin(
  state: ServerState,
  group: GroupRecord,
  joiner: string,
  node: BinaryNode,
): BinaryNode {
  if (!group.joinRequests.has(joiner)) {
    group.joinRequests.set(joiner, Math.floor(state.options.now() / 1000));
    const created: BinaryNode = {
      tag: 'created_membership_requests',
      attrs: { request_method: 'invite_link' },
      content: [{ tag: 'requested_user', attrs: personAttrs(state, group.addressingMode, joiner) }],
    };
    notifyGroup(state, group, joiner, [created], groupAdmins(group));
  }
  return groupReply(node, [{ tag: 'membership_approval_request', attrs: { jid: group.jid } }]);
}

/** The pending requests, for an admin. */
export function listJoinRequests(state: ServerState, group: GroupRecord, node: BinaryNode): BinaryNode {
  const requests = [...group.joinRequests].map(
    ([phoneNumber, at]): BinaryNode => ({
      tag: 'membership_approval_request',
      attrs: { jid: memberJid(state, phoneNumber, group.addressingMode), request_time: String(at) },
    }),
  );
  return groupReply(node, [{ tag: 'membership_approval_requests', attrs: {}, content: requests }]);
}

/** Approves or rejects requests, for an admin (`actor`). */
export function actOnJoinRequests(
  state: ServerState,
  group: GroupRecord,
  actor: string,
  node: BinaryNode,
  action: BinaryNode,
): BinaryNode {
  const verdict = children(action)[0];
  if (verdict === undefined || (verdict.tag !== 'approve' && verdict.tag !== 'reject')) {
    return groupError(node, 400, 'bad-request');
  }
  const before = [...group.members.keys()];
  const done: string[] = [];
  const results = children(verdict, 'participant').map((participant): BinaryNode => {
    const jid = participant.attrs.jid ?? '';
    const phoneNumber = resolveAddress(state, jid)?.account.phoneNumber;
    if (phoneNumber === undefined || !group.joinRequests.has(phoneNumber)) {
      return { tag: 'participant', attrs: { jid, error: '404' } };
    }
    group.joinRequests.delete(phoneNumber);
    if (verdict.tag === 'approve' && !group.members.has(phoneNumber)) {
      group.members.set(phoneNumber, { phoneNumber, role: undefined });
      group.removedByAdmin.delete(phoneNumber);
    }
    done.push(phoneNumber);
    return { tag: 'participant', attrs: { jid } };
  });
  if (done.length > 0) tell(state, group, actor, verdict.tag, done, before);
  return groupReply(node, [
    {
      tag: 'membership_requests_action',
      attrs: {},
      content: [{ tag: verdict.tag, attrs: {}, content: results }],
    },
  ]);
}

function tell(
  state: ServerState,
  group: GroupRecord,
  actor: string,
  verdict: 'approve' | 'reject',
  done: readonly string[],
  before: readonly string[],
): void {
  if (verdict === 'reject') {
    const revoked: BinaryNode = {
      tag: 'revoked_membership_requests',
      attrs: {},
      content: done.map((p) => ({ tag: 'participant', attrs: personAttrs(state, group.addressingMode, p) })),
    };
    notifyGroup(state, group, actor, [revoked], groupAdmins(group));
    return;
  }
  tellJoined(state, group, actor, done, before);
}

/** `jid` in the group's namespace and the other name beside it, as participants are named. */
function personAttrs(state: ServerState, namespace: Namespace, phoneNumber: string): Record<string, string> {
  const other = otherNamespace(namespace);
  return {
    jid: memberJid(state, phoneNumber, namespace),
    [other === 'pn' ? 'phone_number' : 'lid']: memberJid(state, phoneNumber, other),
  };
}
