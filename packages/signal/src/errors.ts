/**
 * The error tree of @wakit/signal. Every error carries a stable `code`; `RemoteProtocolError` means
 * the peer's message (or bundle) is invalid, `LocalProtocolError` means the caller or its store is
 * missing something (no session, unknown prekey). Use the `is*` guards: they compare `code`/`kind`, so
 * they also recognise errors thrown by a second copy of this package.
 *
 * Whatever a decrypt throws, the stored session or sender key is exactly as it was before the call.
 */

/** Which side is to blame. */
export type ErrorKind = 'remote' | 'local';

/** Base class of every error this package throws on purpose. */
export abstract class WakitError extends Error {
  /** Stable machine-readable code, e.g. `ERR_SIGNAL_BAD_MAC`. */
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The peer sent something invalid. */
export abstract class RemoteProtocolError extends WakitError {
  readonly kind = 'remote' as const;
}

/** The caller asked for something this side cannot do. */
export abstract class LocalProtocolError extends WakitError {
  readonly kind = 'local' as const;
}

/** A message that is not well-formed: truncated, bad protobuf, missing fields, wrong key type. */
export class InvalidMessageError extends RemoteProtocolError {
  readonly code = 'ERR_SIGNAL_INVALID_MESSAGE';
}

/** A message whose version byte is not 3 (0x33): older and newer protocol versions are refused. */
export class UnsupportedVersionError extends RemoteProtocolError {
  readonly code = 'ERR_SIGNAL_VERSION';
}

/** A message whose MAC (1:1) or signature (sender key) does not verify under any known state. */
export class BadMacError extends RemoteProtocolError {
  readonly code = 'ERR_SIGNAL_BAD_MAC';
}

/** A message key that was already used: the message is a duplicate or a replay. */
export class DuplicateMessageError extends RemoteProtocolError {
  readonly code = 'ERR_SIGNAL_DUPLICATE';
}

/** A counter or iteration so far ahead that deriving its key would exceed the forward-jump limit. */
export class TooFarInFutureError extends RemoteProtocolError {
  readonly code = 'ERR_SIGNAL_TOO_FAR';
}

/** A prekey bundle whose signed prekey signature does not verify under its identity key. */
export class InvalidSignatureError extends RemoteProtocolError {
  readonly code = 'ERR_SIGNAL_BAD_SIGNATURE';
}

/** The peer's identity key differs from the trusted one and the trust policy refuses the change. */
export class UntrustedIdentityError extends RemoteProtocolError {
  readonly code = 'ERR_SIGNAL_UNTRUSTED_IDENTITY';

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
  readonly code = 'ERR_SIGNAL_NO_SESSION';
}

/** A `pkmsg` names a one-time or signed prekey this side does not have (used, or never issued). */
export class MissingPreKeyError extends LocalProtocolError {
  readonly code = 'ERR_SIGNAL_PREKEY_MISSING';
}

/** No sender key for this group and sender (encrypt before create, decrypt before an SKDM). */
export class NoSenderKeyError extends LocalProtocolError {
  readonly code = 'ERR_SIGNAL_NO_SENDER_KEY';
}

/** A serialized session or sender-key record that cannot be read (corrupt, unknown version). */
export class RecordFormatError extends LocalProtocolError {
  readonly code = 'ERR_SIGNAL_RECORD_FORMAT';
}

/** True for any error this package (or another copy of it) threw on purpose. */
export function isWakitError(error: unknown): error is WakitError {
  return (
    error instanceof Error &&
    typeof (error as Partial<WakitError>).code === 'string' &&
    ((error as Partial<WakitError>).kind === 'remote' || (error as Partial<WakitError>).kind === 'local')
  );
}

/** True when the peer's input was at fault. */
export function isRemoteProtocolError(error: unknown): error is RemoteProtocolError {
  return isWakitError(error) && error.kind === 'remote';
}

/** True for errors from @wakit/signal (codes `ERR_SIGNAL_*`). */
export function isSignalError(error: unknown): error is WakitError {
  return isWakitError(error) && error.code.startsWith('ERR_SIGNAL_');
}
