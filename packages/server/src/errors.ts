/**
 * The error tree of @wakit/server. Every error carries a stable `code`; `RemoteProtocolError` means a
 * client sent something invalid (a pair-device-sign that does not verify, a key bundle that does not
 * decrypt), `LocalProtocolError` means the test driving the server asked for something impossible
 * (scanning a QR no connection issued, entering a code nobody asked for). Guards compare `code`, so
 * they also recognise errors from a second copy of this package.
 */

/** Which side of the wire is to blame. */
export type ErrorKind = 'remote' | 'local';

/** Base class of every error this package throws on purpose. */
export abstract class WakitError extends Error {
  /** Stable machine-readable code, e.g. `ERR_SERVER_PAIRING`. */
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A client sent something invalid. */
export abstract class RemoteProtocolError extends WakitError {
  readonly kind = 'remote' as const;
}

/** The caller asked for something the protocol does not allow. */
export abstract class LocalProtocolError extends WakitError {
  readonly kind = 'local' as const;
}

/** Why a pairing (QR or pair code) did not complete. */
export type PairingFailure =
  /** The QR string is not `ref,noise,identity,adv,platform`. */
  | 'malformed-qr'
  /** No waiting connection issued this ref (expired, already paired, or never sent). */
  | 'unknown-ref'
  /** The QR's noise key is not the Noise static key of the connection that holds the ref. */
  | 'noise-key-mismatch'
  /** The identity key in the QR (or key bundle) is not the one the companion registered with. */
  | 'identity-mismatch'
  /** The companion answered pair-success with an error or something that is not pair-device-sign. */
  | 'rejected'
  /** The companion's device signature does not verify with its identity key. */
  | 'device-signature'
  /** The companion changed the signed ADVDeviceIdentity details. */
  | 'details-changed'
  /** No phone number has a pending pair-code request. */
  | 'no-pair-code-request'
  /** The companion's key bundle did not decrypt (usually: a mistyped code) or named other keys. */
  | 'key-bundle'
  /** The connection closed before the pairing completed. */
  | 'closed'
  /** The companion did not answer in time. */
  | 'timeout';

/** A pairing failed; `reason` says at which step. */
export class PairingError extends RemoteProtocolError {
  readonly code = 'ERR_SERVER_PAIRING';
  readonly reason: PairingFailure;

  constructor(reason: PairingFailure, message: string, options?: { cause?: unknown }) {
    super(`${reason}: ${message}`, options);
    this.reason = reason;
  }
}

/** A connection moved along a transition its state table does not allow (a bug in the caller or the server). */
export class ConnectionStateError extends LocalProtocolError {
  readonly code = 'ERR_SERVER_CONNECTION_STATE';
}

/** `waitFor` gave up: the awaited event did not happen within its deadline. */
export class TimeoutError extends LocalProtocolError {
  readonly code = 'ERR_SERVER_TIMEOUT';
}

/** The server was closed while something still waited on it. */
export class ServerClosedError extends LocalProtocolError {
  readonly code = 'ERR_SERVER_CLOSED';
}

/** True for any error this package throws on purpose (also from another copy of it). */
export function isWakitError(error: unknown): error is WakitError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && 'kind' in error;
}

/** True for a `PairingError`, from any copy of this package. */
export function isPairingError(error: unknown): error is PairingError {
  return isWakitError(error) && error.code === 'ERR_SERVER_PAIRING';
}
