/**
 * Adding, removing, promoting and demoting participants (docs/protocol.md §10.5), sans-IO:
 *
 *   <iq to=<group> type=set xmlns=w:g2><add|remove|promote|demote>
 *     <participant jid [phone_number]>[<privacy>token</privacy>]</participant>…
 *   </…></iq>
 *   -> <add|remove|promote|demote><participant jid [error=<code>] [phone_number|lid]>
 *        [<add_request code expiration/>]
 *      </participant>…</…>
 *
 * The server answers for each participant: no `error` when the change was made, else its code
 * (whatsmeow parseParticipant, whatsapp-rust ParticipantChangeResponse, Baileys
 * groupParticipantsUpdate all read it so). On an add refused with 403 by the person's privacy
 * settings, `<add_request>` carries an invite the caller may send instead (whatsapp-rust,
 * whatsmeow). A person being added gets what a create gives it (`participantToAdd`: the PN beside a
 * LID, the person's trusted-contact token), as whatsmeow does (only for add).
 */
import { type BinaryNode, getChild, getChildren } from '@wakit/binary-node';
import { MalformedFeatureReplyError } from '../errors';
import { parseParticipant } from './group-metadata';
import { type GroupParticipantRequest, groupIq, participantToAdd } from './groups-wire';

/** What a participant change does. */
export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote';

/**
 * The outcome for one participant of an add, remove, promote or demote: the server decides per
 * person, so one call can succeed for some and fail for others.
 */
export interface ParticipantResult {
  /** The participant as the server named it in its answer. */
  jid: string;
  /** `ok`: the change was made; `failed`: see `error`. */
  status: 'ok' | 'failed';
  /**
   * The server's code when it failed, HTTP-like, e.g. 403 (the person's privacy settings do not
   * allow it; see `addRequest`), 404 (not on WhatsApp, or not in the group), 409 (already in the
   * group, or already admin).
   */
  error?: number | undefined;
  /** On a refused add: an invite (code, expiry in unix seconds) to send the person instead. */
  addRequest?: { code: string; expiration: number } | undefined;
  /** The participant's LID user, when the answer names it. */
  lid?: string | undefined;
  /** The participant's phone-number user, when the answer names it. */
  phoneNumber?: string | undefined;
}

/** `<action><participant jid [phone_number]/>…</action>` to the group. */
export function buildParticipantsChange(
  groupJid: string,
  action: ParticipantAction,
  participants: readonly GroupParticipantRequest[],
): BinaryNode {
  const content = participants.map(
    (p): BinaryNode =>
      action === 'add' ? participantToAdd(p) : { tag: 'participant', attrs: { jid: p.jid } },
  );
  return groupIq('set', groupJid, { tag: action, attrs: {}, content });
}

/**
 * Each participant's outcome, in the server's order.
 *
 * @throws MalformedFeatureReplyError when the reply has no `<action>`, a participant no jid, an
 *   error code is not a number or an `<add_request>` lacks its code.
 */
export function parseParticipantResults(reply: BinaryNode, action: ParticipantAction): ParticipantResult[] {
  const answer = getChild(reply, action);
  if (answer === undefined) throw new MalformedFeatureReplyError(`a ${action} reply without its <${action}>`);
  return getChildren(answer, 'participant').map(parseParticipantResult);
}

/**
 * One `<participant jid [error] [lid|phone_number]>` of a change reply, or a participant a create
 * reply's `<group>` could not add.
 *
 * @throws MalformedFeatureReplyError as `parseParticipantResults`.
 */
export function parseParticipantResult(node: BinaryNode): ParticipantResult {
  const { jid, lid, phoneNumber } = parseParticipant(node);
  const result: ParticipantResult = { jid, status: 'ok' };
  if (lid !== undefined) result.lid = lid;
  if (phoneNumber !== undefined) result.phoneNumber = phoneNumber;
  const error = node.attrs.error;
  if (error !== undefined && error !== '' && error !== '0') {
    result.status = 'failed';
    result.error = code(error, `${jid}'s error`);
    const request = getChild(node, 'add_request');
    if (request !== undefined) {
      const invite = request.attrs.code;
      if (!invite) throw new MalformedFeatureReplyError(`${jid}'s <add_request> without a code`);
      result.addRequest = { code: invite, expiration: code(request.attrs.expiration ?? '0', 'expiration') };
    }
  }
  return result;
}

function code(value: string, what: string): number {
  const number = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(number)) {
    throw new MalformedFeatureReplyError(`${what} "${value}" is not a number`);
  }
  return number;
}
