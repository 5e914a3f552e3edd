/**
 * Group notifications (`<notification type="w:gp2">`, docs/protocol.md §10.5 and §10.14), sans-IO:
 * what changed, and that change applied to held metadata.
 *
 *   <notification from=<group> type=w:gp2 participant=<actor> [participant_pn] t id>
 *     <create><group …/></create>                                     we are in a new group
 *     <add|remove|promote|demote|leave><participant jid [lid|phone_number]/>…</…>
 *     <subject subject s_t s_o/>
 *     <description id><body>text</body></description>, or <description id><delete/></description>
 *     <announcement/> <not_announcement/> <locked/> <unlocked/>
 *     <ephemeral expiration/> <not_ephemeral/>
 *     <membership_approval_mode><group_join state/></membership_approval_mode>
 *     <member_add_mode>admin_add|all_member_add</member_add_mode>
 *     <created_membership_requests request_method><requested_user jid …/>…</…>   asked to join
 *     <revoked_membership_requests><participant jid …/>…</…>               requests gone
 *     <invite code/>                                                   the link was reset
 *   </notification>
 *
 * Every child is read, as whatsmeow (group.go parseGroupChange) and whatsapp-rust
 * (wacore/src/stanza/groups.rs) do; Baileys reads only the first. A `<remove>` of the actor alone
 * is someone leaving: whatsmeow reports both as `Leave`, Baileys turns that remove into
 * GROUP_PARTICIPANT_LEAVE and also reads a `<leave>` child; we report `leave` for both, so a
 * caller can tell a removal from a departure. A deleted description is a `<delete>` child for
 * whatsmeow and whatsapp-rust; a `delete="true"` attribute or a missing `<body>` count too.
 */
import { type BinaryNode, getChild, getChildren, getStringContent, isSameUser } from '@wakit/binary-node';
import { MalformedFeatureReplyError } from '../errors';
import {
  type GroupMetadata,
  type GroupParticipant,
  type GroupSettings,
  parseGroupNode,
  parseParticipant,
  readMemberAddMode,
} from './group-metadata';
import { INVITE_LINK_PREFIX } from './groups-wire';

/** `group-created`: this account is in a new group (created, or added at creation). */
export type GroupCreatedEvent = GroupMetadata & {
  /** Who created it, as the notification names them. */
  actor?: string | undefined;
};

/** `group-participants`: people joined, left, were removed, promoted or demoted. */
export interface GroupParticipantsEvent {
  /** The group. */
  jid: string;
  action: 'add' | 'remove' | 'promote' | 'demote' | 'leave';
  participants: GroupParticipant[];
  /** Who did it (the notification's `participant`); for `leave`, the one who left. */
  actor?: string | undefined;
  /** The actor's phone number, when the notification gives it beside a LID. */
  actorPn?: string | undefined;
}

/** `group-updated`: the subject, description, settings or invite link changed. */
export interface GroupUpdatedEvent {
  /** The group. */
  jid: string;
  actor?: string | undefined;
  actorPn?: string | undefined;
  subject?: string | undefined;
  /** The new description; `''` when it was removed. */
  description?: string | undefined;
  /** The new description's id (absent when it was removed). */
  descriptionId?: string | undefined;
  /** The settings that changed, with their new values. */
  settings?: Partial<GroupSettings> | undefined;
  /** The new invite link, after an admin reset it. */
  inviteLink?: string | undefined;
}

/**
 * `group-join-requests`: people asked to join by link while the group needs approval (`created`,
 * told to admins), or requests went away (`revoked`: an admin rejected them, or the person
 * withdrew).
 */
export interface GroupJoinRequestsEvent {
  /** The group. */
  jid: string;
  action: 'created' | 'revoked';
  people: GroupParticipant[];
  /** Who asked (`created`) or who rejected (`revoked`). */
  actor?: string | undefined;
  actorPn?: string | undefined;
}

/** What one notification says. */
export interface GroupNotification {
  jid: string;
  actor?: string | undefined;
  actorPn?: string | undefined;
  created?: GroupCreatedEvent | undefined;
  /** One entry per participant child, in the notification's order. */
  participants: GroupParticipantsEvent[];
  /** The subject, description, setting and invite children together, if any. */
  update?: GroupUpdatedEvent | undefined;
  /** Join requests made or gone; they change no metadata. */
  joinRequests: GroupJoinRequestsEvent[];
  /** Children this parser does not understand: held metadata cannot be updated from them. */
  unknown: string[];
}

const PARTICIPANT_TAGS = new Set(['add', 'remove', 'promote', 'demote', 'leave']);
/** Children that say nothing about the metadata (whatsapp-rust skips it too). */
const IGNORED_TAGS = new Set(['missing_participant_identification']);

/**
 * Reads a `w:gp2` notification.
 *
 * @throws MalformedFeatureReplyError when it has no `from`, a participant no `jid`, or a child a
 *   value that is not one (a `<create>` without `<group>`, a non-numeric expiration).
 */
export function parseGroupNotification(node: BinaryNode): GroupNotification {
  const jid = node.attrs.from;
  if (!jid) throw new MalformedFeatureReplyError('a w:gp2 notification without from');
  const actor = node.attrs.participant || undefined;
  const actorPn = node.attrs.participant_pn || undefined;
  const result: GroupNotification = { jid, participants: [], joinRequests: [], unknown: [] };
  if (actor !== undefined) result.actor = actor;
  if (actorPn !== undefined) result.actorPn = actorPn;
  const update: GroupUpdatedEvent = { jid, actor, actorPn };
  let updated = false;
  const settings: Partial<GroupSettings> = {};
  for (const child of getChildren(node)) {
    const { tag } = child;
    if (tag === 'create') {
      result.created = { ...createdGroup(child, node), actor };
    } else if (PARTICIPANT_TAGS.has(tag)) {
      const participants = getChildren(child, 'participant').map(parseParticipant);
      const left = tag === 'leave' || (tag === 'remove' && isActorAlone(participants, actor, actorPn));
      const action = left ? 'leave' : (tag as GroupParticipantsEvent['action']);
      result.participants.push({ jid, action, participants, actor, actorPn });
    } else if (tag === 'subject') {
      update.subject = child.attrs.subject ?? '';
      updated = true;
    } else if (tag === 'description') {
      const body = getChild(child, 'body');
      const deleted =
        body === undefined || getChild(child, 'delete') !== undefined || child.attrs.delete === 'true';
      update.description = deleted ? '' : (getStringContent(body) ?? '');
      if (!deleted && child.attrs.id) update.descriptionId = child.attrs.id;
      updated = true;
    } else if (tag === 'created_membership_requests' || tag === 'revoked_membership_requests') {
      // whatsapp-rust: the people are <requested_user> in the one, <participant> in the other.
      const people = getChildren(
        child,
        tag === 'created_membership_requests' ? 'requested_user' : 'participant',
      );
      const action = tag === 'created_membership_requests' ? 'created' : 'revoked';
      result.joinRequests.push({ jid, action, people: people.map(parseParticipant), actor, actorPn });
    } else if (tag === 'invite' && child.attrs.code) {
      update.inviteLink = `${INVITE_LINK_PREFIX}${child.attrs.code}`;
      updated = true;
    } else if (readSetting(child, settings)) {
      updated = true;
    } else if (!IGNORED_TAGS.has(tag)) {
      result.unknown.push(tag);
    }
  }
  if (Object.keys(settings).length > 0) update.settings = settings;
  if (updated) result.update = update;
  return result;
}

/** Adds what `child` sets to `settings`; false when it is no setting. */
function readSetting(child: BinaryNode, settings: Partial<GroupSettings>): boolean {
  switch (child.tag) {
    case 'announcement':
    case 'not_announcement':
      settings.announcement = child.tag === 'announcement';
      return true;
    case 'locked':
    case 'unlocked':
      settings.locked = child.tag === 'locked';
      return true;
    case 'ephemeral':
      settings.ephemeral = seconds(child.attrs.expiration);
      return true;
    case 'not_ephemeral':
      settings.ephemeral = 0;
      return true;
    case 'membership_approval_mode':
      settings.membershipApproval = getChild(child, 'group_join')?.attrs.state === 'on';
      return true;
    case 'member_add_mode':
      settings.memberAddMode = readMemberAddMode(child);
      return true;
    default:
      return false;
  }
}

function createdGroup(create: BinaryNode, notification: BinaryNode): GroupMetadata {
  const group = getChild(create, 'group');
  if (group === undefined) throw new MalformedFeatureReplyError('a w:gp2 <create> without its <group>');
  // whatsmeow parseGroupCreate: the notification's addressing_mode when the group has none.
  const mode = group.attrs.addressing_mode ?? notification.attrs.addressing_mode;
  return parseGroupNode(
    mode === undefined ? group : { ...group, attrs: { ...group.attrs, addressing_mode: mode } },
  );
}

function isActorAlone(participants: GroupParticipant[], actor?: string, actorPn?: string): boolean {
  if (participants.length !== 1 || (actor === undefined && actorPn === undefined)) return false;
  const names = namesOf(participants[0]!);
  return names.some(
    (name) =>
      (actor !== undefined && isSameUser(name, actor)) ||
      (actorPn !== undefined && isSameUser(name, actorPn)),
  );
}

function seconds(value: string | undefined): number {
  const number = Number(value ?? '0');
  if (!/^[0-9]+$/.test(value ?? '0') || !Number.isSafeInteger(number)) {
    throw new MalformedFeatureReplyError(`a w:gp2 ephemeral expiration "${value}" is not a number`);
  }
  return number;
}

/** Every name `participant` is known by. */
export function namesOf(participant: GroupParticipant): string[] {
  const names = [participant.jid];
  if (participant.lid !== undefined) names.push(participant.lid);
  if (participant.phoneNumber !== undefined) names.push(participant.phoneNumber);
  return names;
}

/** True when `a` and `b` are the same person by any of the names both carry. */
export function sameParticipant(a: GroupParticipant, b: GroupParticipant): boolean {
  const names = namesOf(b);
  return namesOf(a).some((name) => names.some((other) => isSameUser(name, other)));
}

/**
 * `metadata` with the notification's participant changes and updates applied, or undefined when
 * that cannot be done faithfully (a child this parser does not know, a promoted or demoted person
 * the metadata does not hold): then the held metadata is stale and should be fetched again.
 */
export function applyGroupNotification(
  metadata: GroupMetadata,
  notification: GroupNotification,
): GroupMetadata | undefined {
  if (notification.unknown.length > 0) return undefined;
  let participants = metadata.participants.map((p) => ({ ...p }));
  for (const change of notification.participants) {
    if (change.action === 'add') {
      for (const added of change.participants) {
        if (!participants.some((p) => sameParticipant(p, added))) participants.push(withoutAdmin(added));
      }
    } else if (change.action === 'remove' || change.action === 'leave') {
      participants = participants.filter(
        (p) => !change.participants.some((gone) => sameParticipant(p, gone)),
      );
    } else {
      for (const target of change.participants) {
        const held = participants.find((p) => sameParticipant(p, target));
        if (held === undefined) return undefined;
        if (change.action === 'demote') delete held.admin;
        else if (held.admin !== 'superadmin') held.admin = 'admin';
      }
    }
  }
  const next: GroupMetadata = { ...metadata, participants, settings: { ...metadata.settings } };
  const update = notification.update;
  if (update !== undefined) {
    if (update.subject !== undefined) next.subject = update.subject;
    if (update.description !== undefined) {
      if (update.description === '' && update.descriptionId === undefined) {
        delete next.description;
        delete next.descriptionId;
      } else {
        next.description = update.description;
        next.descriptionId = update.descriptionId;
      }
    }
    Object.assign(next.settings, update.settings);
  }
  return next;
}

function withoutAdmin(participant: GroupParticipant): GroupParticipant {
  const { admin: _admin, ...rest } = participant;
  return rest;
}
