/**
 * The group IQs (xmlns `w:g2`, docs/protocol.md §10.5), sans-IO: builders for every request, with
 * the metadata parsers in `group-metadata.ts`, participant changes in `participants-wire.ts` and
 * invites in `invite-wire.ts`.
 *
 *   metadata       <iq to=<group> type=get><query request=interactive/></iq>  -> <group …>
 *   participating  <iq to=@g.us type=get><participating><participants/><description/></participating>
 *                  -> <groups><group …/>…</groups>
 *   create         <iq to=@g.us type=set><create subject>…</create></iq>  -> <group …>
 *   subject        <iq to=<group> type=set><subject>text</subject></iq>
 *   description    <iq to=<group> type=set><description id [prev]><body>text</body></description></iq>,
 *                  removed with <description id delete=true [prev]/>
 *   leave          <iq to=@g.us type=set><leave><group id=<group>/></leave></iq>
 *   settings       <iq to=<group> type=set><announcement/>|<not_announcement/>|<locked/>|<unlocked/>
 *                  |<ephemeral expiration/>|<not_ephemeral/>|<membership_approval_mode>…</iq>
 *
 * `@g.us` is the groups server alone: encoded as a JID pair with an empty user, as whatsmeow's
 * `GroupServerJID` and whatsapp-rust's `Jid::new("", Server::Group)` are (Baileys writes the same
 * string). Texts go as string content (whatsapp-rust); whatsmeow and Baileys send the UTF-8 bytes,
 * which decode to the same text.
 */
import type { BinaryNode } from '@wakit/binary-node';
import type { MemberAddMode } from './group-metadata';

/** The IQ namespace of every group request. */
export const GROUP_XMLNS = 'w:g2';
/** The groups server, the `to` of requests not about one group. */
export const GROUPS_SERVER = '@g.us';
/** How invite links start; the code follows. */
export const INVITE_LINK_PREFIX = 'https://chat.whatsapp.com/';

/**
 * A person to put in a group: the JID, the PN beside a LID when known, and the trusted-contact
 * token the person issued to us while it is valid (whatsmeow, whatsapp-rust).
 */
export interface GroupParticipantRequest {
  jid: string;
  phoneNumber?: string | undefined;
  privacyToken?: Uint8Array | undefined;
}

/**
 * `<participant jid [phone_number]>[<privacy>token</privacy>]</participant>`, as a create and an add
 * name a person. Only a LID gets its PN beside it (whatsapp-rust normalize_participants, whatsmeow
 * CreateGroup). The token goes as its bytes, as whatsmeow sends it (docs/protocol.md §10.5: a
 * DISAGREE, whatsapp-rust sends it as a hex string; every other `<tctoken>` on the wire is bytes).
 */
export function participantToAdd({ jid, phoneNumber, privacyToken }: GroupParticipantRequest): BinaryNode {
  const attrs: Record<string, string> = { jid };
  if (phoneNumber !== undefined && jid.endsWith('@lid')) attrs.phone_number = phoneNumber;
  if (privacyToken === undefined) return { tag: 'participant', attrs };
  return { tag: 'participant', attrs, content: [{ tag: 'privacy', attrs: {}, content: privacyToken }] };
}

/** What `buildCreateGroup` sends. */
export interface CreateGroupRequest {
  subject: string;
  participants: readonly GroupParticipantRequest[];
  /** Disappearing-messages timer in seconds; 0 (the default) is off. */
  ephemeral?: number | undefined;
  /** Only admins may send messages. */
  announcement?: boolean | undefined;
  /** Only admins may edit the group's info. */
  locked?: boolean | undefined;
  /** Joining by link needs an admin's approval. */
  membershipApproval?: boolean | undefined;
  /** Who may add people; `all_member_add` (every member) unless given, as both references ask. */
  memberAddMode?: MemberAddMode | undefined;
  /** The description to start with, and its new id. */
  description?: { text: string; id: string } | undefined;
}

/** `<iq xmlns=w:g2 type to>` around `child`. */
export function groupIq(type: 'get' | 'set', to: string, child: BinaryNode): BinaryNode {
  return { tag: 'iq', attrs: { to, type, xmlns: GROUP_XMLNS }, content: [child] };
}

/** The metadata query the client also sends (i13 interface point 1). */
export function buildGroupQuery(groupJid: string): BinaryNode {
  return groupIq('get', groupJid, { tag: 'query', attrs: { request: 'interactive' } });
}

/** Every group the account is in, with participants and descriptions. */
export function buildParticipatingQuery(): BinaryNode {
  return groupIq('get', GROUPS_SERVER, {
    tag: 'participating',
    attrs: {},
    content: [
      { tag: 'participants', attrs: {} },
      { tag: 'description', attrs: {} },
    ],
  });
}

/**
 * A new group. Children in whatsapp-rust's order (its WA Web parity): `<member_add_mode>`
 * (all_member_add unless asked otherwise, as both whatsmeow and whatsapp-rust send), the
 * participants, `<locked/>` and `<announcement/>` when asked (whatsmeow; whatsapp-rust has no such
 * option), `<ephemeral expiration>` (0 when off, as both send), `<membership_approval_mode>
 * <group_join state>` (both), then the description (whatsapp-rust). Not sent: Baileys' `key`
 * attribute (neither reference has it), whatsmeow's `trigger="1"` on ephemeral (it marks it
 * unknown; whatsapp-rust omits it), whatsapp-rust's `<member_link_mode>` (whatsmeow omits it; the
 * server's default applies).
 */
export function buildCreateGroup(request: CreateGroupRequest): BinaryNode {
  const children: BinaryNode[] = [
    { tag: 'member_add_mode', attrs: {}, content: request.memberAddMode ?? 'all_member_add' },
  ];
  for (const participant of request.participants) children.push(participantToAdd(participant));
  if (request.locked) children.push({ tag: 'locked', attrs: {} });
  if (request.announcement) children.push({ tag: 'announcement', attrs: {} });
  children.push({ tag: 'ephemeral', attrs: { expiration: String(request.ephemeral ?? 0) } });
  children.push(approvalNode(request.membershipApproval ?? false));
  if (request.description !== undefined) {
    children.push({
      tag: 'description',
      attrs: { id: request.description.id },
      content: [{ tag: 'body', attrs: {}, content: request.description.text }],
    });
  }
  return groupIq('set', GROUPS_SERVER, {
    tag: 'create',
    attrs: { subject: request.subject },
    content: children,
  });
}

/** Renames the group. */
export function buildSubjectSet(groupJid: string, subject: string): BinaryNode {
  return groupIq('set', groupJid, { tag: 'subject', attrs: {}, content: subject });
}

/**
 * Sets the description (`text`), or removes it (`text` undefined), under the new `id`. `prev` is
 * the id of the description being replaced: the server refuses (409) when it is not the current
 * one, and a group that has a description cannot be changed without it (whatsapp-rust
 * features/groups.rs `PreviousDescription`).
 */
export function buildDescriptionSet(
  groupJid: string,
  text: string | undefined,
  id: string,
  prev?: string,
): BinaryNode {
  const attrs: Record<string, string> = { id };
  if (text === undefined) attrs.delete = 'true';
  if (prev !== undefined) attrs.prev = prev;
  const description: BinaryNode =
    text === undefined
      ? { tag: 'description', attrs }
      : { tag: 'description', attrs, content: [{ tag: 'body', attrs: {}, content: text }] };
  return groupIq('set', groupJid, description);
}

/** Leaves the group (sent to the groups server, naming the group). */
export function buildLeave(groupJid: string): BinaryNode {
  return groupIq('set', GROUPS_SERVER, {
    tag: 'leave',
    attrs: {},
    content: [{ tag: 'group', attrs: { id: groupJid } }],
  });
}

/** A group setting this module changes. */
export type GroupSettingChange =
  | { setting: 'announcement'; on: boolean }
  | { setting: 'locked'; on: boolean }
  | { setting: 'membershipApproval'; on: boolean }
  | { setting: 'ephemeral'; seconds: number }
  | { setting: 'memberAddMode'; mode: MemberAddMode };

/**
 * Changes one setting: `<announcement/>`/`<not_announcement/>`, `<locked/>`/`<unlocked/>`
 * (whatsmeow, whatsapp-rust, Baileys agree), `<ephemeral expiration=N/>` or `<not_ephemeral/>` for
 * 0 (whatsapp-rust SetGroupEphemeralIq, Baileys groupToggleEphemeral), and
 * `<membership_approval_mode><group_join state=on|off/>` (all three), and
 * `<member_add_mode>admin_add|all_member_add</member_add_mode>` (whatsmeow SetGroupMemberAddMode,
 * whatsapp-rust's create option).
 */
export function buildSettingSet(groupJid: string, change: GroupSettingChange): BinaryNode {
  return groupIq('set', groupJid, settingNode(change));
}

function settingNode(change: GroupSettingChange): BinaryNode {
  switch (change.setting) {
    case 'announcement':
      return { tag: change.on ? 'announcement' : 'not_announcement', attrs: {} };
    case 'locked':
      return { tag: change.on ? 'locked' : 'unlocked', attrs: {} };
    case 'membershipApproval':
      return approvalNode(change.on);
    case 'ephemeral':
      return change.seconds === 0
        ? { tag: 'not_ephemeral', attrs: {} }
        : { tag: 'ephemeral', attrs: { expiration: String(change.seconds) } };
    case 'memberAddMode':
      return { tag: 'member_add_mode', attrs: {}, content: change.mode };
  }
}

function approvalNode(on: boolean): BinaryNode {
  return {
    tag: 'membership_approval_mode',
    attrs: {},
    content: [{ tag: 'group_join', attrs: { state: on ? 'on' : 'off' } }],
  };
}
