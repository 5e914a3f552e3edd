/**
 * The errors of @wakit/signal, on the shared tree of @wakit/errors. `RemoteProtocolError` means the
 * peer's message (or bundle) is invalid, `LocalProtocolError` means the caller or its store is
 * missing something (no session, unknown prekey). Codes are `ERR_SIGNAL_*`.
 *
 * Whatever a decrypt throws, the stored session or sender key is exactly as it was before the call.
 */
import { isWakitError, LocalProtocolError, RemoteProtocolError, type WakitError } from '@wakit/errors';

/** A message that is not well-formed: truncated, bad protobuf, missing fields, wrong key type. */
export class InvalidMessageError extends RemoteProtocolError {
  static override readonly code = 'ERR_SIGNAL_INVALID_MESSAGE';
}

/** A message whose version byte is not 3 (0x33): older and newer protocol versions are refused. */
export class UnsupportedVersionError extends RemoteProtocolError {
  static override readonly code = 'ERR_SIGNAL_VERSION';
}

/** A message whose MAC (1:1) or signature (sender key) does not verify under any known state. */
export class BadMacError extends RemoteProtocolError {
  static override readonly code = 'ERR_SIGNAL_BAD_MAC';
}

/** A message key that was already used: the message is a duplicate or a replay. */
export class DuplicateMessageError extends RemoteProtocolError {
  static override readonly code = 'ERR_SIGNAL_DUPLICATE';
}

/** A counter or iteration so far ahead that deriving its key would exceed the forward-jump limit. */
export class TooFarInFutureError extends RemoteProtocolError {
  static override readonly code = 'ERR_SIGNAL_TOO_FAR';
}

/** A prekey bundle whose signed prekey signature does not verify under its identity key. */
export class InvalidSignatureError extends RemoteProtocolError {
  static override readonly code = 'ERR_SIGNAL_BAD_SIGNATURE';
}

/** The peer's identity key differs from the trusted one and the trust policy refuses the change. */
export class UntrustedIdentityError extends RemoteProtocolError {
  static override readonly code = 'ERR_SIGNAL_UNTRUSTED_IDENTITY';

  constructor(
    /** The address whose identity changed, as `name.deviceId`. */
    readonly address: string,
    /** The new identity public key (33 bytes, 0x05-prefixed). */
    readonly identityKey: Uint8Array,
    message = `untrusted identity key for ${address}`,
  ) {
    super(message);
  }
}

/** No session with this address (encrypt, or decrypt of a `msg`). */
export class NoSessionError extends LocalProtocolError {
  static override readonly code = 'ERR_SIGNAL_NO_SESSION';
}

/** A `pkmsg` names a one-time or signed prekey this side does not have (used, or never issued). */
export class MissingPreKeyError extends LocalProtocolError {
  static override readonly code = 'ERR_SIGNAL_PREKEY_MISSING';
}

/** No sender key for this group and sender (encrypt before create, decrypt before an SKDM). */
export class NoSenderKeyError extends LocalProtocolError {
  static override readonly code = 'ERR_SIGNAL_NO_SENDER_KEY';
}

/** A serialized session or sender-key record that cannot be read (corrupt, unknown version). */
export class RecordFormatError extends LocalProtocolError {
  static override readonly code = 'ERR_SIGNAL_RECORD_FORMAT';
}

/** True for errors from @wakit/signal (codes `ERR_SIGNAL_*`). */
export function isSignalError(error: unknown): error is WakitError {
  return isWakitError(error) && error.code.startsWith('ERR_SIGNAL_');
}
