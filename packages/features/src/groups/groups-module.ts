/**
 * Groups as a client module: the shell over `groups-wire.ts`, `participants-wire.ts`,
 * `invite-wire.ts` and `group-notification.ts`. Arguments are checked before anything is sent
 * (`group-checks.ts`); the server's refusals a caller branches on become typed errors.
 *
 * The metadata `queryInfo` answers is cached (`group-cache.ts`) and kept current by the `w:gp2`
 * notifications: each is applied to the held metadata in place when it can be, and drops it
 * otherwise (a change this module does not know, a person it does not hold, this account leaving
 * or removed). A change this device makes drops the entry too, rather than guessing its effect
 * before the server's notification says it. The client's own non-claiming `w:gp2` handler (its
 * participant cache for sending) runs before this one; this one claims the notification and emits
 * `group-created`, `group-participants` and `group-updated`.
 *
 * @example
 * ```ts
 * const groups = client.use(groupsModule);
 * const group = await groups.createGroup({ subject: 'Team', participants: ['15551234567@s.whatsapp.net'] });
 * await groups.setSubject(group.jid, 'Team (new)');
 * client.on('group-participants', ({ jid, action, participants }) => console.log(jid, action, participants));
 * ```
 */
import { getChild, getChildren, isSameUser } from '@wakit/binary-node';
import { defineModule, IqError } from '@wakit/client';
import { isWakitError } from '@wakit/errors';
import { GroupDescriptionConflictError } from '../errors';
import { tcTokenModule } from '../tctoken/tctoken-module';
import {
  checkBoolean,
  checkEphemeral,
  checkMemberAddMode,
  descriptionId,
  joinRefusals,
  ownNames,
  participantRequests,
  refusals,
} from './_group-requests';
import { GroupCache } from './group-cache';
import { checkDescription, checkGroupJid, checkSubject } from './group-checks';
import {
  type GroupMetadata,
  type MemberAddMode,
  parseGroupReply,
  parseParticipatingGroups,
} from './group-metadata';
import {
  applyGroupNotification,
  type GroupCreatedEvent,
  type GroupJoinRequestsEvent,
  type GroupNotification,
  type GroupParticipantsEvent,
  type GroupUpdatedEvent,
  namesOf,
  parseGroupNotification,
} from './group-notification';
import { buildGroupPictureSet, parseGroupPictureId } from './group-picture-wire';
import { type GroupsRefreshedEvent, groupsDirtyBitHandler } from './groups-dirty-bit';
import {
  buildCreateGroup,
  buildDescriptionSet,
  buildGroupQuery,
  buildLeave,
  buildParticipatingQuery,
  buildSettingSet,
  buildSubjectSet,
  type GroupSettingChange,
} from './groups-wire';
import {
  buildAcceptInvite,
  buildInviteCodeQuery,
  buildInviteInfoQuery,
  buildJoinWithInvite,
  inviteCodeOf,
  type JoinResult,
  type PersonalInvite,
  parseInviteLink,
  parseJoinReply,
} from './invite-wire';
import {
  buildJoinRequestsAction,
  buildJoinRequestsQuery,
  type JoinRequest,
  type JoinRequestVerdict,
  parseJoinRequests,
  parseJoinRequestsAction,
} from './join-requests-wire';
import {
  buildParticipantsChange,
  type ParticipantAction,
  type ParticipantResult,
  parseParticipantResult,
  parseParticipantResults,
} from './participants-wire';

/** What `createGroup` takes. */
export interface CreateGroupOptions {
  /** 1 to GROUP_SUBJECT_MAX_LENGTH characters. */
  subject: string;
  /** People to add besides this account (PN or LID users; the server adds the creator itself). */
  participants: readonly string[];
  /** A description to start with. */
  description?: string | undefined;
  /** Disappearing-messages timer in seconds (0, the default, is off). */
  ephemeral?: number | undefined;
  /** Only admins may send. */
  announcement?: boolean | undefined;
  /** Only admins may edit the group's info. */
  locked?: boolean | undefined;
  /** Joining by link needs an admin's approval. */
  membershipApproval?: boolean | undefined;
  /** Who may add people: every member (`all_member_add`, the default) or admins only (`admin_add`). */
  memberAddMode?: MemberAddMode | undefined;
}

/** What `createGroup` gives: the new group, and whom it could not add (with why) if anyone. */
export type CreatedGroup = GroupMetadata & {
  /** The people the server did not add (status `failed`, its `error`; 403 with an `addRequest` invite). */
  failedParticipants?: ParticipantResult[] | undefined;
};

/** What `client.use(groupsModule)` gives. */
export interface GroupsApi {
  /** The group's metadata from the cache (kept current by notifications), else from the server. */
  queryInfo(jid: string): Promise<GroupMetadata>;
  /** The group's metadata from the server (and refreshes the cache). */
  getMetadata(jid: string): Promise<GroupMetadata>;
  /**
   * Every group this account is in, with participants and descriptions. Refreshes the cache: each
   * listed group is kept, and a held group the list leaves out (left or removed while this device
   * did not hear of it) is dropped.
   */
  getParticipating(): Promise<GroupMetadata[]>;
  /**
   * Creates a group; this account is its superadmin. Resolves with the new group's metadata, and
   * `failedParticipants` when the server could not add some of the people asked for.
   */
  createGroup(options: CreateGroupOptions): Promise<CreatedGroup>;
  /** Renames the group. */
  setSubject(jid: string, subject: string): Promise<void>;
  /**
   * Sets the description, or removes it (`undefined` or `''`). `prev` is the id of the description
   * being replaced (`descriptionId` of the metadata); when omitted it is read from the server first,
   * as whatsmeow and whatsapp-rust do. Resolves with the new description's id (undefined when removed).
   */
  setDescription(jid: string, description: string | undefined, prev?: string): Promise<string | undefined>;
  /** Leaves the group. */
  leave(jid: string): Promise<void>;
  /** Adds people; one result per person the server answered for. */
  addParticipants(jid: string, jids: readonly string[]): Promise<ParticipantResult[]>;
  /** Removes people; one result per person. */
  removeParticipants(jid: string, jids: readonly string[]): Promise<ParticipantResult[]>;
  /** Makes people admins; one result per person. */
  promoteParticipants(jid: string, jids: readonly string[]): Promise<ParticipantResult[]>;
  /** Takes admin rights away; one result per person. */
  demoteParticipants(jid: string, jids: readonly string[]): Promise<ParticipantResult[]>;
  /** The group's invite link; `reset` revokes the current one and gives a new one. */
  getInviteLink(jid: string, reset?: boolean): Promise<string>;
  /** Joins by invite link (or its code). */
  joinWithInvite(code: string): Promise<JoinResult>;
  /**
   * The metadata of the group an invite link (or its code) leads to, without joining: what a
   * client shows before one joins. Refusals as `joinWithInvite`'s (`invalid`, `revoked`). Not kept
   * in the cache (this account is not a member).
   */
  getInviteInfo(code: string): Promise<GroupMetadata>;
  /**
   * Joins with a personal invite (a GroupInviteMessage's group, code and expiration, and its
   * sender as `inviter`): what an admin sends a person whose privacy refused the add. Refusals
   * are GroupInviteRefusedError: `invalid` (not this account's code, or spent), `revoked`
   * (expired), `already-member`.
   */
  acceptInvite(invite: PersonalInvite): Promise<void>;
  /**
   * Sets the group's picture, a JPEG (the server makes the thumbnail), and resolves with its id. In
   * a locked group only admins may (`IqError` 403). Every member is told: the contacts module's
   * `picture-changed` event. Reading it is `contacts.getProfilePicture(jid)`.
   *
   * @throws RangeError when `jpeg` does not start like a JPEG (nothing is sent).
   */
  setPicture(jid: string, jpeg: Uint8Array): Promise<string>;
  /** Removes the group's picture (locked groups: admins only). */
  removePicture(jid: string): Promise<void>;
  /** Only admins may send (`true`), or everyone (`false`). */
  setAnnouncement(jid: string, on: boolean): Promise<void>;
  /** Only admins may edit the group's info (`true`), or everyone (`false`). */
  setLocked(jid: string, on: boolean): Promise<void>;
  /** The disappearing-messages timer in seconds; 0 turns it off. */
  setEphemeral(jid: string, seconds: number): Promise<void>;
  /** Whether joining by link needs an admin's approval. */
  setMembershipApproval(jid: string, on: boolean): Promise<void>;
  /** Who may add people: admins only (`admin_add`) or every member (`all_member_add`). */
  setMemberAddMode(jid: string, mode: MemberAddMode): Promise<void>;
  /** The people asking to join (while the group needs approval); admins only. */
  getJoinRequests(jid: string): Promise<JoinRequest[]>;
  /** Lets in people who asked to join; one result per person (404: had not asked). */
  approveJoinRequests(jid: string, jids: readonly string[]): Promise<ParticipantResult[]>;
  /** Turns away people who asked to join; one result per person. */
  rejectJoinRequests(jid: string, jids: readonly string[]): Promise<ParticipantResult[]>;
}

/** The event names and payloads the groups module emits. */
export interface GroupEvents {
  'group-created': GroupCreatedEvent;
  'group-participants': GroupParticipantsEvent;
  'group-updated': GroupUpdatedEvent;
  'groups-refreshed': GroupsRefreshedEvent;
  'group-join-requests': GroupJoinRequestsEvent;
}

/**
 * The groups module; mount it with `client.use(groupsModule)`. Emits `group-created`,
 * `group-participants`, `group-updated`, `group-join-requests` and `groups-refreshed`
 * (`GroupEvents`).
 */
export const groupsModule = defineModule('groups', (host): GroupsApi => {
  const cache = new GroupCache(host.data);
  // A person created into or added to a group is named with the token it issued to us, as whatsmeow
  // and whatsapp-rust do; mounting groups mounts the tcToken module, as presence does.
  const tcTokens = host.use(tcTokenModule);
  // queryInfo's fetches in flight, by group, with the generation they started at: callers that
  // find no entry share one query while nothing about the group changed meanwhile.
  const inflight = new Map<string, { since: number; metadata: Promise<GroupMetadata> }>();

  const fetchMetadata = async (jid: string) => {
    const since = cache.generation(jid);
    const metadata = parseGroupReply(await refusals(jid, false, () => host.query(buildGroupQuery(jid))));
    await cache.keepFetched(metadata, since);
    return metadata;
  };
  // A change made here: sent, then the held metadata dropped (the notification says what it did).
  const change = async <T>(jid: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await refusals(jid, true, send);
    } finally {
      await cache.invalidate(jid);
    }
  };
  const changeParticipants = async (jid: string, action: ParticipantAction, jids: readonly string[]) => {
    const group = checkGroupJid(jid);
    const people = await participantRequests(host, jids, action === 'add' ? tcTokens : undefined);
    return change(group, async () =>
      parseParticipantResults(await host.query(buildParticipantsChange(group, action, people)), action),
    );
  };
  const actOnRequests = async (jid: string, verdict: JoinRequestVerdict, jids: readonly string[]) => {
    const group = checkGroupJid(jid);
    const people = (await participantRequests(host, jids)).map((p) => p.jid);
    return change(group, async () =>
      parseJoinRequestsAction(await host.query(buildJoinRequestsAction(group, verdict, people)), verdict),
    );
  };
  const setSetting = async (jid: string, setting: GroupSettingChange) => {
    const group = checkGroupJid(jid);
    return change(group, async () => {
      await host.query(buildSettingSet(group, setting));
    });
  };

  host.handle({
    name: 'groups:w:gp2',
    match: { tag: 'notification', attrs: { type: 'w:gp2' } },
    handle: async ({ node }) => {
      let notification: GroupNotification;
      try {
        notification = parseGroupNotification(node);
      } catch (error) {
        // Redelivery would not make it readable: claimed (acked) and the held metadata dropped.
        host.logger.warn?.('an unreadable w:gp2 notification was dropped', { error });
        if (node.attrs.from) await cache.invalidate(node.attrs.from);
        return;
      }
      await follow(notification);
      if (notification.created !== undefined) host.emit('group-created', notification.created);
      for (const event of notification.participants) host.emit('group-participants', event);
      if (notification.update !== undefined) host.emit('group-updated', notification.update);
      for (const event of notification.joinRequests) host.emit('group-join-requests', event);
    },
  });

  host.handle(groupsDirtyBitHandler(host, () => api.getParticipating()));

  /** Brings the cache in line with `notification`. */
  async function follow(notification: GroupNotification): Promise<void> {
    const { jid } = notification;
    const held = notification.created ?? (await cache.get(jid));
    const own = await ownNames(host);
    const gone = notification.participants.some(
      (c) =>
        (c.action === 'remove' || c.action === 'leave') &&
        c.participants.some((p) => namesOf(p).some((name) => own.some((me) => isSameUser(name, me)))),
    );
    const next =
      held === undefined || gone ? undefined : applyGroupNotification(stripped(held), notification);
    if (next === undefined) await cache.invalidate(jid);
    else await cache.replace(next);
  }

  const api: GroupsApi = {
    async queryInfo(jid) {
      const group = checkGroupJid(jid);
      const held = await cache.get(group);
      if (held !== undefined) return held;
      const pending = inflight.get(group);
      if (pending !== undefined && pending.since === cache.generation(group)) return pending.metadata;
      const metadata = fetchMetadata(group).finally(() => {
        if (inflight.get(group)?.metadata === metadata) inflight.delete(group);
      });
      inflight.set(group, { since: cache.generation(group), metadata });
      return metadata;
    },

    getMetadata: async (jid) => fetchMetadata(checkGroupJid(jid)),

    async getParticipating() {
      const since = cache.generations();
      const held = await cache.held();
      const groups = parseParticipatingGroups(await host.query(buildParticipatingQuery()));
      for (const group of groups) await cache.keepFetched(group, since(group.jid));
      // The list is every group we are in: one held but not listed was left while we did not hear
      // of it, unless a notification about it arrived after the query was sent (its generation moved).
      const listed = new Set(groups.map((g) => g.jid));
      for (const jid of held) if (!listed.has(jid)) await cache.dropUnless(jid, since(jid));
      return groups;
    },

    async createGroup(options) {
      const subject = checkSubject(options.subject);
      const description =
        options.description === undefined ? undefined : checkDescription(options.description);
      const ephemeral = checkEphemeral(options.ephemeral ?? 0);
      const participants = await participantRequests(host, options.participants, tcTokens);
      const reply = await host.query(
        buildCreateGroup({
          subject,
          participants,
          ephemeral,
          announcement: options.announcement,
          locked: options.locked,
          membershipApproval: options.membershipApproval,
          memberAddMode:
            options.memberAddMode === undefined ? undefined : checkMemberAddMode(options.memberAddMode),
          description: description ? { text: description, id: descriptionId(host) } : undefined,
        }),
      );
      const metadata = parseGroupReply(reply);
      await cache.keepFetched(metadata, cache.generation(metadata.jid));
      const failed = getChildren(getChild(reply, 'group')!, 'participant')
        .filter((node) => node.attrs.error !== undefined)
        .map(parseParticipantResult);
      return failed.length === 0 ? metadata : { ...metadata, failedParticipants: failed };
    },

    async setPicture(jid, jpeg) {
      const group = checkGroupJid(jid);
      if (
        !(jpeg instanceof Uint8Array) ||
        jpeg.length < 4 ||
        jpeg[0] !== 0xff ||
        jpeg[1] !== 0xd8 ||
        jpeg[2] !== 0xff
      )
        throw new RangeError('setPicture() expects a JPEG image (FF D8 FF ...)');
      return parseGroupPictureId(await host.query(buildGroupPictureSet(group, jpeg)));
    },

    async removePicture(jid) {
      await host.query(buildGroupPictureSet(checkGroupJid(jid), undefined));
    },

    async setSubject(jid, subject) {
      const group = checkGroupJid(jid);
      const text = checkSubject(subject);
      await change(group, () => host.query(buildSubjectSet(group, text)));
    },

    async setDescription(jid, description, prev) {
      const group = checkGroupJid(jid);
      const text =
        description === undefined || description === '' ? undefined : checkDescription(description);
      const previous = prev ?? (await fetchMetadata(group)).descriptionId;
      const id = descriptionId(host);
      try {
        await change(group, () => host.query(buildDescriptionSet(group, text, id, previous)));
      } catch (error) {
        if (isWakitError(error, IqError) && error.errorCode === 409) {
          throw new GroupDescriptionConflictError(group, previous, { cause: error });
        }
        throw error;
      }
      return text === undefined ? undefined : id;
    },

    async leave(jid) {
      const group = checkGroupJid(jid);
      await change(group, () => host.query(buildLeave(group)));
    },

    addParticipants: (jid, jids) => changeParticipants(jid, 'add', jids),
    removeParticipants: (jid, jids) => changeParticipants(jid, 'remove', jids),
    promoteParticipants: (jid, jids) => changeParticipants(jid, 'promote', jids),
    demoteParticipants: (jid, jids) => changeParticipants(jid, 'demote', jids),

    async getInviteLink(jid, reset = false) {
      const group = checkGroupJid(jid);
      // Reading the link changes nothing; a reset does (the group's link), not its metadata.
      return parseInviteLink(
        await refusals(group, true, () => host.query(buildInviteCodeQuery(group, reset))),
      );
    },

    async joinWithInvite(link) {
      const code = inviteCodeOf(link);
      const reply = await joinRefusals(code, () => host.query(buildJoinWithInvite(code)));
      const joined = parseJoinReply(reply);
      await cache.invalidate(joined.jid);
      return joined;
    },

    async getInviteInfo(link) {
      const code = inviteCodeOf(link);
      return parseGroupReply(await joinRefusals(code, () => host.query(buildInviteInfoQuery(code))));
    },

    async acceptInvite(invite) {
      const iq = buildAcceptInvite(invite);
      await joinRefusals(invite.code, () => host.query(iq));
      // The <create> notification that follows brings the metadata.
      await cache.invalidate(iq.attrs.to!);
    },

    setAnnouncement: async (jid, on) => setSetting(jid, { setting: 'announcement', on: checkBoolean(on) }),
    setLocked: async (jid, on) => setSetting(jid, { setting: 'locked', on: checkBoolean(on) }),
    setMembershipApproval: async (jid, on) =>
      setSetting(jid, { setting: 'membershipApproval', on: checkBoolean(on) }),
    async getJoinRequests(jid) {
      const group = checkGroupJid(jid);
      return parseJoinRequests(await refusals(group, true, () => host.query(buildJoinRequestsQuery(group))));
    },
    approveJoinRequests: async (jid, jids) => actOnRequests(jid, 'approve', jids),
    rejectJoinRequests: async (jid, jids) => actOnRequests(jid, 'reject', jids),
    setMemberAddMode: async (jid, mode) =>
      setSetting(jid, { setting: 'memberAddMode', mode: checkMemberAddMode(mode) }),
    setEphemeral: async (jid, seconds) =>
      setSetting(jid, { setting: 'ephemeral', seconds: checkEphemeral(seconds) }),
  };
  return api;
});

/** `metadata` without the event-only `actor` a created group carries. */
function stripped(metadata: GroupMetadata & { actor?: string | undefined }): GroupMetadata {
  const { actor: _actor, ...rest } = metadata;
  return rest;
}
