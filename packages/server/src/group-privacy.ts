/**
 * Whether one account may put another in a group, by the target's `groupadd` privacy
 * (docs/protocol.md §10.1), decided as profile-view.ts decides for pictures: `all` and `contacts`
 * allow everyone (the server has no address books, every account counts as a contact), `none`
 * nobody, `contact_blacklist` everyone but the users on its list; a user the target blocked may
 * not add it either.
 *
 * A refusal is WhatsApp's `<participant jid error="403"><add_request code expiration/></participant>`:
 * the adder may send the code in a GroupInviteMessage instead (whatsapp-rust `AddRequestInfo` after
 * WA Web's WAWebInGroupsParticipantRequestCodeCanBeSentMixin; whatsmeow `GroupParticipantAddRequest`).
 * The invitee redeems the code with `<accept code expiration admin>` (group-accept.ts) until it
 * expires, three days on, as WhatsApp's invite messages; the caller keeps it on the group.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { toBase64 } from './_bytes';
import type { AddRequest } from './group-state';
import type { ServerState } from './server-state';

/** How long an add request stays valid, in seconds. */
const ADD_REQUEST_LIFETIME_S = 3 * 24 * 3600;

/** True when `actor` may add `target` to a group (phone numbers). */
export function groupAddAllowed(state: ServerState, actor: string, target: string): boolean {
  if (actor === target) return true;
  const privacy = state.accounts.get(target).privacy;
  if (privacy.blocks(actor)) return false;
  switch (privacy.value('groupadd')) {
    case 'none':
      return false;
    case 'contact_blacklist':
      for (const user of privacy.disallowedList('groupadd').values()) {
        if (user.phoneNumber === actor) return false;
      }
      return true;
    default:
      return true;
  }
}

/** An add refused by privacy: the 403 `<participant>` to answer, and the invite to keep by its code. */
export interface MemberRefusal {
  node: BinaryNode;
  code: string;
  request: AddRequest;
}

/** The refusal of `actor` adding `target` (named `jid` in the request); undefined when it may. */
export function memberRefusal(
  state: ServerState,
  actor: string,
  target: string,
  jid: string,
): MemberRefusal | undefined {
  if (groupAddAllowed(state, actor, target)) return undefined;
  const expiration = Math.floor(state.options.now() / 1000) + ADD_REQUEST_LIFETIME_S;
  const code = toBase64(state.crypto.randomBytes(12));
  return {
    node: {
      tag: 'participant',
      attrs: { jid, error: '403' },
      content: [{ tag: 'add_request', attrs: { code, expiration: String(expiration) } }],
    },
    code,
    request: { phoneNumber: target, inviter: actor, expiration },
  };
}
