/**
 * A group's metadata as the `w:g2` replies and the `<create>` notification carry it
 * (docs/protocol.md §10.5), sans-IO:
 *
 *   <group id subject s_t s_o creation creator [addressing_mode=lid|pn]>
 *     <participant jid [type=admin|superadmin] [lid | phone_number]/>…
 *     [<description id [participant] [t]><body>text</body></description>]
 *     [<announcement/>] [<locked/>] [<ephemeral expiration [trigger]/>]
 *     [<membership_approval_mode><group_join state=on|off/></membership_approval_mode>]
 *   </group>
 *
 * Read as whatsmeow (group.go parseGroupNode, parseParticipant) and whatsapp-rust
 * (wacore/src/iq/groups.rs GroupInfoResponse) read it. Where they differ:
 * - membership approval: whatsmeow counts the mere presence of `<membership_approval_mode>`,
 *   whatsapp-rust (and Baileys' notification handling) reads `<group_join state="on">`. We follow
 *   whatsapp-rust: a group answering `state="off"` does not require approval.
 * - a participant's other name: whatsmeow fills both `lid` and `phoneNumber` (one of them is the
 *   `jid` itself), Baileys only the other one. We follow whatsmeow, so a caller finds the LID in
 *   `lid` whichever namespace the group addresses people in.
 */
import { type BinaryNode, getChild, getChildren, getStringContent, isLidUser } from '@wakit/binary-node';
import { MalformedFeatureReplyError } from '../errors';

/** How a group names its participants on the wire (the `addressing_mode` attribute). */
export type AddressingMode = 'pn' | 'lid';

/** One member of a group. */
export interface GroupParticipant {
  /** The participant as the group names it: a LID user in `lid` groups, a PN user in `pn` groups. */
  jid: string;
  /** The participant's LID user, when known (the `jid` itself in a `lid` group). */
  lid?: string | undefined;
  /** The participant's phone-number user, when known (the `jid` itself in a `pn` group). */
  phoneNumber?: string | undefined;
  /** `superadmin` for the creator, `admin` for the other admins, absent for members. */
  admin?: 'admin' | 'superadmin' | undefined;
}

/** The settings a group has. */
export interface GroupSettings {
  /** Only admins may send messages. */
  announcement: boolean;
  /** Only admins may change the subject, description and picture. */
  locked: boolean;
  /** The disappearing-messages timer in seconds; 0 when off. */
  ephemeral: number;
  /** Joining by invite link needs an admin's approval. */
  membershipApproval: boolean;
  /**
   * Who may add people: admins only (`admin_add`) or every member (`all_member_add`), from
   * `<member_add_mode>`; `admin_add` when the group does not say.
   */
  memberAddMode: MemberAddMode;
  /** How the group names participants; `pn` when the server does not say (whatsapp-rust's default). */
  addressingMode: AddressingMode;
}

/** `<member_add_mode>`'s values (whatsmeow GroupMemberAddMode, whatsapp-rust MemberAddMode). */
export const MEMBER_ADD_MODES = ['admin_add', 'all_member_add'] as const;
export type MemberAddMode = (typeof MEMBER_ADD_MODES)[number];

/** The mode a `<member_add_mode>` node names; `admin_add` for none or another value. */
export function readMemberAddMode(node: BinaryNode | undefined): MemberAddMode {
  return node !== undefined && getStringContent(node) === 'all_member_add' ? 'all_member_add' : 'admin_add';
}

/** What `createGroup`, `getMetadata` and `queryInfo` give. */
export interface GroupMetadata {
  /** The group's JID, `<id>@g.us`. */
  jid: string;
  subject: string;
  /** The description's text; absent when the group has none. */
  description?: string | undefined;
  /** The description's id: the `prev` a description update must name (see `setDescription`). */
  descriptionId?: string | undefined;
  /** The creator, as the server names it. */
  owner?: string | undefined;
  /** When the group was created (unix seconds); 0 when the server did not say. */
  creation: number;
  participants: GroupParticipant[];
  settings: GroupSettings;
}

const GROUP_SERVER = 'g.us';

/**
 * The metadata in a `<group>` node (a reply's, or a `<create>` notification's).
 *
 * @throws MalformedFeatureReplyError when the node has no `id`, a participant has no `jid`, or a
 *   number is not one.
 */
export function parseGroupNode(group: BinaryNode): GroupMetadata {
  const id = group.attrs.id;
  if (id === undefined || id === '') throw new MalformedFeatureReplyError('a <group> without an id');
  const description = getChild(group, 'description');
  const body = description === undefined ? undefined : getChild(description, 'body');
  const ephemeral = getChild(group, 'ephemeral');
  const approval = getChild(group, 'membership_approval_mode');
  const metadata: GroupMetadata = {
    jid: id.includes('@') ? id : `${id}@${GROUP_SERVER}`,
    subject: group.attrs.subject ?? '',
    creation: unsigned(group.attrs.creation, 'creation') ?? 0,
    // A create reply lists the people it could not add as participants with an `error` (whatsmeow
    // parseParticipant reads it there): they are not members.
    participants: getChildren(group, 'participant')
      .filter((node) => node.attrs.error === undefined)
      .map(parseParticipant),
    settings: {
      announcement: getChild(group, 'announcement') !== undefined,
      locked: getChild(group, 'locked') !== undefined,
      ephemeral: unsigned(ephemeral?.attrs.expiration, 'ephemeral expiration') ?? 0,
      membershipApproval: approval !== undefined && getChild(approval, 'group_join')?.attrs.state === 'on',
      memberAddMode: readMemberAddMode(getChild(group, 'member_add_mode')),
      addressingMode: group.attrs.addressing_mode === 'lid' ? 'lid' : 'pn',
    },
  };
  if (group.attrs.creator !== undefined) metadata.owner = group.attrs.creator;
  if (body !== undefined && description?.attrs.delete !== 'true') {
    metadata.description = getStringContent(body) ?? '';
    metadata.descriptionId = description?.attrs.id;
  }
  return metadata;
}

/**
 * A `<participant jid [type] [lid|phone_number]/>` of a group, a reply or a notification.
 *
 * @throws MalformedFeatureReplyError when it has no `jid`.
 */
export function parseParticipant(node: BinaryNode): GroupParticipant {
  const { jid, type } = node.attrs;
  if (jid === undefined || jid === '') {
    throw new MalformedFeatureReplyError(`a <${node.tag}> participant without a jid`);
  }
  const participant: GroupParticipant = { jid };
  if (isLidUser(jid)) {
    participant.lid = jid;
    if (node.attrs.phone_number) participant.phoneNumber = node.attrs.phone_number;
  } else {
    participant.phoneNumber = jid;
    if (node.attrs.lid) participant.lid = node.attrs.lid;
  }
  // whatsapp-rust reads an unknown type as a member; so do we (no admin rights assumed).
  if (type === 'admin' || type === 'superadmin') participant.admin = type;
  return participant;
}

/**
 * The `<group>` of a metadata or create reply.
 *
 * @throws MalformedFeatureReplyError when the reply has none.
 */
export function parseGroupReply(reply: BinaryNode): GroupMetadata {
  const group = getChild(reply, 'group');
  if (group === undefined) throw new MalformedFeatureReplyError('a w:g2 reply without its <group>');
  return parseGroupNode(group);
}

/**
 * Every `<group>` of a participating reply (`<groups><group …/>…</groups>`).
 *
 * @throws MalformedFeatureReplyError when the reply has no `<groups>`.
 */
export function parseParticipatingGroups(reply: BinaryNode): GroupMetadata[] {
  const groups = getChild(reply, 'groups');
  if (groups === undefined) throw new MalformedFeatureReplyError('a participating reply without <groups>');
  return getChildren(groups, 'group').map(parseGroupNode);
}

function unsigned(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value === '' || !Number.isSafeInteger(number) || number < 0) {
    throw new MalformedFeatureReplyError(`a group's ${what} "${value}" is not a whole number`);
  }
  return number;
}
