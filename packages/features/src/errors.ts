/**
 * The errors of @wakit/features, on the shared model (@wakit/errors). Misuse is caught before
 * anything is sent (Local); what the server refuses is Remote.
 */
import { IoError, LocalProtocolError, RemoteProtocolError } from '@wakit/errors';

/** A privacy category/value pair the protocol does not allow; nothing was sent. */
export class InvalidPrivacySettingError extends LocalProtocolError {
  static override readonly code = 'ERR_FEATURES_INVALID_PRIVACY_SETTING';

  constructor(
    readonly category: string,
    readonly value: string,
    why: string,
  ) {
    super(why);
  }
}

/**
 * The server refused a disallowed-list update because the list changed since its `dhash` was
 * read (409). Fetch the settings again (`fetchPrivacySettings()`), which carry the current dhash,
 * and retry the update on that.
 */
export class PrivacyListConflictError extends RemoteProtocolError {
  static override readonly code = 'ERR_FEATURES_PRIVACY_LIST_CONFLICT';

  constructor(
    /** The category whose list changed. */
    readonly category: string,
    /** The dhash the update was based on. */
    readonly staleDhash: string,
    options?: { cause?: unknown },
  ) {
    super(
      `the ${category} disallowed list changed since dhash ${staleDhash}: fetch the privacy settings and retry`,
      options,
    );
  }
}

/** A reply that does not have the shape the protocol gives it. */
export class MalformedFeatureReplyError extends RemoteProtocolError {
  static override readonly code = 'ERR_FEATURES_MALFORMED_REPLY';
}

/** A push name the account module will not send (empty, too long, control characters); nothing was sent. */
export class InvalidPushNameError extends LocalProtocolError {
  static override readonly code = 'ERR_FEATURES_INVALID_PUSH_NAME';

  constructor(
    readonly pushName: string,
    why: string,
  ) {
    super(why);
  }
}

/** A spam report whose `spamFlow` is not one of SPAM_FLOWS; nothing was sent. */
export class InvalidSpamFlowError extends LocalProtocolError {
  static override readonly code = 'ERR_FEATURES_INVALID_SPAM_FLOW';

  constructor(readonly spamFlow: unknown) {
    super(`"spamFlow" expected one of the spam flows, got ${JSON.stringify(spamFlow)}`);
  }
}

/**
 * WhatsApp Web's sw.js could not be read for its version (a status other than 2xx, or a body without
 * `client_revision`). Not thrown to users: `fetchWaWebVersion` reports it as `error` beside the fallback.
 */
export class WaWebVersionFetchError extends IoError {
  static override readonly code = 'ERR_FEATURES_WA_WEB_VERSION_FETCH';
}

/**
 * The server refused a profile picture (401): the target hides it from this account by its privacy
 * settings, or blocked it. The server's answer, an IqError when it came as one, is the `cause`.
 */
export class ProfilePictureNotAuthorizedError extends RemoteProtocolError {
  static override readonly code = 'ERR_FEATURES_PROFILE_PICTURE_NOT_AUTHORIZED';

  constructor(
    /** Whose picture was asked for. */
    readonly jid: string,
    options?: { cause?: unknown },
  ) {
    super(`the server will not show ${jid}'s profile picture (hidden by privacy, or blocked)`, options);
  }
}

/** A group subject the server would refuse (empty, or longer than GROUP_SUBJECT_MAX_LENGTH); nothing was sent. */
export class InvalidGroupSubjectError extends LocalProtocolError {
  static override readonly code = 'ERR_FEATURES_INVALID_GROUP_SUBJECT';

  constructor(
    readonly subject: string,
    why: string,
  ) {
    super(why);
  }
}

/** A group description longer than GROUP_DESCRIPTION_MAX_LENGTH; nothing was sent. */
export class InvalidGroupDescriptionError extends LocalProtocolError {
  static override readonly code = 'ERR_FEATURES_INVALID_GROUP_DESCRIPTION';
}

/**
 * A JID a group request cannot take; nothing was sent. `expected` says what was wanted: a group
 * (`<id>@g.us`) or a participant (a person's PN or LID).
 */
export class InvalidGroupJidError extends LocalProtocolError {
  static override readonly code = 'ERR_FEATURES_INVALID_GROUP_JID';

  constructor(
    readonly jid: string,
    readonly expected: 'group' | 'participant',
  ) {
    super(
      expected === 'group'
        ? `expected a group JID (<id>@g.us), got ${JSON.stringify(jid)}`
        : `expected a participant's JID (a PN or LID user), got ${JSON.stringify(jid)}`,
    );
  }
}

/** No invite code could be read from what `joinWithInvite` was given; nothing was sent. */
export class InvalidInviteCodeError extends LocalProtocolError {
  static override readonly code = 'ERR_FEATURES_INVALID_INVITE_CODE';

  constructor(
    readonly input: string,
    why: string,
  ) {
    super(`no invite code in ${JSON.stringify(input)}: ${why}`);
  }
}

/**
 * The server refused a group change only admins may make (401 not-authorized, as whatsmeow reads
 * it for the invite link): this account is not an admin of the group. The IqError is the `cause`.
 */
export class GroupNotAdminError extends RemoteProtocolError {
  static override readonly code = 'ERR_FEATURES_GROUP_NOT_ADMIN';

  constructor(
    readonly jid: string,
    options?: { cause?: unknown },
  ) {
    super(`this account is not an admin of ${jid}`, options);
  }
}

/** The server refused because this account is not a member of the group (403 forbidden, whatsmeow ErrNotInGroup). */
export class NotGroupMemberError extends RemoteProtocolError {
  static override readonly code = 'ERR_FEATURES_NOT_GROUP_MEMBER';

  constructor(
    readonly jid: string,
    options?: { cause?: unknown },
  ) {
    super(`this account is not a member of ${jid}`, options);
  }
}

/** The group does not exist (404 item-not-found, whatsmeow ErrGroupNotFound). */
export class GroupNotFoundError extends RemoteProtocolError {
  static override readonly code = 'ERR_FEATURES_GROUP_NOT_FOUND';

  constructor(
    readonly jid: string,
    options?: { cause?: unknown },
  ) {
    super(`the group ${jid} does not exist`, options);
  }
}

/**
 * The server refused a description update (409 conflict): `prev` was not the id of the group's
 * current description, which changed meanwhile. Read the metadata again and retry on its
 * `descriptionId` (whatsapp-rust GroupError::DescriptionConflict).
 */
export class GroupDescriptionConflictError extends RemoteProtocolError {
  static override readonly code = 'ERR_FEATURES_GROUP_DESCRIPTION_CONFLICT';

  constructor(
    readonly jid: string,
    /** The description id the update named, if any. */
    readonly prev: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `the description of ${jid} changed since ${prev ?? 'none'}: read the metadata again and retry`,
      options,
    );
  }
}

/** Why the server refused to join by an invite (whatsapp-rust GroupJoinError, whatsmeow's invite errors). */
export type GroupInviteRefusal = 'revoked' | 'invalid' | 'already-member' | 'removed' | 'full';

/**
 * The server refused to join by an invite: `revoked` (410 gone: the group's link was reset,
 * whatsmeow ErrInviteLinkRevoked), `invalid` (406 not-acceptable or 404: no such link, whatsmeow
 * ErrInviteLinkInvalid), `already-member` (304), `removed` (405: an admin removed this account) or
 * `full` (419), as whatsapp-rust's GroupJoinError names them. The IqError is the `cause`.
 */
export class GroupInviteRefusedError extends RemoteProtocolError {
  static override readonly code = 'ERR_FEATURES_GROUP_INVITE_REFUSED';

  constructor(
    readonly inviteCode: string,
    readonly reason: GroupInviteRefusal,
    options?: { cause?: unknown },
  ) {
    super(`the server refused to join by invite ${inviteCode}: ${reason}`, options);
  }
}
