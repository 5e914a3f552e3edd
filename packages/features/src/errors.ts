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
