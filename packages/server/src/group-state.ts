/**
 * Groups (docs/protocol.md §10.5): what the server keeps per group and the registry of them,
 * `state.groups` (`server.groups` for tests). Members are accounts, kept by phone number; the JIDs
 * a client sees are written from the account records in the group's addressing namespace when a
 * stanza is built (group-nodes.ts), so a member is always named by both its PN and its LID.
 *
 * New groups are `addressing_mode="lid"`, as WhatsApp creates them now (Baileys defaults a group
 * without the attribute to `lid` too, and whatsapp-rust's e2e groups are LID-addressed). The rules
 * of who may change what live in the IQ handlers (group-iqs.ts, group-change-iqs.ts); this file
 * only holds the state and answers questions about it.
 */
import type { Namespace } from './addresses';
import type { StoredProfilePicture } from './profile-state';
import type { ServerState } from './server-state';

/** A member's rank: `superadmin` is the creator, `admin` anyone promoted. */
export type StoredGroupRole = 'admin' | 'superadmin';

/** One member of a group. */
export interface GroupMemberRecord {
  readonly phoneNumber: string;
  role: StoredGroupRole | undefined;
}

/** A group's description: its id changes with every edit (the `prev` check of a set). */
export interface StoredGroupDescription {
  readonly id: string;
  readonly text: string;
  /** Unix seconds. */
  readonly t: number;
  /** Phone number of the member who set it. */
  readonly by: string;
}

/** The settings a group has on this server. */
export interface StoredGroupSettings {
  /** Only admins send messages. */
  readonly announcement: boolean;
  /** Only admins change the subject and description. */
  readonly locked: boolean;
  /** Disappearing-messages timer in seconds; 0 is off. */
  readonly ephemeral: number;
  /** Joining by link needs an admin's approval (`group-join-requests.ts`). */
  readonly membershipApproval: boolean;
  /** Who may add people: admins only (`admin_add`) or every member (`all_member_add`). */
  readonly memberAddMode: MemberAddMode;
}

/** `<member_add_mode>`'s values (whatsmeow GroupMemberAddMode, whatsapp-rust MemberAddMode). */
export const MEMBER_ADD_MODES = ['admin_add', 'all_member_add'] as const;
export type MemberAddMode = (typeof MEMBER_ADD_MODES)[number];

/** True for a `<member_add_mode>` value. */
export function isMemberAddMode(value: string): value is MemberAddMode {
  return (MEMBER_ADD_MODES as readonly string[]).includes(value);
}

/** A group as the server holds it (mutable: the IQ handlers change it). */
export interface GroupRecord {
  /** The user part of the group JID: `120363` and twelve more digits, as WhatsApp's new groups. */
  readonly id: string;
  /** `<id>@g.us`. */
  readonly jid: string;
  readonly addressingMode: Namespace;
  /** Phone number of the creator. */
  readonly creator: string;
  /** Unix seconds. */
  readonly creation: number;
  subject: string;
  subjectTime: number;
  /** Phone number of who set the subject. */
  subjectOwner: string;
  description: StoredGroupDescription | undefined;
  /** Members in the order they joined. */
  readonly members: Map<string, GroupMemberRecord>;
  inviteCode: string;
  /** Codes reset since: joining with one is `410 gone`, not `406`. */
  readonly revokedCodes: Set<string>;
  /** Accounts an admin removed: they may not come back by invite link (`405`). */
  readonly removedByAdmin: Set<string>;
  /** Invites given instead of adds the invitee's privacy refused, by code (`group-privacy.ts`). */
  readonly addRequests: Map<string, AddRequest>;
  announcement: boolean;
  locked: boolean;
  ephemeral: number;
  memberAddMode: MemberAddMode;
  membershipApproval: boolean;
  /** Accounts asking to join by link while approval is on: phone number -> when (unix seconds). */
  readonly joinRequests: Map<string, number>;
  /** The group's picture (profiles.ts sets it, profile-picture-iqs.ts serves it). */
  picture: StoredProfilePicture | undefined;
}

/**
 * An add the invitee's `groupadd` privacy refused, given to the adder as a code to send in a
 * GroupInviteMessage: the invitee may join with it (`<accept>`) until it expires, once.
 */
export interface AddRequest {
  /** The invitee's phone number: nobody else may use the code. */
  readonly phoneNumber: string;
  /** The admin whose add it was: the actor of the `<add>` when the invitee accepts. */
  readonly inviter: string;
  /** Unix seconds. */
  readonly expiration: number;
}

/** One participant of `server.groups.get(jid)`. */
export interface StoredGroupParticipant {
  /** PN user JID. */
  readonly jid: string;
  /** LID user JID. */
  readonly lid: string;
  readonly phoneNumber: string;
  readonly admin: StoredGroupRole | undefined;
}

/** A copy of a group's state for tests (`server.groups.get(jid)`). */
export interface StoredGroup {
  readonly jid: string;
  readonly addressingMode: Namespace;
  /** Phone number of the creator. */
  readonly creator: string;
  readonly creation: number;
  readonly subject: string;
  readonly subjectTime: number;
  readonly subjectOwner: string;
  readonly description: StoredGroupDescription | undefined;
  readonly participants: readonly StoredGroupParticipant[];
  readonly inviteCode: string;
  readonly settings: StoredGroupSettings;
}

/** Characters of an invite code (WhatsApp's are 22 alphanumerics). */
const INVITE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const INVITE_CODE_LENGTH = 22;

/** Every group of one server. */
export class GroupRegistry {
  readonly #state: ServerState;
  readonly #groups = new Map<string, GroupRecord>();

  /** @internal Built with the server state. */
  constructor(state: ServerState) {
    this.#state = state;
  }

  /**
   * A new group created by `creator` (its superadmin) with `members` (phone numbers, the creator
   * left out), at the server's clock. No notification is sent: the create IQ does that.
   */
  create(creator: string, subject: string, members: readonly string[]): GroupRecord {
    const now = Math.floor(this.#state.options.now() / 1000);
    let id: string;
    do id = `120363${this.#digits(12)}`;
    while (this.#groups.has(`${id}@g.us`));
    const group: GroupRecord = {
      id,
      jid: `${id}@g.us`,
      addressingMode: 'lid',
      creator,
      creation: now,
      subject,
      subjectTime: now,
      subjectOwner: creator,
      description: undefined,
      members: new Map([[creator, { phoneNumber: creator, role: 'superadmin' }]]),
      inviteCode: this.newInviteCode(),
      revokedCodes: new Set(),
      addRequests: new Map(),
      removedByAdmin: new Set(),
      announcement: false,
      locked: false,
      ephemeral: 0,
      memberAddMode: 'admin_add',
      membershipApproval: false,
      joinRequests: new Map(),
      picture: undefined,
    };
    for (const member of members) {
      if (member !== creator) group.members.set(member, { phoneNumber: member, role: undefined });
    }
    this.#groups.set(group.jid, group);
    return group;
  }

  /** The group with JID `jid` (or bare id), if any. */
  find(jid: string): GroupRecord | undefined {
    return this.#groups.get(jid.includes('@') ? jid : `${jid}@g.us`);
  }

  /** The groups `phoneNumber` is a member of, oldest first. */
  participating(phoneNumber: string): GroupRecord[] {
    return [...this.#groups.values()].filter((g) => g.members.has(phoneNumber));
  }

  /** The group whose current invite code is `code`, or the one that reset it (`revoked`). */
  byInviteCode(code: string): { group: GroupRecord; revoked: boolean } | undefined {
    for (const group of this.#groups.values()) {
      if (group.inviteCode === code) return { group, revoked: false };
      if (group.revokedCodes.has(code)) return { group, revoked: true };
    }
    return undefined;
  }

  /** A fresh invite code, unique on this server. */
  newInviteCode(): string {
    for (;;) {
      const bytes = this.#state.crypto.randomBytes(INVITE_CODE_LENGTH);
      const code = Array.from(bytes, (b) => INVITE_ALPHABET[b % INVITE_ALPHABET.length]).join('');
      if (this.byInviteCode(code) === undefined) return code;
    }
  }

  /** A copy of group `jid`'s state, for tests; undefined when there is no such group. */
  get(jid: string): StoredGroup | undefined {
    const group = this.find(jid);
    if (group === undefined) return undefined;
    const participants = [...group.members.values()].map((m) => {
      const lid = this.#state.devices.get(`${m.phoneNumber}@s.whatsapp.net`)?.lid;
      return {
        jid: `${m.phoneNumber}@s.whatsapp.net`,
        lid: lid ?? '',
        phoneNumber: m.phoneNumber,
        admin: m.role,
      };
    });
    return {
      jid: group.jid,
      addressingMode: group.addressingMode,
      creator: group.creator,
      creation: group.creation,
      subject: group.subject,
      subjectTime: group.subjectTime,
      subjectOwner: group.subjectOwner,
      description: group.description,
      participants,
      inviteCode: group.inviteCode,
      settings: {
        announcement: group.announcement,
        locked: group.locked,
        ephemeral: group.ephemeral,
        membershipApproval: group.membershipApproval,
        memberAddMode: group.memberAddMode,
      },
    };
  }

  /** Every group's JID, oldest first. */
  list(): string[] {
    return [...this.#groups.keys()];
  }

  #digits(count: number): string {
    return Array.from(this.#state.crypto.randomBytes(count), (b) => String(b % 10)).join('');
  }
}

/** True when `phoneNumber` is an admin or the superadmin of `group`. */
export function isGroupAdmin(group: GroupRecord, phoneNumber: string): boolean {
  return group.members.get(phoneNumber)?.role !== undefined;
}

/** The admins' phone numbers (the superadmin included). */
export function groupAdmins(group: GroupRecord): string[] {
  return [...group.members.keys()].filter((member) => isGroupAdmin(group, member));
}
