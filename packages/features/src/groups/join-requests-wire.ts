/**
 * Join requests (docs/protocol.md §10.5), sans-IO: while a group needs an admin's approval, a join
 * by link is a request (`JoinResult.pendingApproval`); admins list them and approve or reject them
 * (whatsmeow GetGroupRequestParticipants and UpdateGroupRequestParticipants):
 *
 *   list   <iq to=<group> type=get xmlns=w:g2><membership_approval_requests/></iq>
 *          -> <membership_approval_requests><membership_approval_request jid request_time/>…
 *   act    <iq to=<group> type=set xmlns=w:g2><membership_requests_action><approve|reject>
 *            <participant jid/>…</…></membership_requests_action></iq>
 *          -> <membership_requests_action><approve|reject><participant jid [error]/>…
 */
import { type BinaryNode, getChild, getChildren } from '@wakit/binary-node';
import { MalformedFeatureReplyError } from '../errors';
import { groupIq } from './groups-wire';
import { type ParticipantResult, parseParticipantResult } from './participants-wire';

/** One person asking to join. */
export interface JoinRequest {
  /** The person, as the group names them. */
  jid: string;
  /** When they asked, in Unix seconds (0 when the server did not say). */
  requestedAt: number;
}

/** What an admin does with join requests. */
export type JoinRequestVerdict = 'approve' | 'reject';

/** The pending join requests of `groupJid`. */
export function buildJoinRequestsQuery(groupJid: string): BinaryNode {
  return groupIq('get', groupJid, { tag: 'membership_approval_requests', attrs: {} });
}

/**
 * The requests in a list reply.
 *
 * @throws MalformedFeatureReplyError when it has no `<membership_approval_requests>` or a request no jid.
 */
export function parseJoinRequests(reply: BinaryNode): JoinRequest[] {
  const list = getChild(reply, 'membership_approval_requests');
  if (list === undefined)
    throw new MalformedFeatureReplyError('a reply without <membership_approval_requests>');
  return getChildren(list, 'membership_approval_request').map((request) => {
    const jid = request.attrs.jid;
    if (!jid) throw new MalformedFeatureReplyError('a join request without jid');
    const at = Number(request.attrs.request_time ?? '0');
    return { jid, requestedAt: Number.isSafeInteger(at) && at >= 0 ? at : 0 };
  });
}

/** Approves or rejects the requests of `people` (user JIDs). */
export function buildJoinRequestsAction(
  groupJid: string,
  verdict: JoinRequestVerdict,
  people: readonly string[],
): BinaryNode {
  const participants = people.map((jid): BinaryNode => ({ tag: 'participant', attrs: { jid } }));
  return groupIq('set', groupJid, {
    tag: 'membership_requests_action',
    attrs: {},
    content: [{ tag: verdict, attrs: {}, content: participants }],
  });
}

/**
 * Each person's outcome, in the server's order (`error` 404: they had not asked).
 *
 * @throws MalformedFeatureReplyError when the reply lacks its `<membership_requests_action>` or verdict.
 */
export function parseJoinRequestsAction(reply: BinaryNode, verdict: JoinRequestVerdict): ParticipantResult[] {
  const action = getChild(reply, 'membership_requests_action');
  const answer = action === undefined ? undefined : getChild(action, verdict);
  if (answer === undefined) {
    throw new MalformedFeatureReplyError(`a join request ${verdict} reply without its <${verdict}>`);
  }
  return getChildren(answer, 'participant').map(parseParticipantResult);
}
