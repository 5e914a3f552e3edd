/**
 * The `<group>` node and its parts, as the metadata query, the participating list, the create
 * reply and `<create>` notifications carry it (docs/protocol.md §10.5). Checked against the parsers:
 * whatsmeow `parseGroupNode`/`parseParticipant`, Baileys `extractGroupMetadata`, whatsapp-rust
 * `GroupInfoResponse`:
 *
 *   <group id=<bare id> subject s_t s_o [s_o_pn] creation creator [creator_pn] addressing_mode size>
 *     <participant jid=<member in the group's namespace> phone_number|lid=<the other> [type="admin|superadmin"]/>…
 *     [<description id participant [participant_pn] t><body>text</body></description>]
 *     [<announcement/>] [<locked/>] [<ephemeral expiration/>]
 *     <member_add_mode>admin_add|all_member_add</member_add_mode>
 *     [<membership_approval_mode><group_join state="on"/></membership_approval_mode>]
 *   </group>
 *
 * `id` is bare: whatsmeow builds the JID from it with `NewJID(id, g.us)` (Baileys accepts both).
 * In a LID group `jid` is the LID and `phone_number` the PN (whatsmeow reads `phone_number` only
 * for LID JIDs, `lid` only for PN ones; Baileys likewise). Owners (`creator`, `s_o`, the
 * description's `participant`) are named the same way, the PN twin in `*_pn`. The
 * `<membership_approval_mode>` is there only while approval is on (its presence alone means "on"
 * to whatsmeow and Baileys). `member_add_mode` is the group's: `admin_add` unless a create or a
 * change set `all_member_add`.
 */
import type { BinaryNode } from '@wakit/binary-node';
import { type Namespace, userOf } from './addresses';
import type { GroupRecord } from './group-state';
import { deviceJid, type ServerState } from './server-state';

/** `phoneNumber`'s user JID in `namespace` (its PN JID when the account has no record). */
export function memberJid(state: ServerState, phoneNumber: string, namespace: Namespace): string {
  const record = state.devices.get(deviceJid(phoneNumber, 0));
  return record === undefined ? deviceJid(phoneNumber, 0) : userOf(record, namespace);
}

/** The other namespace. */
export function otherNamespace(namespace: Namespace): Namespace {
  return namespace === 'pn' ? 'lid' : 'pn';
}

/**
 * `<participant jid [phone_number|lid] [type]/>` for member `phoneNumber` of `group`; `extra` goes
 * last (an `error`, a result `type`).
 */
export function participantNode(
  state: ServerState,
  group: GroupRecord,
  phoneNumber: string,
  extra: Record<string, string> = {},
): BinaryNode {
  const ns = group.addressingMode;
  const attrs: Record<string, string> = { jid: memberJid(state, phoneNumber, ns) };
  attrs[ns === 'lid' ? 'phone_number' : 'lid'] = memberJid(state, phoneNumber, otherNamespace(ns));
  const role = group.members.get(phoneNumber)?.role;
  if (role !== undefined) attrs.type = role;
  return { tag: 'participant', attrs: { ...attrs, ...extra } };
}

/**
 * `{ [name]: member in the group's namespace, [name_pn]: its PN }` for a LID group, or the PN
 * alone for a PN group: how owners and actors are named.
 */
export function ownerAttrs(
  state: ServerState,
  group: GroupRecord,
  phoneNumber: string,
  name: string,
): Record<string, string> {
  const attrs: Record<string, string> = { [name]: memberJid(state, phoneNumber, group.addressingMode) };
  if (group.addressingMode === 'lid') attrs[`${name}_pn`] = memberJid(state, phoneNumber, 'pn');
  return attrs;
}

/** The `<description>` child, when the group has one. */
export function descriptionNode(state: ServerState, group: GroupRecord): BinaryNode | undefined {
  const description = group.description;
  if (description === undefined) return undefined;
  return {
    tag: 'description',
    attrs: {
      id: description.id,
      ...ownerAttrs(state, group, description.by, 'participant'),
      t: String(description.t),
    },
    content: [{ tag: 'body', attrs: {}, content: new TextEncoder().encode(description.text) }],
  };
}

/**
 * The `<group>` node of `group`. `failures` are participants a create could not add, listed with
 * their `error` after the members (whatsmeow's `parseParticipant` reads `error` there).
 */
export function groupNode(
  state: ServerState,
  group: GroupRecord,
  failures: readonly BinaryNode[] = [],
): BinaryNode {
  const content: BinaryNode[] = [...group.members.keys()].map((m) => participantNode(state, group, m));
  content.push(...failures);
  const description = descriptionNode(state, group);
  if (description !== undefined) content.push(description);
  if (group.announcement) content.push({ tag: 'announcement', attrs: {} });
  if (group.locked) content.push({ tag: 'locked', attrs: {} });
  if (group.ephemeral > 0) {
    content.push({ tag: 'ephemeral', attrs: { expiration: String(group.ephemeral) } });
  }
  content.push({ tag: 'member_add_mode', attrs: {}, content: new TextEncoder().encode(group.memberAddMode) });
  // Only when on: its presence alone means "on" to whatsmeow and Baileys.
  if (group.membershipApproval) content.push(approvalModeNode(true));
  return {
    tag: 'group',
    attrs: {
      id: group.id,
      subject: group.subject,
      s_t: String(group.subjectTime),
      ...ownerAttrs(state, group, group.subjectOwner, 's_o'),
      creation: String(group.creation),
      ...ownerAttrs(state, group, group.creator, 'creator'),
      addressing_mode: group.addressingMode,
      size: String(group.members.size),
    },
    content,
  };
}

/** `<membership_approval_mode><group_join state=on|off/></membership_approval_mode>` (all three references). */
export function approvalModeNode(on: boolean): BinaryNode {
  return {
    tag: 'membership_approval_mode',
    attrs: {},
    content: [{ tag: 'group_join', attrs: { state: on ? 'on' : 'off' } }],
  };
}

/** True when a `<membership_approval_mode>` asks for approval (`<group_join state="on"/>`). */
export function approvalAsked(mode: BinaryNode | undefined): boolean {
  const join = Array.isArray(mode?.content) ? mode.content.find((c) => c.tag === 'group_join') : undefined;
  return join?.attrs.state === 'on';
}
